// One finding per table, migration and direction for the lock rules whose fix is the same for every
// statement (build or drop CONCURRENTLY): a migration adding five indexes to one table is told once, at
// the first statement, naming the others, instead of five times (issue 10).
import { type Operation, qnameText } from '../ir.js';
import type { RuleContext } from './rule.js';

/**
 * `key` says which group a statement's finding belongs to (its table, and whatever changes the finding's
 * severity), or null when the rule does not report it. Returns null when an earlier statement of this
 * direction is in the same group (it carries the finding), else the later statements of the group.
 */
export function sameTableRepeats<O extends Operation>(
  op: O,
  ctx: RuleContext,
  key: (op: O, ctx: RuleContext) => string | null,
): { key: string; later: O[] } | null {
  const own = key(op, ctx);
  if (own === null) return null;
  // An earlier statement is seen in the schema the direction started from (an index it dropped is gone by now), a
  // later one in this statement's, with the tables created between the two counted as new (kept as the loop goes,
  // not re-sliced per statement). One view of each, moved along the statements, not a copy per statement.
  const created = new Set<string>();
  const earlierView: RuleContext = { ...ctx, schema: ctx.direction === 'up' ? ctx.start : ctx.afterUp };
  const laterView: RuleContext = { ...ctx, isNewTable: (q) => ctx.isNewTable(q) || created.has(qnameText(q)) };
  const at = (j: number, view: RuleContext): string | null => {
    const other = ctx.ops[j] as Operation;
    // A group needs a known table: an index the schema cannot place is never folded into another's finding.
    if (other.kind !== op.kind) return null;
    view.index = j;
    return key(other as O, view);
  };
  for (let j = 0; j < ctx.index; j++) if (at(j, earlierView) === own) return null;
  const later: O[] = [];
  for (let j = ctx.index + 1; j < ctx.ops.length; j++) {
    const previous = ctx.ops[j - 1] as Operation;
    if (previous.kind === 'CreateTable') created.add(qnameText(previous.table));
    if (at(j, laterView) === own) later.push(ctx.ops[j] as O);
  }
  return { key: own, later };
}
