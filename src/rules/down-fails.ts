import { defineRule } from './rule.js';

// Raised by the judge: a statement of the down that the database itself refuses (MySQL's VARCHAR without a length,
// a name quoted the way the dialect does not quote names).
export default defineRule({
  id: 'down-fails',
  category: 'rollback',
  severity: 'error',
  summary: 'The down holds a statement the database refuses: the rollback stops there, half done.',
  direction: 'down',
  kinds: [],
  docs: `
A down is only a safety net if it runs. A statement the database refuses outright (MySQL's
\`VARCHAR\` without a length, \`"name"\` quoted for PostgreSQL in a MySQL migration) stops the
rollback at that statement: on MySQL every earlier statement of the down has already been committed,
so the schema is left between the two releases.

The migration's dbRollback is \`lossy\`: the down exists but would fail.

Do instead: write the statement in the dialect the migration runs on, and rehearse the down
(\`twoway rehearse\`) before it is needed.`,
  fix: 'Write the statement the way the database accepts it, and rehearse the down.',
});
