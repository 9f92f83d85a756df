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
    const library = libraryCall(this, node, receiver, method, args);
    if (library) return library;
    if (args.block && (method === 'each' || method === 'each_pair')) {
      const items = this.literalItems(receiver);
      if (items) return this.unroll(args.block, items);
    }
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

  /** The items of a literal collection (`%w[a b]`, `{ users: %i[a b] }`, a constant bound to one): hash items are [key, value]. */
  private literalItems(receiver: SyntaxNode): RubyValue[][] | null {
    const v = evaluate(receiver, this.env);
    if (v.kind === 'array') return v.items.map((item) => [item]);
    if (v.kind === 'hash') return [...v.entries].map(([key, value]) => [{ kind: 'symbol', value: key, node: v.node }, value]);
    return null;
  }

  /** A loop over a literal collection is read once per item, its block parameters bound to the item. */
  private unroll(block: SyntaxNode, items: RubyValue[][]): Step[] {
    const parameters = block.childForFieldName('parameters');
    const params = parameters
      ? namedChildren(parameters)
          .filter((p) => p.type === 'identifier')
          .map((p) => p.text)
      : [];
    const saved = params.map((p) => this.env.get(p));
    const steps: Step[] = [];
    for (const item of items) {
      const values: Array<RubyValue | undefined> =
        params.length === 1 && item.length === 2 ? [{ kind: 'array', items: item, node: block }] : params.map((_, i) => item[i]);
      params.forEach((p, i) => {
        const value = values[i];
        if (value) this.env.set(p, value);
        else this.env.delete(p);
      });
      steps.push(...this.statements(block.childForFieldName('body')));
    }
    params.forEach((p, i) => {
      const value = saved[i];
      if (value) this.env.set(p, value);
      else this.env.delete(p);
    });
    return steps;
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
    this.out.directives.push({ type: 'acknowledge', reason, path: span.path, line: span.line, column: span.column, endLine: span.endLine });
  }
}

function statementName(node: SyntaxNode): string {
  if (node.type === 'call') return node.childForFieldName('method')?.text ?? 'call';
  return node.type;
}
