// Ruby literals in migration code: symbols, strings, numbers, arrays, hashes, lambdas and the
// constants/locals they were bound to. Anything else is `unknown`: computed at run time.
import type { SyntaxNode } from '../tree-sitter.js';
import { namedChildren } from '../tree-sitter.js';

export type RubyValue =
  | { kind: 'symbol' | 'string'; value: string; node: SyntaxNode }
  | { kind: 'number'; value: number; node: SyntaxNode }
  | { kind: 'bool'; value: boolean; node: SyntaxNode }
  | { kind: 'nil'; node: SyntaxNode }
  | { kind: 'array'; items: RubyValue[]; node: SyntaxNode }
  | { kind: 'hash'; entries: Map<string, RubyValue>; node: SyntaxNode }
  /** `-> { "now()" }`: Rails inserts the string as SQL. */
  | { kind: 'lambda'; body: RubyValue | null; node: SyntaxNode }
  /** A constant such as ActiveRecord::IrreversibleMigration or a model class. */
  | { kind: 'constant'; name: string; node: SyntaxNode }
  | { kind: 'unknown'; node: SyntaxNode };

/** Constants and local variables bound to literals: `TABLE = :users`, `index_name = 'index_x'`. */
export type Bindings = Map<string, RubyValue>;

export function evaluate(node: SyntaxNode, env: Bindings): RubyValue {
  switch (node.type) {
    case 'simple_symbol':
      return { kind: 'symbol', value: node.text.slice(1), node };
    case 'hash_key_symbol':
      return { kind: 'symbol', value: node.text, node };
    case 'delimited_symbol': {
      const s = literalString(node);
      return s === null ? { kind: 'unknown', node } : { kind: 'symbol', value: s, node };
    }
    case 'string': {
      const s = literalString(node, env);
      return s === null ? { kind: 'unknown', node } : { kind: 'string', value: s, node };
    }
    case 'chained_string': {
      const parts = namedChildren(node).map((n) => literalString(n, env));
      return parts.some((p) => p === null) ? { kind: 'unknown', node } : { kind: 'string', value: parts.join(''), node };
    }
    case 'integer':
    case 'float': {
      const value = Number(node.text.replaceAll('_', ''));
      return Number.isNaN(value) ? { kind: 'unknown', node } : { kind: 'number', value, node };
    }
    case 'unary': {
      const inner = namedChildren(node)[0];
      const v = inner ? evaluate(inner, env) : null;
      return v?.kind === 'number' && node.text.startsWith('-') ? { kind: 'number', value: -v.value, node } : { kind: 'unknown', node };
    }
    case 'true':
    case 'false':
      return { kind: 'bool', value: node.type === 'true', node };
    case 'nil':
      return { kind: 'nil', node };
    case 'array':
      return { kind: 'array', items: namedChildren(node).map((n) => evaluate(n, env)), node };
    case 'string_array':
    case 'symbol_array':
      return {
        kind: 'array',
        items: namedChildren(node).map((n) => ({ kind: node.type === 'symbol_array' ? 'symbol' : 'string', value: n.text, node: n })),
        node,
      };
    case 'hash':
      return { kind: 'hash', entries: hashEntries(namedChildren(node), env), node };
    case 'lambda': {
      const block = node.childForFieldName('body');
      const body = block?.childForFieldName('body') ?? null;
      const statements = body ? namedChildren(body) : [];
      const only = statements.length === 1 ? statements[0] : undefined;
      return { kind: 'lambda', body: only ? evaluate(only, env) : null, node };
    }
    case 'parenthesized_statements': {
      const only = namedChildren(node);
      return only.length === 1 && only[0] ? evaluate(only[0], env) : { kind: 'unknown', node };
    }
    case 'constant':
    case 'scope_resolution':
      return env.get(node.text) ?? { kind: 'constant', name: node.text, node };
    case 'identifier':
      return env.get(node.text) ?? { kind: 'unknown', node };
    case 'binary': {
      // `'index_' + TABLE`: string concatenation of literals.
      const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
      const a = left ? evaluate(left, env) : null;
      const b = right ? evaluate(right, env) : null;
      const str = (v: RubyValue | null) => (v?.kind === 'string' || v?.kind === 'symbol' ? v.value : null);
      if (node.childForFieldName('operator')?.text === '+' && str(a) !== null && str(b) !== null)
        return { kind: 'string', value: `${str(a)}${str(b)}`, node };
      if (node.childForFieldName('operator')?.text === '+' && a?.kind === 'array' && b?.kind === 'array')
        return { kind: 'array', items: [...a.items, ...b.items], node };
      return { kind: 'unknown', node };
    }
    case 'call': {
      // `'users'.freeze`, `:name.to_s`: the receiver's value.
      const receiver = node.childForFieldName('receiver');
      const method = node.childForFieldName('method')?.text;
      if (receiver && (method === 'freeze' || method === 'dup')) return evaluate(receiver, env);
      if (receiver && (method === 'keys' || method === 'values') && !node.childForFieldName('arguments')) {
        const v = evaluate(receiver, env);
        if (v.kind === 'hash') {
          const items: RubyValue[] =
            method === 'values' ? [...v.entries.values()] : [...v.entries.keys()].map((k) => ({ kind: 'symbol', value: k, node }));
          return { kind: 'array', items, node };
        }
      }
      if (receiver && (method === 'to_s' || method === 'to_sym' || method === 'squish' || method === 'strip')) {
        const v = evaluate(receiver, env);
        if (v.kind === 'string' || v.kind === 'symbol') return { ...v, kind: method === 'to_sym' ? 'symbol' : 'string' };
      }
      return { kind: 'unknown', node };
    }
    default:
      return { kind: 'unknown', node };
  }
}

