// The values a CHECK constraint lists for one column on MySQL/MariaDB and SQLite (`status IN ('draft',
// 'sent')`, `id = 0`, `k = 'x' OR k = 'y'`), read with node-sql-parser's grammar of the dialect, as
// check-values.ts reads PostgreSQL's: the synthetic rows take them as an enum's labels, since rows a
// CHECK refuses prove nothing. MariaDB gives each CHECK's clause (information_schema.CHECK_CONSTRAINTS);
// SQLite keeps them only in the CREATE TABLE text (sqlite_schema.sql).
import { parserFor } from '../sql/mysql.js';

// node-sql-parser's AST is loosely typed JSON.
type Node = any;

/**
 * The values a MySQL/MariaDB CHECK clause (CHECK_CLAUSE, without `CHECK`) admits for `column`, when it
 * admits only a list of constants there; null when it says something else (a range, a function, another column).
 */
export function mysqlCheckAllowedValues(clause: string, column: string): string[] | null {
  let where: Node;
  try {
    const ast: Node = parserFor('mysql').astify(`SELECT 1 FROM t WHERE ${clause}`, { database: 'MySQL' });
    where = (Array.isArray(ast) ? ast[0] : ast)?.where;
  } catch {
    return null;
  }
  return distinct(allowed(where, column, false));
}

/**
 * Per column of an SQLite CREATE TABLE, the values its CHECK constraints (on the column or on the table)
 * admit, when they list constants: every list a column has, intersected. Columns without one are absent.
 */
export function sqliteCheckAllowedValues(createTable: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let definitions: Node[];
  try {
    const ast: Node = parserFor('sqlite').astify(createTable, { database: 'SQLite' });
    definitions = (Array.isArray(ast) ? ast[0] : ast)?.create_definitions ?? [];
  } catch {
    return out;
  }
  const columns = definitions
    .filter((d) => d?.resource === 'column')
    .map((d) => columnName(d.column))
    .filter((c) => c !== null);
  const checks: Node[] = [
    ...definitions.filter((d) => d?.resource === 'column').flatMap((d) => d.check?.definition ?? []),
    ...definitions.filter((d) => d?.constraint_type === 'check').flatMap((d) => d.definition ?? []),
  ];
  for (const column of columns) {
    let labels: string[] | null = null;
    for (const check of checks) {
      const values = distinct(allowed(check, column, true));
      if (values) labels = labels ? labels.filter((v) => values.includes(v)) : values;
    }
    if (labels?.length) out.set(column, labels);
  }
  return out;
}

function distinct(values: string[] | null): string[] | null {
  return values?.length ? [...new Set(values)] : null;
}

function allowed(expr: Node, column: string, sqlite: boolean): string[] | null {
  if (expr?.type !== 'binary_expr') return null;
  const operator = String(expr.operator).toUpperCase();
  if (operator === 'OR') {
    const left = allowed(expr.left, column, sqlite);
    const right = allowed(expr.right, column, sqlite);
    return left && right ? [...left, ...right] : null;
  }
  if (operator === '=') {
    const [ref, other] = isColumn(expr.left, column, sqlite) ? [expr.left, expr.right] : [expr.right, expr.left];
    if (!isColumn(ref, column, sqlite)) return null;
    const value = constant(other);
    return value === null ? null : [value];
  }
  if (operator === 'IN' && isColumn(expr.left, column, sqlite) && expr.right?.type === 'expr_list') {
    const values = (expr.right.value as Node[]).map(constant);
    return values.every((v): v is string => v !== null) ? values : null;
  }
  return null;
}

function columnName(ref: Node): string | null {
  const c = ref?.column;
  if (typeof c === 'string') return c;
  const v = c?.expr?.value;
  return typeof v === 'string' ? v : null;
}

/** A column reference; in SQLite a double-quoted name is one too (it names the column when one has that name). */
function isColumn(node: Node, column: string, sqlite: boolean): boolean {
  if (node?.type === 'column_ref') return columnName(node) === column;
  return sqlite && node?.type === 'double_quote_string' && node.value === column;
}

function constant(node: Node): string | null {
  switch (node?.type) {
    case 'number':
      return String(node.value);
    case 'single_quote_string':
    case 'string':
    case 'natural_string':
      return String(node.value);
    default:
      return null;
  }
}
