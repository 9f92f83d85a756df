import rule from './drop-default.js';
import { ruleTests } from './testing.js';

const accounts = "CREATE TABLE accounts (id int, plan text NOT NULL DEFAULT 'free', note text DEFAULT '', tag text);";

ruleTests(rule, {
  valid: [
    { name: 'setting a default is not dropping one', history: [accounts], up: "ALTER TABLE accounts ALTER COLUMN tag SET DEFAULT 'x';" },
    {
      name: 'a column without a default has nothing to drop',
      history: [accounts],
      up: 'ALTER TABLE accounts ALTER COLUMN tag DROP DEFAULT;',
    },
    {
      name: 'DEFAULT NULL dropped: old inserts wrote NULL before and after',
      history: ['CREATE TABLE monitor (id int, push_token varchar(20) DEFAULT NULL);'],
      up: 'ALTER TABLE monitor ALTER COLUMN push_token DROP DEFAULT;',
    },
    {
      name: 'a column added in the same migration',
      history: [accounts],
      up: 'ALTER TABLE accounts ADD COLUMN n int NOT NULL DEFAULT 0;\nALTER TABLE accounts ALTER COLUMN n DROP DEFAULT;',
    },
  ],
  invalid: [
    {
      name: 'dropping the default of a NOT NULL column breaks old inserts',
      history: [accounts],
      up: 'ALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT;',
      message: "default ('free') of NOT NULL column accounts.plan",
      severity: 'warning',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    {
      name: 'dropping the default of a nullable column makes old inserts write NULL',
      history: [accounts],
      up: 'ALTER TABLE accounts ALTER COLUMN note DROP DEFAULT;',
      message: 'now write NULL',
      severity: 'info',
      effect: {},
    },
    { name: 'a column the history never saw', up: 'ALTER TABLE legacy ALTER COLUMN a DROP DEFAULT;', severity: 'info' },
  ],
});
