// Reading Python source with tree-sitter-python: literals, calls, spans. Never evaluates anything.
import { directivesInComment } from '../../directives.js';
import type { Span } from '../../ir.js';
import type { Directive, SourceText } from '../../migration.js';
import { grammarParser, loadGrammar, type SyntaxNode, type Tree } from '../tree-sitter.js';

export type { SyntaxNode };

const GRAMMAR = 'tree-sitter-python';

export async function loadPythonGrammar(): Promise<void> {
  await loadGrammar(GRAMMAR);
}

/** Parses a Python file; the caller must `tree.delete()` it (the tree lives in WebAssembly memory). */
export function parsePython(text: string): Tree {
  const tree = grammarParser(GRAMMAR).parse(text);
  if (!tree) throw new Error('tree-sitter-python returned no tree');
  return tree;
}

/** Runs `use` on the parsed tree and frees it. */
export function withPythonTree<T>(text: string, use: (root: SyntaxNode) => T): T {
  const tree = parsePython(text);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

export function spanOf(node: SyntaxNode, source: SourceText): Span {
  const offset = source.startLine - 1;
  return {
    path: source.path,
    line: node.startPosition.row + 1 + offset,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1 + offset,
    endColumn: node.endPosition.column + 1,
  };
}

/** `op.add_column` → 'op.add_column'; `models.CharField` → 'models.CharField'; anything else → null. */
export function dottedName(node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute')?.text;
    return object && attribute ? `${object}.${attribute}` : null;
  }
  return null;
}

/** The last part of a dotted call name: `sa.types.String` → 'String'. */
export function lastName(name: string | null): string | null {
  return name ? (name.split('.').at(-1) ?? null) : null;
}

export function callName(call: SyntaxNode): string | null {
  return call.type === 'call' ? dottedName(call.childForFieldName('function')) : null;
}

export interface CallArgs {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
  /** `*args` or `**kwargs`: the call's arguments are not all known. */
  splat: boolean;
}

export function callArgs(call: SyntaxNode): CallArgs {
  const out: CallArgs = { positional: [], keywords: new Map(), splat: false };
  const list = call.childForFieldName('arguments');
  for (const arg of list?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) out.keywords.set(name, value);
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      out.splat = true;
    } else {
      out.positional.push(arg);
    }
  }
  return out;
}

/** The argument given by keyword or, failing that, at a position. */
export function argument(args: CallArgs, position: number, keyword: string): SyntaxNode | undefined {
  return args.keywords.get(keyword) ?? args.positional[position];
}

/** Where a string literal's value starts in the file, and the value. */
export interface StringLiteral {
  value: string;
  line: number;
  column: number;
  /** The value is the source text unchanged (no escapes), so positions inside it are exact. */
  exact: boolean;
}

/** A plain string literal (also implicit concatenation of literals); null for f-strings with fields, bytes, anything else. */
export function stringLiteral(node: SyntaxNode | null | undefined): StringLiteral | null {
  if (!node) return null;
  if (node.type === 'parenthesized_expression') return stringLiteral(node.namedChildren[0]);
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map((n) => stringLiteral(n));
    if (parts.some((p) => p === null) || !parts[0]) return null;
    const first = parts[0];
    return { ...first, value: parts.map((p) => p?.value).join(''), exact: parts.length === 1 && first.exact };
  }
  if (node.type !== 'string') return null;
  const start = node.namedChildren.find((n) => n?.type === 'string_start');
  const end = node.namedChildren.find((n) => n?.type === 'string_end');
  if (!start || !end) return null;
  const prefix = start.text.replace(/["']+$/, '').toLowerCase();
  if (prefix.includes('b')) return null;
  if (node.namedChildren.some((n) => n?.type === 'interpolation')) return null;
  const body = node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
  const raw = prefix.includes('r');
  const value = raw ? body : decodeEscapes(body);
  return { value, line: start.endPosition.row + 1, column: start.endPosition.column + 1, exact: value === body };
}

export function stringValue(node: SyntaxNode | null | undefined): string | null {
  return stringLiteral(node)?.value ?? null;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '', '0': '\0' };

function decodeEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const mapped = ESCAPES[next];
    if (mapped !== undefined) {
      out += mapped;
      i++;
    } else out += ch;
  }
  return out;
}

/** A Python literal as a value: strings, numbers, booleans, None, lists/tuples/sets, dicts; undefined when not a literal. */
export type PyLiteral = string | number | boolean | null | PyLiteral[] | { [key: string]: PyLiteral };

export function literal(node: SyntaxNode | null | undefined): PyLiteral | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return stringValue(node) ?? undefined;
    case 'integer':
    case 'float': {
      const n = Number(node.text.replaceAll('_', ''));
      return Number.isNaN(n) ? undefined : n;
    }
    case 'unary_operator': {
      const inner = literal(node.childForFieldName('argument'));
      return typeof inner === 'number' && node.text.startsWith('-') ? -inner : undefined;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'parenthesized_expression':
      return literal(node.namedChildren[0]);
    case 'list':
    case 'tuple':
    case 'set': {
      const items = node.namedChildren.filter((n) => n && n.type !== 'comment').map((n) => literal(n));
      return items.some((i) => i === undefined) ? undefined : (items as PyLiteral[]);
    }
    case 'dictionary': {
      const out: Record<string, PyLiteral> = {};
      for (const pair of node.namedChildren) {
        if (!pair || pair.type === 'comment') continue;
        if (pair.type !== 'pair') return undefined;
        const key = literal(pair.childForFieldName('key'));
        const value = literal(pair.childForFieldName('value'));
        if (typeof key !== 'string' || value === undefined) return undefined;
        out[key] = value;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** The elements of a list/tuple/set literal node (not evaluated). */
export function elements(node: SyntaxNode | null | undefined): SyntaxNode[] | null {
  if (!node) return null;
  if (node.type === 'parenthesized_expression') return elements(node.namedChildren[0]);
  if (!['list', 'tuple', 'set'].includes(node.type)) return null;
  return node.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
}

/** Top-level `name = value` (and `name: T = value`) assignments of a module or class body. */
export function assignments(body: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const stmt of body.namedChildren) {
    if (stmt?.type !== 'expression_statement') continue;
    const a = stmt.namedChildren[0];
    if (a?.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type === 'identifier' && right) out.set(left.text, right);
  }
  return out;
}

/** Module-level `def name(...)`, also under decorators. */
export function functionDef(module: SyntaxNode, name: string): SyntaxNode | null {
  for (const stmt of module.namedChildren) {
    const def = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return null;
}

/** The statements of a block, without comments. */
export function statements(block: SyntaxNode | null | undefined): SyntaxNode[] {
  return (block?.namedChildren ?? []).filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
}

/** `# twoway-ignore …` and `# twoway: contract` comments anywhere in the file. */
export function pythonDirectives(root: SyntaxNode, source: SourceText): Directive[] {
  return root.descendantsOfType('comment').flatMap((c) => (c ? directivesInComment(c.text, spanOf(c, source)) : []));
}

/** A docstring or `pass`: statements that do nothing. */
export function isNoop(stmt: SyntaxNode): boolean {
  if (stmt.type === 'pass_statement') return true;
  if (stmt.type === 'expression_statement') {
    const e = stmt.namedChildren[0];
    return e?.type === 'string' || e?.type === 'concatenated_string' || e?.type === 'ellipsis';
  }
  return false;
}
