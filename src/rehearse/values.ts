// Deterministic, type-aware values for synthetic rows. A value is the text PostgreSQL reads for the
// type (an untyped literal coerces to the column's type, domains and enums included).
import type { ValueType } from './catalog.js';

/** Rows every table gets: two ordinary ones, one with NULLs where allowed, the largest and the smallest values. */
export const ROW_VARIANTS = ['typical', 'typical', 'nulls', 'max', 'min'] as const;
export type Variant = (typeof ROW_VARIANTS)[number];

/**
 * The latest and earliest dates synthetic rows hold: the edges of what an application stores, not of
 * the type. 9999-12-31 breaks arithmetic real data never breaks (`+ interval`, epoch seconds in an
 * integer past 2038), and a migration failing on it would be the data's fault.
 */
export const LATEST_DATE = '2037-12-31';
export const EARLIEST_DATE = '1970-01-02';

const INT_RANGE: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

/** The modifiers in `character varying(255)` / `numeric(10,2)`. */
export function typeArgs(formatted: string): number[] {
  const open = formatted.indexOf('(');
  if (open < 0) return [];
  return formatted
    .slice(open + 1, formatted.indexOf(')', open))
    .split(',')
    .map((s) => Number.parseInt(s, 10));
}

/** The type name without modifiers or array brackets: `character varying(255)` → `character varying`. */
export function typeName(formatted: string): string {
  const open = formatted.indexOf('(');
  return (open < 0 ? formatted : formatted.slice(0, open) + formatted.slice(formatted.indexOf(')', open) + 1)).replace('[]', '').trim();
}

/** Maximum length of a bounded string type, null when unbounded. */
export function stringLimit(t: ValueType): number | null {
  if (t.category !== 'S') return null;
  return typeArgs(t.base)[0] ?? null;
}

/**
 * The text of a value for row `row` (0-based; also used to keep unique columns unique) of `variant`,
 * or null when the type has no value twoway knows how to write (the caller then relies on defaults).
 */
