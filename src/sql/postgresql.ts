// PostgreSQL → IR, with the real Postgres parser (libpg-query).

import {
  type ColumnDef,
  type ColumnRef,
  type ConstraintDef,
  type ConstraintType,
  type CreateView,
  type DataChange,
  type DefaultValue,
  type ForeignKeyAction,
  type ForeignKeyTarget,
  type Operation,
  type QName,
  qnameText,
  type Raw,
  type Span,
  type TypeRef,
  type ValueSource,
} from '../ir.js';
import type { ReadError, SourceText } from '../migration.js';
import { loadModule, parsePlPgSQLSync, parseSync, scanSync } from './libpg.js';
import { SourceMap } from './source-map.js';
import { maskTemplates } from './templates.js';

// libpg-query's AST is JSON of many node shapes; typing each one buys nothing here.
type Node = any;

export interface SqlComment {
  text: string;
  span: Span;
}

export interface ParsedSql {
  ops: Operation[];
  /** Comments of a source that mentions "twoway" (the only comments anything reads: directives); empty otherwise. */
  comments: SqlComment[];
  errors: ReadError[];
  /** Statements in the source, read or not (the unreadable ones are `Raw` ops with statement 'unparsed'). */
  statements: number;
}

let loaded: Promise<void> | null = null;
/** The parser is WebAssembly: load it once before the first parse. */
export function loadPostgresParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

export function parsePostgres(source: SourceText): ParsedSql {
  const map = new SourceMap(source);
  const result: ParsedSql = { ops: [], comments: [], errors: [], statements: 0 };
  const text = source.text;
  // An empty file is an empty migration (libpg-query refuses an empty string).
  if (text === '') return result;
  // Scanning costs as much as parsing, and comments matter only for twoway's own directives: scan up front
  // only text that mentions twoway.
  let tokens: ReturnType<typeof scanSync>['tokens'] | null = null;
  if (text.includes('twoway')) {
    try {
      tokens = scanSync(text).tokens;
    } catch (e) {
      result.errors.push(errorAt(map, 0, e));
      return result;
    }
    for (const t of tokens) {
      if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') {
        const start = map.charOffset(t.start);
        const end = map.charOffset(t.end);
        result.comments.push({ text: text.slice(start, end), span: map.span(start, end) });
      }
    }
  }
  try {
    const tree = parseSync(text);
    result.statements = tree.stmts?.length ?? 0;
    for (const s of tree.stmts ?? []) addStatement(result, map, s.stmt, s.stmt_location ?? 0, s.stmt_len ?? 0);
    return result;
  } catch {
    // One bad statement must not hide the others: parse statement by statement.
  }
  if (!tokens) {
    try {
      tokens = scanSync(text).tokens;
    } catch (e) {
      result.errors.push(errorAt(map, 0, e));
      return result;
    }
  }
  let start = 0;
  const chunks: Array<[number, number]> = [];
  for (const t of tokens) {
    if (t.tokenName === 'ASCII_59') {
      chunks.push([start, t.end]);
      start = t.end;
    }
  }
  if (start < Buffer.byteLength(text)) chunks.push([start, Buffer.byteLength(text)]);
  const bytes = Buffer.from(text);
  for (const [from, to] of chunks) {
    const chunk = bytes.subarray(from, to).toString();
    if (chunk.trim() === '') continue;
    try {
      const tree = parseSync(chunk);
      result.statements += tree.stmts?.length ?? 0;
      for (const s of tree.stmts ?? [])
        addStatement(result, map, s.stmt, from + (s.stmt_location ?? 0), s.stmt_len || to - from - (s.stmt_location ?? 0));
    } catch (e) {
      const cursor = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
      result.statements++;
      result.errors.push(errorAt(map, from + (cursor ?? leadingSpace(chunk)), e));
      const s = map.charOffset(from + leadingSpace(chunk));
      const end = map.charOffset(to);
      result.ops.push({
        kind: 'Raw',
        statement: 'unparsed',
        notAnalyzed: 'the statement does not parse as PostgreSQL',
        span: map.span(s, end),
        text: text.slice(s, end),
      });
    }
  }
  return result;
}

function leadingSpace(chunk: string): number {
  return Buffer.byteLength(chunk) - Buffer.byteLength(chunk.trimStart());
}

function errorAt(map: SourceMap, byteOffset: number, e: unknown): ReadError {
  const pos = map.position(map.charOffset(byteOffset));
  const message = e instanceof Error ? e.message : String(e);
  return { path: map.source.path, line: pos.line, column: pos.column, message: `PostgreSQL syntax: ${message}` };
}

function addStatement(out: ParsedSql, map: SourceMap, stmt: Node, byteStart: number, byteLen: number): void {
  const startChar = map.charOffset(byteStart);
  const endChar = byteLen > 0 ? map.charOffset(byteStart + byteLen) : map.source.text.length;
  const text = map.source.text.slice(startChar, endChar).trim();
  const span = map.span(startChar, startChar + text.length);
  const base = { span, text };
  const [type, node] = Object.entries(stmt as Record<string, Node>)[0] ?? ['Unknown', {}];
  const exprText = (n: Node, bounded = false): string => expressionText(n, map, startChar, text, bounded);
  const ops = toOperations(type, node, base, exprText);
  out.ops.push(...ops);
}

type Base = { span: Span; text: string };
type ExprText = (n: Node, bounded?: boolean) => string;

