// tree-sitter grammars (WebAssembly) for the DSL frameworks: load once (async), then parse synchronously.
import { createRequire } from 'node:module';
import { Language, type Node, Parser } from 'web-tree-sitter';
import type { Span } from '../ir.js';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let runtime: Promise<void> | null = null;
const loading = new Map<string, Promise<Parser>>();
const parsers = new Map<string, Parser>();

/** Loads the grammar shipped by an npm package (`tree-sitter-ruby` → tree-sitter-ruby/tree-sitter-ruby.wasm). Idempotent. */
export function loadGrammar(grammarPackage: string): Promise<Parser> {
  let pending = loading.get(grammarPackage);
  if (!pending) {
    runtime ??= Parser.init();
    pending = runtime.then(async () => {
      const language = await Language.load(require.resolve(`${grammarPackage}/${grammarPackage}.wasm`));
      const parser = new Parser();
      parser.setLanguage(language);
      parsers.set(grammarPackage, parser);
      return parser;
    });
    loading.set(grammarPackage, pending);
  }
  return pending;
}

/** The parser of a grammar loaded before with `loadGrammar`. */
export function grammarParser(grammarPackage: string): Parser {
  const parser = parsers.get(grammarPackage);
  if (!parser) throw new Error(`${grammarPackage} is not loaded: await loadGrammar('${grammarPackage}') before parsing`);
  return parser;
}

/**
 * File positions of syntax nodes. tree-sitter counts columns in bytes; reports count characters,
 * so positions are computed from the node's character offsets.
 */
export class NodeSpans {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly path: string,
    readonly text: string,
    /** 1-based line of the text's first character in its file. */
    readonly startLine = 1,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.startLine + lo, column: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }

  span(node: Node): Span {
    const a = this.position(node.startIndex);
    const b = this.position(node.endIndex);
    return { path: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** Named children without the nulls web-tree-sitter's typings allow. */
export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((n): n is Node => n !== null);
}
