import { type Operation, type QName, qnameKey, qnameText } from '../ir.js';
import { withoutTransaction } from './framework-help.js';
import { defineRule } from './rule.js';

/** Schema changes whose lock stays held until the transaction commits. */
const DDL = new Set<Operation['kind']>([
  'AddColumn',
  'DropColumn',
  'RenameColumn',
  'RenameTable',
  'AlterColumnType',
  'SetNotNull',
  'DropNotNull',
  'SetDefault',
  'AddConstraint',
  'ValidateConstraint',
  'DropConstraint',
  'AddIndex',
]);

function tableOf(op: Operation): QName | null {
  return 'table' in op && DDL.has(op.kind) ? op.table : null;
}

export default defineRule({
  id: 'backfill-in-transaction',
  category: 'locking',
  severity: 'error',
  summary: 'A data change in the same transaction as a schema change holds the schema change’s lock while every row is written.',
  lock: 'The ACCESS EXCLUSIVE (or SHARE) lock of the earlier ALTER/CREATE INDEX, held until COMMIT: for the whole backfill.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['DataChange'],
  docs: `
Locks are released at commit, not at the end of a statement. An \`ALTER TABLE\` takes ACCESS
EXCLUSIVE for a moment; followed by an \`UPDATE\` of every row in the same transaction, that lock
stays held until the UPDATE finishes: nothing reads or writes the table meanwhile
(strong_migrations: "backfilling in the same transaction that alters a table").

Do instead: commit the schema change first, then backfill in batches, each in its own short
transaction.
- Rails: a second migration with \`disable_ddl_transaction!\` and
  \`Model.unscoped.in_batches { |r| r.update_all(…) ; sleep(0.01) }\`.
- Django: a separate migration with \`atomic = False\` and \`RunPython\` in batches.
- Plain SQL: end the DDL transaction (\`COMMIT;\`) before the UPDATE, or put the backfill in the
  next migration file.

A table created in the same migration is empty and unknown to other sessions: no finding.

Rollback: if the backfill fails or is cancelled, the whole transaction rolls back, schema change
included, after holding the lock for all that time.`,
  check(op, ctx) {
    // TRUNCATE is instant and a plain INSERT … VALUES writes a few rows: only row-by-row rewrites hold the lock long.
    if (op.action === 'truncate' || (op.action === 'insert' && !op.hasWhere)) return null;
    if (!ctx.inTransaction || ctx.isNewTable(op.table)) return null;
    const locked = new Set<string>();
    for (let i = ctx.index - 1; i >= 0; i--) {
      const earlier = ctx.ops[i] as Operation;
      if (earlier.kind === 'Transaction') break;
      const table = tableOf(earlier);
      if (table && !ctx.isNewTable(table)) locked.add(qnameKey(table));
    }
    if (!locked.size) return null;
    const table = qnameText(op.table);
    const same = locked.has(qnameKey(op.table));
    const tables = [...locked].join(', ');
    return {
      message: `${op.action.toUpperCase()} of ${table} runs in the same transaction as the schema change of ${tables}: ${same ? 'the table stays' : 'those tables stay'} locked until every row is written and the transaction commits.`,
      fix: `Commit the schema change first, then backfill in batches in a separate migration that runs outside a transaction: for the backfill, ${withoutTransaction(ctx)}.`,
    };
  },
});
