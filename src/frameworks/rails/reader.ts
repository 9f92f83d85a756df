// The ActiveRecord migration DSL → IR. Each call becomes a Step: what it does on the way up and
// what Rails' CommandRecorder would run to revert it inside `change` (or why it cannot).
import type { Dialect, Operation, Span } from '../../ir.js';
import type { Directive, ReadError, SourceText } from '../../migration.js';
import { parseSql } from '../../sql/index.js';
import { NodeSpans, namedChildren, type SyntaxNode } from '../tree-sitter.js';
import { COMMANDS, execute, libraryCall } from './commands.js';
import { pluralize } from './names.js';
import { type Bindings, evaluate, hashEntries, type RubyValue, rubyEscape } from './values.js';

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

export type Args = { positional: RubyValue[]; options: Map<string, RubyValue>; block: SyntaxNode | null; blockParam: string | null };

/** An operation that changes rows at most: a data change, a setting, a SELECT. */
function changesRowsOnly(op: Operation): boolean {
  if (op.kind === 'DataChange' || op.kind === 'SetSetting') return true;
  return op.kind === 'Raw' && !op.notAnalyzed && op.statement.toLowerCase().startsWith('select');
}

/** Batch iterations of a model's records (`User.find_each`); any loop over a query chain rooted at a constant iterates records too. */
const RECORD_BATCHES = new Set(['find_each', 'find_in_batches', 'in_batches']);

/**
 * A loop over what a model query returns: `Model.find_each`, `Model.where(...).each`, `Model.all.pluck(:id).each`.
 * A constant the file binds to a literal (`COLUMNS = %w[a b]`) is no model.
 */
