// tree-sitter grammars (WebAssembly) for the DSL frameworks: load once (async), then parse synchronously.
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let runtime: Promise<void> | null = null;
const loading = new Map<string, Promise<Parser>>();
const parsers = new Map<string, Parser>();

/** Loads the grammar shipped by an npm package (`tree-sitter-python` → tree-sitter-python/tree-sitter-python.wasm). Idempotent. */
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