function toOperations(type: string, n: Node, base: Base, exprText: ExprText): Operation[] {
  switch (type) {
    case 'CreateStmt':
      return [
        {
          kind: 'CreateTable',
          ...base,
          table: rangeVar(n.relation),
          columns: (n.tableElts ?? []).filter((e: Node) => e.ColumnDef).map((e: Node) => columnDef(e.ColumnDef, exprText)),
          constraints: [
            ...(n.tableElts ?? []).filter((e: Node) => e.Constraint).map((e: Node) => constraintDef(e.Constraint, [], exprText)),
            ...(n.tableElts ?? []).filter((e: Node) => e.ColumnDef).flatMap((e: Node) => columnConstraints(e.ColumnDef, exprText)),
          ],
          ifNotExists: Boolean(n.if_not_exists),
          derived: Boolean(n.partbound || n.inhRelations?.length || n.tableElts?.some((e: Node) => e.TableLikeClause)),
        },
      ];
    case 'CreateTableAsStmt': {
      const into = n.into?.rel;
      if (n.objtype === 'OBJECT_MATVIEW') {
        return [{ kind: 'CreateView', ...base, name: rangeVar(into), materialized: true, orReplace: false }];
      }
      const table = rangeVar(into);
      const created: Operation = {
        kind: 'CreateTable',
        ...base,
        table,
        columns: [],
        constraints: [],
        ifNotExists: Boolean(n.if_not_exists),
        derived: true,
      };
      // CREATE TABLE … AS SELECT fills the table from its query: the copy is what the net effect needs to see.
      const select = n.query?.SelectStmt;
      if (!select?.fromClause || (select.op && select.op !== 'SETOP_NONE')) return [created];
      const scope = fromScope(select.fromClause, ctesOf(select.withClause));
      const items: Node[] = (select.targetList ?? []).map((t: Node) => t.ResTarget);
      const named: string[] = (into.colNames ?? []).map(str);
      const columns = items.map((t, i) => named[i] ?? t?.name ?? castedColumnRef(t?.val)?.fields?.map(str).at(-1) ?? '?');
      const star = items.length === 1 && items[0]?.val?.ColumnRef?.fields?.some((f: Node) => f.A_Star);
      const only = scopeTables(scope);
      const fill: DataChange = { kind: 'DataChange', ...base, action: 'insert', table, hasWhere: true, columns: star ? [] : columns };
      if (star && only.length === 1) fill.selectAll = only[0];
      else if (!star) {
        fill.sources = items.map((t) => valueSource(t?.val, scope));
        fill.valueReads = items.map((t) => columnRefs(t?.val, scope));
      }
      fill.filterReads = [...columnRefs(select.whereClause, scope), ...joinReads(select.fromClause, scope)];
      return [created, fill];
    }
    case 'ViewStmt': {
      const passThrough = passThroughView(n.query?.SelectStmt);
      return [
        {
          kind: 'CreateView',
          ...base,
          name: rangeVar(n.view),
          materialized: false,
          orReplace: Boolean(n.replace),
          ...(passThrough ? { passThrough } : {}),
        },
      ];
    }
    case 'DropStmt':
      return dropStatement(n, base);
    case 'RenameStmt':
      return renameStatement(n, base);
    case 'AlterTableStmt':
      return alterTable(n, base, exprText);
    case 'IndexStmt':
      return [
        {
          kind: 'AddIndex',
          ...base,
          table: rangeVar(n.relation),
          name: n.idxname ?? null,
          columns: (n.indexParams ?? []).map(
            (p: Node) => p.IndexElem?.name ?? (p.IndexElem?.expr ? exprText(p.IndexElem.expr, true) : '?'),
          ),
          ...(n.idxname ? {} : { nameParts: (n.indexParams ?? []).map(indexColumnName) }),
          unique: Boolean(n.unique),
          concurrently: Boolean(n.concurrent),
          ifNotExists: Boolean(n.if_not_exists),
          method: n.accessMethod ?? 'btree',
          where: n.whereClause ? exprText(n.whereClause, true) : null,
        },
      ];
    case 'CreateEnumStmt':
      return [{ kind: 'CreateEnum', ...base, name: nameList(n.typeName), values: (n.vals ?? []).map(str) }];
    case 'AlterEnumStmt':
      return [
        {
          kind: 'AlterEnum',
          ...base,
          name: nameList(n.typeName),
          action: n.oldVal
            ? { type: 'rename', from: n.oldVal, to: n.newVal }
            : {
                type: 'add',
                value: n.newVal,
                before: n.newValNeighbor && !n.newValIsAfter ? n.newValNeighbor : null,
                after: n.newValNeighbor && n.newValIsAfter ? n.newValNeighbor : null,
                ifNotExists: Boolean(n.skipIfNewValExists),
              },
        },
      ];
    case 'UpdateStmt': {
      const targets: Node[] = (n.targetList ?? []).map((t: Node) => t.ResTarget).filter((t: Node) => t?.name);
      const scope = fromScope([{ RangeVar: n.relation }, ...(n.fromClause ?? [])], ctesOf(n.withClause));
      return [
        {
          kind: 'DataChange',
          ...base,
          action: 'update',
          table: rangeVar(n.relation),
          hasWhere: Boolean(n.whereClause),
          columns: targets.map((t) => t.name),
          sources: targets.map((t) => ownRowSource(valueSource(t.val, scope), t.val, n.relation)),
          valueReads: targets.map((t) => columnRefs(t.val, scope)),
          valueTables: targets.map((t) => subqueryTables(t.val)),
          filterReads: [...columnRefs(n.whereClause, scope), ...joinReads(n.fromClause, scope)],
          literals: targets.map((t) => literalOf(t.val)),
          matches: equalities(n.whereClause),
          nullRequired: nullTests(n.whereClause, n.relation),
        },
      ];
    }
    case 'DeleteStmt':
      return [
        { kind: 'DataChange', ...base, action: 'delete', table: rangeVar(n.relation), hasWhere: Boolean(n.whereClause), columns: [] },
      ];
    case 'InsertStmt': {
      const select = n.selectStmt?.SelectStmt;
      const op: DataChange = {
        kind: 'DataChange',
        ...base,
        action: 'insert',
        table: rangeVar(n.relation),
        hasWhere: Boolean(select?.fromClause),
        columns: (n.cols ?? []).map((t: Node) => t.ResTarget?.name).filter(Boolean),
      };
      // INSERT … SELECT of one query (no UNION, no VALUES): where each value comes from.
      if (select?.fromClause && (!select.op || select.op === 'SETOP_NONE')) {
        const scope = fromScope(select.fromClause, ctesOf(n.withClause ?? select.withClause));
        const items: Node[] = (select.targetList ?? []).map((t: Node) => t.ResTarget?.val);
        const star = items.length === 1 && items[0]?.ColumnRef?.fields?.some((f: Node) => f.A_Star);
        const tables = scopeTables(scope);
        const only = tables.length === 1 && scope.ctes.size === 0 ? tables[0] : undefined;
        if (star && only) op.selectAll = only;
        else if (!star) {
          op.sources = items.map((v) => valueSource(v, scope));
          op.valueReads = items.map((v) => columnRefs(v, scope));
        }
        op.filterReads = [...columnRefs(select.whereClause, scope), ...joinReads(select.fromClause, scope)];
      }
      return [op];
    }
    case 'TruncateStmt':
      return (n.relations ?? []).map((r: Node) => ({
        kind: 'DataChange',
        ...base,
        action: 'truncate',
        table: rangeVar(r.RangeVar),
        hasWhere: false,
        columns: [],
        cascade: n.behavior === 'DROP_CASCADE',
      }));
    case 'VariableSetStmt':
      if (n.kind === 'VAR_SET_VALUE' && n.name) {
        return [{ kind: 'SetSetting', ...base, name: n.name, value: (n.args ?? []).map(exprText).join(', '), local: Boolean(n.is_local) }];
      }
      return [raw(base, type, null)];
    case 'TransactionStmt': {
      const action = { TRANS_STMT_BEGIN: 'begin', TRANS_STMT_START: 'begin', TRANS_STMT_COMMIT: 'commit', TRANS_STMT_ROLLBACK: 'rollback' }[
        n.kind as string
      ] as 'begin' | 'commit' | 'rollback' | undefined;
      return action ? [{ kind: 'Transaction', ...base, action }] : [raw(base, type, null)];
    }
    case 'DoStmt':
      return doBlock(n, base) ?? [raw(base, type, 'a DO block runs procedural code twoway does not follow')];
    case 'ReindexStmt':
      // REINDEX INDEX | TABLE | SCHEMA | DATABASE | SYSTEM: the statement says which, the target names it.
      return [
        raw(
          base,
          `${type}:${String(n.kind).replace('REINDEX_OBJECT_', '').toLowerCase()}`,
          null,
          reindexTarget(n),
          definedOptions(n.params),
        ),
      ];
    case 'ClusterStmt':
      return [raw(base, type, null, n.relation ? rangeVar(n.relation) : undefined)];
    case 'VacuumStmt': {
      // libpg-query parses ANALYZE as a VacuumStmt too; unlike VACUUM it may run in a transaction block.
      const statement = n.is_vacuumcmd ? type : 'AnalyzeStmt';
      const options = definedOptions(n.options);
      const rels: Node[] = n.rels ?? [];
      if (!rels.length) return [raw(base, statement, null, undefined, options)];
      return rels.map((r) => raw(base, statement, null, rangeVar(r.VacuumRelation?.relation), options));
    }
    case 'DiscardStmt':
      // DISCARD ALL | PLANS | SEQUENCES | TEMP: only ALL refuses to run in a transaction block.
      return [raw(base, `${type}:${String(n.target).replace('DISCARD_', '').toLowerCase()}`, null)];
    case 'RefreshMatViewStmt':
      return [raw(base, type, null, rangeVar(n.relation), n.concurrent ? ['concurrently'] : [])];
    case 'AlterDomainStmt': {
      const constraint = n.subtype === 'C' ? n.def?.Constraint : null;
      const options = constraint ? ['add-constraint', ...(constraint.skip_validation ? ['not-valid'] : [])] : [];
      return [raw(base, type, null, nameList(n.typeName ?? []), options)];
    }
    case 'CreateTrigStmt':
      return [withObject(raw(base, type, null, n.relation ? rangeVar(n.relation) : undefined), type, n)];
    case 'SelectStmt':
      // `SELECT 1;` (a placeholder down) does nothing; a SELECT that calls functions may do anything they do.
      return [raw(base, hasCall(n) || n.fromClause ? type : 'SelectStmt:constant', null)];
    case 'CreateDomainStmt':
      return [withObject(raw(base, type, null, nameList(n.domainname ?? []), n.constraints?.length ? ['constraint'] : []), type, n)];
    default:
      return [withObject(raw(base, type, null), type, n)];
  }
}

