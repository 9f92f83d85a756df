// Walks the body of a JS/TS migration function statement by statement, handing each call to the
// framework's handler. Whatever cannot be followed statically becomes a "not analyzed" note.
import { dirname, join } from 'node:path';
import { directivesInComment } from '../../directives.js';
import {
  type ColumnDef,
  type ConstraintDef,
  constraintDef,
  type DefaultValue,
  type Dialect,
  type ForeignKeyAction,
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
  isDialectName,
  isFunction,
  isIdentifier,
  type ModuleExports,
  moduleExports,
  opaque,
  opaqueKind,
  paramName,
  parseModule,
  propsOf,
  resolve,
  Scope,
  spanOf,
  staticValue,
  stringOf,
  type t,
  textOf,
  truth,
  UNKNOWN,
  unwrap,
  visitNodes,
} from './ast.js';
import { helperSource, registerHelperSource } from './helper-sources.js';

/** Where the notes and read errors of a stretch of code go: the migration, or a branch being tried. */
interface Sink {
  notes: AdapterNote[];
  errors: ReadError[];
}

/** What one migration file yields, shared by its up and down. */
export class MigrationOutput {
  readonly notes: AdapterNote[] = [];
  readonly errors: ReadError[] = [];
  readonly directives: Directive[] = [];
  transactional: boolean;
  /** The direction being read: notes say which side of the migration they are about. */
  direction: 'up' | 'down' = 'up';
  /** A branch read on trial (a guard, a loop over run-time values) collects its notes apart until it is kept. */
  sink: Sink | null = null;

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
    (this.sink?.notes ?? this.notes).push({
      rule: 'not-analyzed',
      message: `not analyzed: ${what}; its effect on the schema is not checked.`,
      fix: 'Write the change with literal table/column names and literal SQL so it can be checked, or review it by hand and suppress with `// twoway-ignore not-analyzed: <why>`.',
      span: this.span(node),
      direction: this.direction,
    });
  }

  error(e: ReadError): void {
    (this.sink?.errors ?? this.errors).push(e);
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

/** Ways a framework tells the walker what its calls mean beyond their operations. */
export interface Hooks {
  /** The call inspects the current schema (hasColumn, getTable, describeTable): a condition on it is a guard. */
  probe?(call: t.Node, scope: Scope): boolean;
  /** The value a call stands for when the framework knows it (getTable: the table; clone(): a copy). */
  value?(call: t.Node, scope: Scope): t.Node | null;
}

/** Operations that change rows but not the schema: a branch or loop holding only these is judged as if it runs. */
const DATA_ONLY = new Set<Operation['kind']>(['DataChange', 'SetSetting']);

/** The operations of one direction (up or down) as they are read. */
export class Direction {
  readonly ops: Operation[] = [];
  /** The function throws at top level: the author declared this direction impossible. */
  throws = false;
  /** How deep in helper calls the walker is (a helper calling itself stops here). */
  depth = 0;
  /** A `return` was reached on the path that runs: the rest of the function does not. */
  returned = false;

  constructor(
    readonly out: MigrationOutput,
    readonly hooks: Hooks = {},
  ) {}

  /** Span and text of a call; `from` starts it earlier or later than the node (a link in the middle of a chain). */
  base(node: t.Node, from?: t.Node): { span: Span; text: string } {
    return { span: this.out.span(node, from), text: textOf(node, this.out.source, from) };
  }

  /** Reads a stretch of code on trial: its operations, notes and errors, kept apart until `keep`. */
  trial(read: (d: Direction) => void): Trial {
    const d = new Direction(this.out, this.hooks);
    d.depth = this.depth;
    const sink: Sink = { notes: [], errors: [] };
    const outer = this.out.sink;
    this.out.sink = sink;
    try {
      read(d);
    } finally {
      this.out.sink = outer;
    }
    return { ops: d.ops, notes: sink.notes, errors: sink.errors, throws: d.throws };
  }

  keep(trial: Trial, withOps = true): void {
    if (withOps) this.ops.push(...trial.ops);
    const sink = this.out.sink;
    (sink?.notes ?? this.out.notes).push(...trial.notes);
    for (const e of trial.errors) this.out.error(e);
  }

  /** Runs SQL held in a string literal through the SQL parser, with positions in the JS file. */
  sql(node: t.Node | undefined, scope: Scope, at: t.Node, render?: (sql: string) => string): void {
    const chosen = node ? resolve(node, scope) : null;
    if (chosen?.type === 'ConditionalExpression') {
      // `query(row.description ? withDescription : without)`: one of two statements, the way a branch is read.
      const known = truth(chosen.test, scope);
      if (known !== null) {
        this.sql(known ? chosen.consequent : chosen.alternate, scope, at, render);
        return;
      }
      const yes = this.trial((d) => d.sql(chosen.consequent, scope, at, render));
      const no = this.trial((d) => d.sql(chosen.alternate, scope, at, render));
      // Rows are changed one way or the other depending on data: judged as if both run.
      if (onlyData(yes) && onlyData(no)) {
        this.keep(yes);
        this.keep(no);
      } else this.out.notAnalyzed(at, 'SQL built at run time (not a literal string)');
      return;
    }
    const known = node ? (stringOf(node, scope) ?? withUnknownValues(node, scope)) : null;
    const rowsOnly = known === null && node ? withRunTimeValues(node, scope) : null;
    const written = known ?? rowsOnly;
    const value = written !== null && render ? render(written) : written;
    if (value === null || !node) {
      this.out.notAnalyzed(at, 'SQL built at run time (not a literal string)');
      return;
    }
    const literal = resolve(node, scope);
    // A template's first quasi starts after the backtick; a string literal's node starts at its quote.
    const start = (literal.type === 'TemplateLiteral' ? literal.quasis[0]?.loc?.start : literal.loc?.start) ??
      at.loc?.start ?? { line: 1, column: 0 };
    const line = start.line;
    const column = start.column + 1 + (literal.type === 'StringLiteral' && literal.loc ? 1 : 0);
    const source: SourceText = {
      path: this.out.source.path,
      text: value,
      startLine: line + this.out.source.startLine - 1,
      startColumn: column,
      language: 'sql',
    };
    const parsed = parseSql(source, this.out.dialect);
    // Run-time values are read only where they can pick rows and nothing else: a DELETE or a SELECT.
    if (rowsOnly !== null && !(parsed.errors.length === 0 && parsed.ops.length > 0 && parsed.ops.every(readsOrDeletesRows))) {
      this.out.notAnalyzed(at, 'SQL built at run time (not a literal string)');
      return;
    }
    this.ops.push(...parsed.ops);
    for (const e of parsed.errors) this.out.error(e);
    for (const c of parsed.comments) this.out.directives.push(...directivesInComment(c.text, c.span));
  }
}

/**
 * SQL in a template whose unknown parts are all values inside string literals (`status = '${Status.ACTIVE}'`):
 * the statement is known, only a literal value is not. Null when an unknown part is anything else (a name, a clause).
 */
function withUnknownValues(node: t.Node, scope: Scope): string | null {
  const n = resolve(node, scope);
  if (n.type !== 'TemplateLiteral') return null;
  let text = n.quasis[0]?.value.cooked ?? '';
  for (let i = 0; i < n.expressions.length; i++) {
    const part = stringOf(n.expressions[i] as t.Node, scope);
    if (part === null && !insideStringLiteral(text)) return null;
    text += (part ?? 'unknown') + (n.quasis[i + 1]?.value.cooked ?? '');
  }
  return text;
}

/**
 * SQL in a template whose unknown parts stand where a value stands (`where "id" in (${ids})`, `"id" = ${id}`): the
 * statement and its tables are known, only which rows it picks. Each such part becomes NULL. Null when a part
 * touches a name or a quote (`"${table}"`, `t_${suffix}`) or follows anything but `(`, `,` or a comparison, so a
 * name, a clause or a list of columns never gets a made-up value. The caller keeps it only for a DELETE or SELECT.
 */
function withRunTimeValues(node: t.Node, scope: Scope): string | null {
  const n = resolve(node, scope);
  if (n.type !== 'TemplateLiteral') return null;
  let text = n.quasis[0]?.value.cooked ?? '';
  let unknown = false;
  for (let i = 0; i < n.expressions.length; i++) {
    const part = stringOf(n.expressions[i] as t.Node, scope);
    const after = n.quasis[i + 1]?.value.cooked ?? '';
    if (part !== null || insideStringLiteral(text)) {
      text += (part ?? 'unknown') + after;
      continue;
    }
    const before = text.trimEnd().at(-1) ?? '';
    if (!before || !'(,=<>'.includes(before) || touchesName(text.at(-1)) || touchesName(after[0])) return null;
    unknown = true;
    text += `NULL${after}`;
  }
  return unknown ? text : null;
}

/** A character that would join a value to a name: a letter, digit, `_`, `$`, `.` or an identifier quote. */
function touchesName(c: string | undefined): boolean {
  if (!c) return false;
  const code = c.toLowerCase().charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || '_$."`[]\''.includes(c);
}

/** A statement that only reads, or deletes rows of a named table. */
function readsOrDeletesRows(op: Operation): boolean {
  if (op.kind === 'DataChange') return op.action === 'delete';
  // PostgreSQL names it SelectStmt (SelectStmt:constant), the MySQL and SQLite readers select.
  return op.kind === 'Raw' && !op.notAnalyzed && op.statement.toLowerCase().startsWith('select');
}

/**
 * Replacements the driver substitutes before sending (Sequelize `:name` and `?` with `replacements`): each becomes
 * `1` padded to its length, outside string literals, comments and `::` casts, so the statement parses where it stood.
 */
export function substituteReplacements(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      out += sql.slice(i, end < 0 ? sql.length : end);
      i = end < 0 ? sql.length : end - 1;
    } else if (c === ':' && sql[i + 1] === ':') {
      out += '::';
      i++;
    } else if (c === ':' && isWordStart(sql[i + 1]) && sql[i - 1] !== ':') {
      let j = i + 1;
      while (j < sql.length && isWordChar(sql[j])) j++;
      out += `1${' '.repeat(j - i - 1)}`;
      i = j - 1;
    } else if (c === '?') out += '1';
    else out += c;
  }
  return out;
}

