// The ActiveRecord migration DSL → IR. Each call becomes a Step: what it does on the way up and
// what Rails' CommandRecorder would run to revert it inside `change` (or why it cannot).
import type { ColumnDef, ConstraintDef, DefaultValue, Dialect, Operation, QName, Span } from '../../ir.js';
import type { Directive, ReadError, SourceText } from '../../migration.js';
import { parseSql } from '../../sql/index.js';
import { NodeSpans, namedChildren, type SyntaxNode } from '../tree-sitter.js';
import { checkConstraintName, foreignKeyColumn, foreignKeyName, gitlabCheckName, indexName, joinTableName, pluralize } from './names.js';
import { primaryKeyType, railsType } from './types.js';
import { type Bindings, evaluate, hashEntries, isTrue, names, numberOf, type RubyValue, rubyEscape, textOf } from './values.js';

/** Why Rails cannot run a command backwards. `declared`: the author raised IrreversibleMigration. */
export interface Irreversible {
  reason: string;
  fix: string;
  span: Span;
  declared: boolean;
}

export interface Step {
  up: Operation[];
  /** What reverting this call runs (CommandRecorder's inverse), in order. */
  inverse: Operation[] | Irreversible;
}

/** Everything a reader found besides operations. */
export interface ReaderOutput {
  errors: ReadError[];
  directives: Directive[];
  /** `disable_ddl_transaction!` */
  noTransaction: boolean;
}

type Args = { positional: RubyValue[]; options: Map<string, RubyValue>; block: SyntaxNode | null; blockParam: string | null };

const SAFETY_ASSURED = 'safety_assured (strong_migrations)';
const VOLATILE = ['gen_random_uuid', 'uuid_generate_v4', 'uuid_generate_v1', 'random', 'clock_timestamp', 'timeofday', 'nextval'];
/** Iterations: a loop that makes columns or runs SQL per item is only known at run time. */
const LOOPS = new Set([
  'each',
  'each_with_index',
  'each_with_object',
  'times',
  'upto',
  'map',
  'flat_map',
  'each_slice',
  'find_each',
  'find_in_batches',
  'in_batches',
  'each_batch',
]);
/** Model queries: they read, they change nothing. */
const QUERIES = new Set([
  'find',
  'find_by',
  'find_by!',
  'where',
  'pluck',
  'count',
  'exists?',
  'first',
  'last',
  'ids',
  'select',
  'maximum',
  'minimum',
  'table_exists?',
  'column_exists?',
  'index_exists?',
  'foreign_key_exists?',
]);
/** Calls that print or reset caches: no effect on the schema. */
const NO_EFFECT = new Set([
  'say',
  'puts',
  'print',
  'p',
  'pp',
  'reset_column_information',
  'disable_ddl_transaction!',
  'require',
  'include',
]);

/** Reads the statements of one Ruby file region (a method body, a schema.rb block). */
export class RailsReader {
  readonly out: ReaderOutput = { errors: [], directives: [], noTransaction: false };
  readonly spans: NodeSpans;
  private readonly heredocBodies = new Map<number, SyntaxNode>();
  /** Methods defined in the migration class: helper calls are read in place. */
  readonly helpers = new Map<string, SyntaxNode>();
  /** Model classes declared in the migration: `class User < ActiveRecord::Base; self.table_name = 'users'`. */
  readonly models = new Map<string, string>();
  private readonly inlining = new Set<string>();

  constructor(
    readonly source: SourceText,
    readonly root: SyntaxNode,
    readonly dialect: Dialect,
    readonly env: Bindings = new Map(),
  ) {
    this.spans = new NodeSpans(source.path, source.text, source.startLine);
    const beginnings = root.descendantsOfType('heredoc_beginning').filter((n): n is SyntaxNode => n !== null);
    const bodies = root.descendantsOfType('heredoc_body').filter((n): n is SyntaxNode => n !== null);
    beginnings.forEach((b, i) => {
      const body = bodies[i];
      if (body) this.heredocBodies.set(b.id, body);
    });
  }

  /** Reads a body (method, block) statement by statement. */
  statements(body: SyntaxNode | null): Step[] {
    if (!body) return [];
    return namedChildren(body).flatMap((n) => this.read(n));
  }

  /** One statement of a body. */
  read(node: SyntaxNode): Step[] {
    switch (node.type) {
      case 'comment':
      case 'heredoc_body':
      case 'empty_statement':
      case 'class':
      case 'module':
      case 'method':
      case 'return':
        return [];
      case 'assignment':
        return this.assignment(node);
      case 'call':
        return this.call(node);
      case 'identifier':
        return this.call(node);
      case 'begin':
        return this.statements(node);
      case 'body_statement':
      case 'block_body':
      case 'then':
        return this.statements(node);
      case 'if':
      case 'unless':
      case 'if_modifier':
      case 'unless_modifier':
        return this.conditional(node);
      case 'case':
      case 'conditional':
        return [this.notAnalyzed(node, 'conditional code: which branch runs is decided at run time')];
      case 'while':
      case 'until':
      case 'for':
      case 'while_modifier':
      case 'until_modifier':
        return [this.notAnalyzed(node, 'a loop: what it changes is decided at run time')];
      default:
        return [this.notAnalyzed(node, `Ruby code twoway does not follow (${node.type})`)];
    }
  }

  /**
   * `return unless Gitlab.com?`: what follows is read. A branch without an alternative
   * (`x if cond`, `if cond … end`) is read as if it runs, the safe assumption, and said so;
   * with an `else`/`elsif` which branch runs is unknown.
   */
  private conditional(node: SyntaxNode): Step[] {
    const modifier = node.type === 'if_modifier' || node.type === 'unless_modifier';
    const body = modifier ? node.childForFieldName('body') : node.childForFieldName('consequence');
    const condition = node.childForFieldName('condition');
    if (modifier && body?.type === 'return') return [];
    if (!body || node.childForFieldName('alternative')) {
      return [this.notAnalyzed(node, 'conditional code: which branch runs is decided at run time')];
    }
    const steps = modifier ? this.read(body) : this.statements(body);
    if (!steps.some((s) => s.up.length)) return steps;
    const when = `${node.type.startsWith('unless') ? 'unless' : 'if'} ${condition?.text.split('\n')[0] ?? '…'}`;
    return [this.notAnalyzed(node, `the condition \`${when}\` is decided at run time; what it guards is read as if it runs`), ...steps];
  }

  private assignment(node: SyntaxNode): Step[] {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return [];
    if (left.type === 'identifier' || left.type === 'constant') {
      const value = evaluate(right, this.env);
      if (value.kind !== 'unknown') {
        this.env.set(left.text, value);
        return [];
      }
      this.env.delete(left.text);
    }
    return right.type === 'call' ? this.call(right) : [];
  }

  // ── calls ──────────────────────────────────────────────────────────────────────────────

  private call(node: SyntaxNode): Step[] {
    const receiver = node.type === 'call' ? node.childForFieldName('receiver') : null;
    const method = node.type === 'identifier' ? node.text : (node.childForFieldName('method')?.text ?? '');
    if (receiver) return this.receiverCall(node, receiver, method);
    if (NO_EFFECT.has(method)) return [];
    const args = this.args(node);
    const handler = COMMANDS[method];
    if (handler) return handler(this, node, args);
    const helper = this.helpers.get(method);
    if (helper && !this.inlining.has(method)) {
      this.inlining.add(method);
      try {
        return this.statements(helper.childForFieldName('body'));
      } finally {
        this.inlining.delete(method);
      }
    }
    return [this.notAnalyzed(node, `\`${method}\` is not a migration command twoway knows`)];
  }