function loopsOverRecords(receiver: SyntaxNode, method: string, bound: (name: string) => boolean): boolean {
  const isConstant = (n: SyntaxNode | null) => (n?.type === 'constant' || n?.type === 'scope_resolution') && !bound(n.text);
  if (isConstant(receiver)) return RECORD_BATCHES.has(method);
  let node: SyntaxNode | null = receiver;
  while (node?.type === 'call') {
    // `ActiveRecord::Base.connection.tables.each`: a loop over the database's own objects, not over records.
    if (node.childForFieldName('method')?.text === 'connection') return false;
    node = node.childForFieldName('receiver');
  }
  return node !== receiver && isConstant(node) && !node?.text.startsWith('ActiveRecord::');
}

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
  'select_value',
  'select_values',
  'select_all',
  'select_one',
  'select_rows',
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
  /** The Rails version of `ActiveRecord::Migration[7.1]` (compatibility: index names, datetime precision); null when unversioned. */
  migrationVersion: number | null = null;
  /** Model classes declared in the migration: `class User < ActiveRecord::Base; self.table_name = 'users'`. */
  readonly models = new Map<string, string>();
  private readonly inlining = new Set<string>();
  /** Inside `create_table … do |t|` / `change_table`: how a call on the block parameter is read. */
  private tableBlock: { param: string; read: (call: SyntaxNode) => Step[] } | null = null;

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
      case 'body_statement':
      case 'block_body':
      case 'then':
      case 'do':
      case 'ensure':
      case 'else':
      case 'parenthesized_statements':
        // `begin` bodies are read as if they run; `ensure` always runs; `else` of a begin runs when nothing was raised.
        return this.statements(node);
      case 'rescue':
      case 'rescue_modifier':
        // What runs only after an error: the migration is judged as if it succeeds.
        return node.type === 'rescue_modifier' && node.childForFieldName('body')
          ? this.read(node.childForFieldName('body') as SyntaxNode)
          : [];
      case 'if':
      case 'unless':
      case 'if_modifier':
      case 'unless_modifier':
        return this.conditional(node);
      case 'case':
        return this.caseOf(node);
      case 'conditional':
        return [this.notAnalyzed(node, 'conditional code: which branch runs is decided at run time')];
      case 'for':
        return this.forLoop(node);
      case 'while':
      case 'until':
      case 'while_modifier':
      case 'until_modifier':
        return [this.notAnalyzed(node, 'a loop: what it changes is decided at run time')];
      default:
        return [this.notAnalyzed(node, `Ruby code twoway does not follow (${node.type})`)];
    }
  }

  /**
   * `if`/`unless`, as a person reading the file would: a branch on the database adapter takes the
   * set's dialect; a guard on the current schema (`unless column_exists?`, `if index_exists?`) is read
   * as if the guarded change happens; a precondition that only raises changes nothing. Any other
   * condition without an alternative (`x if cond`) is read as if it runs, the safe assumption, and
   * said so; with an `else`/`elsif` which branch runs is unknown.
   */
  private conditional(node: SyntaxNode): Step[] {
    const modifier = node.type === 'if_modifier' || node.type === 'unless_modifier';
    const body = modifier ? node.childForFieldName('body') : node.childForFieldName('consequence');
    const alternative = modifier ? null : node.childForFieldName('alternative');
    const condition = node.childForFieldName('condition');
    if (modifier && body?.type === 'return') return [];
    const negated = node.type.startsWith('unless');
    const truth = condition ? this.truth(condition) : 'unknown';
    const decided = truth === true || truth === false ? truth !== negated : null;
    const branch = (n: SyntaxNode | null): Step[] => {
      if (!n) return [];
      if (n.type === 'elsif') return this.conditional(n);
      return modifier ? this.read(n) : this.statements(n);
    };
    if (decided !== null) return branch(decided ? body : alternative);
    if (body && !alternative && onlyRaises(body)) return [];
    if (!body || alternative) return [this.notAnalyzed(node, 'conditional code: which branch runs is decided at run time')];
    const steps = branch(body);
    if (truth === 'guard' || !steps.some((s) => s.up.length)) return steps;
    // Rows changed or not depending on the app's mode or data: judged as if it runs, as the JS readers do.
    if (steps.every((s) => s.up.every(changesRowsOnly) && (!Array.isArray(s.inverse) || s.inverse.every(changesRowsOnly)))) return steps;
    const when = `${negated ? 'unless' : 'if'} ${condition?.text.split('\n')[0] ?? '…'}`;
    return [this.notAnalyzed(node, `the condition \`${when}\` is decided at run time; what it guards is read as if it runs`), ...steps];
  }

  /** `case connection.adapter_name when "PostgreSQL" … end`: the set's dialect picks the branch. */
  private caseOf(node: SyntaxNode): Step[] {
    const value = node.childForFieldName('value');
    if (value && isAdapterName(value)) {
      for (const clause of namedChildren(node)) {
        if (clause.type === 'else') return this.statements(clause);
        if (clause.type !== 'when') continue;
        const patterns = namedChildren(clause).filter((c) => c.type === 'pattern');
        if (patterns.some((p) => dialectOfLiteral(p.text) === this.dialect)) return this.statements(clause.childForFieldName('body'));
      }
      return [];
    }
    return [this.notAnalyzed(node, 'conditional code: which branch runs is decided at run time')];
  }

  /**
   * What a condition is, as far as reading tells: true or false (the adapter is known: it is the
   * set's dialect), `guard` (it asks whether a schema object exists), or unknown.
   */
  truth(node: SyntaxNode): boolean | 'guard' | 'unknown' {
    switch (node.type) {
      case 'parenthesized_statements': {
        const only = namedChildren(node);
        return only.length === 1 && only[0] ? this.truth(only[0]) : 'unknown';
      }
      case 'unary': {
        const operand = node.childForFieldName('operand');
        const op = node.childForFieldName('operator')?.text;
        if (!operand || (op !== '!' && op !== 'not')) return 'unknown';
        const t = this.truth(operand);
        return typeof t === 'boolean' ? !t : t;
      }
      case 'binary': {
        const op = node.childForFieldName('operator')?.text ?? '';
        const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
        if (!left || !right) return 'unknown';
        if (['&&', 'and', '||', 'or'].includes(op)) {
          const [a, b] = [this.truth(left), this.truth(right)];
          const and = op === '&&' || op === 'and';
          if (typeof a === 'boolean' && typeof b === 'boolean') return and ? a && b : a || b;
          if ((and && (a === false || b === false)) || (!and && (a === true || b === true))) return !and;
          return a === 'guard' && b === 'guard' ? 'guard' : 'unknown';
        }
        if (['==', '!=', '=~', '!~', '==='].includes(op)) {
          const [subject, literal] = isAdapterName(left) ? [left, right] : isAdapterName(right) ? [right, left] : [null, null];
          const dialect =
            subject && literal && ['string', 'regex', 'simple_symbol'].includes(literal.type) ? dialectOfLiteral(literal.text) : undefined;
          if (dialect === undefined) return 'unknown';
          const same = dialect === this.dialect;
          return op === '!=' || op === '!~' ? !same : same;
        }
        return 'unknown';
      }
      case 'call':
      case 'identifier': {
        const method = node.type === 'identifier' ? node.text : (node.childForFieldName('method')?.text ?? '');
        const receiver = node.type === 'call' ? node.childForFieldName('receiver') : null;
        if (SCHEMA_GUARDS.has(method) && (!receiver || receiver.text.endsWith('connection'))) return 'guard';
        if (receiver && isAdapterName(receiver) && ['include?', 'start_with?', 'match?', 'eql?', 'casecmp?'].includes(method)) {
          const arg = node.childForFieldName('arguments')?.firstNamedChild;
          const dialect = arg ? dialectOfLiteral(arg.text) : undefined;
          return dialect === undefined ? 'unknown' : dialect === this.dialect;
        }
        if (!receiver || receiver.text.endsWith('connection')) {
          const asked = DIALECT_PREDICATES[method];
          if (asked) return asked === this.dialect;
          const capability = CAPABILITIES[method];
          if (capability) return capability.includes(this.dialect);
        }
        return 'unknown';
      }
      default:
        return 'unknown';
    }
  }

  /** `for x in [...]`: read once per item, like a literal `.each`. */
  private forLoop(node: SyntaxNode): Step[] {
    const pattern = node.childForFieldName('pattern');
    const value = node.childForFieldName('value')?.firstNamedChild;
    const items = value ? this.literalItems(value) : null;
    if (!pattern || !items) return [this.notAnalyzed(node, 'a loop: what it changes is decided at run time')];
    const params = pattern.type === 'left_assignment_list' ? namedChildren(pattern) : [pattern];
    return this.withParams(params, items, () => this.statements(node.childForFieldName('body')));
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
    if (NO_EFFECT.has(method) || QUERIES.has(method)) return [];
    const args = this.args(node);
    const handler = COMMANDS[method];
    if (handler) return handler(this, node, args);
    const helper = this.helpers.get(method);
    if (helper && !this.inlining.has(method)) return this.inline(helper, args);
    return [this.notAnalyzed(node, `\`${method}\` is not a migration command twoway knows`)];
  }

  /** A method of the migration class, read in place with its parameters bound to the call's arguments. */
  private inline(helper: SyntaxNode, args: Args): Step[] {
    const method = helper.childForFieldName('name')?.text ?? '';
    const parameters = helper.childForFieldName('parameters');
    const params = parameters ? namedChildren(parameters) : [];
    const names = params.flatMap(parameterNames);
    const saved = names.map((n) => this.env.get(n));
    // Without keyword parameters, trailing `key => value` pairs are one more positional hash (Ruby's rule).
    const positional =
      args.options.size && !params.some((p) => p.type === 'keyword_parameter' || p.type === 'hash_splat_parameter')
        ? [...args.positional, { kind: 'hash', entries: args.options, node: helper } as RubyValue]
        : args.positional;
    this.inlining.add(method);
    try {
      let position = 0;
      for (const p of params) {
        const name = p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text;
        if (!name) continue;
        const given =
          p.type === 'keyword_parameter'
            ? args.options.get(name)
            : p.type === 'identifier' || p.type === 'optional_parameter'
              ? positional[position++]
              : undefined;
        const fallback = p.childForFieldName('value');
        const value = given ?? (fallback ? this.value(fallback) : undefined);
        if (value && value.kind !== 'unknown') this.env.set(name, value);
        else this.env.delete(name);
      }
      return this.statements(helper.childForFieldName('body'));
    } finally {
      this.inlining.delete(method);
      names.forEach((n, i) => {
        const value = saved[i];
        if (value) this.env.set(n, value);
        else this.env.delete(n);
      });
    }
  }

  /**
   * Reads a table block's body: calls on its parameter (`t.string`, `t.index`) go to `read`, anything
   * else (a branch, a loop, `execute`) is read as a statement, so `if …; t.datetime …; end` is followed too.
   */
  inTableBlock(param: string | null, body: SyntaxNode | null, read: (call: SyntaxNode) => Step[]): Step[] {
    const outer = this.tableBlock;
    this.tableBlock = param ? { param, read } : null;
    try {
      return this.statements(body);
    } finally {
      this.tableBlock = outer;
    }
  }

  private receiverCall(node: SyntaxNode, receiver: SyntaxNode, method: string): Step[] {
    if (this.tableBlock && receiver.text === this.tableBlock.param) return this.tableBlock.read(node);
    const args = this.args(node);
    if (args.block && method === 'transaction') return COMMANDS.transaction?.(this, node, args) ?? [];
    // connection.execute / ActiveRecord::Base.connection.execute / exec_query
    if (receiver.text.endsWith('connection') && (method === 'execute' || method === 'exec_query' || method === 'exec_update')) {
      return execute(this, node, args);
    }
    if (method === 'reset_column_information' || method === 'say' || QUERIES.has(method)) return [];
    const library = libraryCall(this, node, receiver, method, args);
    if (library) return library;
    if (args.block && (method === 'each' || method === 'each_pair' || method === 'each_with_index')) {
      const items = this.literalItems(receiver);
      if (items) {
        const params = blockParams(args.block);
        const body = () => this.statements(args.block?.childForFieldName('body') ?? null);
        if (method !== 'each_with_index') return this.withParams(params, items, body);
        // |item, i|: the item is destructured by the first parameter only.
        const [first, index] = params;
        return items.flatMap((item, i) =>
          this.withParams(first ? [first] : [], [item], () =>
            this.withParams(index ? [index] : [], [{ kind: 'number', value: i, node: receiver }], body),
          ),
        );
      }
    }
    if (args.block && LOOPS.has(method)) {
      // Records of a model (`User.where(...).find_each`, `Account.all.each`): the loop body is model code on rows, like RunPython.
      if (loopsOverRecords(receiver, method, (name) => this.env.has(name))) {
        return [
          this.notAnalyzed(
            node,
            `application code (\`${receiver.text.split('\n')[0]}.${method}\`) runs at migration time, once per record`,
          ),
        ];
      }
      return [this.notAnalyzed(node, `a loop (\`${method}\`): what it changes is decided at run time`)];
    }
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
        literals: columns.map((c) => rubyLiteral(assigned.get(c))),
        matches: this.whereEqualities(receiver),
      };
      return [{ up: [op], inverse: [] }];
    }
    return [this.notAnalyzed(node, `application code (\`${receiver.text.split('\n')[0]}.${method}\`) runs at migration time`)];
  }

  /** The items of a literal collection (`%w[a b]`, `{ users: %i[a b] }`, a constant bound to one): hash items are [key, value] pairs. */
  literalItems(receiver: SyntaxNode): RubyValue[] | null {
    const v = this.value(receiver);
    if (v.kind === 'array') return v.items;
    if (v.kind === 'hash')
      return [...v.entries].map(([key, value]) => ({
        kind: 'array',
        items: [{ kind: 'symbol', value: key, node: v.node }, value],
        node: v.node,
      }));
    return null;
  }

  /**
   * Runs `read` once per item with the block (or `for`) parameters bound to it, as Ruby binds them:
   * one parameter takes the item, several (or a destructuring `(a, b)`) take an array item's elements.
   */
  withParams(params: readonly SyntaxNode[], items: readonly RubyValue[], read: () => Step[]): Step[] {
    const names = params.flatMap(parameterNames);
    const saved = names.map((n) => this.env.get(n));
    const steps: Step[] = [];
    try {
      for (const item of items) {
        for (const n of names) this.env.delete(n);
        bindParameters(params, item, this.env);
        steps.push(...read());
      }
    } finally {
      names.forEach((n, i) => {
        const value = saved[i];
        if (value) this.env.set(n, value);
        else this.env.delete(n);
      });
    }
    return steps;
  }

  /** `where(kind: 'a')` conditions along a model's scope chain, as `column = literal`. */
  private whereEqualities(receiver: SyntaxNode): Array<{ column: string; value: string }> {
    const out: Array<{ column: string; value: string }> = [];
    for (let node: SyntaxNode | null = receiver; node?.type === 'call'; node = node.childForFieldName('receiver')) {
      if (node.childForFieldName('method')?.text !== 'where') continue;
      for (const [column, v] of this.args(node).options) {
        const value = rubyLiteral(v);
        if (value !== null) out.push({ column, value });
      }
    }
    return out;
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
    const spreads: Array<Map<string, RubyValue>> = [];
    for (const a of list ? namedChildren(list) : []) {
      if (a.type === 'pair') pairs.push(a);
      else if (a.type === 'hash' && a === list?.lastNamedChild) pairs.push(...namedChildren(a));
      else if (a.type === 'hash_splat_argument' || a.type === 'splat_argument') {
        // `**options` / `*columns` of a value bound to a literal.
        const inner = a.firstNamedChild;
        const v = inner ? this.value(inner) : null;
        if (a.type === 'hash_splat_argument' && v?.kind === 'hash') spreads.push(v.entries);
        else if (a.type === 'splat_argument' && v?.kind === 'array') positional.push(...v.items);
        else positional.push({ kind: 'unknown', node: a });
      } else if (a.type !== 'comment' && a.type !== 'block_argument' && a.type !== 'heredoc_body') positional.push(this.value(a));
    }
    const block = node.type === 'call' ? node.childForFieldName('block') : null;
    const param = block?.childForFieldName('parameters');
    const blockParam = param ? (namedChildren(param)[0]?.text ?? null) : null;
    const options = new Map<string, RubyValue>();
    for (const spread of spreads) for (const [k, v] of spread) options.set(k, v);
    for (const [k, v] of hashEntries(pairs, this.env, (n) => this.value(n))) options.set(k, v);
    return { positional, options, block, blockParam };
  }

  /** A literal (or a constant, local or small helper method bound to one), or `unknown`. */
  value(node: SyntaxNode): RubyValue {
    if (node.type === 'heredoc_beginning') return this.heredoc(node) ?? { kind: 'unknown', node };
    if (node.type === 'call') {
      const receiver = node.childForFieldName('receiver');
      if (receiver?.type === 'heredoc_beginning') return this.heredoc(receiver) ?? { kind: 'unknown', node };
    }
    const v = evaluate(node, this.env);
    if (v.kind === 'unknown' && node.type === 'identifier') return this.helperValue(node.text) ?? v;
    return v;
  }

  /** `def table_name = :users` / `def table_name; "users"; end`: a helper whose body is one literal. */
  private helperValue(name: string): RubyValue | null {
    const helper = this.helpers.get(name);
    if (!helper || helper.childForFieldName('parameters') || this.inlining.has(name)) return null;
    const body = helper.childForFieldName('body');
    const statements = body ? (body.type === 'body_statement' ? namedChildren(body).filter((n) => n.type !== 'comment') : [body]) : [];
    const only = statements.length === 1 ? statements[0] : undefined;
    if (!only) return null;
    const v = evaluate(only, this.env);
    return v.kind === 'unknown' ? null : v;
  }

  private heredoc(beginning: SyntaxNode): RubyValue | null {
    const body = this.heredocBodies.get(beginning.id);
    const text = body ? this.heredocText(beginning, body) : null;
    return body && text ? { kind: 'string', value: text.text, node: body } : null;
  }

  /**
   * A heredoc's body as written (indentation kept: SQL does not care, and columns stay true to the file).
   * Interpolations of literals (`#{' '}`, a constant or a loop item bound to a string) are filled in;
   * any other interpolation makes it SQL built at run time: null.
   */
  heredocText(beginning: SyntaxNode, body: SyntaxNode): { text: string; start: number } | null {
    const raw = beginning.text.includes("'");
    const end = body.lastNamedChild?.type === 'heredoc_end' ? body.lastNamedChild.startIndex : body.endIndex;
    let start = body.startIndex;
    const full = this.source.text;
    while (start < end && full[start] !== '\n') start++;
    start++;
    let text = '';
    let at = start;
    for (const part of namedChildren(body)) {
      if (raw || part.startIndex < start) continue;
      let value: string;
      if (part.type === 'escape_sequence') value = rubyEscape(part.text);
      else if (part.type === 'interpolation') {
        const inner = namedChildren(part);
        const v = inner.length === 1 && inner[0] ? this.value(inner[0]) : null;
        if (v?.kind !== 'string' && v?.kind !== 'symbol' && v?.kind !== 'number') return null;
        value = String(v.value);
      } else continue;
      text += full.slice(at, part.startIndex) + value;
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
      if (!h) return null;
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
    this.out.directives.push({ type: 'acknowledge', reason, path: span.path, line: span.line, column: span.column, endLine: span.endLine });
  }
}

