// When an up fails parsing twoway's generated text as another type (`ALTER COLUMN … TYPE json USING
// features::json`, an index on `split_part(num, '.', 1)::int`), the failure is the data's: the
// application keeps that type's text in the column. Which column, PostgreSQL's message says by its
// value; the rows are then written again with text of that type in it.
import type { ValueType } from './catalog.js';
import type { DataSnapshot } from './data.js';

/**
 * The type and value of an error `invalid input syntax for type integer: "Num 1"`, or of json's
 * `invalid input syntax for type json (Token "Num" is invalid.)`, which names only the value's first
 * token (`prefix`); null for any other error.
 */
export function castFailure(message: string): { type: string; value: string; prefix: boolean } | null {
  const marker = 'invalid input syntax for type ';
  const start = message.indexOf(marker);
  if (start < 0) return null;
  const rest = message.slice(start + marker.length);
  const quoted = (from: number) => {
    const close = rest.indexOf('"', from);
    return close < 0 ? null : rest.slice(from, close);
  };
  const colon = rest.indexOf(': "');
  if (colon > 0) {
    const value = quoted(colon + 3);
    return value === null ? null : { type: rest.slice(0, colon), value, prefix: false };
  }
  const token = rest.indexOf(' (Token "');
  const value = token > 0 ? quoted(token + ' (Token "'.length) : null;
  return value ? { type: rest.slice(0, token), value, prefix: true } : null;
}

/** `table.column` keys of the columns of text type whose rows hold the value (or begin with it), whatever its case and surrounding spaces. */
export function columnsHolding(
  data: DataSnapshot,
  failure: { value: string; prefix: boolean },
  textColumns: ReadonlySet<string>,
): string[] {
  const wanted = failure.value.trim().toLowerCase();
  const same = (v: string | null) => {
    const seen = v?.trim().toLowerCase();
    return seen !== undefined && (failure.prefix ? seen.startsWith(wanted) : seen === wanted);
  };
  const out: string[] = [];
  for (const [table, t] of data) {
    t.columns.forEach((column, i) => {
      const key = `${table}.${column}`;
      if (textColumns.has(key) && t.rows.some((r) => same(r[i] ?? null))) out.push(key);
    });
  }
  return out;
}

/** The value type whose text the column is written with instead of its own. */
export function fittedType(type: string): ValueType {
  return { base: type, category: 'X', labels: null, element: null, elementCategory: null };
}