  private receiverCall(node: SyntaxNode, receiver: SyntaxNode, method: string): Step[] {
    const args = this.args(node);
    // connection.execute / ActiveRecord::Base.connection.execute / exec_query
    if (receiver.text.endsWith('connection') && (method === 'execute' || method === 'exec_query' || method === 'exec_update')) {
      return execute(this, node, args);
    }
    if (method === 'reset_column_information' || method === 'say' || QUERIES.has(method)) return [];
    if (args.block && LOOPS.has(method)) return [this.notAnalyzed(node, `a loop (\`${method}\`): what it changes is decided at run time`)];
    const model = this.modelTable(receiver);
    if (model && (method === 'update_all' || method === 'delete_all')) {
      const assigned = args.positional[0]?.kind === 'hash' ? args.positional[0].entries : args.options;
      const columns = method === 'update_all' ? [...assigned.keys()] : [];
      const op: Operation = {
        kind: 'DataChange',
        ...this.at(node),
        action: method === 'update_all' ? 'update' : 'delete',
        table: { name: model.table },
        hasWhere: model.scoped,
        columns,
      };
      return [{ up: [op], inverse: [] }];
    }
    return [this.notAnalyzed(node, `application code (\`${receiver.text.split('\n')[0]}.${method}\`) runs at migration time`)];
  }

  /** `User.where(...).update_all` → the users table, scoped; null when the receiver is no model. */
  private modelTable(receiver: SyntaxNode): { table: string; scoped: boolean } | null {
    let scoped = false;
    let node: SyntaxNode | null = receiver;
    while (node?.type === 'call') {
      const m = node.childForFieldName('method')?.text ?? '';
      if (m !== 'all' && m !== 'unscoped') scoped = true;
      node = node.childForFieldName('receiver');
    }
    if (!node || (node.type !== 'constant' && node.type !== 'scope_resolution')) return null;
    const name = node.text.split('::').at(-1) ?? node.text;
    const table = this.models.get(name) ?? pluralize(name.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase());
    return { table, scoped };
  }

  args(node: SyntaxNode): Args {
    const list = node.type === 'call' ? node.childForFieldName('arguments') : null;
    const positional: RubyValue[] = [];
    const pairs: SyntaxNode[] = [];
    for (const a of list ? namedChildren(list) : []) {
      if (a.type === 'pair') pairs.push(a);
      else if (a.type === 'hash' && a === list?.lastNamedChild) pairs.push(...namedChildren(a));
      else if (a.type !== 'comment') positional.push(this.value(a));
    }
    const block = node.type === 'call' ? node.childForFieldName('block') : null;
    const param = block?.childForFieldName('parameters');
    const blockParam = param ? (namedChildren(param)[0]?.text ?? null) : null;
    return { positional, options: hashEntries(pairs, this.env), block, blockParam };
  }

  private value(node: SyntaxNode): RubyValue {
    if (node.type === 'heredoc_beginning') return this.heredoc(node) ?? { kind: 'unknown', node };
    if (node.type === 'call') {
      const receiver = node.childForFieldName('receiver');
      if (receiver?.type === 'heredoc_beginning') return this.heredoc(receiver) ?? { kind: 'unknown', node };
    }
    return evaluate(node, this.env);
  }

  private heredoc(beginning: SyntaxNode): RubyValue | null {
    const body = this.heredocBodies.get(beginning.id);
    if (!body || body.descendantsOfType('interpolation').length) return null;
    return { kind: 'string', value: this.heredocText(beginning, body).text, node: body };
  }

  /** A heredoc's body as written (indentation kept: SQL does not care, and columns stay true to the file). */
  heredocText(beginning: SyntaxNode, body: SyntaxNode): { text: string; start: number } {
    const raw = beginning.text.includes("'");
    const end = body.lastNamedChild?.type === 'heredoc_end' ? body.lastNamedChild.startIndex : body.endIndex;
    let start = body.startIndex;
    const full = this.source.text;
    while (start < end && full[start] !== '\n') start++;
    start++;
    let text = '';
    let at = start;
    for (const part of namedChildren(body)) {
      if (part.type !== 'escape_sequence' || raw) continue;
      text += full.slice(at, part.startIndex) + rubyEscape(part.text);
      at = part.endIndex;
    }
    text += full.slice(at, end);
    return { text, start };
  }

  // ── helpers for commands ──────────────────────────────────────────────────────────────

  at(node: SyntaxNode): { span: Span; text: string } {
    return { span: this.spans.span(node), text: node.text };
  }

  notAnalyzed(node: SyntaxNode, why: string): Step {
    const op: Operation = { kind: 'Raw', ...this.at(node), statement: statementName(node), notAnalyzed: why };
    return { up: [op], inverse: [] };
  }

  irreversible(node: SyntaxNode, reason: string, fix: string): Irreversible {
    return { reason, fix, span: this.spans.span(node), declared: false };
  }

  /** SQL in a Ruby string literal or heredoc, parsed with the dialect's parser at its place in the file. */
  sql(value: RubyValue, call: SyntaxNode): Operation[] | null {
    const node = value.node;
    if (value.kind !== 'string') return null;
    let text: string;
    let offset: number;
    if (node.type === 'heredoc_body') {
      const beginning = [...this.heredocBodies].find(([, b]) => b.id === node.id)?.[0];
      const begin = beginning === undefined ? null : call.descendantsOfType('heredoc_beginning').find((b) => b?.id === beginning);
      if (!begin) return null;
      const h = this.heredocText(begin, node);
      text = h.text;
      offset = h.start;
    } else {
      text = value.value;
      // Past the opening quote (`"`, `'`, `%q{`, `%Q(`, `%(`): the content's first character.
      offset = node.type === 'string' ? (namedChildren(node)[0]?.startIndex ?? node.startIndex + 1) : node.startIndex;
    }
    const pos = this.spans.position(offset);
    // Leading spaces keep the parser's columns equal to the file's on the first line.
    const parsed = parseSql(
      { path: this.source.path, text: ' '.repeat(pos.column - 1) + text, startLine: pos.line, language: 'sql' },
      this.dialect,
    );
    this.out.errors.push(...parsed.errors);
    return parsed.ops;
  }

  /** A block's body statements with a directive range over it (safety_assured). */
  acknowledged(node: SyntaxNode, reason: string): void {
    const span = this.spans.span(node);
    this.out.directives.push({
      type: 'ignore',
      rule: '*',
      reason,
      path: span.path,
      line: span.line,
      column: span.column,
      endLine: span.endLine,
    });
  }
}

function statementName(node: SyntaxNode): string {
  if (node.type === 'call') return node.childForFieldName('method')?.text ?? 'call';
  return node.type;
}

// ── the commands ──────────────────────────────────────────────────────────────────────────

type Handler = (r: RailsReader, node: SyntaxNode, args: Args) => Step[];

function blockBody(block: SyntaxNode | null): SyntaxNode | null {
  return block?.childForFieldName('body') ?? null;
}

function needNames(r: RailsReader, node: SyntaxNode, values: Array<RubyValue | undefined>, what: string): string[] | Step {
  const out: string[] = [];
  for (const v of values) {
    const s = textOf(v);
    if (s === null) return r.notAnalyzed(node, `the ${what} is computed at run time`);
    out.push(s);
  }
  return out;
}

function defaultOf(v: RubyValue | undefined): DefaultValue | null {
  if (!v || v.kind === 'nil' || v.kind === 'unknown' || v.kind === 'constant') return null;
  switch (v.kind) {
    case 'string':
    case 'symbol':
      return { text: `'${v.value.replaceAll("'", "''")}'`, volatile: false };
    case 'number':
      return { text: String(v.value), volatile: false };
    case 'bool':
      return { text: String(v.value), volatile: false };
    case 'array':
      return { text: `'{${v.items.map((i) => textOf(i) ?? (i.kind === 'number' ? String(i.value) : '')).join(',')}}'`, volatile: false };
    case 'hash':
      return { text: `'${v.node.text}'`, volatile: false };
    case 'lambda': {
      const text = textOf(v.body ?? undefined) ?? v.node.text;
      return { text, volatile: VOLATILE.some((f) => text.toLowerCase().includes(`${f}(`)) };
    }
  }
}