function withObject(op: Operation, type: string, n: Node): Operation {
  const object = createdObject(type, n);
  if (object && op.kind === 'Raw') op.object = object.action === 'create' ? { ...object, definition: definitionOf(n) } : object;
  return op;
}

/** The parse tree of a definition without positions and OR REPLACE: equal for the same definition however it is written. */
function definitionOf(n: Node): string {
  return JSON.stringify(n, (key, value) =>
    key === 'location' || key === 'stmt_location' || key === 'stmt_len' || key === 'replace' ? undefined : value,
  );
}

function raw(base: Base, statement: string, notAnalyzed: string | null, target?: QName, options?: string[]): Operation {
  const op: Operation = { kind: 'Raw', ...base, statement, notAnalyzed };
  if (target) op.target = target;
  if (options?.length) op.options = options;
  return op;
}

function reindexTarget(n: Node): QName | undefined {
  if (n.relation) return rangeVar(n.relation);
  return n.name ? { name: n.name } : undefined;
}

/** `(FULL, CONCURRENTLY)` style options of VACUUM / REINDEX, lower-case. */
function definedOptions(params: Node[] | undefined): string[] {
  return (params ?? []).map((p: Node) => String(p.DefElem?.defname ?? '').toLowerCase()).filter(Boolean);
}

function dropStatement(n: Node, base: Base): Operation[] {
  const flags = { ifExists: Boolean(n.missing_ok) };
  const cascade = n.behavior === 'DROP_CASCADE';
  const names: QName[] = (n.objects ?? []).map((o: Node) => (o.TypeName ? nameList(o.TypeName.names) : nameList(o.List?.items ?? [o])));
  switch (n.removeType) {
    case 'OBJECT_TABLE':
      return names.map((table) => ({ kind: 'DropTable', ...base, table, cascade, ...flags }));
    case 'OBJECT_INDEX':
      return names.map((index) => ({ kind: 'DropIndex', ...base, index, concurrently: Boolean(n.concurrent), ...flags }));
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
      return names.map((name) => ({ kind: 'DropView', ...base, name, materialized: n.removeType === 'OBJECT_MATVIEW', ...flags }));
    case 'OBJECT_TYPE':
      return names.map((name) => ({ kind: 'DropEnum', ...base, name, cascade, ...flags }));
    default: {
      const type = String(n.removeType).replace('OBJECT_', '').toLowerCase();
      return (n.objects ?? []).map((o: Node) => {
        const op = raw(base, `DropStmt:${n.removeType}`, null) as Raw;
        op.object = { type, name: droppedObjectName(o, type), action: 'drop' };
        // DROP TRIGGER locks its table (ACCESS EXCLUSIVE): the table is the statement's target.
        if (type === 'trigger' && (o.List?.items?.length ?? 0) > 1) op.target = nameList((o.List?.items ?? []).slice(0, -1));
        return op;
      });
    }
  }
}

/** The name a DROP FUNCTION / TRIGGER / SEQUENCE… gives its object (a trigger is named with its table). */
function droppedObjectName(o: Node, type: string): string {
  if (o.ObjectWithArgs) return qnameText(nameList(o.ObjectWithArgs.objname ?? []));
  if (o.String) return str(o);
  const items: Node[] = o.List?.items ?? [];
  // DROP TRIGGER t ON tbl is (tbl, t); the trigger's name is unique per table.
  if (type === 'trigger' || type === 'policy' || type === 'rule') {
    const parts = items.map(str);
    return `${parts.at(-1)} on ${parts.slice(0, -1).join('.')}`;
  }
  return qnameText(nameList(items));
}

/** The object a CREATE FUNCTION / TRIGGER / SEQUENCE… makes, named as a DROP of it names it. */
function createdObject(type: string, n: Node): Raw['object'] | undefined {
  switch (type) {
    case 'CreateFunctionStmt':
      return { type: n.is_procedure ? 'procedure' : 'function', name: qnameText(nameList(n.funcname ?? [])), action: 'create' };
    case 'CreateTrigStmt':
      return { type: 'trigger', name: `${n.trigname} on ${qnameText(rangeVar(n.relation))}`, action: 'create' };
    case 'CreateSeqStmt':
      return { type: 'sequence', name: qnameText(rangeVar(n.sequence)), action: 'create' };
    case 'CreateExtensionStmt':
      return { type: 'extension', name: n.extname, action: 'create' };
    case 'CreateSchemaStmt':
      return { type: 'schema', name: n.schemaname, action: 'create' };
    case 'CreateDomainStmt':
      return { type: 'domain', name: qnameText(nameList(n.domainname ?? [])), action: 'create' };
    case 'CompositeTypeStmt':
      return { type: 'type', name: qnameText(rangeVar(n.typevar)), action: 'create' };
    case 'CreatePolicyStmt':
      return { type: 'policy', name: `${n.policy_name} on ${qnameText(rangeVar(n.table))}`, action: 'create' };
    case 'CreatedbStmt':
      return { type: 'database', name: n.dbname, action: 'create' };
    case 'DropdbStmt':
      return { type: 'database', name: n.dbname, action: 'drop' };
    default:
      return undefined;
  }
}

/** A column of a WITH query: the columns of real tables its value reads (and its filters), and the one it copies. */
interface CteColumn {
  refs: ColumnRef[];
  exact: ValueSource | null;
}
type Cte = Map<string, CteColumn>;

/** The names a column reference may use: tables (by name or alias) and WITH queries. */
interface Scope {
  tables: Map<string, QName>;
  ctes: Map<string, Cte>;
  /** Every WITH query of the statement, for the FROM lists of its subqueries. */
  available: Map<string, Cte>;
  /** What an unqualified reference in a subquery names: the subquery's own single table. */
  unqualified?: QName | Cte;
}

function scopeTables(scope: Scope): QName[] {
  return [...new Set(scope.tables.values())];
}

/** WITH queries, each column traced to the real columns it comes from. */
function ctesOf(withClause: Node): Map<string, Cte> {
  const out = new Map<string, Cte>();
  for (const c of withClause?.ctes ?? []) {
    const e = c.CommonTableExpr;
    const select = e?.ctequery?.SelectStmt;
    if (!e?.ctename || !select) continue;
    const scope = fromScope(select.fromClause ?? [], out);
    const filter = columnRefs(select.whereClause, scope);
    const names: string[] = (e.aliascolnames ?? []).map(str);
    const columns: Cte = new Map();
    (select.targetList ?? []).forEach((t: Node, i: number) => {
      const r = t.ResTarget;
      columns.set(names[i] ?? r?.name ?? outputName(r?.val), {
        refs: [...columnRefs(r?.val, scope), ...filter],
        exact: valueSource(r?.val, scope),
      });
    });
    out.set(e.ctename, columns);
  }
  return out;
}

/** The name PostgreSQL gives an unnamed output column: the column's, the function's, `case`. */
function outputName(val: Node): string {
  if (val?.TypeCast) return outputName(val.TypeCast.arg);
  if (val?.ColumnRef) return (val.ColumnRef.fields ?? []).map(str).at(-1) ?? '?column?';
  if (val?.FuncCall) return (val.FuncCall.funcname ?? []).map(str).at(-1) ?? '?column?';
  if (val?.CaseExpr) return 'case';
  return '?column?';
}

