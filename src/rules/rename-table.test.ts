import rule from './rename-table.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a table created in the same migration is unknown to released code',
      up: 'CREATE TABLE t_new (id int);\nALTER TABLE t_new RENAME TO t;',
    },
    {
      // PostgreSQL writes through a simple view: the release still running reads and writes the same rows.
      name: 'a view under the old name showing every row and column keeps the old name working',
      history: ['CREATE TABLE customers (id int, name text);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT * FROM clients;',
    },
    {
      name: 'the columns listed by name, qualified or not',
      history: ['CREATE TABLE customers (id int, name text);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT c.id, name FROM clients c;',
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
      name: 'a view under the old name hiding rows (WHERE) does not keep it working',
      history: ['CREATE TABLE customers (id int, active boolean);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT * FROM clients WHERE active;',
      line: 1,
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    {
      name: 'nor one missing a column, renaming one, or joining',
      history: ['CREATE TABLE customers (id int, name text);', 'CREATE TABLE orgs (id int);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT id FROM clients;',
      line: 1,
    },
    {
      name: 'a renamed column in the view',
      history: ['CREATE TABLE customers (id int, name text);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT id, name AS full_name FROM clients;',
      line: 1,
    },
    {
      name: 'a view of another table',
      history: ['CREATE TABLE customers (id int);', 'CREATE TABLE orgs (id int);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT * FROM orgs;',
      line: 1,
    },
    {
      name: 'a view dropped again in the same migration',
      history: ['CREATE TABLE customers (id int);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE VIEW customers AS SELECT * FROM clients;\nDROP VIEW customers;',
      line: 1,
    },
    {
      name: 'a materialized view is a copy, not the table',
      history: ['CREATE TABLE customers (id int);'],
      up: 'ALTER TABLE customers RENAME TO clients;\nCREATE MATERIALIZED VIEW customers AS SELECT * FROM clients;',
      line: 1,
    },
  ],
});