/** A column as `add_column` / `t.<type>` define it. */
function columnDef(r: RailsReader, name: string, type: string, o: Map<string, RubyValue>): ColumnDef {
  const typeRef = railsType(
    type,
    {
      limit: numberOf(o.get('limit')),
      precision: o.get('precision')?.kind === 'nil' ? null : numberOf(o.get('precision')),
      scale: numberOf(o.get('scale')),
      array: isTrue(o.get('array')),
      enumType: textOf(o.get('enum_type')) ?? undefined,
    },
    r.dialect,
  );
  const nullOption = o.get('null');
  const primaryKey = isTrue(o.get('primary_key'));
  return {
    name,
    type: typeRef,
    nullable: !(nullOption?.kind === 'bool' && !nullOption.value) && !primaryKey,
    default: defaultOf(o.get('default')),
    primaryKey,
    unique: false,
    generated: o.has('as') && isTrue(o.get('stored')),
    identity: false,
    references: null,
  };
}

function table(name: string): QName {
  const dot = name.indexOf('.');
  return dot > 0 ? { schema: name.slice(0, dot), name: name.slice(dot + 1) } : { name };
}

function indexOp(r: RailsReader, node: SyntaxNode, tableName: string, columns: string[], o: Map<string, RubyValue>): Operation {
  return {
    kind: 'AddIndex',
    ...r.at(node),
    table: table(tableName),
    name: textOf(o.get('name')) ?? indexName(tableName, columns),
    columns,
    unique: isTrue(o.get('unique')),
    concurrently: textOf(o.get('algorithm')) === 'concurrently',
    ifNotExists: isTrue(o.get('if_not_exists')),
    method: textOf(o.get('using')) ?? 'btree',
    where: textOf(o.get('where')),
  };
}

function dropIndexOp(r: RailsReader, node: SyntaxNode, tableName: string, name: string, o: Map<string, RubyValue>): Operation {
  const t = table(tableName);
  return {
    kind: 'DropIndex',
    ...r.at(node),
    index: t.schema ? { schema: t.schema, name } : { name },
    concurrently: textOf(o.get('algorithm')) === 'concurrently',
    ifExists: isTrue(o.get('if_exists')),
  };
}

function foreignKey(r: RailsReader, node: SyntaxNode, from: string, to: string, o: Map<string, RubyValue>): Operation {
  const column = textOf(o.get('column')) ?? foreignKeyColumn(to);
  const constraint: ConstraintDef = {
    name: textOf(o.get('name')) ?? foreignKeyName(from, column),
    type: 'foreign-key',
    columns: [column],
    references: { table: table(to), columns: [textOf(o.get('primary_key')) ?? 'id'] },
    notValid: o.get('validate')?.kind === 'bool' && !isTrue(o.get('validate')),
    usingIndex: null,
    expression: null,
  };
  return { kind: 'AddConstraint', ...r.at(node), table: table(from), constraint };
}

/** `t.references :user, foreign_key: true, polymorphic: true, index: {unique: true}` and `add_reference`. */
function reference(r: RailsReader, node: SyntaxNode, tableName: string, ref: string, o: Map<string, RubyValue>) {
  const polymorphic = isTrue(o.get('polymorphic'));
  const idType = textOf(o.get('type')) ?? 'bigint';
  const columns = [columnDef(r, `${ref}_id`, idType, o)];
  if (polymorphic) columns.push(columnDef(r, `${ref}_type`, 'string', o));
  const indexOption = o.get('index');
  const indexed = indexOption === undefined || isTrue(indexOption);
  const indexColumns = polymorphic ? [`${ref}_type`, `${ref}_id`] : [`${ref}_id`];
  const indexOptions = new Map(indexOption?.kind === 'hash' ? indexOption.entries : []);
  const index = indexed ? indexOp(r, node, tableName, indexColumns, indexOptions) : null;
  const fkOption = o.get('foreign_key');
  let fk: Operation | null = null;
  if (isTrue(fkOption) && !polymorphic) {
    const fkOptions = new Map(fkOption?.kind === 'hash' ? fkOption.entries : []);
    const to = textOf(fkOptions.get('to_table')) ?? pluralize(ref);
    fkOptions.set('column', { kind: 'string', value: `${ref}_id`, node });
    fk = foreignKey(r, node, tableName, to, fkOptions);
  }
  return { columns, index, fk };
}

function timestamps(r: RailsReader, o: Map<string, RubyValue>): ColumnDef[] {
  const options = new Map(o);
  if (!options.has('null')) options.set('null', { kind: 'bool', value: false, node: r.root });
  return ['created_at', 'updated_at'].map((c) => columnDef(r, c, 'datetime', options));
}

/** The column calls of a `create_table` / `change_table` block: `t.string :a, :b, null: false`. */
const COLUMN_TYPES = new Set([
  'string',
  'text',
  'integer',
  'bigint',
  'float',
  'decimal',
  'numeric',
  'datetime',
  'timestamp',
  'timestamptz',
  'time',
  'date',
  'binary',
  'blob',
  'boolean',
  'json',
  'jsonb',
  'uuid',
  'xml',
  'hstore',
  'citext',
  'ltree',
  'inet',
  'cidr',
  'macaddr',
  'money',
  'interval',
  'point',
  'bit',
  'bit_varying',
  'tsvector',
  'oid',
  'daterange',
  'numrange',
  'tsrange',
  'tstzrange',
  'int4range',
  'int8range',
  'enum',
  'virtual',
  'serial',
  'bigserial',
]);

interface TableBlock {
  columns: ColumnDef[];
  constraints: ConstraintDef[];
  /** Indexes and foreign keys created after the table. */
  after: Operation[];
}

/** The body of `create_table … do |t|`, read as a table definition. */
function tableDefinition(r: RailsReader, tableName: string, block: SyntaxNode | null, param: string | null): TableBlock {
  const def: TableBlock = { columns: [], constraints: [], after: [] };
  const body = blockBody(block);
  for (const stmt of body ? namedChildren(body) : []) {
    if (stmt.type === 'comment') continue;
    const receiver = stmt.type === 'call' ? stmt.childForFieldName('receiver') : null;
    if (!receiver || receiver.text !== param) {
      def.after.push(...r.read(stmt).flatMap((s) => s.up));
      continue;
    }
    const method = stmt.childForFieldName('method')?.text ?? '';
    const a = r.args(stmt);
    const o = a.options;
    if (COLUMN_TYPES.has(method) || method === 'column') {
      const type = method === 'column' ? textOf(a.positional[1]) : method === 'virtual' ? (textOf(o.get('type')) ?? 'virtual') : method;
      const cols = method === 'column' ? a.positional.slice(0, 1) : a.positional;
      if (!type || cols.some((c) => textOf(c) === null)) {
        def.after.push(...r.notAnalyzed(stmt, 'a column whose name or type is computed at run time').up);
        continue;
      }
      for (const c of cols) {
        const column = columnDef(r, textOf(c) as string, type, o);
        def.columns.push(column);
        const index = o.get('index');
        if (isTrue(index)) def.after.push(indexOp(r, stmt, tableName, [column.name], new Map(index?.kind === 'hash' ? index.entries : [])));
      }
    } else if (method === 'references' || method === 'belongs_to') {
      for (const refValue of a.positional) {
        const ref = textOf(refValue);
        if (!ref) {
          def.after.push(...r.notAnalyzed(stmt, 'a reference whose name is computed at run time').up);
          continue;
        }
        const made = reference(r, stmt, tableName, ref, o);
        def.columns.push(...made.columns);
        if (made.index) def.after.push(made.index);
        if (made.fk) def.after.push(made.fk);
      }
    } else if (method === 'timestamps') {
      def.columns.push(...timestamps(r, o));
    } else if (method === 'index') {
      const cols = names(a.positional[0]);
      if (cols) def.after.push(indexOp(r, stmt, tableName, cols, o));
      else def.after.push(...r.notAnalyzed(stmt, 'index columns computed at run time').up);
    } else if (method === 'check_constraint') {
      const expression = textOf(a.positional[0]);
      if (expression) def.constraints.push(checkConstraint(tableName, expression, o));
    } else if (method === 'foreign_key') {
      const to = textOf(a.positional[0]);
      if (to) def.after.push(foreignKey(r, stmt, tableName, to, o));
    } else if (method === 'primary_key') {
      const name = textOf(a.positional[0]);
      const type = textOf(a.positional[1]) ?? 'primary_key';
      if (name) def.columns.push({ ...columnDef(r, name, type === 'primary_key' ? 'bigint' : type, o), primaryKey: true, nullable: false });
    } else {
      def.after.push(...r.notAnalyzed(stmt, `\`${param}.${method}\` in a table definition is not followed`).up);
    }
  }
  return def;
}