/** Tables (and WITH queries) a FROM list brings into scope, by the name or alias a column reference uses. */
function fromScope(from: Node[], ctes: Map<string, Cte> = new Map()): Scope {
  const scope: Scope = { tables: new Map(), ctes: new Map(), available: ctes };
  const visit = (items: Node[]) => {
    for (const item of items) {
      const r = item?.RangeVar;
      if (r?.relname) {
        const cte = !r.schemaname ? ctes.get(r.relname) : undefined;
        if (cte) scope.ctes.set(r.alias?.aliasname ?? r.relname, cte);
        else {
          scope.tables.set(r.alias?.aliasname ?? r.relname, rangeVar(r));
          if (!r.alias) scope.tables.set(r.relname, rangeVar(r));
        }
      }
      const j = item?.JoinExpr;
      if (j) visit([j.larg, j.rarg]);
    }
  };
  visit(from ?? []);
  return scope;
}

/** What a column reference names: a column of a real table, or a column of a WITH query. */
function resolve(fields: string[], scope: Scope): { table: QName; column: string } | CteColumn | null {
  const column = fields.at(-1);
  if (!column) return null;
  if (fields.length > 1) {
    const q = fields.at(-2) as string;
    const table = scope.tables.get(q);
    if (table) return { table, column };
    const cte = scope.ctes.get(q);
    return cte ? (cte.get(column) ?? { refs: [...cte.values()].flatMap((c) => c.refs), exact: null }) : null;
  }
  if (scope.unqualified)
    return 'name' in scope.unqualified ? { table: scope.unqualified as QName, column } : ((scope.unqualified as Cte).get(column) ?? null);
  const tables = scopeTables(scope);
  if (tables.length === 1 && scope.ctes.size === 0) return { table: tables[0] as QName, column };
  if (tables.length === 0 && scope.ctes.size === 1) return [...scope.ctes.values()][0]?.get(column) ?? null;
  return null;
}

function hasCall(n: Node): boolean {
  let found = false;
  walk(n, (x) => {
    if (x.FuncCall) found = true;
  });
  return found;
}

/** Every real column an expression reads, through WITH queries and subqueries (unqualified references when one table is in scope). */
function columnRefs(expr: Node, scope: Scope): ColumnRef[] {
  const out: ColumnRef[] = [];
  const visit = (n: Node, sc: Scope): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x, sc);
      return;
    }
    if (n.ColumnRef) {
      const fields: string[] = (n.ColumnRef.fields ?? []).map(str).filter(Boolean);
      const found = fields.length ? resolve(fields, sc) : null;
      if (found && 'refs' in found) out.push(...found.refs);
      else if (found) out.push(found);
      return;
    }
    const sub = n.SubLink?.subselect?.SelectStmt;
    if (sub) {
      // A subquery names its own tables; a correlated reference still reaches the outer ones.
      const own = fromScope(sub.fromClause ?? [], sc.available);
      const ownTables = scopeTables(own);
      const single =
        ownTables.length === 1 && own.ctes.size === 0
          ? ownTables[0]
          : ownTables.length === 0 && own.ctes.size === 1
            ? [...own.ctes.values()][0]
            : undefined;
      const inner: Scope = {
        tables: new Map([...sc.tables, ...own.tables]),
        ctes: new Map([...sc.ctes, ...own.ctes]),
        available: sc.available,
        ...(single ? { unqualified: single } : {}),
      };
      visit(sub.targetList, inner);
      visit(sub.whereClause, inner);
      visit(n.SubLink.testexpr, sc);
      return;
    }
    for (const v of Object.values(n)) visit(v, sc);
  };
  visit(expr, scope);
  return out;
}

/** Columns the JOIN … ON conditions of a FROM list read. */
function joinReads(from: Node[] | undefined, scope: Scope): ColumnRef[] {
  const out: ColumnRef[] = [];
  for (const item of from ?? []) if (item?.JoinExpr?.quals) out.push(...columnRefs(item.JoinExpr.quals, scope));
  return out;
}

/** The column a value is, or is computed from, when it names exactly one column of a table in scope. */
/**
 * `UPDATE comments AS reply SET x = parent.x FROM comments AS parent`: the value comes from another row of the same
 * table, so it replaces the row's own value (not `SET x = x`, which changes nothing).
 */
function ownRowSource(source: ValueSource | null, val: Node, relation: Node): ValueSource | null {
  if (!source?.exact || source.table.name !== relation?.relname) return source;
  const fields: string[] = (castedColumnRef(val)?.fields ?? []).map(str);
  if (fields.length < 2) return source;
  const qualifier = fields[fields.length - 2];
  const own = relation?.alias?.aliasname ?? relation?.relname;
  return qualifier === own ? source : { ...source, exact: false };
}

function valueSource(val: Node, scope: Scope): ValueSource | null {
  const exactColumn = castedColumnRef(val);
  const ref = exactColumn ?? singleColumnRef(val);
  if (!ref) return null;
  const found = resolve((ref.fields ?? []).map(str), scope);
  if (!found) return null;
  if ('refs' in found) return found.exact && exactColumn ? found.exact : null;
  return { ...found, exact: exactColumn !== null };
}

/** A column reference, possibly under casts (`col::text::status`). */
function castedColumnRef(val: Node): Node | null {
  let v = val;
  while (v?.TypeCast) v = v.TypeCast.arg;
  return v?.ColumnRef && !v.ColumnRef.fields?.some((f: Node) => f.A_Star) ? v.ColumnRef : null;
}

/** The only column reference inside an expression (lower(c), COALESCE(c, 0)), or null when it has none or several. */
function singleColumnRef(val: Node): Node | null {
  const refs: Node[] = [];
  walk(val, (n) => {
    if (n.ColumnRef) refs.push(n.ColumnRef);
  });
  const names = new Set(refs.map((r) => (r.fields ?? []).map(str).join('.')));
  return names.size === 1 && !val?.SubLink ? (refs[0] as Node) : null;
}

/** The column a USING expression only casts, or null. */
function castOfColumn(val: Node): string | null {
  const ref = castedColumnRef(val);
  const fields: string[] = (ref?.fields ?? []).map(str);
  return ref && fields.length === 1 ? (fields[0] as string) : null;
}

function renameStatement(n: Node, base: Base): Operation[] {
  const table = n.relation ? rangeVar(n.relation) : { name: '?' };
  switch (n.renameType) {
    case 'OBJECT_TABLE':
      return [{ kind: 'RenameTable', ...base, table, newName: n.newname }];
    case 'OBJECT_COLUMN':
      return [{ kind: 'RenameColumn', ...base, table, column: n.subname, newName: n.newname }];
    case 'OBJECT_INDEX':
      return [{ kind: 'RenameIndex', ...base, index: table, newName: n.newname }];
    case 'OBJECT_TABCONSTRAINT':
      return [{ kind: 'RenameConstraint', ...base, table, name: n.subname, newName: n.newname }];
    case 'OBJECT_TYPE':
      return [{ kind: 'RenameType', ...base, name: nameList(n.object?.List?.items ?? []), newName: n.newname }];
    default:
      return [raw(base, `RenameStmt:${n.renameType}`, null)];
  }
}

