// How an in-place column type change treats existing values and the code that still writes the old type.
// PostgreSQL skips the table rewrite only for binary-coercible changes (ALTER TABLE docs, "Notes").
import type { TypeRef } from '../ir.js';

export interface TypeChange {
  /**
   * same: nothing changes; widening: every old value fits and old writes still work; narrowing: some old
   * values or writes no longer fit; kind: another kind of value; values: same type, USING recomputes the values.
   */
  class: 'same' | 'widening' | 'narrowing' | 'kind' | 'values';
  /** The table (and its indexes) is rewritten under ACCESS EXCLUSIVE. */
  rewrite: boolean;
  /** Why existing values come out changed (the old values cannot be recovered), or null. */
  lossy: string | null;
  /** One clause saying what happens to the values. */
  why: string;
}

export interface TypeChangeContext {
  /** Values of the enum types the schema knows, right before the change. */
  enumValues(name: string): readonly string[] | undefined;
  /** Values of the enum types before the migration: a type re-created in it under the same name had these. */
  enumValuesBefore(name: string): readonly string[] | undefined;
  /** The session time zone is known to be UTC and the server is PostgreSQL 12+: timestamp ↔ timestamptz skips the rewrite. */
  utcNoRewrite: boolean;
}

const STRINGS = new Set(['varchar', 'text', 'bpchar', 'citext']);
const INTEGERS: Record<string, number> = { int2: 5, int4: 10, int8: 19 };
const FLOAT_DIGITS: Record<string, number> = { float4: 6, float8: 15 };
const TIMES = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
/** PostgreSQL's interval field mask for "no fields given" (INTERVAL_FULL_RANGE). */
const INTERVAL_FULL_RANGE = 32767;

const change = (c: TypeChange['class'], rewrite: boolean, why: string, lossy: string | null = null): TypeChange => ({
  class: c,
  rewrite,
  lossy,
  why,
});

/** Length or precision modifier, undefined when unconstrained. */
const limit = (t: TypeRef): number | undefined => t.args[0];

export function classifyTypeChange(from: TypeRef, to: TypeRef, using: string | null, ctx: TypeChangeContext): TypeChange {
  const result = classify(from, to, ctx);
  if (!using) return result;
  if (result.class === 'same')
    return change('values', true, `USING ${using} recomputes every value`, `USING ${using} overwrites every value`);
  return { ...result, rewrite: true, why: `${result.why}; USING ${using} decides the new values` };
}

