import rule from './constraint-missing-not-valid.js';
import { ruleTests } from './testing.js';

const tables = ['CREATE TABLE users (id bigint PRIMARY KEY);', 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total int);'];

ruleTests(rule, {
  valid: [
    {
      name: 'a CHECK added NOT VALID skips the scan',
      history: tables,
      up: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;',
    },
    {
      name: 'a foreign key added NOT VALID skips the scan',
      history: tables,
      up: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
    },
    {
      name: 'a new table referencing an existing one has no rows to check',
      history: [tables[0] as string],
      up: 'CREATE TABLE orders (id bigint, user_id bigint);\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    },
    {
      name: 'a UNIQUE constraint is another rule',
      history: tables,
      up: 'ALTER TABLE orders ADD CONSTRAINT u UNIQUE USING INDEX orders_u;',
    },
  ],
  invalid: [
    {
      name: 'a CHECK without NOT VALID blocks reads and writes for the whole scan',
      history: tables,
      up: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);',
      message: 'ACCESS EXCLUSIVE lock: all reads and writes of orders wait',
    },
    {
      name: 'a foreign key without NOT VALID blocks writes to both tables',
      history: tables,
      up: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      message: 'SHARE ROW EXCLUSIVE on orders and users',
    },
    {
      name: 'ADD COLUMN ... REFERENCES validates too',
      history: tables,
      up: 'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users (id);',
      message: 'ADD COLUMN buyer_id ... REFERENCES users',
    },
  ],
});
