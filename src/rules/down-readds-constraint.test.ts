import rule from './down-readds-constraint.js';
import { ruleTests } from './testing.js';

const orders = [
  'CREATE TABLE users (id bigint PRIMARY KEY);',
  'CREATE TABLE orders (id bigint, user_id bigint, code text, total int);',
  'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
  'ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);',
];

ruleTests(rule, {
  valid: [
    {
      name: 'the down re-adds the foreign key NOT VALID',
      history: orders,
      up: 'ALTER TABLE orders DROP CONSTRAINT orders_user_fk;',
      down: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
    },
    {
      name: 'a constraint the up added is dropped by the down',
      history: orders,
      up: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;',
      down: 'ALTER TABLE orders DROP CONSTRAINT total_positive;',
    },
  ],
  invalid: [
    {
      name: 'the natural down of a dropped foreign key fails on orphans written since',
      history: orders,
      up: 'ALTER TABLE orders DROP CONSTRAINT orders_user_fk;',
      down: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      message: 'rows whose reference is gone',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'a dropped UNIQUE constraint re-added by the down fails on duplicates',
      history: orders,
      up: 'ALTER TABLE orders DROP CONSTRAINT orders_code_key;',
      down: 'ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);',
      message: 'duplicates written since the up',
    },
  ],
});
