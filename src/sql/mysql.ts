// MySQL / MariaDB and SQLite → IR, with node-sql-parser (a real grammar for each dialect).
import { createRequire } from 'node:module';
import type {
  ColumnDef,
  ColumnRef,
  ConstraintDef,
  DataChange,
  DefaultValue,
  Dialect,
  ForeignKeyTarget,
  Operation,
  QName,
  Span,
  TypeRef,
  ValueSource,
} from '../ir.js';
import type { SourceText } from '../migration.js';
import { PRIMARY_KEY, rewriteForGrammar, type WrittenType } from './grammar-rewrite.js';
import type { ParsedSql } from './postgresql.js';
import { SourceMap } from './source-map.js';
import { splitStatements } from './split.js';
import { readStatementShape } from './statement-shapes.js';
import { type Token, tokenize } from './tokens.js';

// node-sql-parser's AST is loosely typed JSON.
type Node = any;

const DATABASE: Record<Exclude<Dialect, 'postgresql'>, string> = { mysql: 'MySQL', sqlite: 'SQLite' };

// node-sql-parser's main entry builds the grammars of a dozen databases (0.4 s to load); each dialect's own
// build loads in a few milliseconds, and only when a migration of that dialect is met.
const require = createRequire(import.meta.url);
const parsers = new Map<string, { astify(sql: string, options: { database: string }): Node }>();
export function parserFor(dialect: Exclude<Dialect, 'postgresql'>) {
  let parser = parsers.get(dialect);
  if (!parser) {
    const build = require(`node-sql-parser/build/${dialect}`) as { Parser: new () => NonNullable<typeof parser> };
    parser = new build.Parser();
    parsers.set(dialect, parser);
  }
  return parser;
}

export function parseMysqlFamily(source: SourceText, dialect: Exclude<Dialect, 'postgresql'>): ParsedSql {
  const map = new SourceMap(source);
  const text = source.text;
  const { statements, comments } = splitStatements(text, dialect);
  const result: ParsedSql = {
    ops: [],
    comments: comments.map((c) => ({ text: text.slice(c.start, c.end), span: map.span(c.start, c.end) })),
    errors: [],
    statements: statements.length,
  };
  for (const piece of statements) {
    const stmtText = text.slice(piece.start, piece.end);
    const span = map.span(piece.start, piece.end);
    const base = { span, text: stmtText };
    const read = readStatement(stmtText, base, dialect);
    if ('ops' in read) {
      result.ops.push(...read.ops);
      continue;
    }
    if ('error' in read) {
      const e = read.error;
      const loc = (e as { location?: { start?: { offset?: number } } }).location?.start?.offset ?? 0;
      const pos = map.position(piece.start + loc);
      const name = dialect === 'mysql' ? 'MySQL' : 'SQLite';
      const message = firstLine((e as Error).message);
      result.errors.push({ path: source.path, line: pos.line, column: pos.column, message: `${name} syntax: ${message}` });
      // A statement read whole but that the database refuses is invalid, not unread; neither is analyzed.
      result.ops.push(
        read.invalid
          ? { kind: 'Raw', ...base, statement: 'invalid', notAnalyzed: `${name} refuses the statement: ${message}` }
          : { kind: 'Raw', ...base, statement: 'unparsed', notAnalyzed: `the statement does not parse as ${name}` },
      );
      continue;
    }
    const { ast, types } = read;
    for (const stmt of Array.isArray(ast) ? ast : [ast]) {
      if (stmt) result.ops.push(...toOperations(stmt, base, dialect, types));
    }
  }
  return result;
}

type Read = { ast: Node; types: ReadonlyMap<string, WrittenType> } | { ops: Operation[] } | { error: unknown; invalid?: true };

/**
 * One statement, by node-sql-parser's grammar; what the grammar lacks, by a reader of the statement's shape from its
 * tokens, or by the grammar again once names and column types are spelt as it knows them.
 */
