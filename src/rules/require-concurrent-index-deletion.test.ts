import rule from './require-concurrent-index-deletion.js';
import { ruleTests } from './testing.js';

const users = ['CREATE TABLE users (id bigint PRIMARY KEY, email text);', 'CREATE INDEX users_email ON users (email);'];

ruleTests(rule, {
  valid: [
    {
      name: 'a concurrent drop waits without blocking anyone',
      history: users,
      up: 'DROP INDEX CONCURRENTLY users_email;',
      transactional: false,
    },
    {
      name: 'an index built earlier in the same migration is dropped at no cost',
      history: [users[0] as string],
      up: 'CREATE INDEX CONCURRENTLY tmp ON users (email);\nDROP INDEX tmp;',
      transactional: false,
    },
    {
      name: 'an index of a table created in the same migration',
      up: 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;',
    },
  ],
  invalid: [
    {
      name: 'a plain DROP INDEX locks the table and is a contract step',
      history: users,
      up: 'DROP INDEX users_email;',
      message: 'ACCESS EXCLUSIVE lock on users',
      effect: { phase: 'contract' },
    },
    { name: 'an index the history does not know still takes the lock', up: 'DROP INDEX IF EXISTS legacy_idx;', message: 'on its table' },
  ],
});
