import { code, help } from '../help.js';
import { type AddIndex, qnameText } from '../ir.js';
import { sqlIdent, sqlIndexColumn, sqlQName } from '../sql/quote.js';
import { withoutTransaction } from './framework-help.js';
import { isNewView } from './postgres-locks.js';
import { isRails, railsConcurrentIndex } from './rails-fix.js';
import { defineRule, type RuleContext } from './rule.js';
import { sameTableRepeats } from './same-table-repeats.js';

/** The table a plain CREATE INDEX blocks writes to, or null when the rule has nothing to say about it. */
export function blockingBuild(op: AddIndex, ctx: RuleContext): string | null {
  return op.concurrently || ctx.isNewTable(op.table) || isNewView(op.table, ctx) ? null : qnameText(op.table);
}

export default defineRule({
  id: 'require-concurrent-index-creation',
  category: 'locking',
  severity: 'warning',
  summary: 'CREATE INDEX without CONCURRENTLY blocks writes to an existing table for the whole build.',
  lock: 'SHARE on the table for the whole build (proportional to table size): blocks INSERT, UPDATE and DELETE; reads continue.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['AddIndex'],
  docs: `
\`CREATE INDEX\` takes a SHARE lock on the table and holds it until the index is built: every
INSERT, UPDATE and DELETE waits, for as long as the build takes, which grows with the table
(minutes to hours on large tables). Requests pile up behind the lock and the application
times out.

\`CREATE INDEX CONCURRENTLY\` takes SHARE UPDATE EXCLUSIVE instead, which lets reads and
writes continue; it scans the table twice and waits for running transactions, so it is
slower, and it cannot run inside a transaction block (see \`concurrently-in-transaction\`).
If it fails it leaves an INVALID index: drop it and retry.

Do instead:
\`\`\`sql
-- in a migration that runs outside a transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS index_users_on_email ON users (email);
\`\`\`
- Rails: \`disable_ddl_transaction!\` and \`add_index :users, :email, algorithm: :concurrently\`.
- Django: \`atomic = False\` and \`AddIndexConcurrently\` (django.contrib.postgres.operations).
- Alembic: \`op.create_index(..., postgresql_concurrently=True)\` inside \`with op.get_context().autocommit_block():\`.

An index on a table created in the same migration is built on an empty table: no finding. Nor on a
materialized view created earlier in the same direction: nobody reads it yet.
In a down, the same applies: a down that rebuilds a dropped index should build it concurrently.
Several plain builds on one table in one migration and direction are one finding, at the first, naming
the others (the fix is the same for each).`,
  check(op, ctx) {
    const group = sameTableRepeats(op, ctx, blockingBuild);
    if (!group) return null;
    const table = qnameText(op.table);
    const name = op.name ?? '';
    const others = group.later.map((o) => `${o.name ?? 'an unnamed index'} (line ${o.span.line})`);
    return {
      message: `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX ${name ? `${name} ` : ''}on ${table} without CONCURRENTLY takes a SHARE lock that blocks writes to ${table} for the whole build (proportional to table size).${others.length ? ` So do the later builds on ${table} in ${ctx.direction === 'down' ? 'the down' : 'the migration'}: ${others.join(', ')}.` : ''}`,
      fix: isRails(ctx)
        ? help`Build it concurrently, in a migration of its own without a transaction:\n${code('ruby', railsConcurrentIndex(op.table, op))}`
        : help`Build it concurrently${ctx.migration.framework === 'django' ? ' (AddIndexConcurrently from django.contrib.postgres.operations)' : ''}; ${withoutTransaction(ctx)}:\nCREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${name ? `IF NOT EXISTS ${sqlIdent(name, ctx.dialect)} ` : ''}ON ${sqlQName(op.table, ctx.dialect)}${op.method !== 'btree' ? ` USING ${op.method}` : ''} (${op.columns.map((c) => sqlIndexColumn(c, ctx.dialect)).join(', ')})${op.where ? help` WHERE ${code('sql', op.where)}` : ''};`,
    };
  },
});