function readStatement(text: string, base: Base, dialect: Exclude<Dialect, 'postgresql'>): Read {
  const astify = (sql: string): Node => parserFor(dialect).astify(sql, { database: DATABASE[dialect] });
  try {
    const ast = astify(text);
    const invalid = dialect === 'mysql' ? lengthlessVarchar(ast) : null;
    return invalid ? { error: new Error(invalid), invalid: true } : { ast: namesInQuotes(ast, dialect), types: new Map() };
  } catch (error) {
    const tokens = tokenize(text, dialect);
    const ops = readStatementShape(tokens, base, dialect);
    if (ops) return { ops };
    const quoted = dialect === 'mysql' ? namesQuotedAsStrings(text, tokens, astify) : null;
    if (quoted) return { error: new Error(quoted), invalid: true };
    const rewritten = rewriteForGrammar(text, tokens, dialect);
    if (!rewritten) return { error };
    try {
      return { ast: namesInQuotes(astify(rewritten.text), dialect), types: rewritten.types };
    } catch {
      return { error };
    }
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

type Base = { span: Span; text: string };

/**
 * `ALTER TABLE "evaluation_run" DROP COLUMN "errors"`: MySQL (without ANSI_QUOTES in sql_mode, its default) reads
 * "x" as a string, so a name quoted so is a syntax error. Said only when the statement parses once those strings
 * are quoted as names: then that is the one thing wrong with it.
 */
function namesQuotedAsStrings(text: string, tokens: readonly Token[], astify: (sql: string) => Node): string | null {
  const quoted = tokens.filter((t) => t.kind === 'string' && t.text.startsWith('"'));
  if (!quoted.length) return null;
  let out = '';
  let at = 0;
  for (const t of quoted) {
    out += `${text.slice(at, t.start)}\`${t.value.replaceAll('`', '``')}\``;
    at = t.end;
  }
  out += text.slice(at);
  try {
    astify(out);
  } catch {
    return null;
  }
  return `MySQL reads ${quoted[0]?.text} as a string, not a name (quote names with backticks; "x" is a name only with sql_mode ANSI_QUOTES)`;
}

/** MySQL refuses VARCHAR and VARBINARY without a length (the grammar takes them): the statement cannot run. */
function lengthlessVarchar(ast: Node): string | null {
  let found: string | null = null;
  const visit = (n: Node): void => {
    if (found || !n || typeof n !== 'object') return;
    const type = typeof n.dataType === 'string' ? n.dataType.toUpperCase() : null;
    if ((type === 'VARCHAR' || type === 'VARBINARY') && typeof n.length !== 'number') found = `${type} needs a length in MySQL`;
    for (const v of Object.values(n)) visit(v);
  };
  visit(ast);
  return found;
}

/**
 * SQLite reads "x" as a name wherever a column of that name is in scope (SELECT lists, WHERE, SET values), as a
 * string only where no name fits; node-sql-parser reads it as a string everywhere. In expressions it is a column
 * here; a column's DEFAULT "x" stays the string it is.
 */
function namesInQuotes(ast: Node, dialect: Dialect): Node {
  if (dialect !== 'sqlite') return ast;
  const visit = (n: Node): Node => {
    if (Array.isArray(n)) return n.map(visit);
    if (!n || typeof n !== 'object') return n;
    if (n.type === 'double_quote_string') return { type: 'column_ref', table: null, column: n.value };
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === 'default_val' ? v : visit(v)]));
  };
  return visit(ast);
}

type Types = ReadonlyMap<string, WrittenType>;

