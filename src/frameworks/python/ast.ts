// Reading Python source with tree-sitter-python: calls, statements, spans, syntax errors. Never evaluates anything.
import { directivesInComment } from '../../directives.js';
import type { Span } from '../../ir.js';
import type { Directive, ReadError, SourceText } from '../../migration.js';
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

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set(Object.values(OPENERS));

/**
 * The first syntax error of a file, worded like CPython's (`'(' was never closed`, `unmatched ')'`,
 * `invalid syntax`), at the place CPython reports it; null when the file parses.
 */
export function pythonSyntaxError(root: SyntaxNode, source: SourceText): ReadError | null {
  if (!root.hasError) return null;
  const bad = firstError(root);
  if (!bad) return null;
  const at = (n: SyntaxNode, message: string): ReadError => {
    const span = spanOf(n, source);
    return { path: source.path, line: span.line, column: span.column, message: `Python syntax error: ${message}` };
  };
  if (bad.isMissing) return at(bad, `expected '${bad.type}'`);
  const stack: SyntaxNode[] = [];
  for (const token of leaves(bad)) {
    if (token.type in OPENERS) stack.push(token);
    else if (CLOSERS.has(token.type)) {
      const open = stack.pop();
      if (!open) return at(token, `unmatched '${token.type}'`);
      if (OPENERS[open.type] !== token.type)
        return at(token, `closing parenthesis '${token.type}' does not match opening parenthesis '${open.type}'`);
    }
  }
  if (stack.length) return at(stack[0] as SyntaxNode, `'${(stack[0] as SyntaxNode).type}' was never closed`);
  const first = leaves(bad)[0] ?? bad;
  return at(first, `invalid syntax near ${JSON.stringify(bad.text.split('\n')[0]?.slice(0, 40) ?? '')}`);
}

function firstError(node: SyntaxNode): SyntaxNode | null {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const c of node.children) if (c && (c.hasError || c.isMissing)) return firstError(c);
  return null;
}

function leaves(node: SyntaxNode): SyntaxNode[] {
  if (node.childCount === 0) return [node];
  return node.children.flatMap((c) => (c ? leaves(c) : []));
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
