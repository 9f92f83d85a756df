// Tree-sitter grammars for the DSL frameworks (Ruby, Python): WebAssembly, loaded once, then parsing is sync.
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let runtime: Promise<void> | null = null;
const loading = new Map<string, Promise<void>>();
const parsers = new Map<string, Parser>();

/**
 * Loads the grammar shipped by an npm package (`tree-sitter-python` → tree-sitter-python.wasm).
 * Call once before parsing; later calls return the same promise.
 */
export function loadGrammar(packageName: string): Promise<void> {
  let pending = loading.get(packageName);
  if (!pending) {
    runtime ??= Parser.init();
    pending = runtime.then(async () => {
      const language = await Language.load(require.resolve(`${packageName}/${packageName}.wasm`));
      const parser = new Parser();
      parser.setLanguage(language);
      parsers.set(packageName, parser);
    });
    loading.set(packageName, pending);
  }
  return pending;
}

/** Parses source text with a grammar loaded by `loadGrammar`. */
export function parseWith(packageName: string, text: string): Tree {
  const parser = parsers.get(packageName);
  if (!parser) throw new Error(`the ${packageName} grammar is not loaded: await loadGrammar('${packageName}') first`);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`${packageName} returned no tree`);
  return tree;
}