function checkConstraint(tableName: string, expression: string, o: Map<string, RubyValue>): ConstraintDef {
  return {
    name: textOf(o.get('name')) ?? checkConstraintName(tableName, expression),
    type: 'check',
    columns: [],
    references: null,
    notValid: o.get('validate')?.kind === 'bool' && !isTrue(o.get('validate')),
    usingIndex: null,
    expression,
  };
}

function createTable(r: RailsReader, node: SyntaxNode, tableName: string, args: Args): Operation[] {
  const o = args.options;
  const ops: Operation[] = [];
  const force = o.get('force');
  if (isTrue(force)) {
    ops.push({ kind: 'DropTable', ...r.at(node), table: table(tableName), ifExists: true, cascade: textOf(force) === 'cascade' });
  }
  const def = tableDefinition(r, tableName, args.block, args.blockParam);
  const id = o.get('id');
  const columns: ColumnDef[] = [];
  if (!(id?.kind === 'bool' && !id.value)) {
    const pk = primaryKeyType(textOf(id) ?? 'bigint', r.dialect);
    const pkName = textOf(o.get('primary_key')) ?? 'id';
    columns.push({
      name: pkName,
      type: pk.type,
      nullable: false,
      default: pk.default,
      primaryKey: true,
      unique: false,
      generated: false,
      identity: false,
      references: null,
    });
  }
  columns.push(...def.columns);
  ops.push({
    kind: 'CreateTable',
    ...r.at(node),
    table: table(tableName),
    columns,
    constraints: def.constraints,
    ifNotExists: isTrue(o.get('if_not_exists')),
    derived: o.has('as'),
  });
  ops.push(...def.after);
  return ops;
}

function dropTable(r: RailsReader, node: SyntaxNode, tableName: string, o: Map<string, RubyValue>): Operation {
  return {
    kind: 'DropTable',
    ...r.at(node),
    table: table(tableName),
    ifExists: isTrue(o.get('if_exists')),
    cascade: textOf(o.get('force')) === 'cascade',
  };
}

function addColumns(r: RailsReader, node: SyntaxNode, tableName: string, columns: ColumnDef[], o: Map<string, RubyValue>): Operation[] {
  return columns.map((column) => ({
    kind: 'AddColumn',
    ...r.at(node),
    table: table(tableName),
    column,
    ifNotExists: isTrue(o.get('if_not_exists')),
  }));
}

function dropColumns(r: RailsReader, node: SyntaxNode, tableName: string, columns: string[], o: Map<string, RubyValue>): Operation[] {
  return columns.map((column) => ({
    kind: 'DropColumn',
    ...r.at(node),
    table: table(tableName),
    column,
    ifExists: isTrue(o.get('if_exists')),
    cascade: false,
  }));
}

function execute(r: RailsReader, node: SyntaxNode, args: Args): Step[] {
  const sql = args.positional[0];
  const ops = sql ? r.sql(sql, node) : null;
  const inverse = r.irreversible(
    node,
    '`execute` in `change`: Rails cannot know how to undo raw SQL and raises ActiveRecord::IrreversibleMigration on rollback',
    'Wrap it in `reversible do |dir| dir.up { execute "…" }; dir.down { execute "…" } end`, or write `up` and `down` methods.',
  );
  if (!ops) return [{ up: r.notAnalyzed(node, 'SQL built at run time (interpolation or a variable): twoway cannot read it').up, inverse }];
  return [{ up: ops, inverse }];
}

/** Reads a block whose commands revert together (transaction, safety_assured, change_table). */
function nested(steps: Step[]): Step {
  const up = steps.flatMap((s) => s.up);
  const irreversible = steps.find((s) => !Array.isArray(s.inverse))?.inverse;
  const inverse =
    irreversible && !Array.isArray(irreversible) ? irreversible : [...steps].reverse().flatMap((s) => s.inverse as Operation[]);
  return { up, inverse };
}

const oneTable =
  (fn: (r: RailsReader, node: SyntaxNode, tableName: string, a: Args) => Step[]): Handler =>
  (r, node, a) => {
    const t = needNames(r, node, [a.positional[0]], 'table name');
    return Array.isArray(t) ? fn(r, node, t[0] as string, a) : [t];
  };

