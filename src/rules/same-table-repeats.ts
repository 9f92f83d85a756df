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
  const at = (j: number, created: ReadonlySet<string>): string | null => {
    const other = ctx.ops[j] as Operation;
    // A group needs a known table: an index the schema cannot place is never folded into another's finding.
    if (other.kind !== op.kind) return null;
    // An earlier statement is seen in the schema the direction started from (an index it dropped is gone by
    // now), a later one in this statement's, with the tables created between the two counted as new.
    const schema = j < ctx.index ? (ctx.direction === 'up' ? ctx.start : ctx.afterUp) : ctx.schema;
    return key(other as O, { ...ctx, index: j, schema, isNewTable: (q) => ctx.isNewTable(q) || created.has(qnameText(q)) });
  };
  const none = new Set<string>();
  for (let j = 0; j < ctx.index; j++) if (at(j, none) === own) return null;
  // The tables created from this statement up to the later one, kept as the loop goes (not re-sliced per statement).
  const created = new Set<string>();
  const later: O[] = [];
  for (let j = ctx.index + 1; j < ctx.ops.length; j++) {
    const previous = ctx.ops[j - 1] as Operation;
    if (previous.kind === 'CreateTable') created.add(qnameText(previous.table));
    if (at(j, created) === own) later.push(ctx.ops[j] as O);
  }
  return { key: own, later };
}
