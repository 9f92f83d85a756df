// Raw SQL in a release's source strings, read with PostgreSQL's own parser (libpg-query): the tables
// each statement names and the columns it names with them. A string that does not parse as SQL is not SQL.
import { parseSync } from '../sql/libpg.js';
import type { Line, QueryFact } from './facts.js';

const STATEMENT_STARTS = new Set(['select', 'insert', 'update', 'delete', 'with', 'merge']);

/** Query facts of one string literal of the source; none when it is not a whole SQL statement. */
export function queriesIn(sql: string, at: Line): QueryFact[] {
  const first = sql.trimStart().split(/\s/, 1)[0]?.toLowerCase() ?? '';
  if (!STATEMENT_STARTS.has(first) || sql.length > 100_000) return [];
  let tree: { stmts?: Array<{ stmt?: unknown }> };
  try {
    tree = parseSync(sql);
  } catch {
    return [];
  }
  const out: QueryFact[] = [];
  for (const s of tree.stmts ?? []) {
    const tables = new Map<string, string>(); // alias or name → table
    const columns: Array<{ qualifier: string | null; name: string }> = [];
    walk(s.stmt, (key, node) => {
      if (key === 'RangeVar') {
        const name = node.relname as string;
        tables.set(name, name);
        const alias = (node.alias as { aliasname?: string } | undefined)?.aliasname;
        if (alias) tables.set(alias, name);
      } else if (key === 'ColumnRef') {
        const fields = ((node.fields as Array<{ String?: { sval: string } }>) ?? []).map((f) => f.String?.sval ?? null);
        const name = fields.at(-1);
        if (name) columns.push({ qualifier: fields.length > 1 ? (fields.at(-2) ?? null) : null, name });
      } else if (key === 'ResTarget' && typeof node.name === 'string') {
        // INSERT's column list and UPDATE's SET targets name columns of the statement's table.
        columns.push({ qualifier: null, name: node.name });
      }
    });
    const distinct = new Set(tables.values());
    for (const table of distinct) {
      const named = new Set(columns.filter((c) => (c.qualifier ? tables.get(c.qualifier) === table : true)).map((c) => c.name));
      out.push({ table, columns: named, at });
    }
  }
  return out;
}

function walk(node: unknown, visit: (key: string, node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && /^[A-Z]/.test(key)) visit(key, value as Record<string, unknown>);
    walk(value, visit);
  }
}
