import { defineRule } from './rule.js';

// Raised by the judge: a function, trigger, sequence, extension, domain, policy or type the migration drops
// and does not re-create.
export default defineRule({
  id: 'drop-object',
  category: 'breaks-old-code',
  severity: 'warning',
  summary: 'Dropping a function, trigger, sequence, extension, domain or policy is a contract step: the release still running may use it.',
  direction: 'up',
  kinds: [],
  docs: `
Functions, procedures, triggers, sequences, extensions, domains, policies and composite types
are part of what the running code relies on: it calls the function, the trigger keeps a column
up to date, the sequence numbers its rows. Dropping one is a contract step: the previous release
breaks if it still depends on it, and the down must re-create it with its exact definition.

Dropping and re-creating the object under the same name in the same migration (\`DROP FUNCTION\`
then \`CREATE FUNCTION\`, \`CREATE OR REPLACE\`) redefines it: no finding.

Do instead: stop using the object in a release first, then drop it in a migration marked
\`-- twoway: contract\`, with a down that re-creates it.`,
  fix: 'Release code that no longer depends on it, then drop it in a migration marked "-- twoway: contract", with a down that re-creates it.',
});
