// When an up fails parsing twoway's generated text as another type (`ALTER COLUMN … TYPE json USING
// features::json`, an index on `split_part(num, '.', 1)::int`), the failure is the data's: the
// application keeps that type's text in the column. Which column, PostgreSQL's message says by its
// value; the rows are then written again with text of that type in it. An up that cuts the text first
// (`split_part(num, '.', 2)::int`) then fails on an empty piece: the text is written in as many pieces.
import { parseSync } from '../sql/libpg.js';
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

/** How an up cuts a column's text into pieces it then reads as another type: `split_part(num, '.', 3)`. */
export interface Piece {
  separator: string;
  /** The highest field the up asks for. */
  field: number;
}

/** A fitted column's type, and the pieces its text is made of when the up splits it before the cast. */
export interface FittedType extends ValueType {
  pieces?: readonly Piece[];
}

/**
 * The `split_part(…, 'sep', n)` calls of a script, in its statements and in the bodies of the SQL
 * functions it creates (crates.io's `to_semver_no_prerelease(num)`, which an index then calls on every
 * row): one per separator, with the highest field. Text the parser cannot read gives none.
 */
export function splitPieces(sql: string): Piece[] {
  const fields = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const call = o.FuncCall as { funcname?: Array<{ String?: { sval?: string } }>; args?: unknown[] } | undefined;
    if (call && call.funcname?.at(-1)?.String?.sval === 'split_part' && call.args?.length === 3) {
      const separator = (call.args[1] as { A_Const?: { sval?: { sval?: string } } }).A_Const?.sval?.sval;
      const field = (call.args[2] as { A_Const?: { ival?: { ival?: number } } }).A_Const?.ival?.ival;
      if (separator && typeof field === 'number' && field > 0) fields.set(separator, Math.max(fields.get(separator) ?? 0, field));
    }
    const fn = o.CreateFunctionStmt as { options?: Array<{ DefElem?: { defname?: string; arg?: unknown } }> } | undefined;
    if (fn) {
      const option = (name: string) => fn.options?.find((d) => d.DefElem?.defname === name)?.DefElem?.arg;
      const language = (option('language') as { String?: { sval?: string } } | undefined)?.String?.sval;
      const body = (option('as') as { List?: { items?: Array<{ String?: { sval?: string } }> } } | undefined)?.List?.items?.[0]?.String
        ?.sval;
      if (language?.toLowerCase() === 'sql' && body) visit(parsed(body));
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(parsed(sql));
  return [...fields].map(([separator, field]) => ({ separator, field }));
}

function parsed(sql: string): unknown {
  try {
    return parseSync(sql);
  } catch {
    return null;
  }
}

/** A fitted value cut the way the up cuts it: `1` becomes `1.1.1` for `split_part(num, '.', 3)`. */
export function piecedText(text: string, pieces: readonly Piece[] | undefined): string {
  let out = text;
  for (const p of pieces ?? []) {
    const piece = out;
    if (p.field > 1) out = Array.from({ length: p.field }, () => piece).join(p.separator);
  }
  return out;
}
