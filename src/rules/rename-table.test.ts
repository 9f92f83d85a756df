import rule from './rename-table.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a table created in the same migration is unknown to released code',
      up: 'CREATE TABLE t_new (id int);\nALTER TABLE t_new RENAME TO t;',
    },
    { name: 'renaming a column is another rule', history: ['CREATE TABLE t (a int);'], up: 'ALTER TABLE t RENAME COLUMN a TO b;' },
  ],
  invalid: [
    {
      name: 'renaming a table the old release queries breaks it',
      history: ['CREATE TABLE customers (id int);'],
      up: 'ALTER TABLE customers RENAME TO clients;',
      message: 'Renaming table customers to clients',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    {
      name: 'a view under the old name in the same migration still gets the finding (the rename itself is in place)',
      history: ['CREATE TABLE customers (id int);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT * FROM clients;',
      line: 1,
    },
  ],
});
