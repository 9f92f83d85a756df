// Django and SQLAlchemy models of a release, read with tree-sitter-python. Both ORMs read and write
// only the columns a model declares, so a model that declares no field for a column has stopped
// using it. Django: fields of `models.Model` subclasses (`db_column`, a ForeignKey's `<name>_id`),
// table `Meta.db_table` or `<app_label>_<model>`; abstract bases lend their fields. SQLAlchemy:
// `__tablename__` with `Column` / `mapped_column` / `Mapped[...]` attributes, and `Table("t", …, Column("c"))`.
import { posix } from 'node:path';
import { grammarParser, loadGrammar, namedChildren, type SyntaxNode } from '../frameworks/tree-sitter.js';
import { type Line, lineAt, type ReleaseFacts } from './facts.js';
import { queriesIn } from './sql.js';

const GRAMMAR = 'tree-sitter-python';
export const loadPython = () => loadGrammar(GRAMMAR);

const DJANGO_NO_COLUMN = new Set(['ManyToManyField', 'GenericRelation', 'GenericForeignKey']);
const DJANGO_KEYS = new Set(['ForeignKey', 'OneToOneField', 'ParentalKey', 'TreeForeignKey']);

interface PyClass {
  name: string;
  bases: string[];
  at: Line;
  path: string;
  /** Django: column → line. */
  fields: Map<string, Line>;
  /** Fields from a call the reader knows is a Django field. */
  django: boolean;
  tablename: string | null;
  dbTable: string | null;
  appLabel: string | null;
  abstract: boolean;
  sqlalchemy: boolean;
}

export function readPython(files: ReadonlyArray<{ path: string; text: string }>, facts: ReleaseFacts): void {
  const parser = grammarParser(GRAMMAR);
  const classes: PyClass[] = [];
  for (const f of files) {
    const tree = parser.parse(f.text);
    if (!tree) continue;
    facts.filesRead++;
    if (tree.rootNode.hasError) facts.unparsed.push(lineAt(f.path, f.text, 1));
    walk(tree.rootNode, (n) => {
      if (n.type === 'class_definition') classes.push(readClass(n, f));
      if (n.type === 'call' && last(callee(n) ?? '') === 'Table') readTableCall(n, f, facts);
      if (n.type === 'string') {
        const sql = stringOf(n);
        if (sql) facts.queries.push(...queriesIn(sql, lineAt(f.path, f.text, n.startPosition.row + 1)));
      }
    });
  }
  const byName = new Map(classes.map((c) => [c.name, c]));
  const ancestors = (c: PyClass): PyClass[] => {
    const out: PyClass[] = [];
    const todo = [...c.bases];
    const seen = new Set([c.name]);
    while (todo.length) {
      const b = byName.get(last(todo.shift() as string));
      if (!b || seen.has(b.name)) continue;
      seen.add(b.name);
      out.push(b);
      todo.push(...b.bases);
    }
    return out;
  };
  for (const c of classes) {
    if (c.sqlalchemy && c.tablename) {
      const columns = new Map(c.fields);
      for (const a of ancestors(c)) if (!a.tablename) for (const [k, v] of a.fields) if (!columns.has(k)) columns.set(k, v);
      facts.models.push({ orm: 'sqlalchemy', table: c.tablename, at: c.at, columns, ignored: new Map() });
      continue;
    }
    const chain = [c, ...ancestors(c)];
    const djangoModel =
      chain.some((x) => x.bases.some((b) => b === 'models.Model' || b === 'django.db.models.Model')) ||
      (c.django && c.bases.some((b) => last(b) === 'Model'));
    if (!djangoModel || c.abstract) continue;
    const columns = new Map<string, Line>();
    // Fields of abstract bases are the model's own columns; `id` is Django's implicit primary key.
    for (const x of chain) if (x === c || x.abstract) for (const [k, v] of x.fields) if (!columns.has(k)) columns.set(k, v);
    if (![...columns.keys()].includes('id')) columns.set('id', c.at);
    const label = c.appLabel ?? appLabelOf(c.path);
    facts.models.push({ orm: 'django', table: c.dbTable ?? `${label}_${c.name.toLowerCase()}`, at: c.at, columns, ignored: new Map() });
  }
}

