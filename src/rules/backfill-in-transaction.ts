import { help } from '../help.js';
import { type DataChange, type Operation, type QName, qnameKey, qnameText } from '../ir.js';
import { withoutTransaction } from './framework-help.js';
import { defineRule, type RuleContext } from './rule.js';

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

One finding per transaction, at its first backfill, naming the data changes that follow it there:
they all hold the same locks until the same COMMIT.

Rollback: if the backfill fails or is cancelled, the whole transaction rolls back, schema change
included, after holding the lock for all that time.`,
  check(op, ctx) {
    if (!ctx.inTransaction || !isBackfill(op, ctx)) return null;
    // One finding per transaction, at its first backfill: the later ones hold the same locks (issue 10).
    const start = transactionStart(ctx.ops, ctx.index);
    const firstLock = ctx.ops.findIndex((e, i) => i >= start && i < ctx.index && lockedTable(e, ctx) !== null);
    if (firstLock < 0) return null;
    for (let i = firstLock + 1; i < ctx.index; i++) if (isBackfill(ctx.ops[i] as Operation, ctx)) return null;
    const locked = lockedBefore(ctx.ops, start, ctx.index, ctx);
    // The backfills that follow in the same transaction, and the schema changes they keep locked too.
    const later: DataChange[] = [];
    const pending = new Set<string>();
    // Tables created after this statement are new too (ctx.isNewTable knows the schema up to here).
    const createdLater = new Set<string>();
    for (let i = ctx.index + 1; i < ctx.ops.length; i++) {
      const next = ctx.ops[i] as Operation;
      if (next.kind === 'Transaction') break;
      if (next.kind === 'CreateTable') createdLater.add(qnameKey(next.table));
      if ('table' in next && createdLater.has(qnameKey(next.table))) continue;
      const table = lockedTable(next, ctx);
      if (table) pending.add(qnameKey(table));
      if (isBackfill(next, ctx)) {
        later.push(next);
        for (const t of pending) locked.add(t);
      }
    }
    const table = qnameText(op.table);
    const same = locked.size === 1 && locked.has(qnameKey(op.table));
    const tables = [...locked].join(', ');
    const more = later.length
      ? `, and ${later.length} more data change${later.length > 1 ? 's' : ''} after it (${[...new Set(later.map((d) => qnameText(d.table)))].join(', ')}),`
      : '';
    return {
      message: `${op.action.toUpperCase()} of ${table}${more} ${later.length ? 'run' : 'runs'} in the same transaction as the schema change of ${tables}: ${same ? 'the table stays' : 'those tables stay'} locked until every row is written and the transaction commits.`,
      fix: help`Commit the schema change first, then backfill in batches in a separate migration that runs outside a transaction: for the backfill, ${withoutTransaction(ctx)}.`,
    };
  },
});

/** A data change that writes row by row on a table other sessions use (TRUNCATE is instant, INSERT … VALUES writes a few rows). */
function isBackfill(op: Operation, ctx: RuleContext): op is DataChange {
  if (op.kind !== 'DataChange') return false;
  if (op.action === 'truncate' || (op.action === 'insert' && !op.hasWhere)) return false;
  return !ctx.isNewTable(op.table);
}

/** Where the transaction holding the operation at `index` starts: after the last BEGIN/COMMIT before it. */
function transactionStart(ops: readonly Operation[], index: number): number {
  for (let i = index - 1; i >= 0; i--) if ((ops[i] as Operation).kind === 'Transaction') return i + 1;
  return 0;
}

/** Existing tables a schema change between `start` and `end` locked: held until COMMIT. */
function lockedBefore(ops: readonly Operation[], start: number, end: number, ctx: RuleContext): Set<string> {
  const locked = new Set<string>();
  for (let i = start; i < end; i++) {
    const table = lockedTable(ops[i] as Operation, ctx);
    if (table) locked.add(qnameKey(table));
  }
  return locked;
}

/** The existing table a schema change locks until COMMIT. */
function lockedTable(op: Operation, ctx: RuleContext): QName | null {
  const table = tableOf(op);
  return table && !ctx.isNewTable(table) ? table : null;
}
