import { ruleTests } from './testing.js';
import rule from './transaction-nesting.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY);';

ruleTests(rule, {
  valid: [
    {
      name: 'BEGIN/COMMIT in a migration the framework runs without a transaction',
      history: [users],
      up: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;',
      transactional: false,
    },
    {
      name: 'golang-migrate has no transaction of its own',
      framework: 'golang-migrate',
      history: [users],
      up: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;',
    },
    { name: 'no explicit transaction statements', history: [users], up: 'ALTER TABLE users ADD COLUMN a int;' },
  ],
  invalid: [
    {
      name: 'BEGIN inside the framework transaction is ignored and its COMMIT ends the framework transaction',
      history: [users],
      up: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;',
      line: 1,
      message: 'BEGIN inside the transaction sql already runs this migration in',
    },
    {
      name: 'a COMMIT alone ends the framework transaction early',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nALTER TABLE users ADD COLUMN b int;',
      line: 2,
      message: 'COMMIT ends the transaction',
    },
  ],
});
