import { ruleTests } from './testing.js';
import rule from './truncate-table.js';

ruleTests(rule, {
  valid: [{ name: 'a table created in the same migration', up: 'CREATE TABLE t (a int);\nTRUNCATE t;' }],
  invalid: [
    {
      name: 'truncating an existing table is irreversible',
      history: ['CREATE TABLE import_rows (id int);'],
      up: 'TRUNCATE import_rows;',
      effect: { phase: 'data', dbRollback: 'irreversible' },
    },
    {
      name: 'CASCADE also empties the referencing tables',
      history: ['CREATE TABLE a (id int PRIMARY KEY);'],
      up: 'TRUNCATE a CASCADE;',
      message: 'CASCADE also empties',
    },
    {
      name: 'each truncated table is named, in one finding for the line',
      history: ['CREATE TABLE a (id int);', 'CREATE TABLE b (id int);'],
      up: 'TRUNCATE a, b;',
      message: 'Also:',
    },
  ],
});
