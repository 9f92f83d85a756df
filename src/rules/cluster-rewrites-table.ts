import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'cluster-rewrites-table',
  category: 'locking',
  severity: 'error',
  summary: 'CLUSTER rewrites the whole table under ACCESS EXCLUSIVE: no reads or writes until it finishes.',
  lock: 'ACCESS EXCLUSIVE on the table for the whole rewrite (proportional to table size): blocks every read and write.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
\`CLUSTER\` rewrites the table in index order and rebuilds all its indexes while holding an ACCESS
EXCLUSIVE lock: the table is unreadable and unwritable for the whole rewrite, and it needs
free disk space for a second copy of the table. A bare \`CLUSTER\` does this for every
previously clustered table of the database.

There is no concurrent form. Do it outside migrations, in a maintenance window, or with
\`pg_repack\` (\`pg_repack --table=users --order-by=id\`), which rewrites online with triggers
and takes ACCESS EXCLUSIVE only briefly at the start and end. The same holds in Rails
(\`execute "CLUSTER ..."\`) and Django (\`RunSQL\`).`,
  check(op, ctx) {
    if (op.statement !== 'ClusterStmt' || (op.target && ctx.isNewTable(op.target))) return null;
    const table = op.target ? qnameText(op.target) : 'every clustered table of the database';
    return {
      message: `CLUSTER rewrites ${table} under an ACCESS EXCLUSIVE lock: every read and write waits for the whole rewrite, proportional to table size.`,
      fix: help`Remove it from the migration; reorder online with pg_repack (pg_repack --table=${op.target ? qnameText(op.target) : '<table>'} --order-by=<columns>) or run CLUSTER in a maintenance window.`,
    };
  },
});
