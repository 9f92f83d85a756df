// tree-sitter grammars (WebAssembly) for the DSL frameworks: load once (async), then parse synchronously.
import { createRequire } from 'node:module';
import type { Node, Parser } from 'web-tree-sitter';
import type { Span } from '../ir.js';
import { SourceMap } from '../sql/source-map.js';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let runtime: Promise<typeof import('web-tree-sitter')> | null = null;
const loading = new Map<string, Promise<Parser>>();
const parsers = new Map<string, Parser>();

/** Loads the grammar shipped by an npm package (`tree-sitter-ruby` → tree-sitter-ruby/tree-sitter-ruby.wasm). Idempotent. */
export function loadGrammar(grammarPackage: string): Promise<Parser> {
  let pending = loading.get(grammarPackage);
  if (!pending) {
    // The runtime is imported with the first grammar: a run that reads no Ruby nor Python never loads it.
    runtime ??= import('web-tree-sitter').then(async (treeSitter) => {
      await treeSitter.Parser.init();
      return treeSitter;
    });
    pending = runtime.then(async ({ Language, Parser }) => {
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

/** Thrown by `grammarParser` for a grammar not loaded yet: `discoverLoading` loads it and looks again. */
export class GrammarNotLoaded extends Error {
  constructor(readonly grammarPackage: string) {
    super(`${grammarPackage} is not loaded: await loadGrammar('${grammarPackage}') before parsing`);
  }
}

/** The parser of a grammar loaded before with `loadGrammar`. */
export function grammarParser(grammarPackage: string): Parser {
  const parser = parsers.get(grammarPackage);
  if (!parser) throw new GrammarNotLoaded(grammarPackage);
  return parser;
}

/**
 * File positions of syntax nodes. tree-sitter counts columns in bytes; reports count characters,
 * so positions are computed from the node's character offsets, by the same SourceMap the SQL uses.
 */
export class NodeSpans {
  private readonly map: SourceMap;

  constructor(
    readonly path: string,
    readonly text: string,
    /** 1-based line of the text's first character in its file. */
    readonly startLine = 1,
  ) {
    this.map = new SourceMap({ path, text, startLine, language: 'ruby' });
  }

  position(offset: number): { line: number; column: number } {
    return this.map.position(offset);
  }

  span(node: Node): Span {
    return this.map.span(node.startIndex, node.endIndex);
  }
}

/** Named children without the nulls web-tree-sitter's typings allow. */
export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((n): n is Node => n !== null);
}