function classify(from: TypeRef, to: TypeRef, ctx: TypeChangeContext): TypeChange {
  if (from.arrayDims !== to.arrayDims) return change('kind', true, 'arrays and scalars are different kinds of value');
  if (from.name === to.name) return sameName(from, to, ctx);
  const a = from.name;
  const b = to.name;
  const fromEnum = ctx.enumValuesBefore(a) ?? ctx.enumValues(a);
  const toEnum = ctx.enumValues(b);

  if (STRINGS.has(a) && STRINGS.has(b)) return stringToString(from, to);
  if (a in INTEGERS && b in INTEGERS) {
    return (INTEGERS[b] as number) > (INTEGERS[a] as number)
      ? change('widening', true, `every ${a} value fits in ${b}`)
      : change('narrowing', true, `values outside the ${b} range make the change fail, and the old code may write them`);
  }
  if (a in INTEGERS && b === 'numeric') {
    const digits = limit(to) === undefined ? Number.POSITIVE_INFINITY : (limit(to) as number) - (to.args[1] ?? 0);
    return digits >= (INTEGERS[a] as number)
      ? change('widening', true, `every ${a} value fits in ${to.text}`)
      : change('narrowing', true, `${a} values with more than ${digits} digits do not fit in ${to.text}`);
  }
  if (a in INTEGERS && b in FLOAT_DIGITS) {
    return (FLOAT_DIGITS[b] as number) >= (INTEGERS[a] as number)
      ? change('widening', true, `every ${a} value is exact in ${b}`)
      : change('narrowing', true, `large ${a} values are rounded in ${b}`, `${b} keeps only ${FLOAT_DIGITS[b]} significant digits`);
  }
  if (a === 'numeric' && b in INTEGERS) {
    const scale = from.args[1] ?? (limit(from) === undefined ? undefined : 0);
    return scale === 0
      ? change('narrowing', true, `values outside the ${b} range make the change fail`)
      : change('narrowing', true, `fractions are rounded to whole numbers`, 'fractional digits are rounded away');
  }
  if ((a === 'numeric' || a in FLOAT_DIGITS) && (b === 'numeric' || b in FLOAT_DIGITS || b in INTEGERS)) {
    if (a === 'float4' && b === 'float8') return change('widening', true, 'every float4 value is exact in float8');
    return change('narrowing', true, `${a} values are rounded to fit ${to.text}`, `${to.text} rounds ${a} values`);
  }
  if (a === 'date' && (b === 'timestamp' || b === 'timestamptz'))
    return change('widening', true, `every date becomes midnight of that day`);
  if ((a === 'timestamp' && b === 'timestamptz') || (a === 'timestamptz' && b === 'timestamp')) {
    const digits = limit(to) ?? 6;
    if (digits < (limit(from) ?? 6)) {
      return change('narrowing', true, 'fractional seconds are rounded', `fractional seconds beyond ${digits} digits are rounded away`);
    }
    const rewrite = !ctx.utcNoRewrite;
    return a === 'timestamp'
      ? change('widening', rewrite, 'local times are read in the session time zone and become instants')
      : change('kind', rewrite, 'instants are converted to local times of the session time zone: the old code reads times without a zone');
  }
  if ((a === 'timestamp' || a === 'timestamptz') && b === 'date') {
    return change('kind', true, 'the time of day is cut off', 'the time of day is cut off');
  }
  if ((a === 'timestamp' || a === 'timestamptz') && (b === 'time' || b === 'timetz')) {
    return change('kind', true, 'the date is cut off', 'the date is cut off');
  }
  if (a === 'cidr' && b === 'inet') return change('widening', false, 'every cidr value is a valid inet');
  if (a === 'inet' && b === 'cidr') return change('narrowing', true, 'inet values with host bits set make the change fail');
  if (a === 'json' && b === 'jsonb') {
    return change('widening', true, 'jsonb keeps the same documents (it drops whitespace, key order and duplicate keys)');
  }
  if (a === 'jsonb' && b === 'json') return change('widening', true, 'every jsonb document is valid json');
  if (a === 'varbit' && b === 'bit') return change('narrowing', true, 'bit strings of another length make the change fail');
  if (fromEnum && toEnum) return enumToEnum(a, fromEnum, b, toEnum);
  if (fromEnum && STRINGS.has(b) && limit(to) === undefined && b !== 'bpchar')
    return change('widening', true, `every ${a} value is a string`);
  if (STRINGS.has(a) && toEnum)
    return change('narrowing', true, `strings that are not values of ${b} make the change fail, and the old code may write them`);
  // A uuid is a 36-character string, which is how drivers already read and write it: text holds every one.
  if (a === 'uuid' && STRINGS.has(b) && (limit(to) ?? (b === 'bpchar' ? 1 : 36)) >= 36)
    return change('widening', true, 'every uuid is a 36-character string, as the old code already reads and writes it');
  if (STRINGS.has(b)) {
    return limit(to) === undefined && b !== 'bpchar'
      ? change('kind', true, `${a} values become strings: the old code reads and writes them as ${a}`)
      : change('kind', true, `${a} values become strings of at most ${limit(to)} characters`);
  }
  if (STRINGS.has(a)) {
    // Numbers, booleans and dates keep the value but not how it was written ('007', 'yes', '2024-1-1').
    const normalized =
      b in INTEGERS || b in FLOAT_DIGITS || b === 'numeric' || b === 'money' || b === 'bool' || TIMES.has(b) || b === 'date';
    return change(
      'kind',
      true,
      `the strings are parsed as ${b}: any that does not parse makes the change fail`,
      normalized ? `the original text of each value (leading zeros, spelling, format) is not kept` : null,
    );
  }
  return change('kind', true, `${a} values are converted to ${b}`);
}