function toOperations(s: Node, base: Base, dialect: Dialect, types: Types): Operation[] {
  const raw = (statement: string, notAnalyzed: string | null = null): Operation => ({ kind: 'Raw', ...base, statement, notAnalyzed });
  switch (s.type) {
    case 'create':
      return createStatement(s, base, dialect, types) ?? [raw(`create ${s.keyword}`)];
    case 'alter':
      return alterTable(s, base, dialect, types);
    case 'drop':
      return dropStatement(s, base, dialect) ?? [raw(`drop ${s.keyword}`)];
    case 'rename':
      return (s.table ?? []).map((pair: Node[]) => ({ kind: 'RenameTable', ...base, table: tableName(pair[0]), newName: pair[1]?.table }));
    case 'update': {
      const scope = fromScope([...(s.table ?? []), ...(s.from ?? [])]);
      return [
        {
          kind: 'DataChange',
          ...base,
          action: 'update',
          table: tableName(s.table?.[0]),
          hasWhere: Boolean(s.where),
          columns: (s.set ?? []).map((x: Node) => x.column),
          sources: (s.set ?? []).map((x: Node) => valueSource(x.value, scope)),
          valueReads: (s.set ?? []).map((x: Node) => columnRefs(x.value, scope)),
          filterReads: columnRefs(s.where, scope),
        },
      ];
    }
    case 'delete':
      return [
        {
          kind: 'DataChange',
          ...base,
          action: 'delete',
          table: tableName(s.from?.[0] ?? s.table?.[0]),
          hasWhere: Boolean(s.where),
          columns: [],
        },
      ];
    case 'insert':
    case 'replace':
      return [insertStatement(s, base)];
    case 'truncate':
      return (s.name ?? []).map((t: Node) => ({
        kind: 'DataChange',
        ...base,
        action: 'truncate',
        table: tableName(t),
        hasWhere: false,
        columns: [],
      }));
    case 'set':
      return (s.expr ?? []).map((e: Node) => ({
        kind: 'SetSetting',
        ...base,
        name: String(e.left?.name ?? e.left?.column ?? ''),
        value: String(e.right?.value ?? ''),
        local: false,
      }));
    case 'transaction': {
      const action = String(s.expr?.action?.value ?? '').toLowerCase();
      if (action === 'start' || action === 'begin') return [{ kind: 'Transaction', ...base, action: 'begin' }];
      if (action === 'commit' || action === 'rollback') return [{ kind: 'Transaction', ...base, action }];
      return [raw('transaction')];
    }
    default:
      return [raw(String(s.type))];
  }
}

function createStatement(s: Node, base: Base, dialect: Dialect, types: Types): Operation[] | null {
  if (s.keyword === 'table') {
    const table = tableName(s.table?.[0]);
    const defs: Node[] = s.create_definitions ?? [];
    const columns = defs.filter((d) => d.resource === 'column').map((d) => columnDef(d, dialect, types));
    const constraints = defs.filter((d) => d.resource === 'constraint').map(constraintDef);
    const ops: Operation[] = [
      {
        kind: 'CreateTable',
        ...base,
        table,
        columns,
        constraints,
        ifNotExists: Boolean(s.if_not_exists),
        derived: Boolean(s.query_expr || s.like),
      },
    ];
    for (const d of defs.filter((x) => x.resource === 'index')) ops.push(indexOp(base, table, d.index, d.definition, false, dialect));
    return ops;
  }
  if (s.keyword === 'index') {
    // SQLite's grammar gives the index as { schema, name }, MySQL's as its name.
    const name = typeof s.index === 'object' && s.index ? s.index.name : s.index;
    const op = indexOp(
      base,
      tableName(s.table),
      name,
      s.index_columns,
      s.index_type === 'unique',
      dialect,
      s.lock_option,
      s.algorithm_option,
    );
    return [{ ...op, ifNotExists: Boolean(s.if_not_exists) } as Operation];
  }
  if (s.trigger) {
    // A trigger changes no table's shape; what it does on later writes is not followed.
    const trigger: Operation = { kind: 'Raw', ...base, statement: 'create trigger', notAnalyzed: null, target: tableName(s.table) };
    trigger.object = { type: 'trigger', name: String(s.trigger.table ?? s.trigger.name ?? '?'), action: 'create' };
    return [trigger];
  }
  if (s.keyword === 'view') {
    return [
      {
        kind: 'CreateView',
        ...base,
        name: tableName(s.view ?? s.table?.[0] ?? s.table),
        materialized: false,
        orReplace: Boolean(s.replace),
      },
    ];
  }
  return null;
}

