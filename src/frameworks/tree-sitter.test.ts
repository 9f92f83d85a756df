import { describe, expect, it } from 'vitest';
import { grammarParser, loadGrammar, NodeSpans } from './tree-sitter.js';

describe('tree-sitter grammars', () => {
  it('loads a grammar once by package name, then parses synchronously', async () => {
    const [a, b] = await Promise.all([loadGrammar('tree-sitter-ruby'), loadGrammar('tree-sitter-ruby')]);
    expect(a).toBe(b);
    expect(grammarParser('tree-sitter-ruby')).toBe(a);
    expect(a.parse('add_column :users, :x, :string')?.rootNode.type).toBe('program');
  });

  it('says what to do when a grammar was not loaded', () => {
    expect(() => grammarParser('tree-sitter-cobol')).toThrow("await loadGrammar('tree-sitter-cobol')");
  });

  it('spans count characters, not the bytes tree-sitter counts', async () => {
    const parser = await loadGrammar('tree-sitter-ruby');
    const text = '# é\nadd_column :ü, :x';
    const call = parser.parse(text)?.rootNode.namedChildren[1];
    const arg = call?.childForFieldName('arguments')?.namedChildren[1];
    expect(arg && new NodeSpans('f.rb', text).span(arg)).toEqual({ path: 'f.rb', line: 2, column: 16, endLine: 2, endColumn: 18 });
  });
});
