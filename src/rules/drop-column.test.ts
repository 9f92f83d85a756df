import rule from './drop-column.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a column of a table created in the same migration holds no rows',
      up: 'CREATE TABLE t (id int, a text);\nALTER TABLE t DROP COLUMN a;',
    },
    {
      name: 'a column added in the same migration held nothing before',
      history: ['CREATE TABLE t (id int);'],
      up: 'ALTER TABLE t ADD COLUMN tmp int;\nALTER TABLE t DROP COLUMN tmp;',
    },
    { name: 'adding a column is not a drop', history: ['CREATE TABLE t (id int);'], up: 'ALTER TABLE t ADD COLUMN a text;' },
  ],
  invalid: [
    {
      name: 'dropping a column that holds rows is irreversible',
      history: ['CREATE TABLE users (id int, full_name text NOT NULL);'],
      up: '-- the name moved to first/last\nALTER TABLE users DROP COLUMN full_name;',
      line: 2,
      message: 'users.full_name (text, NOT NULL) destroys its values',
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    },
    {
      name: 'CASCADE also drops what depends on the column',
      history: ['CREATE TABLE t (id int, a int);'],
      up: 'ALTER TABLE t DROP COLUMN a CASCADE;',
      message: 'CASCADE also drops the views',
    },
    { name: 'a table the history never created is assumed to hold rows', up: 'ALTER TABLE legacy DROP COLUMN IF EXISTS x;', line: 1 },
  ],
});
