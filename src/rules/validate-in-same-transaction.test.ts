import { ruleTests } from './testing.js';
import rule from './validate-in-same-transaction.js';

const tables = ['CREATE TABLE users (id bigint PRIMARY KEY);', 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total int);'];
const add = 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;';
const validate = 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;';

ruleTests(rule, {
  valid: [
    { name: 'validating in a later migration', history: [...tables, add], up: validate },
    {
      name: 'without a framework transaction each statement commits on its own',
      history: tables,
      up: `${add}\n${validate}`,
      transactional: false,
    },
    {
      name: 'an explicit COMMIT between add and validate releases the lock',
      history: tables,
      up: `BEGIN;\n${add}\nCOMMIT;\n${validate}`,
      transactional: false,
    },
  ],
  invalid: [
    {
      name: 'add NOT VALID and validate in one transaction keeps the lock through the scan',
      history: tables,
      up: `${add}\n${validate}`,
      line: 2,
      message: 'SHARE ROW EXCLUSIVE lock on orders and users',
    },
    {
      name: 'a CHECK keeps ACCESS EXCLUSIVE',
      history: tables,
      up: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT total_positive;',
      message: 'ACCESS EXCLUSIVE lock on orders',
    },
  ],
});