/** Pairs of `key: value` / `:key => value` / `"key" => value`. */
export function hashEntries(
  pairs: readonly SyntaxNode[],
  env: Bindings,
  read: (node: SyntaxNode) => RubyValue = (n) => evaluate(n, env),
): Map<string, RubyValue> {
  const entries = new Map<string, RubyValue>();
  for (const pair of pairs) {
    if (pair.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    if (!key || !value) continue;
    const k = evaluate(key, env);
    if (k.kind === 'symbol' || k.kind === 'string') entries.set(k.value, read(value));
  }
  return entries;
}

/** The value of a string literal; null when it interpolates anything but a literal bound in `env`. */
export function literalString(node: SyntaxNode, env: Bindings = new Map()): string | null {
  if (node.type !== 'string' && node.type !== 'delimited_symbol' && node.type !== 'bare_string') return null;
  const singleQuoted = node.text.startsWith("'") || node.text.startsWith('%q') || node.text.startsWith('%w');
  let out = '';
  for (const part of namedChildren(node)) {
    if (part.type === 'interpolation') {
      const inner = namedChildren(part);
      const v = inner.length === 1 && inner[0] ? evaluate(inner[0], env) : null;
      if (v?.kind !== 'string' && v?.kind !== 'symbol' && v?.kind !== 'number') return null;
      out += String(v.value);
      continue;
    }
    if (part.type === 'escape_sequence') out += singleQuoted ? part.text : rubyEscape(part.text);
    else out += singleQuoted ? part.text.replace(/\\([\\'])/g, '$1') : part.text;
  }
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', '0': '\0', e: '\x1b', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** A double-quoted string's escape (`\n`, `\\`, `\"`, `\u00e9`) as the string holds it. */
export function rubyEscape(sequence: string): string {
  const ch = sequence.slice(1);
  if (ch.startsWith('u')) {
    const hex = ch.replace(/[u{}]/g, '');
    return String.fromCodePoint(Number.parseInt(hex, 16));
  }
  return ESCAPES[ch] ?? ch;
}

export function textOf(v: RubyValue | undefined): string | null {
  return v && (v.kind === 'symbol' || v.kind === 'string') ? v.value : null;
}

export function names(v: RubyValue | undefined): string[] | null {
  if (!v) return null;
  if (v.kind === 'array') {
    const out = v.items.map(textOf);
    return out.every((s): s is string => s !== null) ? out : null;
  }
  const s = textOf(v);
  return s === null ? null : [s];
}

export function isTrue(v: RubyValue | undefined): boolean {
  return v !== undefined && v.kind !== 'nil' && !(v.kind === 'bool' && !v.value);
}

export function numberOf(v: RubyValue | undefined): number | undefined {
  return v?.kind === 'number' ? v.value : undefined;
}