function closingQuote(sql: string, from: number, quote: string): number {
  for (let i = from + 1; i < sql.length; i++) {
    if (sql[i] === quote && sql[i + 1] === quote) i++;
    else if (sql[i] === quote) return i;
  }
  return sql.length - 1;
}

function isWordStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}

function isWordChar(c: string | undefined): boolean {
  return isWordStart(c) || (c !== undefined && c >= '0' && c <= '9');
}

/** Whether SQL text ends inside a single-quoted string literal ('' is a quote inside one; -- and /* comments hide quotes). */
function insideStringLiteral(sql: string): boolean {
  let inString = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (inString) {
      if (c === "'" && sql[i + 1] === "'") i++;
      else if (c === "'") inString = false;
    } else if (c === "'") inString = true;
    else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      if (end < 0) return false;
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return false;
      i = end + 1;
    }
  }
  return inString;
}

export interface Trial {
  ops: Operation[];
  notes: AdapterNote[];
  errors: ReadError[];
  throws: boolean;
}

/** Whether an operation changes rows at most: data changes, settings, and SELECTs run through raw SQL. */
const changesRowsOnly = (o: Operation) =>
  DATA_ONLY.has(o.kind) || (o.kind === 'Raw' && !o.notAnalyzed && o.statement.toLowerCase().includes('select'));