function indexOp(
  base: Base,
  table: QName,
  name: string | null,
  cols: Node[] | undefined,
  unique: boolean,
  dialect: Dialect,
  lock?: Node,
  algorithm?: Node,
): Operation {
  const lockValue = String(lock?.lock ?? lock ?? '').toUpperCase();
  const algorithmValue = String(algorithm?.algorithm ?? algorithm ?? '').toUpperCase();
  return {
    kind: 'AddIndex',
    ...base,
    table,
    name: name ?? null,
    columns: (cols ?? []).map((c) => String(c.column ?? c.expr?.column ?? '?')),
    unique,
    // InnoDB builds secondary indexes online (ALGORITHM=INPLACE, LOCK=NONE) unless told otherwise;
    // SQLite has no concurrent builds.
    concurrently: dialect === 'mysql' && lockValue !== 'SHARED' && lockValue !== 'EXCLUSIVE' && algorithmValue !== 'COPY',
    ifNotExists: false,
    method: 'btree',
    where: null,
    ...(unique && dialect === 'mysql' ? { uniqueKey: true } : {}),
  };
}

function alterTable(s: Node, base: Base, dialect: Dialect, types: Types): Operation[] {
  const table = tableName(s.table?.[0]);
  const ops: Operation[] = [];
  // ALGORITHM= applies to the whole statement: an INPLACE/INSTANT one is refused rather than run as a copy.
  const algorithm = (s.expr ?? []).find((e: Node) => e.resource === 'algorithm')?.algorithm;
  for (const e of s.expr ?? []) {
    const action = String(e.action ?? '').toLowerCase();
    const resource = e.resource;
    if (resource === 'column' && action === 'add') {
      ops.push({ kind: 'AddColumn', ...base, table, column: columnDef(e, dialect, types), ifNotExists: false });
    } else if (resource === 'column' && action === 'drop') {
      ops.push({ kind: 'DropColumn', ...base, table, column: columnName(e.column), ifExists: false, cascade: false });
    } else if (resource === 'column' && (action === 'modify' || action === 'change')) {
      // MODIFY/CHANGE restate the whole column: its type, nullability and default.
      const def = columnDef(e, dialect, types);
      const oldName = action === 'change' ? columnName(e.old_column) : def.name;
      if (oldName !== def.name) ops.push({ kind: 'RenameColumn', ...base, table, column: oldName, newName: def.name });
      ops.push({
        kind: 'AlterColumnType',
        ...base,
        table,
        column: def.name,
        type: def.type,
        using: null,
        ...(algorithm ? { algorithm: String(algorithm).toUpperCase() } : {}),
      });
      ops.push(
        def.nullable ? { kind: 'DropNotNull', ...base, table, column: def.name } : { kind: 'SetNotNull', ...base, table, column: def.name },
      );
      ops.push({ kind: 'SetDefault', ...base, table, column: def.name, default: def.default });
    } else if (resource === 'column' && action === 'rename') {
      ops.push({ kind: 'RenameColumn', ...base, table, column: columnName(e.old_column), newName: columnName(e.column) });
    } else if (resource === 'table' && action === 'rename') {
      ops.push({ kind: 'RenameTable', ...base, table, newName: String(e.table) });
    } else if (resource === 'index' && action === 'add') {
      ops.push(indexOp(base, table, e.index, e.definition, false, dialect));
    } else if ((resource === 'index' || resource === 'key') && action === 'drop') {
      const name = String(e.index ?? e.key);
      if (e.keyword === 'foreign key') ops.push({ kind: 'DropConstraint', ...base, table, name, ifExists: false });
      else
        ops.push({
          kind: 'DropIndex',
          ...base,
          index: { name },
          ...tableOfIndex(table, dialect),
          concurrently: dialect === 'mysql' && name.toUpperCase() !== 'PRIMARY',
          ifExists: false,
        });
    } else if (resource === 'constraint' && action === 'add') {
      const def = e.create_definitions;
      const c = constraintDef(def);
      if (c.type === 'unique' && !def.constraint) ops.push(indexOp(base, table, def.index ?? null, def.definition, true, dialect));
      else ops.push({ kind: 'AddConstraint', ...base, table, constraint: c });
    } else if (resource === 'constraint' && action === 'drop') {
      ops.push({ kind: 'DropConstraint', ...base, table, name: String(e.constraint ?? e.key ?? '?'), ifExists: false });
    } else if (resource === 'algorithm' || resource === 'lock') {
      // Options of the statement itself, not operations.
    } else {
      ops.push({ kind: 'Raw', ...base, statement: `alter ${action} ${resource}`, notAnalyzed: null });
    }
  }
  return ops;
}

