import { ruleTests } from './testing.js';
import rule from './vacuum-full-rewrites-table.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';

ruleTests(rule, {
  valid: [
    { name: 'plain VACUUM does not rewrite the table', history: [users], up: 'VACUUM ANALYZE users;', transactional: false },
    { name: 'a table created in the same migration', up: 'CREATE TABLE t (a int);\nVACUUM FULL t;', transactional: false },
  ],
  invalid: [
    {
      name: 'VACUUM FULL of an existing table',
      history: [users],
      up: 'VACUUM FULL users;',
      transactional: false,
      message: 'VACUUM FULL rewrites users',
    },
    {
      name: 'VACUUM (FULL) of two tables names each, in one finding for the line',
      history: [users, 'CREATE TABLE orders (id int);'],
      up: 'VACUUM (FULL, ANALYZE) users, orders;',
      transactional: false,
      message: 'Also:',
    },
  ],
});