const changesNothing = (t: Trial) =>
  t.errors.length === 0 && t.notes.length === 0 && t.ops.every((o) => o.kind === 'Raw' && changesRowsOnly(o));
const onlyData = (t: Trial) => t.notes.length === 0 && t.errors.length === 0 && t.ops.every(changesRowsOnly);

/** Recognises one expression of the framework's API and records its operations; false when it is not one. */
export type Handler = (expr: t.Node, scope: Scope, dir: Direction) => boolean;

/** Whether a node is (bound to) the framework object of that kind (`queryRunner`, `knex`, `pgm`). */
export function isRef(node: t.Node | undefined, scope: Scope, kind: string): boolean {
  return !!node && opaqueKind(resolve(node, scope)) === kind;
}

/** Runs a migration function (or a helper it calls) with its parameters bound. */
export function runFunction(fn: FunctionNode, scope: Scope, dir: Direction, handle: Handler): void {
  const inner = scope.child();
  const outer = dir.returned;
  if (fn.body.type === 'BlockStatement') walkStatements(fn.body.body, inner, dir, handle, true);
  else walkExpression(fn.body, inner, dir, handle);
  // A return ends this function (a callback, a helper), not the one that called it.
  dir.returned = outer;
}

/** Functions defined in another module (a sibling helper file): the scope their names resolve in. */
const HOME = new WeakMap<t.Node, Scope>();

export function setHome(fn: t.Node, scope: Scope): void {
  HOME.set(fn, scope);
}

export function walkStatements(statements: readonly t.Node[], scope: Scope, dir: Direction, handle: Handler, top = false): void {
  for (const s of statements) {
    if (dir.returned) return;
    switch (s.type) {
      case 'ExpressionStatement':
        walkExpression(s.expression, scope, dir, handle);
        break;
      case 'ReturnStatement':
        if (s.argument) walkExpression(s.argument, scope, dir, handle, true);
        dir.returned = true;
        break;
      case 'VariableDeclaration':
        for (const d of s.declarations) {
          if (!d.init) {
            if (d.id.type === 'Identifier') scope.set(d.id.name, opaque(d.id.name));
            continue;
          }
          const init = unwrap(d.init);
          const isRequire = init.type === 'CallExpression' && isIdentifier(init.callee, 'require');
          if (hasEffects(init) && !isRequire) walkExpression(init, scope, dir, handle);
          bindPattern(d.id, dir.hooks.value?.(init, scope) ?? d.init, scope);
        }
        break;
      case 'BlockStatement':
        walkStatements(s.body, scope.child(), dir, handle, top);
        break;
      case 'TryStatement':
        // Judged as if the try body runs to its end; the catch is what happens when it does not.
        walkStatements(s.block.body, scope.child(), dir, handle, top);
        if (s.finalizer) walkStatements(s.finalizer.body, scope.child(), dir, handle, top);
        break;
      case 'ThrowStatement':
        if (top) dir.throws = true;
        break;
      case 'FunctionDeclaration':
        if (s.id) scope.set(s.id.name, s);
        break;
      case 'IfStatement':
        branch(s, s.test, s.consequent, s.alternate ?? null, scope, dir, handle);
        break;
      case 'SwitchStatement':
        switchStatement(s, scope, dir, handle);
        break;
      case 'ForOfStatement':
      case 'ForInStatement': {
        const items = s.type === 'ForOfStatement' ? itemsOf(s.right, scope) : keysOf(s.right, scope);
        const pattern = s.left.type === 'VariableDeclaration' ? s.left.declarations[0]?.id : s.left;
        loop(s, items, (inner, item) => pattern && bindPattern(pattern, item, inner), s.body, scope, dir, handle);
        break;
      }
      case 'ForStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        loop(s, null, () => {}, s.body, scope, dir, handle);
        break;
      case 'LabeledStatement':
        walkStatements([s.body], scope, dir, handle, top);
        break;
      case 'EmptyStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'ClassDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
        break;
      default:
        dir.out.notAnalyzed(s, `a ${s.type} statement`);
    }
  }
}

/** Binds the names of a declaration (`x`, `{ a, b }`, `[k, v]`) to what they hold; run-time values stay opaque. */
export function bindPattern(pattern: t.Node, value: t.Node, scope: Scope): void {
  const v = resolve(value, scope);
  switch (pattern.type) {
    case 'Identifier':
      scope.set(pattern.name, value);
      return;
    case 'AssignmentPattern':
      bindPattern(pattern.left, v.type === 'Identifier' && opaqueKind(v) === 'runtime' ? pattern.right : value, scope);
      return;
    case 'ObjectPattern': {
      const props = propsOf(v, scope);
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') {
          bindPattern(p.argument, opaque('rest'), scope);
          continue;
        }
        const key = p.key.type === 'Identifier' && !p.computed ? p.key.name : stringOf(p.key, scope);
        const got = key !== null ? props?.get(key) : undefined;
        bindPattern(p.value, got ?? opaque(key ?? 'property'), scope);
      }
      return;
    }
    case 'ArrayPattern':
      pattern.elements.forEach((el, i) => {
        if (!el) return;
        const item = v.type === 'ArrayExpression' ? v.elements[i] : null;
        bindPattern(
          el.type === 'RestElement' ? el.argument : el,
          item && item.type !== 'SpreadElement' && el.type !== 'RestElement' ? item : opaque('element'),
          scope,
        );
      });
      return;
    default:
      return;
  }
}

