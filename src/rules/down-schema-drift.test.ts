import rule from './down-schema-drift.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a down that restores the previous default',
      history: ["CREATE TABLE orders (id int, status text DEFAULT 'new');"],
      up: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
      down: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';",
    },
    {
      name: 'a down that drops the table and index the up created',
      up: 'CREATE TABLE tags (id int, name text);\nCREATE INDEX tags_name ON tags (name);',
      down: 'DROP INDEX tags_name;\nDROP TABLE tags;',
    },
    { name: 'no down, no drift to judge', history: ['CREATE TABLE t (id int);'], up: 'ALTER TABLE t ADD COLUMN a int;' },
  ],
  invalid: [
    {
      name: 'a down that drops the default instead of restoring it',
      history: ["CREATE TABLE orders (id int, status text DEFAULT 'new');"],
      up: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
      down: 'ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;',
      message: "column orders.status has default none, was 'new'",
      severity: 'warning',
    },
    {
      name: 'a down that forgets an index',
      history: ['CREATE TABLE t (id int, a int);'],
      up: 'ALTER TABLE t ADD COLUMN b int;\nCREATE INDEX t_a ON t (a);',
      down: 'ALTER TABLE t DROP COLUMN b;',
      message: 'index t_a is left behind',
    },
    {
      name: 'a column re-added by the down comes back in another place',
      history: ['CREATE TABLE users (id int, full_name text, created_at timestamptz);'],
      up: 'ALTER TABLE users DROP COLUMN full_name;',
      down: 'ALTER TABLE users ADD COLUMN full_name text;',
      message: 'columns of users are in another order (id, created_at, full_name)',
    },
  ],
});
