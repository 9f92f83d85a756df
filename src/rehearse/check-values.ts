// The values a column's CHECK constraint lists (`status IN ('draft', 'sent')`, `kind = ANY (ARRAY[…])`,
// `id = 1`), read with PostgreSQL's own parser from the definition the catalog gives back, so the
// synthetic rows take them as they take an enum's labels: rows a CHECK refuses prove nothing.
import { parseSync } from '../sql/libpg.js';

// libpg-query's AST is JSON of many node shapes; typing each one buys nothing here.
type Node = any;

/**
 * The values `definition` (pg_get_constraintdef of a CHECK on `column` alone) admits, when it admits
 * only a list of constants; null when it says something else (a range, a length, a pattern).
 * The parser must be loaded (loadPostgresParser).
 */
export function checkAllowedValues(definition: string, column: string): string[] | null {
  let expr: Node;
  try {
    const statement: Node = parseSync(`ALTER TABLE t ADD ${definition}`).stmts?.[0]?.stmt;
    expr = statement?.AlterTableStmt?.cmds?.[0]?.AlterTableCmd?.def?.Constraint?.raw_expr;
  } catch {
    return null;
  }
  const values = allowed(expr, column);
  return values?.length ? [...new Set(values)] : null;
}

function allowed(expr: Node, column: string): string[] | null {
  if (expr?.BoolExpr?.boolop === 'OR_EXPR') {
    const parts = (expr.BoolExpr.args as Node[]).map((a) => allowed(a, column));
    return parts.every((p): p is string[] => p !== null) ? parts.flat() : null;
  }
  const e = expr?.A_Expr;
  if (e?.name?.length !== 1 || e.name[0]?.String?.sval !== '=' || !isColumn(e.lexpr, column)) return null;
  if (e.kind === 'AEXPR_OP') {
    const value = constant(e.rexpr);
    return value === null ? null : [value];
  }
  const list: Node[] | undefined = e.kind === 'AEXPR_IN' ? e.rexpr?.List?.items : uncast(e.rexpr)?.A_ArrayExpr?.elements;
  if (e.kind !== 'AEXPR_IN' && e.kind !== 'AEXPR_OP_ANY') return null;
  if (!list) return null;
  const values = list.map(constant);
  return values.every((v): v is string => v !== null) ? values : null;
}

function uncast(node: Node): Node {
  return node?.TypeCast ? uncast(node.TypeCast.arg) : node;
}

function isColumn(node: Node, column: string): boolean {
  const fields: Node[] | undefined = uncast(node)?.ColumnRef?.fields;
  return fields?.at(-1)?.String?.sval === column;
}

function constant(node: Node): string | null {
  const c = uncast(node)?.A_Const;
  if (!c || c.isnull) return null;
  if (c.sval) return String(c.sval.sval ?? '');
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval);
  if (c.boolval) return String(c.boolval.boolval ?? false);
  return null;
}