/** `if` / `? :` / `&&`: a condition known statically (or by the set's dialect) takes its branch; a guard on the schema is judged as if the guarded change happens. */
function branch(
  at: t.Node,
  test: t.Node,
  consequent: t.Node,
  alternate: t.Node | null,
  scope: Scope,
  dir: Direction,
  handle: Handler,
): void {
  const read = (node: t.Node | null) =>
    dir.trial((d) => {
      if (!node) return;
      if (node.type.endsWith('Statement') || node.type === 'VariableDeclaration') walkStatements([node], scope.child(), d, handle);
      else walkExpression(node, scope, d, handle);
    });
  const known = truth(test, scope);
  // The test itself may run something (`if (await knex.schema.hasColumn(...))`); one the dialect decides only reads it.
  if (known === null && hasEffects(test)) walkExpression(test, scope, dir, handle);
  if (known !== null) {
    const taken = known ? consequent : alternate;
    if (taken) dir.keep(read(taken));
    return;
  }
  const yes = read(consequent);
  const no = read(alternate);
  if (isGuard(test, scope, dir) || namesWhatItAdds(test, [yes, no])) {
    // The branch that changes the schema is the guarded change; an `if (exists) return` guard changes nothing itself.
    const guarded = yes.ops.length || !no.ops.length ? yes : no;
    for (const o of guarded.ops) o.guarded = true;
    dir.keep(guarded);
    const other = guarded === yes ? no : yes;
    if (other.ops.length) dir.out.notAnalyzed(at, 'both branches of a check on the current schema change it');
    return;
  }
  if (changesNothing(yes) && changesNothing(no)) return;
  if (onlyData(yes) && onlyData(no)) {
    // Rows are changed or not depending on data: judged as if both branches run.
    dir.keep(yes);
    dir.keep(no);
    return;
  }
  dir.keep(yes);
  dir.keep(no, false);
  dir.out.notAnalyzed(at, 'a branch on a value known only at run time (the schema change may or may not happen)');
}

/** `switch` on the database (`case 'postgres':`) takes the set's dialect; any other switch is a branch on run-time values. */
function switchStatement(s: t.SwitchStatement, scope: Scope, dir: Direction, handle: Handler): void {
  const run = (from: number) =>
    dir.trial((d) => {
      const inner = scope.child();
      for (const c of s.cases.slice(from)) {
        walkStatements(c.consequent, inner, d, handle);
        if (c.consequent.some((x) => x.type === 'BreakStatement' || x.type === 'ReturnStatement')) break;
      }
    });
  const disc = stringOf(s.discriminant, scope);
  const matches = s.cases.map((c) => {
    if (!c.test) return null;
    const label = stringOf(c.test, scope);
    if (label === null) return undefined;
    if (disc !== null) return label === disc;
    return scope.dialect ? isDialectName(label, scope.dialect) : null;
  });
  if (matches.every((m) => m === null || m === true || m === false) && matches.some((m) => m !== null)) {
    const hit = matches.indexOf(true);
    const from = hit >= 0 ? hit : s.cases.findIndex((c) => !c.test);
    if (from >= 0) dir.keep(run(from));
    return;
  }
  const trials = s.cases.map((_, i) => run(i));
  if (trials.every(changesNothing)) return;
  if (trials.every(onlyData)) {
    for (const t of trials) dir.keep(t);
    return;
  }
  for (const t of trials) dir.keep(t, t === trials[0]);
  dir.out.notAnalyzed(s, 'a switch on a value known only at run time (the schema change may or may not happen)');
}

/** Whether a condition depends on what the schema is now (hasColumn, describeTable, a catalog query). */
function isGuard(test: t.Node, scope: Scope, dir: Direction): boolean {
  const seen = new Set<t.Node>();
  const probe = (n: t.Node, depth: number): boolean => {
    if (depth > 8 || seen.has(n)) return false;
    seen.add(n);
    let found = false;
    visitNodes(n, (x) => {
      if (found) return false;
      if (x.type === 'CallExpression' && (dir.hooks.probe?.(x, scope) || readsCatalog(x, scope) || namedProbe(x, scope))) found = true;
      else if (x.type === 'Identifier') {
        const bound = resolve(x, scope);
        if (bound !== x && !opaqueKind(bound) && probe(bound, depth + 1)) found = true;
      }
      return !found;
    });
    return found;
  };
  return probe(test, 0);
}

/**
 * A condition that names the column or table its branch adds (`!has(row, 'isEnabled')` before adding
 * isEnabled, `'isEnabled' in row`) tests whether that change was already made: a guard, like hasColumn.
 */
function namesWhatItAdds(test: t.Node, trials: readonly Trial[]): boolean {
  const added = new Set<string>();
  for (const o of trials.flatMap((x) => x.ops)) {
    if (o.kind === 'AddColumn') added.add(o.column.name);
    else if (o.kind === 'CreateTable') added.add(o.table.name);
  }
  if (!added.size) return false;
  let found = false;
  visitNodes(test, (x) => {
    if (found) return false;
    const name =
      x.type === 'StringLiteral'
        ? x.value
        : x.type === 'MemberExpression' && !x.computed && x.property.type === 'Identifier'
          ? x.property.name
          : null;
    if (name !== null && added.has(name)) found = true;
    return !found;
  });
  return found;
}

/** Helpers whose name says they look at the schema as it is (`hasColumn(queryRunner, 't', 'c')`, `tableExists(knex, 't')`). */
const PROBE_NAMES = new Set([
  'hascolumn',
  'hastable',
  'hasindex',
  'hasconstraint',
  'hasforeignkey',
  'columnexists',
  'tableexists',
  'indexexists',
  'constraintexists',
  'doescolumnexist',
  'doestableexist',
  'checkcolumnexists',
  'checktableexists',
]);

/** A call of a helper named as a schema check that is handed the framework object. */
function namedProbe(call: t.CallExpression, scope: Scope): boolean {
  const callee = unwrap(call.callee);
  const name =
    callee.type === 'Identifier'
      ? callee.name
      : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier'
        ? callee.property.name
        : null;
  return !!name && PROBE_NAMES.has(name.toLowerCase()) && call.arguments.some((a) => mentionsFramework(a, scope));
}

