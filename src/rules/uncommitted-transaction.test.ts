import { ruleTests } from './testing.js';
import rule from './uncommitted-transaction.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY);';

ruleTests(rule, {
  valid: [
    { name: 'BEGIN and COMMIT', history: [users], up: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;', transactional: false },
    {
      name: 'a ROLLBACK ends it too',
      history: [users],
      up: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nROLLBACK;',
      transactional: false,
    },
  ],
  invalid: [
    {
      name: 'BEGIN left open',
      history: [users],
      up: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;',
      transactional: false,
      line: 1,
      message: 'BEGIN without a matching COMMIT',
    },
  ],
});
