// The one gate every statement twoway sends through the read-only session (session.ts) passes first.
// It reads the statement with the database's real grammar (libpg-query for PostgreSQL; node-sql-parser's
// MySQL grammar, the one sql/mysql.ts reads migrations with) and lets through only what twoway itself
// asks: a single SELECT — no INTO, no FOR UPDATE/SHARE, no data-modifying WITH — of tables and
// catalog views, calling only functions from an allowlist of pure built-ins (aggregates, sizes,
// lengths, name resolution). An allowlist, not a list of what is dangerous: the session's role may be
// a superuser, for whom a read-only transaction alone stops neither COPY … TO PROGRAM, pg_read_file,
// lo_import, dblink, set_config nor SELECT … INTO OUTFILE. What is refused is never sent.
import { parseSync } from '../sql/libpg.js';
import { parserFor } from '../sql/mysql.js';
import { splitStatements } from '../sql/split.js';

// Both grammars' trees are loosely typed JSON.
type Node = any;

export class RefusedStatementError extends Error {
  constructor(
    readonly reason: string,
    readonly sql: string,
  ) {
    const text = sql.replace(/\s+/g, ' ').trim();
    super(`twoway refused to send a statement to the live database (${reason}): ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
  }
}

/** PostgreSQL functions the session may call (pg_catalog's; a name written with another schema is refused). */
export const PG_FUNCTIONS: ReadonlySet<string> = new Set([
  'count',
  'avg',
  'sum',
  'min',
  'max',
  'array_agg',
  'pg_column_size',
  'pg_total_relation_size',
  'pg_relation_size',
  'pg_table_size',
  'pg_indexes_size',
  'char_length',
  'character_length',
  'length',
  'octet_length',
  'abs',
  'round',
  'lower',
  'upper',
  'format',
  'to_regclass',
  'current_schemas',
  'current_database',
  'current_setting',
]);

/** Types a PostgreSQL cast may name (their input and output functions are built-in and pure). */
const PG_TYPES: ReadonlySet<string> = new Set([
  'text',
  'varchar',
  'bpchar',
  'name',
  'bool',
  'int2',
  'int4',
  'int8',
  'numeric',
  'float4',
  'float8',
  'oid',
  'regclass',
]);

/** Operators a PostgreSQL expression may use: comparisons, arithmetic, concatenation, LIKE. */
const PG_OPERATORS: ReadonlySet<string> = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '||', '~~', '!~~']);

/** Expression and clause nodes a read-only SELECT is made of; any other node type is refused. */
const PG_NODES: ReadonlySet<string> = new Set([
  'SelectStmt',
  'ResTarget',
  'ColumnRef',
  'A_Star',
  'String',
  'Integer',
  'Float',
  'Boolean',
  'A_Const',
  'ParamRef',
  'TypeCast',
  'FuncCall',
  'A_Expr',
  'BoolExpr',
  'NullTest',
  'BooleanTest',
  'SubLink',
  'CaseExpr',
  'CaseWhen',
  'CoalesceExpr',
  'NullIfExpr',
  'MinMaxExpr',
  'A_ArrayExpr',
  'RowExpr',
  'List',
  'RangeVar',
  'RangeSubselect',
  'JoinExpr',
  'SortBy',
  'CommonTableExpr',
]);

/** Throws RefusedStatementError unless `sql` is one read-only SELECT of the kind twoway sends. */
export function guardStatement(dialect: 'postgresql' | 'mysql', sql: string): void {
  if (dialect === 'postgresql') guardPostgres(sql);
  else guardMysql(sql);
}

function guardPostgres(sql: string): void {
  let tree: Node;
  try {
    tree = parseSync(sql);
  } catch (e) {
    throw new RefusedStatementError(`it does not parse as PostgreSQL: ${(e as Error).message}`, sql);
  }
  const stmts: Node[] = tree.stmts ?? [];
  if (stmts.length !== 1) throw new RefusedStatementError(`${stmts.length} statements where one SELECT is allowed`, sql);
  const top = stmts[0].stmt ?? {};
  const kind = Object.keys(top)[0] ?? 'nothing';
  if (kind !== 'SelectStmt') throw new RefusedStatementError(`only a SELECT may be sent, not ${kind}`, sql);
  walkPostgres(top, sql);
}

/** A node of libpg-query's tree is `{ Type: {...} }`; other objects are a node's inline parts. */
function nodeType(v: Node): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const keys = Object.keys(v);
  return keys.length === 1 && /^[A-Z]/.test(keys[0] as string) ? (keys[0] as string) : null;
}

function names(list: Node[] | undefined): string[] {
  return (list ?? []).map((n: Node) => n?.String?.sval ?? '?');
}

function walkPostgres(v: Node, sql: string): void {
  if (Array.isArray(v)) {
    for (const x of v) walkPostgres(x, sql);
    return;
  }
  if (!v || typeof v !== 'object') return;
  const type = nodeType(v);
  if (!type) {
    for (const x of Object.values(v)) walkPostgres(x, sql);
    return;
  }
  const n = v[type];
  if (!PG_NODES.has(type)) throw new RefusedStatementError(`${type} is not part of a read-only SELECT`, sql);
  if (type === 'SelectStmt') {
    if (n.intoClause) throw new RefusedStatementError('SELECT … INTO writes a table', sql);
    if (n.lockingClause) throw new RefusedStatementError('FOR UPDATE/SHARE locks rows', sql);
  } else if (type === 'FuncCall') {
    const [schema, name] = splitQualified(names(n.funcname));
    if ((schema !== null && schema !== 'pg_catalog') || !PG_FUNCTIONS.has(name))
      throw new RefusedStatementError(`function ${names(n.funcname).join('.')}() is not on twoway's list of read-only functions`, sql);
  } else if (type === 'TypeCast') {
    const [schema, name] = splitQualified(names(n.typeName?.names));
    if ((schema !== null && schema !== 'pg_catalog') || !PG_TYPES.has(name))
      throw new RefusedStatementError(`a cast to ${names(n.typeName?.names).join('.')} is not allowed`, sql);
  } else if (type === 'A_Expr') {
    const [schema, name] = splitQualified(names(n.name));
    const op = n.kind === 'AEXPR_BETWEEN' || n.kind === 'AEXPR_NOT_BETWEEN' ? '=' : name;
    if ((schema !== null && schema !== 'pg_catalog') || !PG_OPERATORS.has(op))
      throw new RefusedStatementError(`operator ${names(n.name).join('.')} is not allowed`, sql);
  } else if (type === 'RangeVar') {
    if (n.catalogname) throw new RefusedStatementError(`${n.catalogname}.${n.schemaname}.${n.relname} names another database`, sql);
  }
  for (const x of Object.values(n)) walkPostgres(x, sql);
}

function splitQualified(parts: string[]): [string | null, string] {
  if (parts.length === 1) return [null, parts[0] as string];
  if (parts.length === 2) return [parts[0] as string, parts[1] as string];
  return ['?', parts.join('.')];
}

/** MySQL / MariaDB functions the session may call: built-ins only (a stored function needs its database's name, refused). */
export const MYSQL_FUNCTIONS: ReadonlySet<string> = new Set([
  'COUNT',
  'AVG',
  'SUM',
  'MIN',
  'MAX',
  'LENGTH',
  'CHAR_LENGTH',
  'CHARACTER_LENGTH',
  'REPLACE',
  'FIND_IN_SET',
  'LOWER',
  'UPPER',
  'COALESCE',
  'IFNULL',
  'DATABASE',
  'SCHEMA',
  'VERSION',
]);

const MYSQL_OPERATORS: ReadonlySet<string> = new Set([
  '=',
  '<>',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  'AND',
  'OR',
  'IS',
  'IS NOT',
  'IN',
  'NOT IN',
  'LIKE',
  'NOT LIKE',
  'BETWEEN',
  'NOT BETWEEN',
]);

/** Leaf values of node-sql-parser's tree. */
const MYSQL_LEAVES: ReadonlySet<string> = new Set(['number', 'single_quote_string', 'string', 'null', 'bool', 'boolean', 'star']);

function guardMysql(sql: string): void {
  // MySQL and MariaDB run what an executable comment (/*! … */, /*M! … */) holds: no comment at all is let through.
  const { statements, comments } = splitStatements(sql, 'mysql');
  if (comments.length) throw new RefusedStatementError('comments are not allowed (MySQL executes /*! … */)', sql);
  if (statements.length !== 1) throw new RefusedStatementError(`${statements.length} statements where one SELECT is allowed`, sql);
  let ast: Node;
  try {
    ast = parserFor('mysql').astify(sql, { database: 'MySQL' });
  } catch (e) {
    throw new RefusedStatementError(`it does not parse as MySQL: ${(e as Error).message.split('\n')[0]}`, sql);
  }
  const list = Array.isArray(ast) ? ast : [ast];
  if (list.length !== 1) throw new RefusedStatementError(`${list.length} statements where one SELECT is allowed`, sql);
  const stmt = list[0];
  if (stmt?.type !== 'select')
    throw new RefusedStatementError(`only a SELECT may be sent, not ${String(stmt?.type ?? 'nothing').toUpperCase()}`, sql);
  mysqlSelect(stmt, sql);
  mysqlScan(stmt, sql);
}

/**
 * Belt and braces over the walk above, which reads the clauses it knows: every function anywhere in the tree,
 * in a clause the walk does not read too, is a bare allowlisted built-in, and every nested statement a SELECT without INTO.
 */
function mysqlScan(v: Node, sql: string): void {
  if (Array.isArray(v)) {
    for (const x of v) mysqlScan(x, sql);
    return;
  }
  if (!v || typeof v !== 'object') return;
  if (v.type === 'function') {
    const parts: Node[] = v.name?.name ?? [];
    const bare = parts.length === 1 && parts[0]?.type === 'default' && v.name?.schema === undefined;
    if (!bare || !MYSQL_FUNCTIONS.has(String(parts[0]?.value).toUpperCase()))
      throw new RefusedStatementError(`function ${JSON.stringify(v.name)} is not on twoway's list of read-only functions`, sql);
  }
  if (v.type === 'aggr_func' && !MYSQL_FUNCTIONS.has(String(v.name).toUpperCase()))
    throw new RefusedStatementError(`function ${v.name}() is not on twoway's list of read-only functions`, sql);
  if (v.ast && v.ast.type !== 'select')
    throw new RefusedStatementError(`only a SELECT may be nested, not ${String(v.ast.type).toUpperCase()}`, sql);
  if (v.into && (v.into.position || v.into.expr || v.into.type))
    throw new RefusedStatementError('SELECT … INTO writes a file or a variable', sql);
  for (const x of Object.values(v)) mysqlScan(x, sql);
}

function mysqlSelect(s: Node, sql: string): void {
  if (s.type !== 'select') throw new RefusedStatementError(`${String(s.type).toUpperCase()} is not a SELECT`, sql);
  if (s.into && (s.into.position || s.into.expr || s.into.type))
    throw new RefusedStatementError('SELECT … INTO writes a file or a variable', sql);
  if (s.locking_read || s.for_update) throw new RefusedStatementError('FOR UPDATE / LOCK IN SHARE MODE locks rows', sql);
  if (s.options?.length) throw new RefusedStatementError(`SELECT options ${JSON.stringify(s.options)} are not allowed`, sql);
  for (const w of s.with ?? []) mysqlSelect(w?.stmt?.ast ?? w?.stmt ?? {}, sql);
  for (const c of s.columns ?? []) mysqlExpr(c?.expr, sql);
  for (const f of s.from ?? []) {
    if (f?.expr?.ast) mysqlSelect(f.expr.ast, sql);
    else if (typeof f?.table !== 'string') throw new RefusedStatementError(`FROM ${JSON.stringify(f)} is not a table or a subquery`, sql);
    if (f?.on) mysqlExpr(f.on, sql);
    if (f?.using) throw new RefusedStatementError('JOIN … USING is not allowed', sql);
  }
  for (const e of [s.where, s.having]) if (e) mysqlExpr(e, sql);
  for (const g of s.groupby?.columns ?? (Array.isArray(s.groupby) ? s.groupby : [])) mysqlExpr(g, sql);
  for (const o of s.orderby ?? []) mysqlExpr(o?.expr, sql);
  for (const l of s.limit?.value ?? []) mysqlExpr(l, sql);
  if (s.window) throw new RefusedStatementError('WINDOW is not allowed', sql);
  if (s._next) mysqlSelect(s._next, sql);
}

function mysqlExpr(e: Node, sql: string): void {
  if (e === null || e === undefined) return;
  if (Array.isArray(e)) {
    for (const x of e) mysqlExpr(x, sql);
    return;
  }
  const type = e.type;
  if (MYSQL_LEAVES.has(type)) return;
  switch (type) {
    case 'column_ref':
      if (typeof e.column !== 'string' && typeof e.column?.expr?.value !== 'string')
        throw new RefusedStatementError(`column ${JSON.stringify(e.column)} is not a name`, sql);
      return;
    case 'expr_list':
      mysqlExpr(e.value, sql);
      return;
    case 'binary_expr':
      if (!MYSQL_OPERATORS.has(String(e.operator).toUpperCase()))
        throw new RefusedStatementError(`operator ${e.operator} is not allowed`, sql);
      mysqlExpr(e.left, sql);
      mysqlExpr(e.right, sql);
      return;
    case 'unary_expr':
      if (!['NOT', '-', '!'].includes(String(e.operator).toUpperCase()))
        throw new RefusedStatementError(`operator ${e.operator} is not allowed`, sql);
      mysqlExpr(e.expr, sql);
      return;
    case 'case':
      mysqlExpr(e.expr, sql);
      for (const a of e.args ?? []) {
        mysqlExpr(a.cond, sql);
        mysqlExpr(a.result, sql);
      }
      return;
    case 'aggr_func':
    case 'function': {
      const parts: Node[] = type === 'aggr_func' ? [{ value: e.name }] : (e.name?.name ?? []);
      const schema = e.name?.schema?.value;
      const name = [schema, ...parts.map((p) => p?.value)].filter((p) => p !== undefined).join('.');
      // A built-in is called by its bare name; a schema or a quoted name reaches stored functions and UDFs.
      const bare = type === 'aggr_func' || (parts.length === 1 && parts[0]?.type === 'default' && schema === undefined);
      if (!bare) throw new RefusedStatementError(`function ${name}() is named with a schema or quotes, which reach stored functions`, sql);
      if (!MYSQL_FUNCTIONS.has(name.toUpperCase()))
        throw new RefusedStatementError(`function ${name}() is not on twoway's list of read-only functions`, sql);
      if (e.over) throw new RefusedStatementError('window functions are not allowed', sql);
      if (type === 'aggr_func') {
        mysqlExpr(e.args?.expr, sql);
        if (e.args?.orderby || e.args?.separator) throw new RefusedStatementError(`${name}(… ORDER BY / SEPARATOR) is not allowed`, sql);
      } else mysqlExpr(e.args, sql);
      return;
    }
    default:
      // A subquery in an expression: `(SELECT …)`, `x IN (SELECT …)`.
      if (e.ast) {
        mysqlSelect(e.ast, sql);
        return;
      }
      throw new RefusedStatementError(`${String(type ?? JSON.stringify(e))} is not part of a read-only SELECT`, sql);
  }
}
