import rule from './delete-rows.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'rows of a table created in the same migration', up: 'CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nDELETE FROM t;' },
    { name: 'an UPDATE is another rule', history: ['CREATE TABLE t (a int);'], up: 'UPDATE t SET a = 1;' },
  ],
  invalid: [
    {
      name: 'deleting existing rows is irreversible, even with a down',
      history: ['CREATE TABLE sessions (id int, expires_at timestamptz);'],
      up: "DELETE FROM sessions WHERE expires_at < now() - interval '90 days';",
      down: 'SELECT 1;',
      message: 'destroys the matching rows',
      effect: { phase: 'data', dbRollback: 'irreversible' },
    },
    { name: 'a DELETE without WHERE empties the table', history: ['CREATE TABLE t (a int);'], up: 'DELETE FROM t;', message: 'every row' },
  ],
});