/** MySQL drops an index from its table, and a UNIQUE constraint with it (SQLite's DROP INDEX names no table). */
function tableOfIndex(table: QName | null, dialect: Dialect): { onTable?: QName } {
  return dialect === 'mysql' && table ? { onTable: table } : {};
}

function dropStatement(s: Node, base: Base, dialect: Dialect): Operation[] | null {
  const ifExists = String(s.prefix ?? '').toLowerCase() === 'if exists';
  if (s.keyword === 'table') {
    return (s.name ?? []).map((t: Node) => ({ kind: 'DropTable', ...base, table: tableName(t), ifExists, cascade: false }));
  }
  if (s.keyword === 'index') {
    const table = s.table ? tableName(s.table) : null;
    const name = columnName(s.name);
    // MySQL maps DROP INDEX … ON to ALTER TABLE … DROP INDEX: in place, without blocking writes (but PRIMARY rebuilds the table).
    const concurrently = dialect === 'mysql' && name.toUpperCase() !== 'PRIMARY';
    return [{ kind: 'DropIndex', ...base, index: { name }, ...tableOfIndex(table, dialect), concurrently, ifExists }];
  }
  if (s.keyword === 'view') {
    return (s.name ?? []).map((t: Node) => ({ kind: 'DropView', ...base, name: tableName(t), materialized: false, ifExists }));
  }
  return null;
}

function insertStatement(s: Node, base: Base): DataChange {
  const op: DataChange = {
    kind: 'DataChange',
    ...base,
    action: 'insert',
    table: tableName(s.table?.[0]),
    hasWhere: s.values?.type === 'select',
    columns: (s.columns ?? []).map((c: Node) => columnName(c)),
  };
  const select = s.values?.type === 'select' ? s.values : null;
  // One query (no UNION): where each value comes from.
  if (select?.from?.length && !select._next) {
    const scope = fromScope(select.from);
    const items: Node[] = (select.columns ?? []).map((c: Node) => c.expr);
    const only = [...new Set(scope.values())];
    if (items.length === 1 && items[0]?.type === 'column_ref' && columnName(items[0].column) === '*') {
      if (only.length === 1) op.selectAll = only[0];
    } else {
      op.sources = items.map((v) => valueSource(v, scope));
      op.valueReads = items.map((v) => columnRefs(v, scope));
    }
    op.filterReads = columnRefs(select.where, scope);
  }
  return op;
}

/** Every column reference in an expression that names a table in scope (unqualified ones when one table is). */
function columnRefs(expr: Node, scope: Map<string, QName>): ColumnRef[] {
  const tables = [...new Set(scope.values())];
  const out: ColumnRef[] = [];
  const visit = (n: Node): void => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'column_ref') {
      const column = columnName(n.column);
      const table = n.table ? scope.get(String(n.table)) : tables.length === 1 ? tables[0] : undefined;
      if (table && column !== '*') out.push({ table, column });
      return;
    }
    for (const x of Object.values(n)) visit(x);
  };
  visit(expr);
  return out;
}

