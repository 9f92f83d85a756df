import rule from './drop-database.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [{ name: 'dropping a table is another rule', history: ['CREATE TABLE t (id int);'], up: 'DROP TABLE t;' }],
  invalid: [
    {
      name: 'dropping a database in a migration',
      transactional: false,
      up: 'DROP DATABASE IF EXISTS legacy;',
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    },
  ],
});
