import { qnameText } from '../ir.js';
import { withoutTransaction } from './framework-help.js';
import { indexTable, isNewIndex } from './postgres-locks.js';
import { isRails, railsConcurrentRemoveIndex } from './rails-fix.js';
import { defineRule } from './rule.js';
import { undoesUpIndex } from './undoes-up.js';

export default defineRule({
  id: 'require-concurrent-index-deletion',
  category: 'locking',
  severity: 'warning',
  summary: 'DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table: every query waits behind it.',
  lock: 'ACCESS EXCLUSIVE on the index’s table while it waits for and holds the lock: blocks every read and write.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['DropIndex'],
  docs: `
\`DROP INDEX\` takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself is quick, but
the lock must wait for every running query on the table, and every query that arrives after it
waits too: one long report in front of it stops all reads and writes of the table.
\`DROP INDEX CONCURRENTLY\` waits for conflicting transactions without blocking anyone (it cannot
run in a transaction block and drops one index per statement).

Dropping an index is also a **contract** step (rule \`drop-index\`): queries of the release still
running may depend on it, and the way back is a rebuild.

Do instead:
\`\`\`sql
DROP INDEX CONCURRENTLY IF EXISTS index_users_on_email;
-- down:
CREATE INDEX CONCURRENTLY IF NOT EXISTS index_users_on_email ON users (email);
\`\`\`
- Rails: \`disable_ddl_transaction!\` and \`remove_index :users, :email, algorithm: :concurrently\`.
- Django: \`atomic = False\` and \`RemoveIndexConcurrently\`.

In a down, dropping the index its own up built (without CONCURRENTLY) is \`info\`: the up's build locked
the same table and was reported there. The index of a CONCURRENTLY build, dropped without it, stays a
warning: that lock is new.`,
  check(op, ctx) {
    if (op.concurrently || isNewIndex(op.index, ctx)) return null;
    const table = indexTable(op.index, ctx);
    const known = ctx.schema.index(op.index);
    const on = table ? ` on ${qnameText(table)}` : '';
    const rebuild = known
      ? `\nA down must rebuild it:\nCREATE ${known.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${known.name} ON ${known.table} (${known.columns.join(', ')});`
      : '';
    const undoing = undoesUpIndex(op, ctx);
    return {
      message: `${undoing ? `In the down, undoing ${undoing}: ` : ''}DROP INDEX ${qnameText(op.index)} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock${on || ' on its table'}: every read and write of the table waits while it queues behind running queries.`,
      fix:
        isRails(ctx) && table
          ? `Drop it concurrently, in a migration of its own without a transaction${known ? ' (give remove_index the columns too, so the down can rebuild it)' : ''}:\n${railsConcurrentRemoveIndex(table, op.index.name)}`
          : `Drop it concurrently${ctx.migration.framework === 'django' ? ' (RemoveIndexConcurrently from django.contrib.postgres.operations)' : ''}; ${withoutTransaction(ctx)}:\nDROP INDEX CONCURRENTLY IF EXISTS ${qnameText(op.index)};${rebuild}`,
      // The up's build locked the same table and was reported there: one warning, in the up (issue 10).
      ...(undoing ? { severity: 'info' as const } : {}),
    };
  },
});