const COMMANDS: Record<string, Handler> = {
  execute,
  create_table: oneTable((r, node, t, a) => {
    const up = createTable(r, node, t, a);
    return [{ up, inverse: [dropTable(r, node, t, new Map())] }];
  }),
  drop_table: (r, node, a) => {
    const tables = needNames(r, node, a.positional, 'table name');
    if (!Array.isArray(tables)) return [tables];
    const up = tables.map((t) => dropTable(r, node, t, a.options));
    const inverse =
      a.block || a.options.size
        ? tables.flatMap((t) =>
            createTable(r, node, t, { ...a, options: new Map([...a.options].filter(([k]) => k !== 'force' && k !== 'if_exists')) }),
          )
        : r.irreversible(
            node,
            '`drop_table` without a block: Rails cannot recreate the table on rollback and raises ActiveRecord::IrreversibleMigration',
            'Give `drop_table` the table definition as a block (`drop_table :t do |t| t.string :name … end`) so the down can recreate it.',
          );
    return [{ up, inverse }];
  },
  create_join_table: (r, node, a) => {
    const ts = needNames(r, node, a.positional.slice(0, 2), 'table name');
    if (!Array.isArray(ts)) return [ts];
    const [x, y] = ts as [string, string];
    const name = textOf(a.options.get('table_name')) ?? joinTableName(x, y);
    const notNull = new Map<string, RubyValue>([['null', { kind: 'bool', value: false, node }]]);
    const columns = [x, y].map((t) => columnDef(r, foreignKeyColumn(t), 'bigint', notNull));
    const def = tableDefinition(r, name, a.block, a.blockParam);
    const create: Operation = {
      kind: 'CreateTable',
      ...r.at(node),
      table: table(name),
      columns: [...columns, ...def.columns],
      constraints: def.constraints,
      ifNotExists: false,
      derived: false,
    };
    return [{ up: [create, ...def.after], inverse: [dropTable(r, node, name, new Map())] }];
  },
  drop_join_table: (r, node, a) => {
    const ts = needNames(r, node, a.positional.slice(0, 2), 'table name');
    if (!Array.isArray(ts)) return [ts];
    const name = textOf(a.options.get('table_name')) ?? joinTableName(ts[0] as string, ts[1] as string);
    const create = COMMANDS.create_join_table?.(r, node, a)[0]?.up ?? [];
    return [{ up: [dropTable(r, node, name, new Map())], inverse: create }];
  },
  rename_table: (r, node, a) => {
    const ts = needNames(r, node, a.positional.slice(0, 2), 'table name');
    if (!Array.isArray(ts)) return [ts];
    const [from, to] = ts as [string, string];
    return [
      {
        up: [{ kind: 'RenameTable', ...r.at(node), table: table(from), newName: to }],
        inverse: [{ kind: 'RenameTable', ...r.at(node), table: table(to), newName: from }],
      },
    ];
  },
  add_column: oneTable((r, node, t, a) => {
    const [name, type] = [textOf(a.positional[1]), textOf(a.positional[2])];
    if (!name || !type) return [r.notAnalyzed(node, 'a column whose name or type is computed at run time')];
    const up = addColumns(r, node, t, [columnDef(r, name, type, a.options)], a.options);
    return [{ up, inverse: dropColumns(r, node, t, [name], new Map()) }];
  }),
  remove_column: oneTable((r, node, t, a) => {
    const name = textOf(a.positional[1]);
    if (!name) return [r.notAnalyzed(node, 'a column whose name is computed at run time')];
    const type = textOf(a.positional[2]);
    const inverse = type
      ? addColumns(r, node, t, [columnDef(r, name, type, a.options)], new Map())
      : r.irreversible(
          node,
          '`remove_column` without a type: Rails cannot re-add the column on rollback and raises ActiveRecord::IrreversibleMigration',
          `Give the type and options so the down can re-add it: \`remove_column :${t}, :${name}, :string, null: true\` (the values are still lost).`,
        );
    return [{ up: dropColumns(r, node, t, [name], a.options), inverse }];
  }),
  remove_columns: oneTable((r, node, t, a) => {
    const cols = needNames(r, node, a.positional.slice(1), 'column name');
    if (!Array.isArray(cols)) return [cols];
    const type = textOf(a.options.get('type'));
    const inverse = type
      ? addColumns(
          r,
          node,
          t,
          cols.map((c) => columnDef(r, c, type, a.options)),
          new Map(),
        )
      : r.irreversible(
          node,
          '`remove_columns` without `type:`: Rails cannot re-add the columns on rollback and raises ActiveRecord::IrreversibleMigration',
          'Pass `type:` (and options) so the down can re-add the columns, or write `up` and `down` methods.',
        );
    return [{ up: dropColumns(r, node, t, cols, a.options), inverse }];
  }),
  rename_column: oneTable((r, node, t, a) => {
    const cols = needNames(r, node, a.positional.slice(1, 3), 'column name');
    if (!Array.isArray(cols)) return [cols];
    const [from, to] = cols as [string, string];
    return [
      {
        up: [{ kind: 'RenameColumn', ...r.at(node), table: table(t), column: from, newName: to }],
        inverse: [{ kind: 'RenameColumn', ...r.at(node), table: table(t), column: to, newName: from }],
      },
    ];
  }),
  change_column: oneTable((r, node, t, a) => {
    const [name, type] = [textOf(a.positional[1]), textOf(a.positional[2])];
    if (!name || !type) return [r.notAnalyzed(node, 'a column whose name or type is computed at run time')];
    const column = columnDef(r, name, type, a.options);
    const up: Operation[] = [
      { kind: 'AlterColumnType', ...r.at(node), table: table(t), column: name, type: column.type, using: textOf(a.options.get('using')) },
    ];
    if (a.options.has('default')) up.push({ kind: 'SetDefault', ...r.at(node), table: table(t), column: name, default: column.default });
    const nullOption = a.options.get('null');
    if (nullOption?.kind === 'bool')
      up.push({ kind: nullOption.value ? 'DropNotNull' : 'SetNotNull', ...r.at(node), table: table(t), column: name });
    const inverse = r.irreversible(
      node,
      '`change_column` in `change`: Rails does not know the previous type and raises ActiveRecord::IrreversibleMigration on rollback',
      `Write \`up\` and \`down\` methods, or use \`reversible\` with the old type in \`dir.down { change_column :${t}, :${name}, :<old type> }\`.`,
    );
    return [{ up, inverse }];
  }),
  change_column_default: oneTable((r, node, t, a) => {
    const name = textOf(a.positional[1]);
    if (!name) return [r.notAnalyzed(node, 'a column whose name is computed at run time')];
    const value = a.positional[2];
    const given = value?.kind === 'hash' ? value.entries : value === undefined ? a.options : null;
    const fromTo = given?.has('from') && given.has('to') ? given : null;
    const set = (v: RubyValue | undefined): Operation => ({
      kind: 'SetDefault',
      ...r.at(node),
      table: table(t),
      column: name,
      default: defaultOf(v),
    });
    const up = [set(fromTo ? fromTo.get('to') : value)];
    const inverse = fromTo
      ? [set(fromTo.get('from'))]
      : r.irreversible(
          node,
          '`change_column_default` without `from:`/`to:`: Rails does not know the old default and raises ActiveRecord::IrreversibleMigration on rollback',
          `Name both: \`change_column_default :${t}, :${name}, from: <old>, to: <new>\`.`,
        );
    return [{ up, inverse }];
  }),
  change_column_null: oneTable((r, node, t, a) => {
    const name = textOf(a.positional[1]);
    const allow = a.positional[2];
    if (!name || allow?.kind !== 'bool') return [r.notAnalyzed(node, 'a column or nullability computed at run time')];
    const up: Operation[] = [];
    const fill = a.positional[3];
    if (!allow.value && fill && fill.kind !== 'nil') {
      up.push({ kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: true, columns: [name] });
    }
    const flip = (nullable: boolean): Operation => ({
      kind: nullable ? 'DropNotNull' : 'SetNotNull',
      ...r.at(node),
      table: table(t),
      column: name,
    });
    up.push(flip(allow.value));
    return [{ up, inverse: [flip(!allow.value)] }];
  }),
  add_index: oneTable((r, node, t, a) => {
    const cols = names(a.positional[1]);
    if (!cols) return [r.notAnalyzed(node, 'index columns computed at run time')];
    const add = indexOp(r, node, t, cols, a.options);
    const name = (add as { name: string }).name;
    return [{ up: [add], inverse: [dropIndexOp(r, node, t, name, a.options)] }];
  }),
  remove_index: oneTable((r, node, t, a) => {
    const cols = names(a.positional[1]) ?? names(a.options.get('column'));
    const name = textOf(a.options.get('name')) ?? (cols ? indexName(t, cols) : null);
    if (!name) return [r.notAnalyzed(node, 'an index name computed at run time')];
    const inverse = cols
      ? [indexOp(r, node, t, cols, new Map([...a.options].filter(([k]) => k !== 'if_exists')))]
      : r.irreversible(
          node,
          '`remove_index` with only a name: Rails does not know the columns and raises ActiveRecord::IrreversibleMigration on rollback',
          `Give the columns too: \`remove_index :${t}, column: [...], name: "${name}"\`.`,
        );
    return [{ up: [dropIndexOp(r, node, t, name, a.options)], inverse }];
  }),
  rename_index: oneTable((r, node, _table, a) => {
    const ns = needNames(r, node, a.positional.slice(1, 3), 'index name');
    if (!Array.isArray(ns)) return [ns];
    const [from, to] = ns as [string, string];
    const rename = (x: string, y: string): Operation => ({ kind: 'RenameIndex', ...r.at(node), index: { name: x }, newName: y });
    return [{ up: [rename(from, to)], inverse: [rename(to, from)] }];
  }),
  add_reference: oneTable((r, node, t, a) => {
    const ref = textOf(a.positional[1]);
    if (!ref) return [r.notAnalyzed(node, 'a reference whose name is computed at run time')];
    const made = reference(r, node, t, ref, a.options);
    const up = [...addColumns(r, node, t, made.columns, a.options), ...(made.index ? [made.index] : []), ...(made.fk ? [made.fk] : [])];
    const inverse = dropColumns(
      r,
      node,
      t,
      made.columns.map((c) => c.name),
      new Map(),
    );
    return [{ up, inverse }];
  }),
  remove_reference: oneTable((r, node, t, a) => {
    const ref = textOf(a.positional[1]);
    if (!ref) return [r.notAnalyzed(node, 'a reference whose name is computed at run time')];
    const made = reference(r, node, t, ref, a.options);
    const up: Operation[] = [];
    if (made.fk?.kind === 'AddConstraint') {
      up.push({ kind: 'DropConstraint', ...r.at(node), table: table(t), name: made.fk.constraint.name ?? '', ifExists: false });
    }
    up.push(
      ...dropColumns(
        r,
        node,
        t,
        made.columns.map((c) => c.name),
        a.options,
      ),
    );
    const inverse = [
      ...addColumns(r, node, t, made.columns, new Map()),
      ...(made.index ? [made.index] : []),
      ...(made.fk ? [made.fk] : []),
    ];
    return [{ up, inverse }];
  }),
  add_timestamps: oneTable((r, node, t, a) => {
    const cols = timestamps(r, a.options);
    return [{ up: addColumns(r, node, t, cols, a.options), inverse: dropColumns(r, node, t, ['created_at', 'updated_at'], new Map()) }];
  }),
  remove_timestamps: oneTable((r, node, t, a) => [
    {
      up: dropColumns(r, node, t, ['created_at', 'updated_at'], a.options),
      inverse: addColumns(r, node, t, timestamps(r, a.options), new Map()),
    },
  ]),
  add_foreign_key: oneTable((r, node, t, a) => {
    const to = textOf(a.positional[1]);
    if (!to) return [r.notAnalyzed(node, 'a target table computed at run time')];
    const add = foreignKey(r, node, t, to, a.options);
    const name = add.kind === 'AddConstraint' ? (add.constraint.name ?? '') : '';
    return [{ up: [add], inverse: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: false }] }];
  }),
  remove_foreign_key: oneTable((r, node, t, a) => {
    const to = textOf(a.positional[1]) ?? textOf(a.options.get('to_table'));
    const column = textOf(a.options.get('column')) ?? (to ? foreignKeyColumn(to) : null);
    const name = textOf(a.options.get('name')) ?? (column ? foreignKeyName(t, column) : null);
    if (!name) return [r.notAnalyzed(node, 'a foreign key named at run time')];
    const inverse = to
      ? [foreignKey(r, node, t, to, a.options)]
      : r.irreversible(
          node,
          '`remove_foreign_key` without the target table: Rails cannot re-add it on rollback and raises ActiveRecord::IrreversibleMigration',
          `Name the target table: \`remove_foreign_key :${t}, :<to_table>, column: …\`.`,
        );
    return [
      { up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: isTrue(a.options.get('if_exists')) }], inverse },
    ];
  }),
  validate_foreign_key: oneTable((r, node, t, a) => {
    const to = textOf(a.positional[1]);
    const name = textOf(a.options.get('name')) ?? (to ? foreignKeyName(t, textOf(a.options.get('column')) ?? foreignKeyColumn(to)) : null);
    if (!name) return [r.notAnalyzed(node, 'a foreign key named at run time')];
    return [{ up: [{ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name }], inverse: [] }];
  }),
  add_check_constraint: oneTable((r, node, t, a) => {
    const expression = textOf(a.positional[1]);
    if (!expression) return [r.notAnalyzed(node, 'a check expression computed at run time')];
    const constraint = checkConstraint(t, expression, a.options);
    return [
      {
        up: [{ kind: 'AddConstraint', ...r.at(node), table: table(t), constraint }],
        inverse: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name: constraint.name ?? '', ifExists: false }],
      },
    ];
  }),
  remove_check_constraint: oneTable((r, node, t, a) => {
    const expression = textOf(a.positional[1]);
    const name = textOf(a.options.get('name')) ?? (expression ? checkConstraintName(t, expression) : null);
    if (!name) return [r.notAnalyzed(node, 'a check constraint named at run time')];
    const inverse = expression
      ? [{ kind: 'AddConstraint', ...r.at(node), table: table(t), constraint: checkConstraint(t, expression, a.options) } as Operation]
      : r.irreversible(
          node,
          '`remove_check_constraint` without the expression: Rails cannot re-add it on rollback and raises ActiveRecord::IrreversibleMigration',
          `Give the expression: \`remove_check_constraint :${t}, "<expression>", name: "${name}"\`.`,
        );
    return [
      { up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: isTrue(a.options.get('if_exists')) }], inverse },
    ];
  }),
  validate_check_constraint: oneTable((r, node, t, a) => {
    const name = textOf(a.options.get('name'));
    if (!name) return [r.notAnalyzed(node, 'a check constraint named at run time')];
    return [{ up: [{ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name }], inverse: [] }];
  }),
  create_enum: (r, node, a) => {
    const name = textOf(a.positional[0]);
    const values = names(a.positional[1]);
    if (!name || !values) return [r.notAnalyzed(node, 'an enum defined at run time')];
    return [
      {
        up: [{ kind: 'CreateEnum', ...r.at(node), name: table(name), values }],
        inverse: [{ kind: 'DropEnum', ...r.at(node), name: table(name), ifExists: false }],
      },
    ];
  },
  drop_enum: (r, node, a) => {
    const name = textOf(a.positional[0]);
    if (!name) return [r.notAnalyzed(node, 'an enum named at run time')];
    const values = names(a.positional[1]);
    const inverse = values
      ? [{ kind: 'CreateEnum', ...r.at(node), name: table(name), values } as Operation]
      : r.irreversible(
          node,
          '`drop_enum` without its values: Rails cannot recreate the type on rollback and raises ActiveRecord::IrreversibleMigration',
          `Give the values: \`drop_enum :${name}, ["a", "b"]\`.`,
        );
    return [{ up: [{ kind: 'DropEnum', ...r.at(node), name: table(name), ifExists: isTrue(a.options.get('if_exists')) }], inverse }];
  },
  add_enum_value: (r, node, a) => {
    const [name, value] = [textOf(a.positional[0]), textOf(a.positional[1])];
    if (!name || !value) return [r.notAnalyzed(node, 'an enum value computed at run time')];
    const up: Operation = {
      kind: 'AlterEnum',
      ...r.at(node),
      name: table(name),
      action: {
        type: 'add',
        value,
        before: textOf(a.options.get('before')),
        after: textOf(a.options.get('after')),
        ifNotExists: isTrue(a.options.get('if_not_exists')),
      },
    };
    const inverse = r.irreversible(
      node,
      '`add_enum_value` in `change`: PostgreSQL cannot remove an enum value, so Rails raises ActiveRecord::IrreversibleMigration on rollback',
      'Write `up` and `down` methods; a down has to recreate the type without the value.',
    );
    return [{ up: [up], inverse }];
  },
  rename_enum_value: (r, node, a) => {
    const name = textOf(a.positional[0]);
    const [from, to] = [textOf(a.options.get('from')), textOf(a.options.get('to'))];
    if (!name || !from || !to) return [r.notAnalyzed(node, 'an enum value computed at run time')];
    const rename = (x: string, y: string): Operation => ({
      kind: 'AlterEnum',
      ...r.at(node),
      name: table(name),
      action: { type: 'rename', from: x, to: y },
    });
    return [{ up: [rename(from, to)], inverse: [rename(to, from)] }];
  },
  enable_extension: (r, node) => [{ up: [raw(r, node, 'enable_extension')], inverse: [raw(r, node, 'disable_extension')] }],
  disable_extension: (r, node) => [{ up: [raw(r, node, 'disable_extension')], inverse: [raw(r, node, 'enable_extension')] }],
  change_table: oneTable((r, node, t, a) => changeTable(r, node, t, a)),
  reversible: (r, _node, a) => {
    let up: Step[] = [];
    let down: Step[] | null = null;
    const body = blockBody(a.block);
    for (const stmt of body ? namedChildren(body) : []) {
      const receiver = stmt.type === 'call' ? stmt.childForFieldName('receiver') : null;
      const method = stmt.childForFieldName('method')?.text;
      const inner = stmt.type === 'call' ? blockBody(stmt.childForFieldName('block')) : null;
      if (receiver?.text === a.blockParam && method === 'up') up = r.statements(inner);
      else if (receiver?.text === a.blockParam && method === 'down') down = r.statements(inner);
      else up.push(...r.read(stmt));
    }
    const declared = down?.find((s) => !Array.isArray(s.inverse) && s.inverse.declared)?.inverse;
    const inverse = declared && !Array.isArray(declared) ? declared : (down ?? []).flatMap((s) => s.up);
    return [{ up: up.flatMap((s) => s.up), inverse }];
  },
  up_only: (r, _node, a) => [{ up: r.statements(blockBody(a.block)).flatMap((s) => s.up), inverse: [] }],
  revert: (r, node, a) => {
    if (!a.block) return [r.notAnalyzed(node, '`revert` of another migration class: twoway does not read other files here')];
    const inner = nested(r.statements(blockBody(a.block)));
    if (!Array.isArray(inner.inverse)) return [{ up: [], inverse: inner.inverse }];
    return [{ up: inner.inverse, inverse: inner.up }];
  },
  transaction: (r, _node, a) => [nested(r.statements(blockBody(a.block)))],
  say_with_time: (r, _node, a) => [nested(r.statements(blockBody(a.block)))],
  with_lock_retries: (r, _node, a) => [nested(r.statements(blockBody(a.block)))],
  safety_assured: (r, node, a) => {
    r.acknowledged(node, SAFETY_ASSURED);
    return [nested(r.statements(blockBody(a.block)))];
  },
  raise: (r, node, a) => {
    const error = a.positional[0];
    if (error?.kind === 'constant' && error.name.endsWith('IrreversibleMigration')) {
      return [
        {
          up: [],
          inverse: {
            reason: 'the migration raises ActiveRecord::IrreversibleMigration',
            fix: '',
            span: r.spans.span(node),
            declared: true,
          },
        },
      ];
    }
    return [r.notAnalyzed(node, 'the migration raises an error')];
  },
  ...gitlabHelpers(),
};