function alterTable(n: Node, base: Base, exprText: ExprText): Operation[] {
  const table = rangeVar(n.relation);
  if (n.objtype && n.objtype !== 'OBJECT_TABLE') {
    const subtypes = (n.cmds ?? []).map((c: Node) => c.AlterTableCmd?.subtype).join(',');
    return [raw(base, `AlterTableStmt:${n.objtype}:${subtypes}`, null, table)];
  }
  return (n.cmds ?? []).map((c: Node): Operation => {
    const cmd = c.AlterTableCmd;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = columnDef(cmd.def.ColumnDef, exprText);
        return { kind: 'AddColumn', ...base, table, column: def, ifNotExists: Boolean(cmd.missing_ok) };
      }
      case 'AT_DropColumn':
        return {
          kind: 'DropColumn',
          ...base,
          table,
          column: cmd.name,
          ifExists: Boolean(cmd.missing_ok),
          cascade: cmd.behavior === 'DROP_CASCADE',
        };
      case 'AT_AlterColumnType': {
        const def = cmd.def.ColumnDef;
        return {
          kind: 'AlterColumnType',
          ...base,
          table,
          column: cmd.name,
          type: typeRef(def.typeName),
          using: def.raw_default ? exprText(def.raw_default, true) : null,
          ...(def.raw_default && castOfColumn(def.raw_default) === cmd.name ? { usingExact: true } : {}),
        };
      }
      case 'AT_SetNotNull':
        return { kind: 'SetNotNull', ...base, table, column: cmd.name };
      case 'AT_DropNotNull':
        return { kind: 'DropNotNull', ...base, table, column: cmd.name };
      case 'AT_ColumnDefault':
        return { kind: 'SetDefault', ...base, table, column: cmd.name, default: cmd.def ? defaultValue(cmd.def, exprText) : null };
      case 'AT_AddConstraint':
        return { kind: 'AddConstraint', ...base, table, constraint: constraintDef(cmd.def.Constraint, [], exprText) };
      case 'AT_ValidateConstraint':
        return { kind: 'ValidateConstraint', ...base, table, name: cmd.name };
      case 'AT_DropConstraint':
        return { kind: 'DropConstraint', ...base, table, name: cmd.name, ifExists: Boolean(cmd.missing_ok) };
      default:
        return raw(base, `AlterTable:${cmd.subtype}`, null, table, cmd.def?.PartitionCmd?.concurrent ? ['concurrently'] : []);
    }
  });
}

/**
 * A view's query when it shows one table's rows as they are, so PostgreSQL writes through it (its rules for an
 * automatically updatable view, and no WHERE, so every row is there): `SELECT * FROM t` or `SELECT a, b FROM t`.
 */
function passThroughView(q: Node): NonNullable<CreateView['passThrough']> | null {
  if (!q || (q.op && q.op !== 'SETOP_NONE') || q.withClause || q.whereClause || q.distinctClause || q.groupClause) return null;
  if (q.havingClause || q.windowClause || q.limitCount || q.limitOffset || q.sortClause || q.valuesLists || q.intoClause) return null;
  const from: Node[] = q.fromClause ?? [];
  const only = from.length === 1 ? from[0]?.RangeVar : null;
  if (!only) return null;
  const items: Node[] = (q.targetList ?? []).map((t: Node) => t.ResTarget);
  const fields = (item: Node): Node[] => item?.val?.ColumnRef?.fields ?? [];
  const alias = only.alias?.aliasname ?? only.relname;
  // `t.*` or `*`, alone.
  const star = items.length === 1 && !items[0]?.name && fields(items[0]).at(-1)?.A_Star && fields(items[0]).length <= 2;
  if (star) {
    const qualifier = fields(items[0]).length === 2 ? str(fields(items[0])[0]) : alias;
    return qualifier === alias ? { table: rangeVar(only), columns: null } : null;
  }
  const columns: string[] = [];
  for (const item of items) {
    const f = fields(item);
    const column = f.length === 1 || (f.length === 2 && str(f[0]) === alias) ? f.at(-1)?.String?.sval : undefined;
    if (!column || (item.name && item.name !== column)) return null;
    columns.push(column);
  }
  return columns.length ? { table: rangeVar(only), columns } : null;
}

function rangeVar(r: Node): QName {
  if (!r) return { name: '?' };
  return r.schemaname ? { schema: r.schemaname, name: r.relname } : { name: r.relname };
}

/**
 * The part of an unnamed index's name PostgreSQL takes from one of its columns (transformIndexStmt:
 * FigureIndexColname): the column, a function's name (lower), the cast value's name, else "expr".
 */
function indexColumnName(p: Node): string {
  const e = p.IndexElem;
  return e?.indexcolname ?? e?.name ?? (e?.expr ? figureColname(e.expr) : null) ?? 'expr';
}

function figureColname(n: Node): string | null {
  if (n.ColumnRef)
    return (
      (n.ColumnRef.fields ?? [])
        .map((f: Node) => f.String?.sval)
        .filter(Boolean)
        .at(-1) ?? null
    );
  if (n.FuncCall) return (n.FuncCall.funcname ?? []).map(str).at(-1) ?? null;
  if (n.TypeCast) return figureColname(n.TypeCast.arg) ?? (n.TypeCast.typeName?.names ?? []).map(str).at(-1) ?? null;
  if (n.CoalesceExpr) return 'coalesce';
  if (n.MinMaxExpr) return n.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least';
  if (n.CaseExpr) return 'case';
  return null;
}

function str(n: Node): string {
  return n?.String?.sval ?? '';
}

function nameList(items: Node[]): QName {
  const parts = items.map(str);
  const name = parts.at(-1) ?? '?';
  return parts.length > 1 ? { schema: parts.at(-2), name } : { name };
}

const TYPE_ALIASES: Record<string, string> = {
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
  int: 'int4',
  integer: 'int4',
  bigint: 'int8',
  smallint: 'int2',
  decimal: 'numeric',
  boolean: 'bool',
  real: 'float4',
  'double precision': 'float8',
  character: 'bpchar',
  'character varying': 'varchar',
};

export function typeRef(t: Node): TypeRef {
  const names: string[] = (t?.names ?? []).map(str);
  const written = names.filter((p) => p !== 'pg_catalog');
  const raw = (written.at(-1) ?? '?').toLowerCase();
  const name = TYPE_ALIASES[raw] ?? raw;
  const args: number[] = (t?.typmods ?? []).map((m: Node) => m.A_Const?.ival?.ival ?? 0);
  const arrayDims = t?.arrayBounds?.length ?? 0;
  const text = `${written.join('.')}${args.length ? `(${args.join(',')})` : ''}${'[]'.repeat(arrayDims)}`;
  return { name, args, arrayDims, text };
}

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
]);

function defaultValue(expr: Node, exprText: ExprText): DefaultValue {
  let volatile = false;
  walk(expr, (node) => {
    const fn = node?.FuncCall;
    if (fn) {
      const name = (fn.funcname ?? []).map(str).at(-1);
      if (VOLATILE_FUNCTIONS.has(name)) volatile = true;
    }
  });
  return { text: exprText(expr), volatile };
}

function columnDef(c: Node, exprText: ExprText): ColumnDef {
  const constraints: Node[] = (c.constraints ?? []).map((k: Node) => k.Constraint);
  const has = (t: string) => constraints.some((k) => k.contype === t);
  const def = constraints.find((k) => k.contype === 'CONSTR_DEFAULT');
  const fk = constraints.find((k) => k.contype === 'CONSTR_FOREIGN');
  const typeName = (c.typeName?.names ?? []).map(str).at(-1) ?? '';
  const serial = SERIAL_TYPES.has(typeName);
  return {
    name: c.colname,
    type: typeRef(c.typeName),
    nullable: !has('CONSTR_NOTNULL') && !has('CONSTR_PRIMARY') && !serial,
    default: def ? defaultValue(def.raw_expr, exprText) : serial ? { text: `nextval(<${typeName} sequence>)`, volatile: true } : null,
    primaryKey: has('CONSTR_PRIMARY'),
    unique: has('CONSTR_UNIQUE'),
    generated: has('CONSTR_GENERATED'),
    identity: has('CONSTR_IDENTITY'),
    references: fk ? fkTarget(fk) : null,
  };
}

