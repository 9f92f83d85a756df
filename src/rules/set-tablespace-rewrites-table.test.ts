import rule from './set-tablespace-rewrites-table.js';
import { ruleTests } from './testing.js';

const users = ['CREATE TABLE users (id bigint PRIMARY KEY, email text);', 'CREATE INDEX users_email ON users (email);'];

ruleTests(rule, {
  valid: [
    { name: 'a table created in the same migration is empty', up: 'CREATE TABLE t (a int);\nALTER TABLE t SET TABLESPACE fast;' },
    { name: 'other ALTER TABLE commands are not a tablespace move', history: users, up: 'ALTER TABLE users SET (fillfactor = 90);' },
  ],
  invalid: [
    {
      name: 'moving an existing table copies it under ACCESS EXCLUSIVE',
      history: users,
      up: 'ALTER TABLE users SET TABLESPACE fast;',
      message: 'copies table users',
    },
    { name: 'moving an index', history: users, up: 'ALTER INDEX users_email SET TABLESPACE fast;', message: 'copies users_email' },
  ],
});
