// A down's DROP INDEX of the index its own up built: its lock is on the table the up's build already locked (and
// was told about, in the up), so the down's lock finding is info, said "undoing the up" (issue 10). An index the up
// built CONCURRENTLY took no blocking lock: a plain DROP INDEX of it in the down is a new lock and stays a warning.
// (A DROP CONSTRAINT undoing the up's ADD CONSTRAINT: require-lock-timeout's "as in the up" already makes it info.)
import type { AddIndex, DropIndex, Operation } from '../ir.js';
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
  const build = upBuildOf(ctx.otherDirection ?? [], made.name, made.table, made.columns);
  // Made some other way (a unique constraint, a rename), or CONCURRENTLY: the up took no blocking lock for it.
  if (!upTableIsNew && (!build || build.concurrently)) return null;
  return `the up's CREATE INDEX ${made.name}`;
}

/** Per up, its index builds by name and (unnamed ones) by table and columns: the first of each, at its place. */
const BUILDS = new WeakMap<readonly Operation[], { named: Map<string, number>; unnamed: Map<string, number> }>();
const unnamedKey = (table: string, columns: readonly string[]) => `${table}\0${columns.join()}`;

/**
 * The up's first CREATE INDEX named `name`, or unnamed on the same table and columns: looked up in a map built once
 * per up, since a down dropping every index the up built asked this for each of its statements.
 */
function upBuildOf(up: readonly Operation[], name: string, table: string, columns: readonly string[]): AddIndex | undefined {
  let builds = BUILDS.get(up);
  if (!builds) {
    builds = { named: new Map(), unnamed: new Map() };
    for (const [i, o] of up.entries()) {
      if (o.kind !== 'AddIndex') continue;
      if (o.name !== null && !builds.named.has(o.name)) builds.named.set(o.name, i);
      const key = unnamedKey(qnameKey(o.table), o.columns);
      if (o.name === null && !builds.unnamed.has(key)) builds.unnamed.set(key, i);
    }
    BUILDS.set(up, builds);
  }
  const at = Math.min(
    builds.named.get(name) ?? Number.POSITIVE_INFINITY,
    builds.unnamed.get(unnamedKey(table, columns)) ?? Number.POSITIVE_INFINITY,
  );
  return Number.isFinite(at) ? (up[at] as AddIndex) : undefined;
}
