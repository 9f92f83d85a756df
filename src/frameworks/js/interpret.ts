// Walks the body of a JS/TS migration function statement by statement, handing each call to the
// framework's handler. Whatever cannot be followed statically becomes a "not analyzed" note.
import { directivesInComment } from '../../directives.js';
import {
  type ColumnDef,
  type ConstraintDef,
  constraintDef,
  type DefaultValue,
  type Dialect,
  type ForeignKeyTarget,
  type Operation,
  type QName,
  type Span,
  type TypeRef,
} from '../../ir.js';
import type { AdapterNote, Directive, Migration, ParsedMigration, ReadError, SourceText } from '../../migration.js';
import { parseSql } from '../../sql/index.js';
import { parsePostgres } from '../../sql/postgresql.js';
import {
  chainOf,
  type FunctionNode,
  isFunction,
  isIdentifier,
  parseModule,
  resolve,
  type Scope,
  spanOf,
  stringOf,
  type t,
  textOf,
  unwrap,
} from './ast.js';

/** What one migration file yields, shared by its up and down. */
export class MigrationOutput {
  readonly notes: AdapterNote[] = [];
  readonly errors: ReadError[] = [];
  readonly directives: Directive[] = [];
  transactional: boolean;

  constructor(
    readonly migration: Migration,
    ast: t.File | null,
  ) {
    this.transactional = migration.transactional;
    for (const c of ast?.comments ?? [])
      this.directives.push(...directivesInComment(c.value, spanOf(c as unknown as t.Node, migration.up)));
  }

  get source(): SourceText {
    return this.migration.up;
  }

  get dialect(): Dialect {
    return this.migration.dialect;
  }

  span(node: t.Node, from?: t.Node): Span {
    return spanOf(node, this.source, from);
  }

  notAnalyzed(node: t.Node, what: string): void {
    this.notes.push({
      rule: 'not-analyzed',
      message: `not analyzed: ${what}; its effect on the schema is not checked.`,
      fix: 'Write the change with literal table/column names and literal SQL so it can be checked, or review it by hand and suppress with `// twoway-ignore not-analyzed: <why>`.',
      span: this.span(node),
    });
  }

  cannotReverse(node: t.Node, message: string, fix: string): void {
    this.notes.push({ rule: 'framework-cannot-reverse', message, fix, span: this.span(node) });
  }

  result(up: Operation[], down: Operation[] | null, downStatus: ParsedMigration['downStatus']): ParsedMigration {
    const migration =
      this.transactional === this.migration.transactional ? this.migration : { ...this.migration, transactional: this.transactional };
    return { migration, up, down, downStatus, directives: this.directives, errors: this.errors, notes: this.notes };
  }
}

/** The operations of one direction (up or down) as they are read. */
export class Direction {
  readonly ops: Operation[] = [];
  /** The function throws at top level: the author declared this direction impossible. */
  throws = false;

  constructor(readonly out: MigrationOutput) {}

  /** Span and text of a call; `from` starts it earlier or later than the node (a link in the middle of a chain). */
  base(node: t.Node, from?: t.Node): { span: Span; text: string } {
    return { span: this.out.span(node, from), text: textOf(node, this.out.source, from) };
  }

  /** Runs SQL held in a string literal through the SQL parser, with positions in the JS file. */
  sql(node: t.Node | undefined, scope: Scope, at: t.Node): void {
    const value = node ? stringOf(node, scope) : null;
    if (value === null || !node) {
      this.out.notAnalyzed(at, 'SQL built at run time (not a literal string)');
      return;
    }
    const literal = resolve(node, scope);
    // A template's first quasi starts after the backtick; a string literal's node starts at its quote.
    const start = (literal.type === 'TemplateLiteral' ? literal.quasis[0]?.loc?.start : literal.loc?.start) ?? { line: 1, column: 0 };
    const line = start.line;
    const column = start.column + 1 + (literal.type === 'StringLiteral' ? 1 : 0);
    const source: SourceText = {
      path: this.out.source.path,
      text: value,
      startLine: line + this.out.source.startLine - 1,
      startColumn: column,
      language: 'sql',
    };
    const parsed = parseSql(source, this.out.dialect);
    this.ops.push(...parsed.ops);
    this.out.errors.push(...parsed.errors);
    for (const c of parsed.comments) this.out.directives.push(...directivesInComment(c.text, c.span));
  }
}

/** Recognises one expression of the framework's API and records its operations; false when it is not one. */
export type Handler = (expr: t.Node, scope: Scope, dir: Direction) => boolean;