function raw(r: RailsReader, node: SyntaxNode, statement: string): Operation {
  return { kind: 'Raw', ...r.at(node), statement, notAnalyzed: null };
}

/** `change_table :t do |t| … end`: each `t.` call is its own command, reverted on its own. */
function changeTable(r: RailsReader, node: SyntaxNode, t: string, a: Args): Step[] {
  const steps: Step[] = [];
  const body = blockBody(a.block);
  for (const stmt of body ? namedChildren(body) : []) {
    if (stmt.type === 'comment') continue;
    const receiver = stmt.type === 'call' ? stmt.childForFieldName('receiver') : null;
    if (!receiver || receiver.text !== a.blockParam) {
      steps.push(...r.read(stmt));
      continue;
    }
    const method = stmt.childForFieldName('method')?.text ?? '';
    const args = r.args(stmt);
    const tableArg: RubyValue = { kind: 'symbol', value: t, node };
    const as = (command: string, positional: RubyValue[] = args.positional) =>
      COMMANDS[command]?.(r, stmt, { ...args, positional: [tableArg, ...positional] }) ?? [];
    if (COLUMN_TYPES.has(method)) {
      for (const c of args.positional) steps.push(...as('add_column', [c, { kind: 'symbol', value: method, node: stmt }]));
    } else if (method === 'column') steps.push(...as('add_column'));
    else if (method === 'remove') {
      const type = args.options.get('type');
      for (const c of args.positional) steps.push(...as('remove_column', type ? [c, type] : [c]));
    } else if (method === 'rename') steps.push(...as('rename_column'));
    else if (method === 'change') steps.push(...as('change_column'));
    else if (method === 'change_default') steps.push(...as('change_column_default'));
    else if (method === 'change_null') steps.push(...as('change_column_null'));
    else if (method === 'index') steps.push(...as('add_index'));
    else if (method === 'remove_index') steps.push(...as('remove_index'));
    else if (method === 'rename_index') steps.push(...as('rename_index'));
    else if (method === 'references' || method === 'belongs_to')
      for (const ref of args.positional) steps.push(...as('add_reference', [ref]));
    else if (method === 'remove_references' || method === 'remove_belongs_to')
      for (const ref of args.positional) steps.push(...as('remove_reference', [ref]));
    else if (method === 'timestamps') steps.push(...as('add_timestamps'));
    else if (method === 'remove_timestamps') steps.push(...as('remove_timestamps'));
    else if (method === 'check_constraint') steps.push(...as('add_check_constraint'));
    else if (method === 'remove_check_constraint') steps.push(...as('remove_check_constraint'));
    else if (method === 'foreign_key') steps.push(...as('add_foreign_key'));
    else if (method === 'remove_foreign_key') steps.push(...as('remove_foreign_key'));
    else steps.push(r.notAnalyzed(stmt, `\`${a.blockParam}.${method}\` in change_table is not followed`));
  }
  return steps;
}

