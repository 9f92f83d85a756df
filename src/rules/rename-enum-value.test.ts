import rule from './rename-enum-value.js';
import { ruleTests } from './testing.js';

const status = "CREATE TYPE status AS ENUM ('new', 'cancelled');";

ruleTests(rule, {
  valid: [
    { name: 'adding a value is additive', history: [status], up: "ALTER TYPE status ADD VALUE 'void';" },
    { name: 'an enum created in the same migration', up: "CREATE TYPE s AS ENUM ('a');\nALTER TYPE s RENAME VALUE 'a' TO 'b';" },
  ],
  invalid: [
    {
      name: 'renaming a value the old release writes',
      history: [status],
      up: "ALTER TYPE status RENAME VALUE 'cancelled' TO 'canceled';",
      message: "value 'cancelled' of enum status",
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    { name: 'an enum the history never created', up: "ALTER TYPE legacy_kind RENAME VALUE 'x' TO 'y';" },
  ],
});