export function runFunction(fn: FunctionNode, scope: Scope, dir: Direction, handle: Handler): void {
  if (fn.body.type === 'BlockStatement') walkStatements(fn.body.body, scope.child(), dir, handle);
  else walkExpression(fn.body, scope.child(), dir, handle);
}

export function walkStatements(statements: readonly t.Node[], scope: Scope, dir: Direction, handle: Handler): void {
  for (const s of statements) {
    switch (s.type) {
      case 'ExpressionStatement':
        walkExpression(s.expression, scope, dir, handle);
        break;
      case 'ReturnStatement':
        if (s.argument) walkExpression(s.argument, scope, dir, handle);
        break;
      case 'VariableDeclaration':
        for (const d of s.declarations) {
          if (!d.init) continue;
          if (d.id.type === 'Identifier') scope.set(d.id.name, d.init);
          const init = unwrap(d.init);
          if (init.type === 'CallExpression' && !isIdentifier(init.callee, 'require')) walkExpression(init, scope, dir, handle);
        }
        break;
      case 'BlockStatement':
        walkStatements(s.body, scope.child(), dir, handle);
        break;
      case 'TryStatement':
        walkStatements(s.block.body, scope.child(), dir, handle);
        if (s.finalizer) walkStatements(s.finalizer.body, scope.child(), dir, handle);
        break;
      case 'ThrowStatement':
        dir.throws = true;
        break;
      case 'EmptyStatement':
      case 'FunctionDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
        break;
      case 'IfStatement':
        dir.out.notAnalyzed(s, 'an if statement (the change depends on a condition known only at run time)');
        break;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        dir.out.notAnalyzed(s, 'a loop (statements repeated at run time)');
        break;
      default:
        dir.out.notAnalyzed(s, `a ${s.type} statement`);
    }
  }
}

export function walkExpression(expr: t.Node, scope: Scope, dir: Direction, handle: Handler): void {
  const e = unwrap(expr);
  if (e.type === 'SequenceExpression') {
    for (const x of e.expressions) walkExpression(x, scope, dir, handle);
    return;
  }
  if (e.type === 'ArrayExpression') {
    for (const x of e.elements) if (x && x.type !== 'SpreadElement') walkExpression(x, scope, dir, handle);
    return;
  }
  if (e.type === 'CallExpression') {
    const callee = unwrap(e.callee);
    // promise.then(() => more): the promise's own work, then the callback's.
    if (callee.type === 'MemberExpression' && !callee.computed && isIdentifier(callee.property, 'then')) {
      walkExpression(callee.object, scope, dir, handle);
      for (const a of e.arguments) if (isFunction(a)) runFunction(a, scope, dir, handle);
      return;
    }
    const { root, steps } = chainOf(e);
    if (isIdentifier(root, 'Promise') && steps.length === 1 && (steps[0]?.name === 'all' || steps[0]?.name === 'allSettled')) {
      for (const a of e.arguments) walkExpression(a, scope, dir, handle);
      return;
    }
  }
  if (handle(e, scope, dir)) return;
  if (e.type === 'CallExpression') {
    dir.out.notAnalyzed(e, `a call to ${textOf(e.callee, dir.out.source)}() that twoway does not follow`);
    return;
  }
  if (e.type === 'Identifier' || e.type === 'NullLiteral' || e.type === 'BooleanLiteral' || e.type === 'StringLiteral') return;
  dir.out.notAnalyzed(e, `an expression twoway does not follow (${e.type})`);
}

// Column building blocks shared by the adapters.

export function typeRef(name: string, args: number[] = [], text?: string, arrayDims = 0): TypeRef {
  return { name, args, arrayDims, text: text ?? `${name}${args.length ? `(${args.join(',')})` : ''}${'[]'.repeat(arrayDims)}` };
}

const typeCache = new Map<string, { type: TypeRef; serial: boolean }>();

/** A type written as SQL text (`varchar(100)`, `serial`, `timestamp with time zone`), read by the SQL parser. */
export function typeFromSql(text: string): { type: TypeRef; serial: boolean } {
  const cached = typeCache.get(text);
  if (cached) return cached;
  const parsed = parsePostgres({ path: '<type>', text: `CREATE TABLE t (c ${text})`, startLine: 1, language: 'sql' });
  const op = parsed.ops[0];
  const column = op?.kind === 'CreateTable' && !parsed.errors.length ? op.columns[0] : undefined;
  const result = column
    ? { type: { ...column.type, text }, serial: column.default?.text.startsWith('nextval(<') ?? false }
    : { type: typeRef(text.toLowerCase(), [], text), serial: false };
  typeCache.set(text, result);
  return result;
}

