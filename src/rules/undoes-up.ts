// A down's DROP INDEX of the index its own up built: its lock is on the table the up's build already locked (and
// was told about, in the up), so the down's lock finding is info, said "undoing the up" (issue 10). An index the up
// built CONCURRENTLY took no blocking lock: a plain DROP INDEX of it in the down is a new lock and stays a warning.
// (A DROP CONSTRAINT undoing the up's ADD CONSTRAINT: require-lock-timeout's "as in the up" already makes it info.)
import type { AddIndex, DropIndex } from '../ir.js';
import { qnameKey } from '../ir.js';
import { indexTable } from './postgres-locks.js';
import type { RuleContext } from './rule.js';

/** The up's index this down statement drops, as said in its message; null when it is not that. */
export function undoesUpIndex(op: DropIndex, ctx: RuleContext): string | null {
  if (ctx.direction !== 'down') return null;
  const made = ctx.afterUp.index(op.index);
  if (!made || ctx.start.index(op.index)) return null;
  const table = indexTable(op.index, { schema: ctx.afterUp });
  const upTableIsNew = table !== null && !ctx.start.table(table);
  const build = (ctx.otherDirection ?? []).find(
    (o): o is AddIndex =>
      o.kind === 'AddIndex' &&
      (o.name === made.name || (o.name === null && qnameKey(o.table) === made.table && o.columns.join() === made.columns.join())),
  );
  // Made some other way (a unique constraint, a rename), or CONCURRENTLY: the up took no blocking lock for it.
  if (!upTableIsNew && (!build || build.concurrently)) return null;
  return `the up's CREATE INDEX ${made.name}`;
}