/** Catalogs a query reads to learn the current schema. */
const CATALOG_WORDS = [
  'information_schema',
  'pg_catalog',
  'pg_class',
  'pg_attribute',
  'pg_indexes',
  'pg_constraint',
  'pg_type',
  'pg_enum',
  'sqlite_master',
  'sqlite_schema',
  'pragma ',
  'pragma_table_info',
  'show columns',
  'show index',
];

/** A call whose SQL text reads the catalog (`SELECT … FROM information_schema.columns`, `PRAGMA table_info(t)`). */
function readsCatalog(call: t.CallExpression, scope: Scope): boolean {
  return call.arguments.some((a) => {
    const text = stringOf(a, scope)?.toLowerCase();
    return !!text && CATALOG_WORDS.some((w) => text.includes(w));
  });
}

/** Loops over literal collections are unrolled; a loop over run-time values is read once and judged as if it runs. */
function loop(
  at: t.Node,
  items: t.Node[] | null,
  bind: (scope: Scope, item: t.Node) => void,
  body: t.Node,
  scope: Scope,
  dir: Direction,
  handle: Handler,
): void {
  const walkBody = (d: Direction, inner: Scope) =>
    isFunction(body) ? runFunction(body, inner, d, handle) : walkStatements([body], inner, d, handle);
  if (items && items.length <= 500) {
    for (const item of items) {
      if (dir.returned) return;
      const inner = scope.child();
      bind(inner, item);
      walkBody(dir, inner);
    }
    return;
  }
  const once = dir.trial((d) => {
    const inner = scope.child();
    bind(inner, opaque('item'));
    walkBody(d, inner);
  });
  dir.keep(once);
  // Rows changed per item are judged as if the loop runs; schema changes repeated a run-time number of times are not.
  if (!onlyData(once) && once.notes.length === 0 && once.errors.length === 0)
    dir.out.notAnalyzed(at, 'a loop over values known only at run time (its schema changes run an unknown number of times)');
}

/** The elements of a literal collection: an array, `Object.keys/values/entries` of an object literal. */
export function itemsOf(node: t.Node, scope: Scope): t.Node[] | null {
  const n = resolve(node, scope);
  if (n.type === 'ArrayExpression') {
    const out: t.Node[] = [];
    for (const el of n.elements) {
      if (!el) continue;
      if (el.type === 'SpreadElement') {
        const inner = itemsOf(el.argument, scope);
        if (!inner) return null;
        out.push(...inner);
      } else out.push(el);
    }
    return out;
  }
  if (n.type === 'CallExpression' && n.arguments.length === 1) {
    const { root, steps } = chainOf(n);
    const method = steps.length === 1 ? steps[0]?.name : null;
    if (isIdentifier(root, 'Object') && method) {
      const props = propsOf(n.arguments[0], scope);
      if (!props) return null;
      if (method === 'keys') return [...props.keys()].map(literal);
      if (method === 'values') return [...props.values()];
      if (method === 'entries') return [...props].map(([k, v]) => arrayOf([literal(k), v]));
    }
  }
  return null;
}

function keysOf(node: t.Node, scope: Scope): t.Node[] | null {
  const props = propsOf(node, scope);
  return props ? [...props.keys()].map(literal) : null;
}

/** A string literal twoway makes (a key of an object literal, a value it computed), with no place in the file. */
export function literal(value: string): t.StringLiteral {
  return { type: 'StringLiteral', value, start: null, end: null, loc: null } as unknown as t.StringLiteral;
}

function arrayOf(elements: t.Node[]): t.ArrayExpression {
  return { type: 'ArrayExpression', elements, start: null, end: null, loc: null } as unknown as t.ArrayExpression;
}

/** A value as a node that needs no scope to read: static values become literals, the rest stays as resolved. */
export function materialize(node: t.Node, scope: Scope): t.Node {
  const n = resolve(node, scope);
  if (opaqueKind(n)) return n;
  const v = staticValue(n, scope);
  if (v === UNKNOWN) return n.type === 'Identifier' ? opaque(n.name) : n;
  if (typeof v === 'string' && n.type !== 'StringLiteral') return { ...literal(v), loc: n.loc, start: n.start, end: n.end } as t.Node;
  return n;
}

/** Array methods that take a callback and call it per element: a loop over the receiver. */
const ITERATING = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce']);
/** Globals and methods that compute values without touching the database. */
const PURE_GLOBALS = new Set([
  'console',
  'Math',
  'JSON',
  'Object',
  'Array',
  'Number',
  'String',
  'Boolean',
  'Date',
  'parseInt',
  'parseFloat',
  'isNaN',
  'encodeURIComponent',
  'decodeURIComponent',
  'Buffer',
  'Symbol',
  'BigInt',
  'Promise',
  'Set',
  'Map',
  'RegExp',
  'Error',
]);
const PURE_METHODS = new Set([
  ...ITERATING,
  'includes',
  'indexOf',
  'join',
  'split',
  'slice',
  'splice',
  'concat',
  'flat',
  'keys',
  'values',
  'entries',
  'push',
  'pop',
  'shift',
  'unshift',
  'sort',
  'reverse',
  'toString',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'replace',
  'replaceAll',
  'startsWith',
  'endsWith',
  'padStart',
  'padEnd',
  'substring',
  'substr',
  'charAt',
  'match',
  'test',
  'get',
  'has',
  'set',
  'add',
  'at',
  'fill',
  'toISOString',
  'getTime',
  'toFixed',
  'log',
  'warn',
  'info',
  'error',
  'debug',
]);
/** Packages whose functions compute values only. */
const PURE_MODULES = /^(node:)?(path|util|crypto|url|lodash(\/.*)?|lodash\.[a-z]+|uuid|semver|date-fns|moment|dayjs|nanoid)$/;

