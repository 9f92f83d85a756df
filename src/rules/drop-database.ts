import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-database',
  category: 'data-loss',
  severity: 'error',
  summary: 'A migration that drops a database destroys everything in it.',
  lock: 'Exclusive use of the database: fails while anyone is connected (PostgreSQL 13+ WITH (FORCE) disconnects them).',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
\`DROP DATABASE\` has no place in a migration: it destroys every table and row of that
database, and no down can bring them back. It cannot run inside a transaction block either.
Drop databases by hand, after a backup, outside the migration history.

Rails (\`db:drop\`) and Django (\`flush\`/\`dropdb\`) keep this out of migrations for the same reason.`,
  check(op) {
    if (op.statement !== 'DropdbStmt') return null;
    return {
      message: 'Dropping a database destroys everything in it: no down can bring it back.',
      fix: 'Remove the statement from the migration; drop the database by hand, after a backup.',
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    };
  },
});