/** Column-level constraints that are constraints of the table (checks, foreign keys, unique, primary key). */
function columnConstraints(c: Node, exprText: ExprText): ConstraintDef[] {
  return (c.constraints ?? [])
    .map((k: Node) => k.Constraint)
    .filter((k: Node) => ['CONSTR_CHECK', 'CONSTR_FOREIGN', 'CONSTR_UNIQUE', 'CONSTR_PRIMARY'].includes(k.contype))
    .map((k: Node) => constraintDef(k, [c.colname], exprText));
}

const CONSTRAINT_TYPES: Record<string, ConstraintType> = {
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_EXCLUSION: 'exclude',
  CONSTR_NOTNULL: 'not-null',
};

function constraintDef(k: Node, columns: string[], exprText: ExprText): ConstraintDef {
  const keys: string[] = (k.keys ?? k.fk_attrs ?? []).map(str);
  // A table CHECK names no key columns: the columns its expression reads are the ones it restricts.
  if (!keys.length && !columns.length && k.contype === 'CONSTR_CHECK') keys.push(...expressionColumns(k.raw_expr));
  return {
    name: k.conname ?? null,
    type: CONSTRAINT_TYPES[k.contype] ?? 'check',
    columns: keys.length ? keys : columns,
    references: k.contype === 'CONSTR_FOREIGN' ? fkTarget(k) : null,
    notValid: Boolean(k.skip_validation),
    usingIndex: k.indexname ?? null,
    expression: k.raw_expr ? exprText(k.raw_expr, true) : null,
    ...notNullCheck(k),
  };
}

/** The distinct unqualified column names an expression reads. */
function expressionColumns(expr: Node): string[] {
  const out = new Set<string>();
  walk(expr, (n) => {
    const fields: string[] = (n.ColumnRef?.fields ?? []).map(str).filter(Boolean);
    if (fields.length) out.add(fields.at(-1) as string);
  });
  return [...out];
}

/** `CHECK (col IS NOT NULL)`, the constraint that lets SET NOT NULL skip its scan. */
function notNullCheck(k: Node): { notNullColumn?: string } {
  const test = k.contype === 'CONSTR_CHECK' ? k.raw_expr?.NullTest : null;
  const fields: Node[] = test?.nulltesttype === 'IS_NOT_NULL' ? (test.arg?.ColumnRef?.fields ?? []) : [];
  return fields.length === 1 && fields[0].String ? { notNullColumn: str(fields[0]) } : {};
}

function fkTarget(k: Node): ForeignKeyTarget {
  const target: ForeignKeyTarget = { table: rangeVar(k.pktable), columns: (k.pk_attrs ?? []).map(str) };
  const onDelete = FK_ACTIONS[k.fk_del_action];
  const onUpdate = FK_ACTIONS[k.fk_upd_action];
  if (onDelete) target.onDelete = onDelete;
  if (onUpdate) target.onUpdate = onUpdate;
  return target;
}

/** pg_constraint's action letters (`a` is NO ACTION, the default). */
const FK_ACTIONS: Record<string, ForeignKeyAction> = { r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

function walk(node: Node, visit: (n: Node) => void): void {
  if (!node || typeof node !== 'object') return;
  visit(node);
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) for (const x of v) walk(x, visit);
    else if (v && typeof v === 'object') walk(v, visit);
  }
}

/**
 * The source text of an expression. The parser gives start locations only, so the
 * expression runs from its first token to the end of its last: we take the largest
 * location in the subtree and extend over the token that starts there.
 */
/**
 * `bounded`: the expression runs to a delimiter of its own (a CHECK's or an index expression's closing
 * parenthesis, the `,` or `;` after USING, the end of an index's WHERE), so it is read up to the first
 * `,` `)` or `;` outside parentheses and quotes: keywords without a node of their own (`IS NULL`) stay in.
 */
function expressionText(expr: Node, map: SourceMap, stmtStartChar: number, stmtText: string, bounded = false): string {
  let min = Number.POSITIVE_INFINITY;
  let max = -1;
  walk(expr, (n) => {
    if (typeof n.location === 'number' && n.location >= 0) {
      min = Math.min(min, n.location);
      max = Math.max(max, n.location);
    }
  });
  if (max < 0) return '';
  const from = map.charOffset(min) - stmtStartChar;
  const lastToken = map.charOffset(max) - stmtStartChar;
  // Run from the first token over the last one, keeping parentheses balanced and quotes whole.
  let depth = 0;
  let quote: string | null = null;
  let to = Math.max(0, from);
  for (; to < stmtText.length; to++) {
    const ch = stmtText[to] as string;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (ch === ',' || ch === ';') && (bounded || to >= lastToken)) break;
    else if (!bounded && depth === 0 && to >= lastToken && (ch === ' ' || ch === '\n' || ch === '\t')) break;
  }
  return stmtText.slice(Math.max(0, from), to).trim();
}

/** An expression written as text, parsed by PostgreSQL's parser; null when it does not read as one. */
function parseExpression(text: string): Node | null {
  try {
    return (parseSync(`SELECT ${text}`).stmts?.[0]?.stmt as Node)?.SelectStmt?.targetList?.[0]?.ResTarget?.val ?? null;
  } catch {
    return null;
  }
}

/** A default written outside SQL (an ORM's server_default): parsed as an expression to tell volatile ones. */
export function defaultFromText(text: string): DefaultValue {
  const expr = parseExpression(text);
  // Not an expression PostgreSQL reads: keep the text, assume a constant.
  return expr ? defaultValue(expr, () => text) : { text, volatile: false };
}

/**
 * A DO block read as PL/pgSQL (libpg-query's own PL/pgSQL parser): the SQL it runs, when it is only SQL statements,
 * constant EXECUTEs, notices, exception handlers that do nothing, and IFs that test the catalog (`IF NOT EXISTS
 * (SELECT 1 FROM pg_constraint …)`), which are judged as if the guarded change happens, and batched loops of data
 * statements (`dataLoop`). Anything else (other loops, variables, conditions on data, RAISE EXCEPTION) makes it
 * procedural code no reader follows: null.
 */
