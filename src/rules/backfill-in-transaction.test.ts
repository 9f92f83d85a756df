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
    {
      name: 'once per transaction, at the first backfill, naming those that follow',
      history: [users, 'CREATE TABLE orders (id int, user_id int);'],
      up: "ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free';\nALTER TABLE orders ADD COLUMN note text;\nUPDATE orders SET note = '';\nDELETE FROM users WHERE plan IS NULL;",
      line: 2,
      message:
        'UPDATE of users, and 2 more data changes after it (orders, users), run in the same transaction as the schema change of users, orders: those tables stay',
    },
    {
      name: 'once in each transaction',
      history: [users],
      transactional: false,
      up: "BEGIN;\nALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free';\nCOMMIT;\nBEGIN;\nALTER TABLE users ADD COLUMN tier text;\nUPDATE users SET tier = plan;\nUPDATE users SET tier = 'x' WHERE tier IS NULL;\nCOMMIT;",
      count: 2,
    },
  ],
});