/** Tables a FROM list brings into scope, by the name or alias a column reference uses. */
function fromScope(from: Node[]): Map<string, QName> {
  const scope = new Map<string, QName>();
  for (const t of from) {
    if (!t?.table || typeof t.table !== 'string') continue;
    scope.set(t.as ?? t.table, tableName(t));
    scope.set(t.table, tableName(t));
  }
  return scope;
}

/** The column a value is (possibly cast) or is computed from, when it names exactly one column in scope. */
function valueSource(val: Node, scope: Map<string, QName>): ValueSource | null {
  let v = val;
  while (v?.type === 'cast') v = v.expr;
  const exact = v?.type === 'column_ref';
  const refs: Node[] = [];
  const visit = (n: Node): void => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'column_ref') refs.push(n);
    else for (const x of Object.values(n)) visit(x);
  };
  visit(val);
  const names = new Set(refs.map((r) => `${r.table ?? ''}.${columnName(r.column)}`));
  if (names.size !== 1 || val?.type === 'select' || val?.ast) return null;
  const ref = refs[0] as Node;
  const tables = [...new Set(scope.values())];
  const table = ref.table ? scope.get(String(ref.table)) : tables.length === 1 ? tables[0] : undefined;
  return table ? { table, column: columnName(ref.column), exact } : null;
}

function tableName(t: Node): QName {
  if (!t) return { name: '?' };
  const name = String(t.table ?? t.name ?? '?');
  return t.db ? { schema: String(t.db), name } : { name };
}

function columnName(c: Node): string {
  if (typeof c === 'string') return c;
  const v = c?.column ?? c?.expr?.value ?? c?.value;
  return typeof v === 'object' && v ? String(v.expr?.value ?? v.value ?? '?') : String(v ?? '?');
}

const TYPE_NAMES: Record<string, string> = {
  INT: 'int4',
  INTEGER: 'int4',
  MEDIUMINT: 'int4',
  BIGINT: 'int8',
  SMALLINT: 'int2',
  TINYINT: 'int1',
  VARCHAR: 'varchar',
  CHAR: 'bpchar',
  TEXT: 'text',
  DATETIME: 'timestamp',
  TIMESTAMP: 'timestamp',
  DECIMAL: 'numeric',
  NUMERIC: 'numeric',
  BOOLEAN: 'bool',
  BOOL: 'bool',
  DOUBLE: 'float8',
  FLOAT: 'float4',
  REAL: 'float8',
};

// MySQL's TEXT and BLOB types are strings of at most so many bytes: varchar and varbinary of that length, so a
// change between them (TEXT to LONGTEXT, LONGTEXT back to TEXT) is judged as the widening or narrowing it is.
const MYSQL_LIMITED: Record<string, [string, number]> = {
  TINYTEXT: ['varchar', 255],
  TEXT: ['varchar', 65_535],
  MEDIUMTEXT: ['varchar', 16_777_215],
  LONGTEXT: ['varchar', 4_294_967_295],
  TINYBLOB: ['varbinary', 255],
  BLOB: ['varbinary', 65_535],
  MEDIUMBLOB: ['varbinary', 16_777_215],
  LONGBLOB: ['varbinary', 4_294_967_295],
};

function typeRef(def: Node, dialect: Dialect): TypeRef {
  const raw = String(def?.dataType ?? '?').toUpperCase();
  const args = [def?.length, def?.scale].filter((x): x is number => typeof x === 'number');
  const text = `${raw}${args.length ? `(${args.join(',')})` : ''}`;
  const limited = dialect === 'mysql' ? MYSQL_LIMITED[raw] : undefined;
  if (limited) return { name: limited[0], args: [limited[1]], arrayDims: 0, text };
  let name = TYPE_NAMES[raw] ?? raw.toLowerCase();
  // MySQL has no boolean type: BOOLEAN is TINYINT(1).
  if (dialect === 'mysql' && raw === 'TINYINT' && args[0] === 1) name = 'bool';
  const values = raw === 'ENUM' || raw === 'SET' ? enumMembers(def?.expr) : undefined;
  return { name, args: name === 'bool' ? [] : args, arrayDims: 0, text, ...(values ? { values } : {}) };
}