function statementName(node: SyntaxNode): string {
  if (node.type === 'call') return node.childForFieldName('method')?.text ?? 'call';
  return node.type;
}

/** Methods that ask whether a schema object exists: what they guard is read as if it runs. */
const SCHEMA_GUARDS = new Set([
  'table_exists?',
  'column_exists?',
  'index_exists?',
  'index_name_exists?',
  'foreign_key_exists?',
  'check_constraint_exists?',
  'data_source_exists?',
  'view_exists?',
  'schema_exists?',
  'extension_enabled?',
  'extension_available?',
  'primary_key_exists?',
]);

/** Predicates some codebases define for the adapter (`postgresql?`), by the dialect they ask for. */
const DIALECT_PREDICATES: Record<string, Dialect> = {
  'postgresql?': 'postgresql',
  'postgres?': 'postgresql',
  'mysql?': 'mysql',
  'sqlite?': 'sqlite',
};

/** Adapter capabilities Rails 7+ reports, by dialect (`supports_datetime_with_precision?` is in Active Storage's migration). */
const CAPABILITIES: Record<string, Dialect[]> = {
  'supports_datetime_with_precision?': ['postgresql', 'mysql', 'sqlite'],
  'supports_foreign_keys?': ['postgresql', 'mysql', 'sqlite'],
  'supports_check_constraints?': ['postgresql', 'mysql', 'sqlite'],
  'supports_partial_index?': ['postgresql', 'sqlite'],
  'supports_expression_index?': ['postgresql', 'mysql', 'sqlite'],
  'supports_json?': ['postgresql', 'mysql', 'sqlite'],
  'supports_exclusion_constraints?': ['postgresql'],
  'supports_unique_constraints?': ['postgresql'],
  'supports_deferrable_constraints?': ['postgresql'],
  'supports_virtual_columns?': ['postgresql', 'mysql', 'sqlite'],
};

