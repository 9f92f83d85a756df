import rule from './require-concurrent-reindex.js';
import { ruleTests } from './testing.js';

const users = ['CREATE TABLE users (id bigint PRIMARY KEY, email text);', 'CREATE INDEX users_email ON users (email);'];

ruleTests(rule, {
  valid: [
    { name: 'REINDEX CONCURRENTLY does not block', history: users, up: 'REINDEX INDEX CONCURRENTLY users_email;', transactional: false },
    { name: 'reindexing a table created in the same migration', up: 'CREATE TABLE t (a int);\nREINDEX TABLE t;' },
  ],
  invalid: [
    {
      name: 'REINDEX INDEX names the table whose writes it blocks',
      history: users,
      up: 'REINDEX INDEX users_email;',
      message: 'blocks writes to users',
    },
    { name: 'REINDEX TABLE', history: users, up: 'REINDEX TABLE users;', message: 'REINDEX TABLE users' },
    {
      name: 'before PostgreSQL 12 the fix builds a replacement index',
      history: users,
      up: 'REINDEX TABLE users;',
      serverVersion: 11,
      message: 'REINDEX TABLE users',
    },
  ],
});