function doBlock(n: Node, base: Base): Operation[] | null {
  const args: Node[] = n.args ?? [];
  const option = (name: string): string | undefined => args.find((a) => a.DefElem?.defname === name)?.DefElem?.arg?.String?.sval;
  const language = option('language');
  const written = option('as');
  if (written === undefined || (language !== undefined && language.toLowerCase() !== 'plpgsql')) return null;
  // The block's body is a string to the outer parse: template placeholders in it are masked here, as outside.
  const body = maskTemplates({ path: base.span.path, text: written, startLine: 1, language: 'sql' });
  let fn: Node;
  try {
    const quote = '$twoway_do$';
    if (body.includes(quote)) return null;
    const parsed: Node = parsePlPgSQLSync(`CREATE FUNCTION twoway_do() RETURNS void LANGUAGE plpgsql AS ${quote}${body}${quote}`);
    fn = parsed.plpgsql_funcs?.[0]?.PLpgSQL_function;
  } catch {
    return null;
  }
  // Only the variables PL/pgSQL declares itself: a DECLAREd one may carry values no reader follows.
  const own = new Set(['found', 'sqlstate', 'sqlerrm']);
  if (!fn) return null;
  const declares = (fn.datums ?? []).some((d: Node) => !own.has(Object.values(d as Record<string, Node>)[0]?.refname));
  const ops: Operation[] = [];
  let commits = false;
  const sql = (query: string, only?: ReadonlySet<string>, batched = false): boolean => {
    try {
      const tree = parseSync(query);
      const map = new SourceMap({ path: base.span.path, text: query, startLine: 1, language: 'sql' });
      for (const st of tree.stmts ?? []) {
        const [type, node] = Object.entries(st.stmt as Record<string, Node>)[0] ?? ['Unknown', {}];
        if (only && !only.has(type)) return false;
        const exprText = (e: Node, bounded = false) => expressionText(e, map, 0, query, bounded);
        const read = toOperations(type, node, { span: base.span, text: query }, exprText);
        ops.push(...(batched ? read.map((op) => (op.kind === 'DataChange' ? { ...op, batched: true } : op)) : read));
      }
      return true;
    } catch {
      return false;
    }
  };
  const statements = (list: Node[] | undefined): boolean =>
    (list ?? []).every((stmt) => {
      const [kind, v] = Object.entries(stmt as Record<string, Node>)[0] ?? ['', {}];
      switch (kind) {
        case 'PLpgSQL_stmt_execsql':
          return !v.into && sql(v.sqlstmt?.PLpgSQL_expr?.query ?? '');
        case 'PLpgSQL_stmt_loop':
          return !v.label && dataLoop(v.body ?? []);
        case 'PLpgSQL_stmt_commit':
          // COMMIT AND CHAIN keeps the transaction's settings going: not what a batched backfill writes.
          commits = true;
          return !v.chain;
        case 'PLpgSQL_stmt_dynexecute': {
          const literal = constantString(v.query?.PLpgSQL_expr?.query ?? '');
          return literal !== null && !v.params && sql(literal);
        }
        case 'PLpgSQL_stmt_if':
          return (
            catalogGuard(v.cond?.PLpgSQL_expr?.query ?? '') &&
            !(v.elsif_list ?? []).length &&
            !(v.else_body ?? []).length &&
            statements(v.then_body)
          );
        case 'PLpgSQL_stmt_block': {
          const handlers: Node[] = v.exceptions?.PLpgSQL_exception_block?.exc_list ?? [];
          return handlers.every(quietHandler) && statements(v.body);
        }
        case 'PLpgSQL_stmt_raise':
          // NOTICE, INFO, LOG, WARNING only tell; RAISE EXCEPTION (ERROR, 21) stops the migration.
          return (v.elog_level ?? 21) < 21;
        case 'PLpgSQL_stmt_return':
          return !v.expr;
        default:
          return false;
      }
    });
  /**
   * A batched backfill: `LOOP <UPDATE/INSERT/DELETE …> EXIT WHEN NOT FOUND; COMMIT; END LOOP`. Only data
   * statements, an exit on FOUND (the last statement changed no row) and COMMITs: read as the data changes it
   * runs, each batch its own transaction when the loop commits. Anything else in a loop stays unread.
   */
  let batchedLoop = false;
  const dataLoop = (body: Node[]): boolean => {
    const loopCommits = body.some((stmt) => 'PLpgSQL_stmt_commit' in (stmt as object));
    let exits = false;
    let changes = false;
    const ok = body.every((stmt) => {
      const [kind, v] = Object.entries(stmt as Record<string, Node>)[0] ?? ['', {}];
      switch (kind) {
        case 'PLpgSQL_stmt_execsql':
          changes = true;
          return !v.into && !v.returning_into && sql(v.sqlstmt?.PLpgSQL_expr?.query ?? '', DATA_STATEMENTS, loopCommits);
        case 'PLpgSQL_stmt_exit':
          exits = true;
          return v.is_exit && !v.label && foundTest(v.cond?.PLpgSQL_expr?.query ?? '');
        case 'PLpgSQL_stmt_commit':
          return !v.chain;
        default:
          return false;
      }
    });
    if (loopCommits) batchedLoop = true;
    return ok && exits && changes;
  };
  /**
   * A block that only changes rows: every statement it can run is an UPDATE, INSERT, DELETE or SELECT, inside
   * loops and IFs on data, with DECLAREd variables; no DDL, EXECUTE, PERFORM, RAISE EXCEPTION or COMMIT. Which rows,
   * and how often, the data decides: judged as if it runs, as a branch or loop of data changes in a JS migration.
   */
  const rowsOnly = (list: Node[] | undefined): boolean =>
    (list ?? []).every((stmt) => {
      const [kind, v] = Object.entries(stmt as Record<string, Node>)[0] ?? ['', {}];
      switch (kind) {
        case 'PLpgSQL_stmt_execsql':
          return sql(v.sqlstmt?.PLpgSQL_expr?.query ?? '', ROW_STATEMENTS);
        case 'PLpgSQL_stmt_if':
          return (
            rowsOnly(v.then_body) && (v.elsif_list ?? []).every((e: Node) => rowsOnly(e.PLpgSQL_if_elsif?.stmts)) && rowsOnly(v.else_body)
          );
        case 'PLpgSQL_stmt_fors':
          return sql(v.query?.PLpgSQL_expr?.query ?? '', SELECT_ONLY) && rowsOnly(v.body);
        case 'PLpgSQL_stmt_loop':
        case 'PLpgSQL_stmt_while':
        case 'PLpgSQL_stmt_fori':
        case 'PLpgSQL_stmt_foreach_a':
          return rowsOnly(v.body);
        case 'PLpgSQL_stmt_block': {
          const handlers: Node[] = v.exceptions?.PLpgSQL_exception_block?.exc_list ?? [];
          return handlers.every(quietHandler) && rowsOnly(v.body);
        }
        case 'PLpgSQL_stmt_assign':
        case 'PLpgSQL_stmt_exit':
        case 'PLpgSQL_stmt_return':
          return true;
        case 'PLpgSQL_stmt_raise':
          return (v.elog_level ?? 21) < 21;
        default:
          return false;
      }
    });
  const action = fn.action?.PLpgSQL_stmt_block;
  if (!action || !(action.exceptions?.PLpgSQL_exception_block?.exc_list ?? []).every(quietHandler)) return null;
  if (declares || !statements(action.body)) {
    ops.length = 0;
    commits = false;
    if (!rowsOnly(action.body) || !ops.some((op) => op.kind === 'DataChange')) return null;
  }
  // A COMMIT outside a batched loop splits schema changes into transactions no rule follows yet.
  if (commits && !batchedLoop) return null;
  // Each operation carries the whole block: a DSL migration rehearsed from its operations runs the block as
  // written, once (its guards kept; a batched loop's statements once each would be one batch).
  return ops.map((op) => ({ ...op, text: base.text }));
}

/**
 * An exception handler that does nothing but tell (`WHEN duplicate_object THEN null`, `THEN RAISE NOTICE '…'`): the
 * block is judged as if its body runs to its end, as a `try` body is.
 */
function quietHandler(h: Node): boolean {
  const action: Node[] = h.PLpgSQL_exception?.action ?? [];
  return action.every((stmt) => (stmt.PLpgSQL_stmt_raise ? (stmt.PLpgSQL_stmt_raise.elog_level ?? 21) < 21 : false));
}

/** The statements a batched loop may run: changes of rows, nothing else. */
const DATA_STATEMENTS = new Set(['UpdateStmt', 'InsertStmt', 'DeleteStmt']);
/** The statements a block that only changes rows may run: those, and reads. */
const ROW_STATEMENTS = new Set([...DATA_STATEMENTS, 'SelectStmt']);
const SELECT_ONLY = new Set(['SelectStmt']);

/** `NOT FOUND` or `FOUND`: an EXIT WHEN on whether the statement before changed a row, and nothing else. */
function foundTest(cond: string): boolean {
  let v = parseExpression(cond);
  if (v?.BoolExpr?.boolop === 'NOT_EXPR' && v.BoolExpr.args?.length === 1) v = v.BoolExpr.args[0];
  const fields: Node[] = v?.ColumnRef?.fields ?? [];
  return fields.length === 1 && str(fields[0]).toLowerCase() === 'found';
}

/** `'ALTER TABLE …'` as PL/pgSQL writes a constant EXECUTE: the string, or null for anything computed. */
function constantString(expr: string): string | null {
  const value = parseExpression(expr)?.A_Const?.sval?.sval;
  return typeof value === 'string' ? value : null;
}

