import { ruleTests } from './testing.js';
import rule from './update-rows.js';

const prices = 'CREATE TABLE prices (id int, amount numeric, currency text);';

ruleTests(rule, {
  valid: [
    {
      name: 'rows of a table created in the same migration',
      up: 'CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;',
    },
    { name: 'a system catalog holds no application data', up: "UPDATE pg_index SET indisready = false WHERE indexrelid = 'x'::regclass;" },
    { name: 'a DELETE is another rule', history: [prices], up: 'DELETE FROM prices WHERE id = 1;' },
  ],
  invalid: [
    {
      name: 'overwriting existing values is irreversible, even with a down',
      history: [prices],
      up: 'UPDATE prices SET amount = amount * 1.1;',
      down: 'UPDATE prices SET amount = amount / 1.1;',
      message: 'overwrites amount in every row',
      effect: { phase: 'data', dbRollback: 'irreversible' },
    },
    {
      name: 'a WHERE clause limits the rows, not the loss',
      history: [prices],
      up: "UPDATE prices SET currency = 'EUR' WHERE currency IS NULL;",
      message: 'in the matching rows',
      effect: { phase: 'data', dbRollback: 'irreversible' },
    },
    {
      name: 'backfilling a column added in the same migration overwrites nothing',
      history: [prices],
      up: 'ALTER TABLE prices ADD COLUMN cents bigint;\nUPDATE prices SET cents = amount * 100;',
      line: 2,
      severity: 'info',
      effect: { phase: 'data' },
    },
    {
      name: 'a backfill that also rewrites an old column is irreversible',
      history: [prices],
      up: 'ALTER TABLE prices ADD COLUMN cents bigint;\nUPDATE prices SET cents = amount * 100, amount = 0;',
      message: 'overwrites amount',
      effect: { phase: 'data', dbRollback: 'irreversible' },
    },
    { name: 'a table the history never created is assumed to hold rows', up: 'UPDATE legacy SET flag = true;' },
  ],
});
