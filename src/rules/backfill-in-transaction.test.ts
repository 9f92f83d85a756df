import rule from './backfill-in-transaction.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id int, name text);';

ruleTests(rule, {
  valid: [
    {
      name: 'a backfill in its own migration',
      history: [users, 'ALTER TABLE users ADD COLUMN plan text;'],
      up: "UPDATE users SET plan = 'free';",
    },
    {
      name: 'a COMMIT between the schema change and the backfill releases the lock',
      history: [users],
      transactional: false,
      up: "BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nCOMMIT;\nUPDATE users SET plan = 'free';",
    },
    {
      name: 'a migration that runs outside a transaction',
      history: [users],
      transactional: false,
      up: "ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free';",
    },
    {
      name: 'a new table is unknown to other sessions',
      up: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nUPDATE t SET b = 1;',
    },
    {
      name: 'a plain INSERT … VALUES writes few rows',
      history: [users],
      up: "ALTER TABLE users ADD COLUMN plan text;\nINSERT INTO users VALUES (1, 'a', 'b');",
    },
  ],
  invalid: [
    {
      name: 'a backfill after ADD COLUMN in the same transaction holds its ACCESS EXCLUSIVE lock',
      history: [users],
      up: "ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free';",
      line: 2,
      message: 'the table stays locked',
      effect: {},
    },
    {
      name: 'an explicit BEGIN makes the same transaction',
      history: [users, 'CREATE TABLE orders (id int, user_id int);'],
      transactional: false,
      up: 'BEGIN;\nCREATE INDEX orders_user ON orders (user_id);\nUPDATE users SET name = lower(name);\nCOMMIT;',
      message: 'schema change of orders',
    },
  ],
});
