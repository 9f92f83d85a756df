import rule from './ban-alter-domain-with-add-constraint.js';
import { ruleTests } from './testing.js';

const domain = ['CREATE DOMAIN email AS text;', 'CREATE TABLE users (id bigint, email email);'];

ruleTests(rule, {
  valid: [
    {
      name: 'NOT VALID skips the scan',
      history: domain,
      up: "ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%') NOT VALID;",
    },
    {
      name: 'a domain created in the same migration is used by no rows',
      up: "CREATE DOMAIN code AS text;\nALTER DOMAIN code ADD CONSTRAINT c CHECK (VALUE <> '');",
    },
    { name: 'other ALTER DOMAIN commands', history: domain, up: 'ALTER DOMAIN email SET NOT NULL;' },
  ],
  invalid: [
    {
      name: 'adding a validated constraint scans every table that uses the domain',
      history: domain,
      up: "ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');",
      message: 'ALTER DOMAIN email ADD CONSTRAINT',
    },
  ],
});