/** Whether an expression holds anything that runs: calls, assignments, `new` with such arguments (functions not called do not). */
export function hasEffects(node: t.Node): boolean {
  let found = false;
  visitNodes(node, (n) => {
    if (found) return false;
    if (isFunction(n)) return false;
    if (
      n.type === 'CallExpression' ||
      n.type === 'OptionalCallExpression' ||
      n.type === 'AssignmentExpression' ||
      n.type === 'TaggedTemplateExpression' ||
      (n.type === 'UnaryExpression' && n.operator === 'delete')
    )
      found = true;
    return !found;
  });
  return found;
}

/** Whether a node mentions a framework object (directly or through a binding). */
function mentionsFramework(node: t.Node, scope: Scope): boolean {
  let found = false;
  visitNodes(node, (n) => {
    if (found) return false;
    if (n.type === 'Identifier' || n.type === 'ThisExpression') {
      const kind = opaqueKind(resolve(n, scope));
      if (kind && kind !== 'runtime' && !kind.startsWith('import:')) found = true;
    }
    return !found;
  });
  return found;
}

/** A call that computes a value without reaching the database: console, Math, lodash, array and string methods of local values. */
/** Node's child_process: the function that starts another program (`execSync`, `cp.spawn`, `require('child_process').exec`), else null. */
function startsProgram(e: t.CallExpression, scope: Scope): string | null {
  const { root, steps } = chainOf(e);
  const fromChildProcess = (source: string | null) => source === 'child_process' || source === 'node:child_process';
  const bound = resolve(root, scope);
  const kind = opaqueKind(bound);
  // const cp = require('child_process') inside a function binds the require call itself.
  const requiredHere = bound.type === 'CallExpression' && isIdentifier(bound.callee, 'require') ? stringOf(bound.arguments[0], null) : null;
  if ((kind?.startsWith('import:') && fromChildProcess(kind.slice('import:'.length))) || fromChildProcess(requiredHere)) {
    // The step nearest the module is the function called on it (execSync(...).toString() runs execSync).
    const first = steps[0];
    return first?.name === '()' && root.type === 'Identifier' ? root.name : (first?.name ?? null);
  }
  // require('child_process').execSync(...)
  const required = steps[0];
  if (isIdentifier(root, 'require') && !scope.get('require') && required?.name === '()' && steps.length > 1) {
    return fromChildProcess(stringOf(required.args?.[0] as t.Node, null)) ? (steps[1]?.name ?? null) : null;
  }
  return null;
}

/** `process` calls that read the running process (its folder, clock) and change nothing. */
const PROCESS_READS = new Set(['cwd', 'uptime', 'hrtime', 'memoryUsage', 'cpuUsage']);

function isPure(e: t.CallExpression, scope: Scope): boolean {
  if (e.arguments.some((a) => mentionsFramework(a, scope))) return false;
  const { root, steps } = chainOf(e);
  if (isIdentifier(root, 'process') && !scope.get('process')) return steps.length === 1 && PROCESS_READS.has(steps[0]?.name ?? '');
  const r = resolve(root, scope);
  const kind = opaqueKind(r);
  // A synchronous call cannot wait for a database driver: an imported helper not awaited computes a value (makeId()).
  if (kind?.startsWith('import:')) return PURE_MODULES.test(kind.slice('import:'.length)) || !AWAITED.has(e);
  if (kind && kind !== 'runtime') return false;
  if (root.type === 'Identifier' && !scope.get(root.name)) return PURE_GLOBALS.has(root.name);
  const last = steps.at(-1);
  return !!last && last.name !== '()' && PURE_METHODS.has(last.name);
}

/** Calls whose promise the migration waits for (`await f()`, `return f()`): only these can reach a database. */
const AWAITED = new WeakSet<t.Node>();

