import { code, help } from '../help.js';
import { type DropIndex, qnameText } from '../ir.js';
import { sqlIdent, sqlIndexColumn, sqlQName } from '../sql/quote.js';
import { withoutTransaction } from './framework-help.js';
import { indexTable, isNewIndex } from './postgres-locks.js';
import { isRails, railsConcurrentRemoveIndex } from './rails-fix.js';
import { defineRule, type RuleContext } from './rule.js';
import { sameTableRepeats } from './same-table-repeats.js';
import { undoesUpIndex } from './undoes-up.js';

/**
 * The group of a plain DROP INDEX's finding: its table and whether it undoes the up (info) or not; null when
 * the rule is silent. An index whose table is unknown is a group of its own: nothing to fold it into.
 */
export function blockingDrop(op: DropIndex, ctx: RuleContext): string | null {
  if (op.concurrently || isNewIndex(op.index, ctx)) return null;
  const table = indexTable(op.index, ctx);
  return `${table ? qnameText(table) : `index ${qnameText(op.index)}`}\0${undoesUpIndex(op, ctx) ? 'undo' : ''}`;
}

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
warning: that lock is new. Several plain drops on one table in one migration and direction are one
finding, at the first, naming the others.`,
  check(op, ctx) {
    const group = sameTableRepeats(op, ctx, blockingDrop);
    if (!group) return null;
    const table = indexTable(op.index, ctx);
    const known = ctx.schema.index(op.index);
    const on = table ? ` on ${qnameText(table)}` : '';
    const rebuild = known
      ? help`\nA down must rebuild it:\nCREATE ${known.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${sqlIdent(known.name, ctx.dialect)} ON ${table ? sqlQName(table, ctx.dialect) : sqlIdent(known.table, ctx.dialect)} (${known.columns.map((c) => sqlIndexColumn(c, ctx.dialect)).join(', ')});`
      : '';
    const undoing = undoesUpIndex(op, ctx);
    const others = group.later.map((o) => `${qnameText(o.index)} (line ${o.span.line})`);
    return {
      message: `${undoing ? `In the down, undoing ${undoing}: ` : ''}DROP INDEX ${qnameText(op.index)} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock${on || ' on its table'}: every read and write of the table waits while it queues behind running queries.${others.length ? ` So do the later drops${on} in ${ctx.direction === 'down' ? 'the down' : 'the migration'}: ${others.join(', ')}.` : ''}`,
      fix:
        isRails(ctx) && table
          ? help`Drop it concurrently, in a migration of its own without a transaction${known ? ' (give remove_index the columns too, so the down can rebuild it)' : ''}:\n${code('ruby', railsConcurrentRemoveIndex(table, op.index.name))}`
          : help`Drop it concurrently${ctx.migration.framework === 'django' ? ' (RemoveIndexConcurrently from django.contrib.postgres.operations)' : ''}; ${withoutTransaction(ctx)}:\nDROP INDEX CONCURRENTLY IF EXISTS ${sqlQName(op.index, ctx.dialect)};${rebuild}`,
      // The up's build locked the same table and was reported there: one warning, in the up (issue 10).
      ...(undoing ? { severity: 'info' as const } : {}),
    };
  },
});
