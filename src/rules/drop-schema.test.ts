import rule from './drop-schema.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [{ name: 'creating a schema', up: 'CREATE SCHEMA reporting;' }],
  invalid: [
    {
      name: 'dropping a schema with its tables',
      up: '-- cleanup\nDROP SCHEMA reporting CASCADE;',
      line: 2,
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    },
  ],
});
