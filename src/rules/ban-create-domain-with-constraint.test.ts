import rule from './ban-create-domain-with-constraint.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [{ name: 'a domain without a constraint', up: 'CREATE DOMAIN email AS text;' }],
  invalid: [
    {
      name: 'a domain with a CHECK',
      up: "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');",
      message: 'Domain email carries a constraint',
    },
  ],
});