/** `connection.adapter_name`, `ActiveRecord::Base.connection.adapter_name.downcase`, `connection_db_config.adapter`. */
function isAdapterName(node: SyntaxNode): boolean {
  let n: SyntaxNode | null = node;
  while (n?.type === 'call') {
    const method = n.childForFieldName('method')?.text ?? '';
    if (method === 'adapter_name' || method === 'adapter') return true;
    if (!['downcase', 'to_s', 'to_sym', 'upcase'].includes(method)) return false;
    n = n.childForFieldName('receiver');
  }
  return false;
}

/** The dialect an adapter name literal stands for; null for an adapter twoway does not read (SQL Server, Oracle). */
function dialectOfLiteral(text: string): Dialect | null | undefined {
  const t = text.toLowerCase();
  if (!/^["'%:/]/.test(t)) return undefined;
  if (t.includes('postg') || /\bpg\b/.test(t)) return 'postgresql';
  if (t.includes('mysql') || t.includes('trilogy') || t.includes('maria')) return 'mysql';
  if (t.includes('sqlite')) return 'sqlite';
  return null;
}

/** A branch that only raises (or prints): a precondition that aborts the migration, changing nothing. */
function onlyRaises(body: SyntaxNode): boolean {
  const statements = body.type === 'then' ? namedChildren(body).filter((n) => n.type !== 'comment') : [body];
  const method = (n: SyntaxNode) =>
    n.type === 'call' ? (n.childForFieldName('method')?.text ?? '') : n.type === 'identifier' ? n.text : '';
  return statements.some((n) => method(n) === 'raise') && statements.every((n) => ['raise', 'say', 'puts', 'print'].includes(method(n)));
}

function blockParams(block: SyntaxNode): SyntaxNode[] {
  const parameters = block.childForFieldName('parameters');
  return parameters ? namedChildren(parameters) : [];
}

function parameterNames(p: SyntaxNode): string[] {
  if (p.type === 'identifier') return [p.text];
  if (p.type === 'destructured_parameter') return namedChildren(p).flatMap(parameterNames);
  const name = p.childForFieldName('name')?.text ?? p.firstNamedChild?.text;
  return name ? [name] : [];
}

/** Binds block parameters to one yielded item: several parameters (or `(a, b)`) take an array's elements. */
function bindParameters(params: readonly SyntaxNode[], item: RubyValue, env: Bindings): void {
  if (params.length === 1 && params[0]?.type !== 'destructured_parameter') {
    for (const n of parameterNames(params[0] as SyntaxNode)) env.set(n, item);
    return;
  }
  const elements = item.kind === 'array' ? item.items : [item];
  params.forEach((p, i) => {
    const element = elements[i];
    if (!element) return;
    if (p.type === 'destructured_parameter') bindParameters(namedChildren(p), element, env);
    else if (p.type === 'identifier') env.set(p.text, element);
  });
}

/** A Ruby literal as the value the database stores (`'a'` and `:a` are the string a), or null. */
function rubyLiteral(v: RubyValue | undefined): string | null {
  if (!v) return null;
  if (v.kind === 'string' || v.kind === 'symbol') return v.value;
  if (v.kind === 'number') return String(v.value);
  if (v.kind === 'bool') return String(v.value);
  if (v.kind === 'nil') return 'NULL';
  return null;
}
