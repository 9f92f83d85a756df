// Active Record models of a release, read with tree-sitter-ruby: the table each class maps
// (`self.table_name`, else Rails' convention: the demodulized class name, tableized; a subclass of
// another model shares its table, STI), and its `ignored_columns`. An Active Record model loads every
// column of its table, so a column it does not ignore is one it uses.
import inflection from 'inflection';
import { grammarParser, loadGrammar, namedChildren, type SyntaxNode } from '../frameworks/tree-sitter.js';
import { type Line, lineAt, type ModelFact, type ReleaseFacts } from './facts.js';
import { queriesIn } from './sql.js';

const GRAMMAR = 'tree-sitter-ruby';
const AR_BASES = new Set(['ApplicationRecord', 'ActiveRecord::Base']);

export const loadRails = () => loadGrammar(GRAMMAR);

interface RubyClass {
  name: string;
  superclass: string | null;
  at: Line;
  tableName: string | null;
  abstract: boolean;
  ignored: Map<string, Line>;
}

export function readRails(files: ReadonlyArray<{ path: string; text: string }>, facts: ReleaseFacts): void {
  const parser = grammarParser(GRAMMAR);
  const classes: RubyClass[] = [];
  for (const f of files) {
    const tree = parser.parse(f.text);
    if (!tree) continue;
    facts.filesRead++;
    if (tree.rootNode.hasError) facts.unparsed.push(lineAt(f.path, f.text, (firstError(tree.rootNode)?.startPosition.row ?? 0) + 1));
    walk(tree.rootNode, (n) => {
      if (n.type === 'string') {
        const sql = literal(n);
        if (sql) facts.queries.push(...queriesIn(sql, lineAt(f.path, f.text, n.startPosition.row + 1)));
      }
      const named =
        n.type === 'call'
          ? n.childForFieldName('method')?.text
          : n.type === 'simple_symbol'
            ? n.text.slice(1)
            : n.type === 'hash_key_symbol'
              ? n.text
              : null;
      if (named) {
        const refs = facts.rubyReferences.get(named) ?? [];
        if (refs.length < 5) refs.push(lineAt(f.path, f.text, n.startPosition.row + 1));
        facts.rubyReferences.set(named, refs);
      }
      if (n.type !== 'class') return;
      const name = n.childForFieldName('name')?.text;
      if (!name) return;
      const sup = n.childForFieldName('superclass');
      const superclass = sup ? (namedChildren(sup)[0]?.text ?? null) : null;
      const c: RubyClass = {
        name: demodulize(name),
        superclass: superclass ? superclass.replace(/^::/, '') : null,
        at: lineAt(f.path, f.text, n.startPosition.row + 1),
        tableName: null,
        abstract: false,
        ignored: new Map(),
      };
      const body = n.childForFieldName('body') ?? namedChildren(n).find((x) => x.type === 'body_statement');
      for (const s of body ? namedChildren(body) : []) readClassStatement(s, c, f);
      classes.push(c);
    });
  }
  const byName = new Map(classes.map((c) => [c.name, c]));
  const parentOf = (c: RubyClass) => (c.superclass ? byName.get(demodulize(c.superclass)) : undefined);
  const isModel = (c: RubyClass, seen = new Set<string>()): boolean => {
    if (!c.superclass || seen.has(c.name)) return false;
    if (AR_BASES.has(c.superclass)) return true;
    const parent = byName.get(demodulize(c.superclass));
    seen.add(c.name);
    return parent ? isModel(parent, seen) : false;
  };
  const tableOf = (c: RubyClass): string => {
    if (c.tableName) return c.tableName;
    const parent = c.superclass ? byName.get(demodulize(c.superclass)) : undefined;
    // Single-table inheritance: a subclass of a concrete model lives in its parent's table.
    if (parent && !parent.abstract && isModel(parent)) return tableOf(parent);
    return inflection.tableize(c.name);
  };
  for (const c of classes) {
    if (c.abstract || !isModel(c) || c.name === 'ApplicationRecord') continue;
    const model: ModelFact = { orm: 'rails', table: tableOf(c), at: c.at, columns: 'all', ignored: new Map(c.ignored) };
    // ignored_columns are inherited (STI subclasses and models of an abstract base).
    const seen = new Set([c.name]);
    for (let p = parentOf(c); p && !seen.has(p.name); p = parentOf(p)) {
      seen.add(p.name);
      for (const [k, v] of p.ignored) if (!model.ignored.has(k)) model.ignored.set(k, v);
    }
    facts.models.push(model);
  }
}

/** `self.table_name = "x"`, `self.abstract_class = true`, `self.ignored_columns = [...]` / `+= [...]`. */
function readClassStatement(s: SyntaxNode, c: RubyClass, f: { path: string; text: string }): void {
  if (s.type !== 'assignment' && s.type !== 'operator_assignment') return;
  const left = s.childForFieldName('left');
  const right = s.childForFieldName('right');
  if (!left || !right || left.type !== 'call' || left.childForFieldName('receiver')?.type !== 'self') return;
  const attr = left.childForFieldName('method')?.text;
  const at = lineAt(f.path, f.text, s.startPosition.row + 1);
  if (attr === 'table_name') c.tableName = literal(right) ?? c.tableName;
  else if (attr === 'abstract_class') c.abstract = right.type === 'true';
  else if (attr === 'ignored_columns') for (const name of literalList(right)) c.ignored.set(name, at);
}

/** A string or symbol literal without interpolation. */
function literal(n: SyntaxNode): string | null {
  if (n.type === 'simple_symbol') return n.text.slice(1);
  if (n.type === 'bare_string' || n.type === 'bare_symbol') return n.text;
  if (n.type === 'string' || n.type === 'delimited_symbol') {
    const parts = namedChildren(n);
    if (parts.some((p) => p.type !== 'string_content')) return parts.length ? null : '';
    return parts.map((p) => p.text).join('');
  }
  return null;
}

/** `["a", :b]`, `%w[a b]`, `%i[a b]`, and `[...] + [...]` / `.freeze` around them. */
function literalList(n: SyntaxNode): string[] {
  if (n.type === 'array' || n.type === 'string_array' || n.type === 'symbol_array')
    return namedChildren(n).flatMap((x) => {
      const v = literal(x);
      return v === null ? [] : [v];
    });
  if (n.type === 'binary') return [n.childForFieldName('left'), n.childForFieldName('right')].flatMap((x) => (x ? literalList(x) : []));
  if (n.type === 'call' && n.childForFieldName('receiver')) return literalList(n.childForFieldName('receiver') as SyntaxNode);
  const v = literal(n);
  return v === null ? [] : [v];
}

function demodulize(name: string): string {
  return name.split('::').at(-1) ?? name;
}

function walk(n: SyntaxNode, visit: (n: SyntaxNode) => void): void {
  visit(n);
  for (const c of namedChildren(n)) walk(c, visit);
}

function firstError(n: SyntaxNode): SyntaxNode | null {
  if (n.type === 'ERROR' || n.isMissing) return n;
  for (const c of namedChildren(n)) {
    const e = firstError(c);
    if (e) return e;
  }
  return null;
}