export function walkExpression(expr: t.Node, scope: Scope, dir: Direction, handle: Handler, awaited = false): void {
  const e = unwrap(expr);
  if (awaited || containsAwait(expr)) AWAITED.add(e);
  if (!hasEffects(e)) return;
  switch (e.type) {
    case 'SequenceExpression':
      for (const x of e.expressions) walkExpression(x, scope, dir, handle);
      return;
    case 'ArrayExpression':
      for (const x of e.elements) if (x && x.type !== 'SpreadElement') walkExpression(x, scope, dir, handle);
      return;
    case 'ConditionalExpression':
      branch(e, e.test, e.consequent, e.alternate, scope, dir, handle);
      return;
    case 'LogicalExpression':
      walkExpression(e.left, scope, dir, handle);
      if (e.operator === '&&') branch(e, e.left, e.right, null, scope, dir, handle);
      else branch(e, e.left, { type: 'NullLiteral' } as t.Node, e.right, scope, dir, handle);
      return;
    case 'AssignmentExpression':
      assignment(e, scope, dir, handle);
      return;
    case 'ObjectExpression':
      for (const p of e.properties) if (p.type === 'ObjectProperty') walkExpression(p.value, scope, dir, handle);
      return;
    case 'TemplateLiteral':
    case 'BinaryExpression':
    case 'UnaryExpression':
    case 'MemberExpression':
      // A value computed from calls: the calls are what runs.
      visitNodes(e, (n) => {
        if (n === e) return true;
        if (n.type === 'CallExpression' || n.type === 'AssignmentExpression') {
          walkExpression(n, scope, dir, handle);
          return false;
        }
        return !isFunction(n);
      });
      return;
  }
  if (e.type === 'CallExpression') {
    const callee = unwrap(e.callee);
    // promise.then(() => more): the promise's own work, then the callback's; .catch/.finally handlers run only on failure.
    if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
      const method = callee.property.name;
      if (method === 'then') {
        walkExpression(callee.object, scope, dir, handle);
        const fn = e.arguments[0] ? resolve(e.arguments[0], scope) : null;
        if (fn && isFunction(fn)) callFunction(fn, [], e, scope, dir, handle);
        return;
      }
      if (method === 'catch' || method === 'finally') {
        walkExpression(callee.object, scope, dir, handle);
        return;
      }
    }
    const { root, steps } = chainOf(e);
    if (isIdentifier(root, 'Promise') && steps.length === 1 && ['all', 'allSettled', 'race', 'any'].includes(steps[0]?.name ?? '')) {
      for (const a of e.arguments) {
        const items = itemsOf(a, scope);
        if (items) for (const x of items) walkExpression(x, scope, dir, handle, true);
        else walkExpression(a, scope, dir, handle, true);
      }
      return;
    }
    if (handle(e, scope, dir)) return;
    // items.forEach((x) => ...), items.map(async (x) => ...): a loop over the receiver.
    if (
      callee.type === 'MemberExpression' &&
      !callee.computed &&
      callee.property.type === 'Identifier' &&
      ITERATING.has(callee.property.name)
    ) {
      const fn = e.arguments[0] ? resolve(e.arguments[0], scope) : null;
      if (fn && isFunction(fn) && mentionsCalls(fn)) {
        walkExpression(callee.object, scope, dir, handle);
        const param = fn.params[0];
        loop(e, itemsOf(callee.object, scope), (inner, item) => param && bindPattern(param, item, inner), fn, scope, dir, handle);
        return;
      }
    }
    const program = startsProgram(e, scope);
    if (program) {
      // execSync(`node ${script}`): another program runs, synchronous or not: it is code twoway never executes.
      dir.out.notAnalyzed(
        e,
        `application code (\`${program}\` of child_process) runs at migration time: another program twoway never executes`,
      );
      return;
    }
    const target = resolve(callee, scope);
    if (isFunction(target)) {
      callFunction(target, e.arguments, e, scope, dir, handle);
      return;
    }
    if (isPure(e, scope) || namedProbe(e, scope)) {
      for (const a of e.arguments) walkExpression(a, scope, dir, handle);
      return;
    }
    dir.out.notAnalyzed(e, `a call to ${textOf(e.callee, dir.out.source)}() that twoway does not follow`);
    return;
  }
  if (e.type === 'NewExpression') {
    for (const a of e.arguments) walkExpression(a, scope, dir, handle);
    return;
  }
  dir.out.notAnalyzed(e, `an expression twoway does not follow (${e.type})`);
}

