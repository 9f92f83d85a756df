import { help } from '../help.js';
import { qnameText, type TypeRef } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'down-renarrows-type',
  category: 'rollback',
  severity: 'warning',
  summary: 'The down narrows a column type again: values written after the up that only fit the wider type make the rollback fail.',
  direction: 'down',
  kinds: ['AlterColumnType'],
  docs: `
Widening a column (varchar(50) → text, int → bigint, numeric(10,2) → numeric(12,4)) is an expand
step: the old code keeps working. Its natural down narrows it back, and that is where the door
closes: once the new release has written a 200-character name, a 3-billion id or a value with
four decimals, \`ALTER COLUMN ... TYPE varchar(50)\` fails ("value too long"), the integer cast
overflows, and numeric scale is rounded away. The rollback is stuck or silently changes data
written since the up: the migration is \`lossy\`.

Do instead:
- keep the wide type in the down (a wider column does not break the previous release), or
- make the down check first and fail with a clear message, e.g.
  \`DO $$ BEGIN IF EXISTS (SELECT 1 FROM users WHERE length(name) > 50) THEN RAISE EXCEPTION 'rows too long for varchar(50)'; END IF; END $$;\`
- Rails: write \`up\`/\`down\` so the down leaves the type; Alembic: leave \`alter_column\` out of
  \`downgrade()\`; Django: \`migrations.SeparateDatabaseAndState\` to skip the narrowing.`,
  check(op, ctx) {
    const current = ctx.schema.column(op.table, op.column);
    if (!current || fitsIn(current.type, op.type) !== false) return null;
    const column = `${qnameText(op.table)}.${op.column}`;
    const before = ctx.start.column(op.table, op.column);
    const restoring = before && before.type.text === op.type.text ? ` (back to its type before the up)` : '';
    return {
      message: `The down narrows ${column} from ${current.type.text} to ${op.type.text}${restoring}: values written after the up that only fit ${current.type.text} make the rollback fail or get cut.`,
      fix: help`Leave ${column} as ${current.type.text} in the down (the previous release works with the wider type), or check for values that do not fit ${op.type.text} before narrowing and stop with a clear error.`,
      effect: { dbRollback: 'lossy' },
    };
  },
});

const INTEGER_DIGITS: Record<string, number> = { int2: 5, int4: 10, int8: 19 };
const STRINGS = new Set(['text', 'varchar', 'bpchar', 'citext']);
const FLOAT_RANK: Record<string, number> = { float4: 1, float8: 2 };
const BUILT_IN = new Set([
  ...Object.keys(INTEGER_DIGITS),
  ...Object.keys(FLOAT_RANK),
  'numeric',
  'bool',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'uuid',
  'json',
  'jsonb',
  'inet',
  'cidr',
  'bytea',
]);

/**
 * Whether every value of type `from` fits in type `into` unchanged: true, false, or null when
 * twoway does not know the pair (then nothing is reported).
 */
export function fitsIn(from: TypeRef, into: TypeRef): boolean | null {
  if (from.arrayDims !== into.arrayDims) return null;
  const a = from.name;
  const b = into.name;
  const length = (t: TypeRef) => t.args[0] ?? Number.POSITIVE_INFINITY;
  if (STRINGS.has(b) && STRINGS.has(a)) return length(from) <= length(into);
  // Text holds anything; a built-in type of another kind cannot hold every string (a domain or user type: unknown).
  if (STRINGS.has(a)) return BUILT_IN.has(b) ? false : null;
  if (a in INTEGER_DIGITS) {
    if (b in INTEGER_DIGITS) return (INTEGER_DIGITS[a] as number) <= (INTEGER_DIGITS[b] as number);
    if (b === 'numeric') return into.args.length === 0 || (into.args[0] as number) - (into.args[1] ?? 0) >= (INTEGER_DIGITS[a] as number);
    if (b in FLOAT_RANK) return a === 'int2' || (a === 'int4' && b === 'float8');
    return STRINGS.has(b) ? true : null;
  }
  if (a === 'numeric') {
    if (b in INTEGER_DIGITS) return false;
    if (b !== 'numeric') return STRINGS.has(b) ? true : null;
    if (into.args.length === 0) return true;
    if (from.args.length === 0) return false;
    const [p, s = 0] = from.args as [number, number?];
    const [q, t = 0] = into.args as [number, number?];
    return q - t >= p - s && t >= s;
  }
  if (a in FLOAT_RANK && b in FLOAT_RANK) return (FLOAT_RANK[a] as number) <= (FLOAT_RANK[b] as number);
  if (a === 'timestamp' || a === 'timestamptz') {
    if (b === 'date' || b === 'time') return false;
    // An instant going back to a local time loses its zone (timestamp → timestamptz is the widening, not its down).
    if (a === 'timestamptz' && b === 'timestamp') return false;
    if (b === 'timestamp' || b === 'timestamptz') return (from.args[0] ?? 6) <= (into.args[0] ?? 6);
  }
  if (a === b) return from.args.join(',') === into.args.join(',') ? true : null;
  return STRINGS.has(b) ? true : null;
}