/**
 * GitLab's migration helpers (lib/gitlab/database/migration_helpers.rb), by what they run.
 * CommandRecorder does not know them: inside `change` Rails cannot revert them.
 */
function gitlabHelpers(): Record<string, Handler> {
  const notRecorded = (r: RailsReader, node: SyntaxNode, helper: string, down: string): Irreversible =>
    r.irreversible(
      node,
      `\`${helper}\` is a GitLab helper, not a command Rails records: \`change\` cannot revert it`,
      `Write \`up\` and \`down\` methods: \`def down; ${down}; end\`.`,
    );
  /** GitLab's check constraint helpers: `check_<hash>` NOT VALID, then validated unless `validate: false`. */
  const checkHelper = (
    r: RailsReader,
    node: SyntaxNode,
    t: string,
    a: Args,
    column: string,
    type: string,
    expression: string,
    helper: string,
    down: string,
  ): Step[] => {
    const name = textOf(a.options.get('constraint_name')) ?? gitlabCheckName(t, column, type);
    const constraint: ConstraintDef = {
      name,
      type: 'check',
      columns: [column],
      references: null,
      notValid: true,
      usingIndex: null,
      expression,
    };
    const up: Operation[] = [{ kind: 'AddConstraint', ...r.at(node), table: table(t), constraint }];
    if (!(a.options.get('validate')?.kind === 'bool' && !isTrue(a.options.get('validate'))))
      up.push({ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name });
    return [{ up, inverse: notRecorded(r, node, helper, `${down} :${t}, :${column}`) }];
  };
  const dropCheckHelper = (r: RailsReader, node: SyntaxNode, t: string, a: Args, type: string, helper: string): Step[] => {
    const column = textOf(a.positional[1]);
    const name = textOf(a.options.get('constraint_name')) ?? (column ? gitlabCheckName(t, column, type) : null);
    if (!name) return [r.notAnalyzed(node, 'a constraint named at run time')];
    return [
      {
        up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: true }],
        inverse: notRecorded(r, node, helper, 'add it back'),
      },
    ];
  };
  const unknownType = (column: string) => ({ name: 'unknown', args: [], arrayDims: 0, text: `the type of ${column}` });
  return {
    add_concurrent_index: oneTable((r, node, t, a) => {
      const cols = names(a.positional[1]);
      if (!cols) return [r.notAnalyzed(node, 'index columns computed at run time')];
      const options = new Map(a.options).set('algorithm', { kind: 'symbol', value: 'concurrently', node });
      options.set('if_not_exists', { kind: 'bool', value: true, node });
      const add = indexOp(r, node, t, cols, options);
      return [
        {
          up: [add],
          inverse: notRecorded(
            r,
            node,
            'add_concurrent_index',
            `remove_concurrent_index_by_name :${t}, "${(add as { name: string }).name}"`,
          ),
        },
      ];
    }),
    remove_concurrent_index: oneTable((r, node, t, a) => {
      const cols = names(a.positional[1]);
      const name = textOf(a.options.get('name')) ?? (cols ? indexName(t, cols) : null);
      if (!name) return [r.notAnalyzed(node, 'an index named at run time')];
      const options = new Map(a.options).set('algorithm', { kind: 'symbol', value: 'concurrently', node });
      options.set('if_exists', { kind: 'bool', value: true, node });
      return [
        {
          up: [dropIndexOp(r, node, t, name, options)],
          inverse: notRecorded(r, node, 'remove_concurrent_index', `add_concurrent_index :${t}, …`),
        },
      ];
    }),
    remove_concurrent_index_by_name: oneTable((r, node, t, a) => {
      const name = textOf(a.positional[1]) ?? textOf(a.options.get('name'));
      if (!name) return [r.notAnalyzed(node, 'an index named at run time')];
      const options = new Map(a.options).set('algorithm', { kind: 'symbol', value: 'concurrently', node });
      options.set('if_exists', { kind: 'bool', value: true, node });
      return [
        {
          up: [dropIndexOp(r, node, t, name, options)],
          inverse: notRecorded(r, node, 'remove_concurrent_index_by_name', `add_concurrent_index :${t}, …`),
        },
      ];
    }),
    add_concurrent_foreign_key: oneTable((r, node, t, a) => {
      const to = textOf(a.positional[1]);
      if (!to) return [r.notAnalyzed(node, 'a target table computed at run time')];
      const options = new Map(a.options).set('validate', { kind: 'bool', value: false, node });
      // GitLab names its keys fk_<hash> (concurrent_foreign_key_name), not fk_rails_<hash>.
      const column = textOf(a.options.get('column')) ?? foreignKeyColumn(to);
      if (!options.has('name')) options.set('name', { kind: 'string', value: foreignKeyName(t, column).replace('fk_rails_', 'fk_'), node });
      const add = foreignKey(r, node, t, to, options);
      const name = add.kind === 'AddConstraint' ? (add.constraint.name ?? '') : '';
      const up: Operation[] = [add];
      // GitLab adds the key NOT VALID, then validates it (unless validate: false).
      if (!(a.options.get('validate')?.kind === 'bool' && !isTrue(a.options.get('validate')))) {
        up.push({ kind: 'ValidateConstraint', ...r.at(node), table: table(t), name });
      }
      return [{ up, inverse: notRecorded(r, node, 'add_concurrent_foreign_key', `remove_foreign_key_if_exists :${t}, :${to}`) }];
    }),
    remove_foreign_key_if_exists: oneTable((r, node, t, a) => {
      const to = textOf(a.positional[1]);
      const column = textOf(a.options.get('column')) ?? (to ? foreignKeyColumn(to) : null);
      const name = textOf(a.options.get('name')) ?? (column ? foreignKeyName(t, column) : null);
      if (!name) return [r.notAnalyzed(node, 'a foreign key named at run time')];
      return [
        {
          up: [{ kind: 'DropConstraint', ...r.at(node), table: table(t), name, ifExists: true }],
          inverse: notRecorded(r, node, 'remove_foreign_key_if_exists', `add_concurrent_foreign_key :${t}, …`),
        },
      ];
    }),
    rename_column_concurrently: oneTable((r, node, t, a) => {
      const cols = needNames(r, node, a.positional.slice(1, 3), 'column name');
      if (!Array.isArray(cols)) return [cols];
      const [from, to] = cols as [string, string];
      const type = textOf(a.options.get('type'));
      // Adds the new column, installs triggers that keep both in sync, copies the values in batches.
      const column: ColumnDef = {
        ...columnDef(r, to, type ?? 'string', new Map()),
        type: type ? railsType(type, {}, r.dialect) : unknownType(from),
      };
      const up: Operation[] = [
        ...addColumns(r, node, t, [column], new Map()),
        raw(r, node, 'install_rename_triggers'),
        { kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: false, columns: [to] },
      ];
      return [
        { up, inverse: notRecorded(r, node, 'rename_column_concurrently', `undo_rename_column_concurrently :${t}, :${from}, :${to}`) },
      ];
    }),
    undo_rename_column_concurrently: oneTable((r, node, t, a) => {
      const to = textOf(a.positional[2]);
      if (!to) return [r.notAnalyzed(node, 'a column named at run time')];
      return [{ up: [raw(r, node, 'remove_rename_triggers'), ...dropColumns(r, node, t, [to], new Map())], inverse: [] }];
    }),
    cleanup_concurrent_column_rename: oneTable((r, node, t, a) => {
      const from = textOf(a.positional[1]);
      if (!from) return [r.notAnalyzed(node, 'a column named at run time')];
      return [
        {
          up: [raw(r, node, 'remove_rename_triggers'), ...dropColumns(r, node, t, [from], new Map())],
          inverse: notRecorded(r, node, 'cleanup_concurrent_column_rename', `undo_cleanup_concurrent_column_rename :${t}, …`),
        },
      ];
    }),
    change_column_type_concurrently: oneTable((r, node, t, a) => {
      const [column, type] = [textOf(a.positional[1]), textOf(a.positional[2])];
      if (!column || !type) return [r.notAnalyzed(node, 'a column or type computed at run time')];
      const temp = `${column}_for_type_change`;
      const up: Operation[] = [
        ...addColumns(r, node, t, [columnDef(r, temp, type, a.options)], new Map()),
        raw(r, node, 'install_rename_triggers'),
        { kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: false, columns: [temp] },
      ];
      return [
        { up, inverse: notRecorded(r, node, 'change_column_type_concurrently', `undo_change_column_type_concurrently :${t}, :${column}`) },
      ];
    }),
    cleanup_concurrent_column_type_change: oneTable((r, node, t, a) => {
      const column = textOf(a.positional[1]);
      if (!column) return [r.notAnalyzed(node, 'a column named at run time')];
      const temp = `${column}_for_type_change`;
      const up: Operation[] = [
        raw(r, node, 'remove_rename_triggers'),
        ...dropColumns(r, node, t, [column], new Map()),
        { kind: 'RenameColumn', ...r.at(node), table: table(t), column: temp, newName: column },
      ];
      return [
        {
          up,
          inverse: notRecorded(
            r,
            node,
            'cleanup_concurrent_column_type_change',
            `undo_cleanup_concurrent_column_type_change :${t}, :${column}, …`,
          ),
        },
      ];
    }),
    add_text_limit: oneTable((r, node, t, a) => {
      const [column, limit] = [textOf(a.positional[1]), numberOf(a.positional[2])];
      if (!column || limit === undefined) return [r.notAnalyzed(node, 'a column or limit computed at run time')];
      return checkHelper(r, node, t, a, column, 'max_length', `char_length(${column}) <= ${limit}`, 'add_text_limit', 'remove_text_limit');
    }),
    add_not_null_constraint: oneTable((r, node, t, a) => {
      const column = textOf(a.positional[1]);
      if (!column) return [r.notAnalyzed(node, 'a column computed at run time')];
      return checkHelper(
        r,
        node,
        t,
        a,
        column,
        'not_null',
        `${column} IS NOT NULL`,
        'add_not_null_constraint',
        'remove_not_null_constraint',
      );
    }),
    remove_text_limit: oneTable((r, node, t, a) => dropCheckHelper(r, node, t, a, 'max_length', 'remove_text_limit')),
    remove_not_null_constraint: oneTable((r, node, t, a) => dropCheckHelper(r, node, t, a, 'not_null', 'remove_not_null_constraint')),
    queue_batched_background_migration: (r, node, a) => {
      // (job class, table, batch column, job arguments…): the job rewrites rows of the table in the background.
      const t = textOf(a.positional[1]);
      if (!t) return [r.notAnalyzed(node, 'a background migration whose table is computed at run time')];
      const op: Operation = { kind: 'DataChange', ...r.at(node), action: 'update', table: table(t), hasWhere: false, columns: [] };
      return [{ up: [op], inverse: notRecorded(r, node, 'queue_batched_background_migration', 'delete_batched_background_migration …') }];
    },
    delete_batched_background_migration: (r, node) => [{ up: [raw(r, node, 'delete_batched_background_migration')], inverse: [] }],
    ensure_batched_background_migration_is_finished: (r, node) => [
      { up: [raw(r, node, 'ensure_batched_background_migration_is_finished')], inverse: [] },
    ],
    update_column_in_batches: oneTable((r, node, t, a) => {
      const column = textOf(a.positional[1]);
      if (!column) return [r.notAnalyzed(node, 'a column named at run time')];
      const op: Operation = {
        kind: 'DataChange',
        ...r.at(node),
        action: 'update',
        table: table(t),
        hasWhere: a.block !== null,
        columns: [column],
      };
      return [{ up: [op], inverse: notRecorded(r, node, 'update_column_in_batches', 'restore the old values') }];
    }),
  };
}
