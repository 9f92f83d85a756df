import rule from './drop-not-null.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'a table created in the same migration', up: 'CREATE TABLE u (a int NOT NULL);\nALTER TABLE u ALTER COLUMN a DROP NOT NULL;' },
    { name: 'a column that was already nullable', history: ['CREATE TABLE t (a int);'], up: 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;' },
  ],
  invalid: [
    {
      name: 'dropping NOT NULL on an existing column',
      history: ['CREATE TABLE t (a int NOT NULL);'],
      up: 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;',
      message: 'may read NULL',
      severity: 'info',
      effect: {},
    },
  ],
});