function readClass(n: SyntaxNode, f: { path: string; text: string }): PyClass {
  const bases = namedChildren(n.childForFieldName('superclasses') ?? n)
    .filter((b) => b.type === 'identifier' || b.type === 'attribute')
    .map((b) => b.text);
  const c: PyClass = {
    name: n.childForFieldName('name')?.text ?? '?',
    bases,
    at: lineAt(f.path, f.text, n.startPosition.row + 1),
    path: f.path,
    fields: new Map(),
    django: false,
    tablename: null,
    dbTable: null,
    appLabel: null,
    abstract: false,
    sqlalchemy: false,
  };
  const body = n.childForFieldName('body');
  for (const stmt of body ? namedChildren(body) : []) {
    if (stmt.type === 'class_definition' && stmt.childForFieldName('name')?.text === 'Meta') {
      for (const m of assignments(stmt.childForFieldName('body'))) {
        if (m.name === 'db_table') c.dbTable = (m.value && stringOf(m.value)) ?? c.dbTable;
        if (m.name === 'app_label') c.appLabel = (m.value && stringOf(m.value)) ?? c.appLabel;
        if (m.name === 'abstract') c.abstract = m.value?.type === 'true';
      }
      continue;
    }
    for (const a of assignments(stmt.type === 'expression_statement' ? stmt : null, true)) {
      const at = lineAt(f.path, f.text, a.node.startPosition.row + 1);
      if (a.name === '__tablename__') {
        c.tablename = a.value ? stringOf(a.value) : null;
        c.sqlalchemy = true;
        continue;
      }
      if (a.name === '__abstract__') continue;
      const call = a.value?.type === 'call' ? a.value : null;
      const fn = call ? last(callee(call) ?? '') : '';
      if (fn === 'Column' || fn === 'mapped_column') {
        c.sqlalchemy = true;
        const first = call ? namedChildren(call.childForFieldName('arguments') as SyntaxNode)[0] : undefined;
        c.fields.set((first && stringOf(first)) ?? a.name, at);
      } else if (!call && a.annotation?.startsWith('Mapped[')) {
        c.sqlalchemy = true;
        c.fields.set(a.name, at);
      } else if (fn.endsWith('Field') || DJANGO_KEYS.has(fn)) {
        if (DJANGO_NO_COLUMN.has(fn)) continue;
        c.django = true;
        const column = call ? keyword(call, 'db_column') : null;
        c.fields.set(column ?? (DJANGO_KEYS.has(fn) ? `${a.name}_id` : a.name), at);
      }
    }
  }
  return c;
}

/** `Table("users", metadata, Column("full_name", …))`: a table of SQLAlchemy Core. */
function readTableCall(n: SyntaxNode, f: { path: string; text: string }, facts: ReleaseFacts): void {
  const args = namedChildren(n.childForFieldName('arguments') as SyntaxNode);
  const table = args[0] ? stringOf(args[0]) : null;
  if (!table) return;
  const columns = new Map<string, Line>();
  for (const a of args) {
    if (a.type !== 'call' || last(callee(a) ?? '') !== 'Column') continue;
    const first = namedChildren(a.childForFieldName('arguments') as SyntaxNode)[0];
    const name = first ? stringOf(first) : null;
    if (name) columns.set(name, lineAt(f.path, f.text, a.startPosition.row + 1));
  }
  facts.models.push({ orm: 'sqlalchemy', table, at: lineAt(f.path, f.text, n.startPosition.row + 1), columns, ignored: new Map() });
}

/** Django's app label: the folder of models.py, or of the models/ package. */
function appLabelOf(path: string): string {
  const dir = posix.dirname(path);
  return posix.basename(posix.basename(dir) === 'models' ? posix.dirname(dir) : dir);
}

function assignments(
  n: SyntaxNode | null,
  typed = false,
): Array<{ name: string; value: SyntaxNode | null; annotation?: string; node: SyntaxNode }> {
  if (!n) return [];
  const out: Array<{ name: string; value: SyntaxNode | null; annotation?: string; node: SyntaxNode }> = [];
  const stmts = n.type === 'expression_statement' ? [n] : namedChildren(n).filter((s) => s.type === 'expression_statement');
  for (const s of stmts) {
    for (const a of namedChildren(s)) {
      if (a.type !== 'assignment') continue;
      const left = a.childForFieldName('left');
      if (left?.type !== 'identifier') continue;
      const type = a.childForFieldName('type');
      out.push({ name: left.text, value: a.childForFieldName('right'), node: a, ...(typed && type ? { annotation: type.text } : {}) });
    }
  }
  return out;
}

function callee(call: SyntaxNode): string | null {
  return call.childForFieldName('function')?.text ?? null;
}

function keyword(call: SyntaxNode, name: string): string | null {
  for (const a of namedChildren(call.childForFieldName('arguments') as SyntaxNode)) {
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) {
      const v = a.childForFieldName('value');
      return v ? stringOf(v) : null;
    }
  }
  return null;
}

/** A plain string literal ('x', "x"), not an f-string or a concatenation. */
export function stringOf(n: SyntaxNode): string | null {
  if (n.type !== 'string') return null;
  const parts = namedChildren(n);
  if (parts.some((p) => p.type === 'interpolation')) return null;
  return parts
    .filter((p) => p.type === 'string_content')
    .map((p) => p.text)
    .join('');
}

function last(dotted: string): string {
  return dotted.split('.').at(-1) ?? dotted;
}

function walk(n: SyntaxNode, visit: (n: SyntaxNode) => void): void {
  visit(n);
  for (const c of namedChildren(n)) walk(c, visit);
}