const defaultCache = new Map<string, DefaultValue>();

/** A default written as an SQL expression (`now()`, `gen_random_uuid()`), read by the SQL parser to tell volatile ones. */
export function defaultFromSql(expr: string): DefaultValue {
  const cached = defaultCache.get(expr);
  if (cached) return cached;
  const parsed = parsePostgres({ path: '<default>', text: `CREATE TABLE t (c int DEFAULT ${expr})`, startLine: 1, language: 'sql' });
  const op = parsed.ops[0];
  const def = op?.kind === 'CreateTable' && !parsed.errors.length ? op.columns[0]?.default : null;
  const result = { text: expr, volatile: def?.volatile ?? false };
  defaultCache.set(expr, result);
  return result;
}

/** A default given as a JS literal: strings become SQL string literals. */
export function literalDefault(value: string | number | boolean | null): DefaultValue {
  if (typeof value === 'string') return { text: `'${value.replaceAll("'", "''")}'`, volatile: false };
  return { text: value === null ? 'NULL' : String(value), volatile: false };
}

export const SERIAL_DEFAULT: DefaultValue = { text: 'nextval(<serial sequence>)', volatile: true };

const SERIAL_NAMES: Record<string, string> = { int2: 'smallserial', int4: 'serial', int8: 'bigserial' };

/** An auto-incremented integer (TypeORM increment, Sequelize autoIncrement) is created as serial: written so, as SQL would. */
export function asSerial(type: TypeRef): TypeRef {
  const serial = SERIAL_NAMES[type.name];
  return serial ? { ...type, text: serial } : type;
}

export function columnDef(name: string, type: TypeRef, o: Partial<Omit<ColumnDef, 'name' | 'type'>> = {}): ColumnDef {
  return {
    name,
    type,
    nullable: o.nullable ?? true,
    default: o.default ?? null,
    primaryKey: o.primaryKey ?? false,
    unique: o.unique ?? false,
    generated: o.generated ?? false,
    identity: o.identity ?? false,
    references: o.references ?? null,
  };
}

/** Column-level constraints of a CREATE TABLE, as the SQL parser reports them. */
export function inlineConstraints(columns: readonly ColumnDef[]): ConstraintDef[] {
  const out: ConstraintDef[] = [];
  for (const c of columns) {
    if (c.primaryKey) out.push(constraintDef('primary-key', [c.name]));
    if (c.unique) out.push(constraintDef('unique', [c.name]));
    if (c.references) out.push(constraintDef('foreign-key', [c.name], { references: c.references }));
  }
  return out;
}

/** `users`, `public.users` → QName. */
export function qname(text: string, schema?: string | null): QName {
  const dot = text.indexOf('.');
  if (dot > 0 && !schema) return { schema: text.slice(0, dot), name: text.slice(dot + 1) };
  return schema ? { schema, name: text } : { name: text };
}

/** `users.id` or `users` + column → a foreign key target. */
export function fkTarget(table: string, column: string | null): ForeignKeyTarget {
  const dot = table.lastIndexOf('.');
  if (!column && dot > 0) return { table: qname(table.slice(0, dot)), columns: [table.slice(dot + 1)] };
  return { table: qname(table), columns: column ? [column] : [] };
}

/** Parses a script migration's file; a file that does not parse yields its error and no operations. */
export function readScript(migration: Migration): { ok: true; ast: t.File; out: MigrationOutput } | { ok: false; parsed: ParsedMigration } {
  const parsed = parseModule(migration.up);
  if (!parsed.ok) {
    return { ok: false, parsed: { migration, up: [], down: null, downStatus: 'none', directives: [], errors: [parsed.error], notes: [] } };
  }
  return { ok: true, ast: parsed.ast, out: new MigrationOutput(migration, parsed.ast) };
}

/** The down's status from what its function does: a down that only throws is a declared one-way door. */
export function downStatusOf(down: Direction | null): ParsedMigration['downStatus'] {
  if (!down) return 'none';
  return down.throws && down.ops.length === 0 ? 'irreversible' : 'written';
}

/** Operations of SQL that twoway writes for a DSL call (a constraint given as SQL text), placed at that call. */
export function synthesizedSql(sql: string, base: { span: Span; text: string }): Operation[] | null {
  const parsed = parsePostgres({ path: base.span.path, text: sql, startLine: 1, language: 'sql' });
  if (parsed.errors.length) return null;
  return parsed.ops.map((op) => ({ ...op, ...base }));
}
