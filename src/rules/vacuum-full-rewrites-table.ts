import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'vacuum-full-rewrites-table',
  category: 'locking',
  severity: 'error',
  summary: 'VACUUM FULL rewrites the whole table under ACCESS EXCLUSIVE: no reads or writes until it finishes.',
  lock: 'ACCESS EXCLUSIVE on each table for the whole rewrite (proportional to table size): blocks every read and write.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
\`VACUUM FULL\` writes a compacted copy of the table and its indexes while holding an ACCESS
EXCLUSIVE lock: nothing can read or write the table until the copy is done, and it needs disk
space for the copy. Without a table list it does this to every table of the database.
Plain \`VACUUM\` does not block reads or writes, but it cannot run inside a transaction block
either (see \`concurrently-in-transaction\`).

Do instead: leave space reclamation to autovacuum, or compact online with \`pg_repack\`
(\`pg_repack --table=users\`), outside migrations. Rails (\`execute "VACUUM FULL ..."\`) and
Django (\`RunSQL\`) migrations should not carry it either.`,
  check(op, ctx) {
    if (op.statement !== 'VacuumStmt' || !op.options?.includes('full')) return null;
    if (op.target && ctx.isNewTable(op.target)) return null;
    const table = op.target ? qnameText(op.target) : 'every table of the database';
    return {
      message: `VACUUM FULL rewrites ${table} under an ACCESS EXCLUSIVE lock: every read and write waits for the whole rewrite, proportional to table size.`,
      fix: help`Remove it from the migration: autovacuum reclaims space without blocking; to shrink the table online use pg_repack --table=${op.target ? qnameText(op.target) : '<table>'}.`,
    };
  },
});