export function valueText(t: ValueType, row: number, variant: Variant, label: string): string | null {
  if (t.category === 'A') {
    if (variant === 'min') return '{}';
    const elementType: ValueType = {
      base: t.element ?? 'text',
      category: t.elementCategory ?? 'S',
      labels: t.labels,
      element: null,
      elementCategory: null,
    };
    const element = valueText(elementType, row, variant === 'nulls' ? 'typical' : variant, label);
    return element === null ? null : `{"${element.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"}`;
  }
  if (t.labels?.length) {
    const labels = t.labels;
    if (variant === 'max') return labels.at(-1) ?? null;
    if (variant === 'min') return labels[0] ?? null;
    return labels[row % labels.length] ?? null;
  }
  const name = typeName(t.base);
  const args = typeArgs(t.base);
  const ints = INT_RANGE[name];
  if (ints) {
    if (variant === 'max') return ints[1];
    if (variant === 'min') return ints[0];
    return String(row + 1);
  }
  switch (name) {
    case 'numeric': {
      const [precision, scale = 0] = args;
      if (precision === undefined)
        return variant === 'max' ? '12345678901234567890.123456789' : variant === 'min' ? '-0.000001' : `${row + 1}.25`;
      const digits = '9'.repeat(Math.max(0, precision - scale)) || '0';
      const max = scale > 0 ? `${digits}.${'9'.repeat(scale)}` : digits;
      if (variant === 'max') return max;
      if (variant === 'min') return `-${max}`;
      return scale > 0
        ? `${(row + 1) % 10 ** Math.max(1, precision - scale)}.${'5'.padEnd(scale, '0')}`
        : String((row + 1) % 10 ** precision);
    }
    case 'real':
      return variant === 'max' ? '3.4e38' : variant === 'min' ? '-1e-37' : `${row + 1}.5`;
    case 'double precision':
      return variant === 'max' ? '1.7e308' : variant === 'min' ? '-2.2e-307' : `${row + 1}.5`;
    case 'money':
      return variant === 'max' ? '92233720368547758.07' : variant === 'min' ? '-92233720368547758.08' : `${row + 1}.25`;
    case 'boolean':
      return variant === 'max' ? 'true' : variant === 'min' ? 'false' : String(row % 2 === 0);
    case 'date':
      return variant === 'max' ? LATEST_DATE : variant === 'min' ? EARLIEST_DATE : `2024-01-${pad(row + 1, 2)}`;
    case 'timestamp without time zone':
      return variant === 'max'
        ? `${LATEST_DATE} 23:59:59.999999`
        : variant === 'min'
          ? `${EARLIEST_DATE} 00:00:00`
          : `2024-01-${pad(row + 1, 2)} 12:34:56.789`;
    case 'timestamp with time zone':
      return variant === 'max'
        ? `${LATEST_DATE} 23:59:59.999999+00`
        : variant === 'min'
          ? `${EARLIEST_DATE} 00:00:00+00`
          : `2024-01-${pad(row + 1, 2)} 12:34:56.789+00`;
    case 'time without time zone':
      return variant === 'max' ? '23:59:59.999999' : variant === 'min' ? '00:00:00' : `12:34:${pad(row % 60, 2)}`;
    case 'time with time zone':
      return variant === 'max' ? '23:59:59.999999+00' : variant === 'min' ? '00:00:00+00' : `12:34:${pad(row % 60, 2)}+00`;
    case 'interval':
      return variant === 'max' ? '100 years' : variant === 'min' ? '0 seconds' : `${row + 1} days 02:03:04`;
    case 'uuid':
      return variant === 'max' ? 'ffffffff-ffff-4fff-bfff-ffffffffffff' : `00000000-0000-4000-8000-${pad(row + 1, 12)}`;
    case 'json':
    case 'jsonb':
      return variant === 'max'
        ? '{"nested": {"list": [1, "two", null, true], "unicode": "é✓"}}'
        : variant === 'min'
          ? '[]'
          : `{"row": ${row}}`;
    case 'bytea':
      return variant === 'min' ? '\\x' : `\\x${pad(row.toString(16), 2)}ff`;
    case 'inet':
      return variant === 'max' ? '2001:db8::ffff' : `10.0.${Math.floor(row / 250)}.${(row % 250) + 1}`;
    case 'cidr':
      return `10.${Math.floor(row / 250)}.${row % 250}.0/24`;
    case 'macaddr':
      return `08:00:2b:01:${pad((Math.floor(row / 256) % 256).toString(16), 2)}:${pad((row % 256).toString(16), 2)}`;
    case 'bit':
      return (row % 2 ? '1' : '0').repeat(args[0] ?? 1);
    case 'bit varying':
      return variant === 'min' ? '' : (row + 1).toString(2);
    case 'tsvector':
      return `word${row}`;
    case 'xml':
      return `<row n="${row}"/>`;
    case 'point':
      return `(${row},${row + 1})`;
    // Contrib types (PGlite loads their modules): values their input functions accept.
    case 'ltree':
      return variant === 'min' ? '' : `top.row_${row}`;
    case 'hstore':
      return variant === 'min' ? '' : `"row"=>"${row}"`;
  }
  if (t.category === 'S') return stringValue(t, row, variant, label);
  return null;
}

function stringValue(t: ValueType, row: number, variant: Variant, label: string): string {
  const limit = stringLimit(t);
  if (variant === 'min') return '';
  if (variant === 'max') return `${'é'.repeat(Math.max(0, (limit ?? 300) - String(row).length))}${row}`;
  // Every other row is capitalised: a data change that normalises values (lower(), trim()) must meet rows it changes.
  const text = `${row % 2 ? label.charAt(0).toUpperCase() + label.slice(1) : label} ${row}`;
  if (limit === null || text.length <= limit) return text;
  // Short columns keep rows distinct with the row number in base 36.
  return row.toString(36).slice(-limit).padStart(limit, 'x');
}

function pad(value: number | string, width: number): string {
  return String(value).padStart(width, '0');
}