/** ENUM('a','it''s') members as stored: the grammar keeps each literal as written, quotes doubled or escaped. */
function enumMembers(expr: Node): string[] | undefined {
  const list = expr?.type === 'expr_list' && Array.isArray(expr.value) ? (expr.value as Node[]) : null;
  if (!list?.every((v) => typeof v?.value === 'string')) return undefined;
  return list.map((v) =>
    String(v.value)
      .replace(/''/g, "'")
      .replace(/\\(['"\\])/g, '$1'),
  );
}

function columnDef(d: Node, dialect: Dialect, types: Types): ColumnDef {
  const primaryKey = Boolean(d.primary_key);
  const autoIncrement = Boolean(d.auto_increment);
  const name = columnName(d.column);
  const written = types.get(name);
  const type = typeRef(
    written ? { dataType: written.words.join(' '), length: written.args[0], scale: written.args[1] } : d.definition,
    dialect,
  );
  const collation = dialect === 'mysql' ? (d.collate?.collate?.name ?? (written?.binary ? 'binary' : undefined)) : undefined;
  return {
    name,
    type: typeof collation === 'string' ? { ...type, collation: collation.toLowerCase() } : type,
    nullable: String(d.nullable?.type ?? 'null') !== 'not null' && !primaryKey,
    default: d.default_val ? defaultValue(d.default_val.value) : null,
    primaryKey,
    unique: Boolean(d.unique || d.unique_or_primary === 'unique'),
    generated: Boolean(d.generated && String(d.generated.storage_type ?? '').toLowerCase() === 'stored'),
    identity: autoIncrement,
    references: d.reference_definition ? fkTarget(d.reference_definition) : null,
  };
}

const VOLATILE = new Set(['rand', 'uuid', 'uuid_short', 'random', 'randomblob', 'sysdate']);

function defaultValue(v: Node): DefaultValue {
  if (v?.type === 'function') {
    const name = String(v.name?.name?.[0]?.value ?? v.name ?? '').toLowerCase();
    return { text: `${name}()`, volatile: VOLATILE.has(name) };
  }
  const value = v?.value;
  const text = v?.type === 'single_quote_string' || v?.type === 'string' ? `'${value}'` : String(value ?? v?.type ?? '');
  return { text, volatile: false };
}

function constraintDef(d: Node): ConstraintDef {
  const type = String(d.constraint_type ?? '').toLowerCase();
  const columns = (d.definition ?? []).map((c: Node) => columnName(c));
  return {
    name: d.constraint ?? d.index ?? null,
    type: type.startsWith('primary')
      ? 'primary-key'
      : type.startsWith('unique')
        ? 'unique'
        : type.startsWith('foreign')
          ? 'foreign-key'
          : 'check',
    columns,
    references: d.reference_definition ? fkTarget(d.reference_definition) : null,
    notValid: false,
    usingIndex: null,
    expression: null,
  };
}

function fkTarget(r: Node): ForeignKeyTarget {
  // No columns: the parent's primary key (as PostgreSQL's parser gives `REFERENCES parent` too).
  const columns = (r.definition ?? []).map((c: Node) => columnName(c)).filter((c: string) => c !== PRIMARY_KEY);
  const target: ForeignKeyTarget = { table: tableName(r.table?.[0]), columns };
  for (const action of r.on_action ?? []) {
    const value = String(action?.value?.value ?? '').toLowerCase();
    if (value !== 'restrict' && value !== 'cascade' && value !== 'set null' && value !== 'set default') continue;
    if (action.type === 'on delete') target.onDelete = value;
    else if (action.type === 'on update') target.onUpdate = value;
  }
  return target;
}
