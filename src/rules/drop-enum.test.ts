import rule from './drop-enum.js';
import { ruleTests } from './testing.js';

const status = "CREATE TYPE status AS ENUM ('new', 'paid');";

ruleTests(rule, {
  valid: [{ name: 'a type created in the same migration', up: "CREATE TYPE s AS ENUM ('a');\nDROP TYPE s;" }],
  invalid: [
    {
      name: 'dropping an unused type is a contract step',
      history: [status],
      up: 'DROP TYPE status;',
      severity: 'warning',
      effect: { phase: 'contract' },
    },
    {
      name: 'dropping a type still in use fails',
      history: [status, 'CREATE TABLE orders (id int, status status);'],
      up: 'DROP TYPE status;',
      message: 'fails: orders.status still use it',
      severity: 'error',
    },
    {
      name: 'CASCADE drops the columns of that type: irreversible',
      history: [status, 'CREATE TABLE orders (id int, status status);'],
      up: 'DROP TYPE status CASCADE;',
      message: 'drops the columns of that type with their data (orders.status)',
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    },
    { name: 'a type the history never created', up: 'DROP TYPE IF EXISTS legacy_kind;' },
  ],
});
