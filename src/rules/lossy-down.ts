import type { TypeRef } from '../ir.js';
import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

const INTEGER_RANK: Record<string, number> = { int2: 1, int4: 2, int8: 3, numeric: 4 };
const BOUNDED_STRINGS = new Set(['varchar', 'bpchar']);

/** True when `to` cannot hold every value of `from` (known cases only). */
export function narrows(from: TypeRef, to: TypeRef): boolean {
  if (from.arrayDims !== to.arrayDims) return false;
  const fromLimit = from.args[0];
  const toLimit = to.args[0];
  if (BOUNDED_STRINGS.has(to.name) && toLimit !== undefined) {
    if (from.name === 'text') return true;
    if (BOUNDED_STRINGS.has(from.name)) return fromLimit === undefined || toLimit < fromLimit;
  }
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (toLimit === undefined) return false;
    if (fromLimit === undefined) return true;
    const [fp = 0, fs = 0] = from.args;
    const [tp = 0, ts = 0] = to.args;
    return tp - ts < fp - fs || ts < fs;
  }
  const fromRank = INTEGER_RANK[from.name];
  const toRank = INTEGER_RANK[to.name];
  if (fromRank !== undefined && toRank !== undefined) return toRank < fromRank;
  if (from.name === 'float8' && to.name === 'float4') return true;
  return (from.name === 'timestamp' || from.name === 'timestamptz') && to.name === 'date';
}

export default defineRule({
  id: 'lossy-down',
  category: 'rollback',
  severity: 'warning',
  summary: 'The down narrows a type or re-adds NOT NULL: it fails on, or destroys, values written after the up.',
  direction: 'down',
  kinds: ['AlterColumnType', 'SetNotNull'],
  docs: `
After a widening up (varchar(50) → varchar(100), int → bigint, DROP NOT NULL) the running code
writes values only the new schema allows. A down that narrows the type back or sets NOT NULL
again meets those rows: PostgreSQL refuses the down (value too long, contains null values), or a
USING clause silently clips the values. The database rollback is \`lossy\`.

\`twoway rehearse\` writes such rows after the up and runs the down to prove it.

Do instead: leave the widening in place on the way down (a wider type and a nullable column do
not break the previous release), or make the down clean the new values explicitly and say so.`,
  check(op, ctx) {
    const column = ctx.schema.column(op.table, op.column);
    if (!column) return null;
    const name = `${qnameText(op.table)}.${op.column}`;
    if (op.kind === 'SetNotNull') {
      if (!column.nullable) return null;
      return {
        message: `The down sets ${name} NOT NULL again: rows written with NULL after the up make it fail.`,
        fix: `Leave ${name} nullable in the down, or fill the NULLs first and say what value they get (UPDATE ${qnameText(op.table)} SET ${op.column} = … WHERE ${op.column} IS NULL).`,
        effect: { dbRollback: 'lossy' },
      };
    }
    if (!narrows(column.type, op.type)) return null;
    return {
      message: `The down narrows ${name} from ${column.type.text} to ${op.type.text}: values written after the up that do not fit make it fail${op.using ? ' or are changed by its USING clause' : ''}.`,
      fix: `Keep ${name} as ${column.type.text} in the down: the wider type does not break the previous release.`,
      effect: { dbRollback: 'lossy' },
    };
  },
});