function sameName(from: TypeRef, to: TypeRef, ctx: TypeChangeContext): TypeChange {
  const name = from.name;
  const before = ctx.enumValuesBefore(name);
  const values = ctx.enumValues(name);
  // The type was dropped (or renamed away) and created again under the same name in this migration: compare the values.
  if (before && values && before.join('\u0000') !== values.join('\u0000')) return enumToEnum(`${name} (before)`, before, name, values);
  const same = from.args.length === to.args.length && from.args.every((x, i) => x === to.args[i]);
  if (same) return change('same', false, 'the type is unchanged');
  const was = limit(from);
  const now = limit(to);
  // varbinary: MySQL's VARBINARY and BLOB types.
  if (name === 'varchar' || name === 'varbit' || name === 'varbinary') {
    if (now === undefined || (was !== undefined && now >= was))
      return change('widening', false, `every ${from.text} value fits in ${to.text}`);
    return change('narrowing', true, `values longer than ${now} make the change fail, and the old code may write them`);
  }
  if (name === 'bpchar' || name === 'bit') {
    // Without a length, char and bit mean length 1.
    return (now ?? 1) > (was ?? 1)
      ? change('widening', true, `every value is padded to ${now}`)
      : change('narrowing', true, `values longer than ${now ?? 1} make the change fail, and the old code may write them`);
  }
  if (name === 'numeric') {
    if (now === undefined) return change('widening', false, `every ${from.text} value fits in numeric`);
    const scale = to.args[1] ?? 0;
    if (was === undefined) {
      return change(
        'narrowing',
        true,
        `values are rounded to ${scale} decimals and larger ones make the change fail`,
        `values are rounded to ${scale} decimals`,
      );
    }
    const oldScale = from.args[1] ?? 0;
    if (scale < oldScale)
      return change('narrowing', true, `values are rounded to ${scale} decimals`, `decimals beyond ${scale} are rounded away`);
    if (now - scale < was - oldScale)
      return change('narrowing', true, `values with more than ${now - scale} integer digits make the change fail`);
    return change('widening', scale !== oldScale, `every ${from.text} value fits in ${to.text}`);
  }
  if (name === 'interval' && (from.args[0] ?? INTERVAL_FULL_RANGE) === (to.args[0] ?? INTERVAL_FULL_RANGE)) {
    // The parser gives interval's modifiers as [fields, precision]; without a precision it keeps 6 digits.
    const [precisionWas, precisionNow] = [from.args[1] ?? 6, to.args[1] ?? 6];
    if (precisionNow >= precisionWas) return change('widening', false, `every ${from.text} value fits in ${to.text}`);
    return change(
      'narrowing',
      true,
      `fractional seconds are rounded to ${precisionNow} digits`,
      `fractional seconds beyond ${precisionNow} digits are rounded away`,
    );
  }
  if (TIMES.has(name) && name !== 'interval') {
    if ((now ?? 6) >= (was ?? 6)) return change('widening', false, `every ${from.text} value fits in ${to.text}`);
    return change(
      'narrowing',
      true,
      `fractional seconds are rounded to ${now} digits`,
      `fractional seconds beyond ${now} digits are rounded away`,
    );
  }
  return change('kind', true, `the type modifiers change from ${from.text} to ${to.text}`);
}

/** varchar, text, bpchar, citext between themselves. */
function stringToString(from: TypeRef, to: TypeRef): TypeChange {
  const a = from.name;
  const b = to.name;
  // char without a length is char(1); text and citext have no limit.
  const length = (t: TypeRef) => (t.name === 'bpchar' ? (limit(t) ?? 1) : t.name === 'varchar' ? limit(t) : undefined);
  const now = length(to);
  const was = length(from);
  const fits = now === undefined || (was !== undefined && now >= was);
  if (!fits) return change('narrowing', true, `values longer than ${now} make the change fail, and the old code may write them`);
  if (b === 'bpchar')
    return change('kind', true, `values are padded with spaces to ${now} characters and compared without trailing spaces`);
  if (a === 'bpchar') return change('widening', true, 'trailing spaces of the padded values are removed');
  if (a === 'citext' || b === 'citext') {
    return change(
      'widening',
      false,
      `comparisons become case-${b === 'citext' ? 'insensitive' : 'sensitive'} (indexes on the column are rebuilt)`,
    );
  }
  return change('widening', false, `every ${from.text} value fits in ${to.text}`);
}

function enumToEnum(a: string, from: readonly string[], b: string, to: readonly string[]): TypeChange {
  const missing = from.filter((v) => !to.includes(v));
  if (!missing.length) return change('widening', true, `every ${a} value exists in ${b}`);
  const values = missing.map((v) => `'${v}'`).join(', ');
  return change(
    'narrowing',
    true,
    `${b} lacks ${values}: rows holding those values make the change fail, and the old code still writes them`,
  );
}