function containsAwait(node: t.Node): boolean {
  let n = node;
  for (;;) {
    if (n.type === 'AwaitExpression') return true;
    if (n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression' || n.type === 'TSAsExpression') n = n.expression;
    else return false;
  }
}

/** Whether a function's body runs calls at all (a callback that only computes a value is not a loop of work). */
function mentionsCalls(fn: FunctionNode): boolean {
  return hasEffects(fn.body);
}

/** A helper function or method of the same file (or a sibling file it imports), read with its arguments bound. */
function callFunction(fn: FunctionNode, args: readonly t.Node[], at: t.Node, scope: Scope, dir: Direction, handle: Handler): void {
  if (dir.depth >= 8) {
    dir.out.notAnalyzed(at, 'a helper called too deep (or recursively) to follow');
    return;
  }
  const inner = (HOME.get(fn) ?? scope).child();
  const bound = scope.get('this');
  if (bound && !inner.get('this')) inner.set('this', bound);
  fn.params.forEach((p, i) => {
    const arg = args[i];
    bindPattern(p, arg && arg.type !== 'SpreadElement' ? materialize(arg, scope) : opaque(`argument${i}`), inner);
  });
  dir.depth++;
  const outer = dir.returned;
  try {
    if (fn.body.type === 'BlockStatement') walkStatements(fn.body.body, inner, dir, handle);
    else walkExpression(fn.body, inner, dir, handle);
  } finally {
    dir.depth--;
    dir.returned = outer;
  }
}

/** `x = value`, `x += 'sql'`, `column.isNullable = false`: bindings follow what the code assigns. */
function assignment(e: t.AssignmentExpression, scope: Scope, dir: Direction, handle: Handler): void {
  if (hasEffects(e.right)) walkExpression(e.right, scope, dir, handle);
  const left = e.left;
  const value = (): t.Node => {
    if (e.operator === '=') return dir.hooks.value?.(unwrap(e.right), scope) ?? materialize(e.right, scope);
    if (e.operator === '+=' && left.type === 'Identifier') {
      const a = stringOf(left, scope);
      const b = stringOf(e.right, scope);
      if (a !== null && b !== null) return literal(a + b);
    }
    return opaque(left.type === 'Identifier' ? left.name : 'value');
  };
  if (left.type === 'Identifier') {
    scope.assign(left.name, value());
    return;
  }
  if (left.type === 'MemberExpression' && !left.computed && left.property.type === 'Identifier') {
    const object = unwrap(left.object);
    if (object.type !== 'Identifier') return;
    const current = resolve(object, scope);
    const updated = withProperty(current, left.property.name, value(), scope);
    if (updated) scope.assign(object.name, updated);
  }
  // Other assignments change JavaScript values, not the schema.
}

/** Copies made of an object (`col.clone()`, `col.isNullable = false`) remember the object they came from. */
const ORIGIN = new WeakMap<t.Node, t.Node>();

export function originOf(node: t.Node): t.Node {
  return ORIGIN.get(node) ?? node;
}

export function copyOf<T extends t.Node>(from: t.Node, node: T): T {
  ORIGIN.set(node, originOf(from));
  return node;
}

/** An object literal (or `new X({...})`) with one property set; null when the object is not one. */
export function withProperty(object: t.Node, key: string, value: t.Node, scope: Scope): t.Node | null {
  const prop = {
    type: 'ObjectProperty',
    key: { type: 'Identifier', name: key },
    value,
    computed: false,
    shorthand: false,
  } as unknown as t.ObjectProperty;
  const set = (o: t.ObjectExpression): t.ObjectExpression => {
    const kept = o.properties.filter((p) => !(p.type === 'ObjectProperty' && !p.computed && propertyName(p) === key));
    return copyOf(o, { ...o, properties: [...kept, prop] });
  };
  if (object.type === 'ObjectExpression') return copyOf(object, set(object));
  if (object.type === 'NewExpression') {
    const arg = object.arguments[0] ? resolve(object.arguments[0], scope) : null;
    if (arg && arg.type !== 'ObjectExpression') return null;
    const base = (arg ?? { type: 'ObjectExpression', properties: [] }) as t.ObjectExpression;
    return copyOf(object, { ...object, arguments: [set(base), ...object.arguments.slice(1)] });
  }
  return null;
}

function propertyName(p: t.ObjectProperty): string | null {
  return p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : null;
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

/** A default the column has, computed by a call twoway does not read (`default: sqlUtils.now(dbType)`): present, value unknown. */
export const RUNTIME_DEFAULT: DefaultValue = { text: '<default computed at run time>', volatile: false };

/**
 * A default given by a call (a helper that returns the SQL or the value) is a default whose value is unknown; one given
 * by a name twoway cannot resolve may be `undefined` at run time, which leaves the column without a default: unread.
 */
export function runtimeDefault(n: t.Node | undefined, at: t.Node, out: MigrationOutput): DefaultValue {
  if (n && unwrap(n).type === 'CallExpression') return RUNTIME_DEFAULT;
  out.notAnalyzed(at, 'a default value known only at run time');
  return RUNTIME_DEFAULT;
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

const FK_ACTIONS: Record<string, ForeignKeyAction> = {
  cascade: 'cascade',
  'set null': 'set null',
  'set default': 'set default',
  restrict: 'restrict',
};

/**
 * A target with the ON DELETE / ON UPDATE an ORM option names (`'CASCADE'`, `'SET NULL'`, `'NO ACTION'`…): the
 * judge tells a key re-made with another action from the same key.
 */
export function withActions(
  target: ForeignKeyTarget,
  onDelete: string | null | undefined,
  onUpdate: string | null | undefined,
): ForeignKeyTarget {
  const del = FK_ACTIONS[(onDelete ?? '').trim().toLowerCase().replace(/_/g, ' ')];
  const upd = FK_ACTIONS[(onUpdate ?? '').trim().toLowerCase().replace(/_/g, ' ')];
  return { ...target, ...(del ? { onDelete: del } : {}), ...(upd ? { onUpdate: upd } : {}) };
}

/** `users.id` or `users` + column → a foreign key target. */
export function fkTarget(table: string, column: string | null): ForeignKeyTarget {
  const dot = table.lastIndexOf('.');
  if (!column && dot > 0) return { table: qname(table.slice(0, dot)), columns: [table.slice(dot + 1)] };
  return { table: qname(table), columns: column ? [column] : [] };
}

/** Parses a script migration's file; a file that does not parse yields its error, and answers twoway cannot give. */
export function readScript(migration: Migration): { ok: true; ast: t.File; out: MigrationOutput } | { ok: false; parsed: ParsedMigration } {
  const parsed = parseModule(migration.up);
  if (!parsed.ok) {
    return {
      ok: false,
      parsed: { migration, up: [], down: null, downStatus: 'unreadable', directives: [], errors: [parsed.error], notes: [] },
    };
  }
  return { ok: true, ast: parsed.ast, out: new MigrationOutput(migration, parsed.ast) };
}

/**
 * The scope a migration function runs in: the module's bindings (with functions imported from sibling
 * helper files of the folder), the set's dialect, and its first parameter bound to the framework object.
 */
export function functionScope(module: ModuleExports, migration: Migration, fn: FunctionNode | null, kind: string): Scope {
  linkHelpers(module, migration);
  const scope = new Scope(module.scope, migration.dialect);
  const name = fn ? paramName(fn, 0) : null;
  if (name) scope.set(name, opaque(name, kind));
  return scope;
}

const linked = new WeakSet<ModuleExports>();

/** Binds names imported from a helper file beside the migration (`import { ensureColumnExists } from './helpers'`). */
function linkHelpers(module: ModuleExports, migration: Migration): void {
  if (linked.has(module)) return;
  linked.add(module);
  for (const imp of module.imports) {
    if (!imp.source.startsWith('.')) continue;
    const helper = helperModule(join(dirname(migration.up.path), imp.source));
    const value = helper?.values.get(imp.imported ?? 'default') ?? (imp.imported === null ? helper?.values.get('*') : undefined);
    if (!helper || !value) continue;
    const fn = resolve(value, helper.scope);
    if (!isFunction(fn)) continue;
    setHome(fn, new Scope(helper.scope, migration.dialect));
    module.scope.set(imp.local, fn);
  }
}

/** Helper modules of migration folders (files that are not migrations), by path relative to the working directory. */
const helperCache = new Map<string, ModuleExports | null>();

export function registerHelper(source: SourceText): void {
  registerHelperSource(source);
  helperCache.delete(source.path);
}

function helperModule(path: string): ModuleExports | null {
  const candidates = [path, ...['.ts', '.js', '.cjs', '.mjs', '.mts', '.cts'].map((ext) => path + ext)];
  const found = candidates.find((c) => helperSource(c));
  if (!found) return null;
  if (!helperCache.has(found)) {
    const parsed = parseModule(helperSource(found) as SourceText);
    helperCache.set(found, parsed.ok ? moduleExports(parsed.ast) : null);
  }
  return helperCache.get(found) ?? null;
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
