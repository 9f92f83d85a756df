import rule from './alter-enum-add-value-in-transaction.js';
import { ruleTests } from './testing.js';

const status = ["CREATE TYPE status AS ENUM ('active', 'banned');", "CREATE TABLE users (id bigint, status status DEFAULT 'active');"];

ruleTests(rule, {
  valid: [
    {
      name: 'PostgreSQL 12+ may add a value in a transaction when it is not used there',
      history: status,
      up: "ALTER TYPE status ADD VALUE 'archived';",
    },
    {
      name: 'outside a transaction any version accepts it',
      history: status,
      up: "ALTER TYPE status ADD VALUE 'archived';",
      transactional: false,
      serverVersion: 11,
    },
    {
      name: 'a use after the COMMIT is in another transaction',
      history: status,
      up: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;\nUPDATE users SET status = 'archived' WHERE id = 1;",
      transactional: false,
    },
  ],
  invalid: [
    {
      name: 'before PostgreSQL 12 ADD VALUE fails in a transaction',
      history: status,
      up: "ALTER TYPE status ADD VALUE 'archived';",
      serverVersion: 11,
      message: 'cannot run inside a transaction block on PostgreSQL 11',
    },
    {
      name: 'PostgreSQL 12+: using the new value in the same transaction fails',
      history: status,
      up: "ALTER TYPE status ADD VALUE 'archived';\nUPDATE users SET status = 'archived' WHERE banned_at < now() - interval '1 year';",
      line: 1,
      message: 'used on line 2',
    },
  ],
});