/** An IF condition that only asks the catalog (pg_*, information_schema) whether an object exists. */
function catalogGuard(cond: string): boolean {
  const tree = parseExpression(cond);
  if (!tree) return false;
  const relations: Node[] = [];
  let functions = false;
  walk(tree, (x) => {
    if (x.RangeVar) relations.push(x.RangeVar);
    if (x.FuncCall) functions = true;
  });
  const catalog = (r: Node) =>
    r.schemaname === 'information_schema' || r.schemaname === 'pg_catalog' || String(r.relname ?? '').startsWith('pg_');
  return !functions && relations.length > 0 && relations.every(catalog);
}

/** A constant as the value it writes (`'b'`, `2`, `NULL`, a cast of one), or null for anything computed. */
function literalOf(val: Node): string | null {
  let v = val;
  while (v?.TypeCast) v = v.TypeCast.arg;
  const c = v?.A_Const;
  if (!c) return null;
  if (c.isnull) return 'NULL';
  if (c.sval) return String(c.sval.sval ?? '');
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval);
  if (c.boolval) return String(Boolean(c.boolval.boolval));
  return null;
}

/** `col = literal` conditions a WHERE requires: its own, or those of a top-level AND. */
function equalities(where: Node): Array<{ column: string; value: string }> {
  if (!where) return [];
  if (where.BoolExpr?.boolop === 'AND_EXPR') return (where.BoolExpr.args ?? []).flatMap(equalities);
  const e = where.A_Expr;
  if (e?.kind !== 'AEXPR_OP' || e.name?.map(str).join('') !== '=') return [];
  const [left, right] = [e.lexpr, e.rexpr];
  const column = (x: Node) => (x?.ColumnRef ? ((x.ColumnRef.fields ?? []).map(str).at(-1) ?? null) : null);
  const name = column(left) ?? column(right);
  const value = column(left) ? literalOf(right) : literalOf(left);
  return name && value !== null ? [{ column: name, value }] : [];
}

/** The tables the subqueries of a value read rows from (`(SELECT count(*) FROM local_user)` → local_user). */
function subqueryTables(expr: Node): QName[] {
  const out: QName[] = [];
  walk(expr, (n) => {
    const from: Node[] = n.SubLink?.subselect?.SelectStmt?.fromClause ?? [];
    for (const f of from) if (f.RangeVar) out.push(rangeVar(f.RangeVar));
  });
  return out;
}

/** Columns of the updated relation a WHERE requires to be NULL (`col IS NULL` ANDed at its top, unqualified or of that relation). */
function nullTests(where: Node, relation: Node): string[] {
  if (!where) return [];
  if (where.BoolExpr?.boolop === 'AND_EXPR') return (where.BoolExpr.args ?? []).flatMap((x: Node) => nullTests(x, relation));
  const test = where.NullTest;
  if (test?.nulltesttype !== 'IS_NULL' || !test.arg?.ColumnRef) return [];
  const fields: string[] = (test.arg.ColumnRef.fields ?? []).map(str);
  const own = [relation?.relname, relation?.alias?.aliasname].filter(Boolean);
  if (fields.length === 1) return [fields[0] as string];
  return fields.length === 2 && own.includes(fields[0]) ? [fields[1] as string] : [];
}

/**
 * A USING (or any expression) that maps a column value by value: `CASE col WHEN 'a' THEN 'x' ... ELSE 'z' END`, under
 * casts, with literal branches only. Null when the expression is anything else.
 */
export function caseMapping(expression: string): { column: string; whens: Array<[string, string]>; otherwise: string | null } | null {
  let expr = parseExpression(expression);
  while (expr?.TypeCast) expr = expr.TypeCast.arg;
  const c = expr?.CaseExpr;
  const fields: string[] = (c?.arg?.ColumnRef?.fields ?? []).map(str);
  if (!c || fields.length !== 1) return null;
  const whens: Array<[string, string]> = [];
  for (const w of c.args ?? []) {
    const [when, then] = [literalOf(w.CaseWhen?.expr), literalOf(w.CaseWhen?.result)];
    if (when === null || then === null) return null;
    whens.push([when, then]);
  }
  const otherwise = c.defresult ? literalOf(c.defresult) : 'NULL';
  if (otherwise === null) return null;
  return { column: fields[0] as string, whens, otherwise };
}

/**
 * Whether an index key item (`canon_crate_name(name)`) is computed from the items of another key alone
 * (`lower(name)`): then rows that differ in the key item differ in the other key too, so uniqueness on the key item
 * implies uniqueness on the other. SQL functions whose definition the history holds (`functionSql`: the CREATE
 * FUNCTION's parse tree as definitionOf keeps it, or its text) are read through their body (`SELECT replace(lower($1), '-', '_')`); built-in functions of key
 * items are deterministic (an index key is immutable).
 */
export function determinedBy(item: string, by: readonly string[], functionSql: (name: string) => string | undefined): boolean {
  const expr = parseExpression(item);
  const known = by.map((b) => parseExpression(b)).filter((b): b is Node => Boolean(b));
  if (!expr || !known.length) return false;
  const shape = (n: Node) => JSON.stringify(n, (k, v) => (k === 'location' ? undefined : v));
  const keys = new Set(known.map(shape));
  const determined = (n: Node, depth: number): boolean => {
    if (!n || depth > 8) return false;
    if (keys.has(shape(n))) return true;
    if (n.A_Const) return true;
    if (n.TypeCast) return determined(n.TypeCast.arg, depth);
    if (n.A_Expr) return [n.A_Expr.lexpr, n.A_Expr.rexpr].filter(Boolean).every((x: Node) => determined(x, depth));
    if (n.FuncCall && !n.FuncCall.agg_star && !n.FuncCall.over) {
      const args: Node[] = n.FuncCall.args ?? [];
      const body = sqlFunctionBody(functionSql(nameList(n.FuncCall.funcname ?? []).name));
      if (body) return determined(withParams(body, args), depth + 1);
      return args.every((x) => determined(x, depth));
    }
    return false;
  };
  return determined(expr, 0);
}

/** The expression a LANGUAGE SQL function returns (`SELECT <expr>`), or null. */
function sqlFunctionBody(definition: string | undefined): Node | null {
  if (!definition) return null;
  try {
    // The history keeps a definition as its parse tree (definitionOf), or as the statement's text.
    const tree = definition.startsWith('{') ? (JSON.parse(definition) as Node) : null;
    const stmt = tree ?? (parseSync(definition).stmts?.[0]?.stmt as Node)?.CreateFunctionStmt;
    const option = (name: string) => (stmt?.options ?? []).find((o: Node) => o.DefElem?.defname === name)?.DefElem?.arg;
    if (str(option('language') ?? {})?.toLowerCase() !== 'sql') return null;
    const source = option('as')?.List?.items?.[0];
    const text = source ? str(source) : null;
    const select = text ? (parseSync(text).stmts?.[0]?.stmt as Node)?.SelectStmt : null;
    if (!select || select.fromClause || select.whereClause || (select.targetList ?? []).length !== 1) return null;
    return select.targetList[0].ResTarget?.val ?? null;
  } catch {
    return null;
  }
}

/** The function body with `$n` replaced by the call's n-th argument. */
function withParams(body: Node, args: readonly Node[]): Node {
  const replace = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(replace);
    if (!n || typeof n !== 'object') return n;
    const node = n as Node;
    if (node.ParamRef) return args[(node.ParamRef.number ?? 0) - 1] ?? node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replace(v)]));
  };
  return replace(body) as Node;
}

/** The columns an index expression reads (`lower(name)` → name); null when it does not parse or reads a subquery. */
export function columnsOfExpression(expression: string): string[] | null {
  const expr = parseExpression(expression);
  if (!expr) return null;
  let subquery = false;
  walk(expr, (n) => {
    if (n.SubLink) subquery = true;
  });
  return subquery ? null : expressionColumns(expr);
}
