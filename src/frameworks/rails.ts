// Rails (ActiveRecord): Ruby migrations in db/migrate and db/post_migrate, read with tree-sitter-ruby,
// never run. `change` is reverted with Rails' own rules (CommandRecorder); `up`/`down` are read as written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { directivesInComment } from '../directives.js';
import { chooseDialect, type DialectChoice, declared } from '../discover/dialect.js';
import type { Dialect, Operation } from '../ir.js';
import type { AdapterNote, DownStatus, Migration, ParsedMigration, ReadError, SourceText } from '../migration.js';
import { parseSql } from '../sql/index.js';
import type { Folder, FrameworkAdapter, MigrationSet } from './adapter.js';
import { RAILS_MIGRATION_FOLDERS } from './rails/names.js';
import { type Irreversible, RailsReader, type Step } from './rails/reader.js';
import { loadRubySyntax, rubySyntaxError } from './rails/syntax.js';
import { evaluate } from './rails/values.js';
import { registerAdapter } from './registry.js';
import { readText } from './sql-files.js';
import { grammarParser, loadGrammar, namedChildren, type SyntaxNode } from './tree-sitter.js';

// yaml loads when a config of this framework is read, not at start-up.
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

const GRAMMAR = 'tree-sitter-ruby';

/** `20240101120000_add_users.rb` → version and name. */
export function parseRailsFileName(file: string): { version: bigint; id: string; name: string } | null {
  if (!file.endsWith('.rb')) return null;
  const stem = file.slice(0, -'.rb'.length);
  const underscore = stem.indexOf('_');
  if (underscore <= 0) return null;
  const id = stem.slice(0, underscore);
  if (![...id].every((ch) => ch >= '0' && ch <= '9')) return null;
  return { version: BigInt(id), id, name: stem.slice(underscore + 1) };
}

export const rails: FrameworkAdapter = registerAdapter({
  framework: 'rails',
  detect(folder: Folder) {
    // Found at db/ (both folders, one history) or at db/migrate given directly.
    let dbAbs: string;
    let dbRel: string;
    let folders: string[];
    if (basename(folder.abs) === 'db') {
      folders = RAILS_MIGRATION_FOLDERS.filter((f) => folder.entries.some((e) => e.isDirectory() && e.name === f));
      [dbAbs, dbRel] = [folder.abs, folder.rel];
    } else if (RAILS_MIGRATION_FOLDERS.includes(basename(folder.abs)) && basename(dirname(folder.abs)) === 'db') {
      folders = [basename(folder.abs)];
      [dbAbs, dbRel] = [dirname(folder.abs), dirname(folder.rel)];
    } else return null;
    const errors: ReadError[] = [];
    const files: Array<{ version: bigint; id: string; name: string; rel: string; abs: string }> = [];
    for (const sub of folders) {
      const abs = join(dbAbs, sub);
      const entries = abs === folder.abs ? folder.entries.map((e) => e.name) : listFiles(abs);
      for (const file of entries) {
        const parsed = parseRailsFileName(file);
        if (parsed) files.push({ ...parsed, rel: join(dbRel, sub, file), abs: join(abs, file) });
      }
    }
    if (!files.length) return null;
    files.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : a.rel.localeCompare(b.rel)));
    errors.push(...duplicates(files));
    const root = dirname(dbAbs);
    const { dialect, dialectReason } = railsDialect(folder, root, dbRel, errors);
    const migrations: Migration[] = [];
    for (const [i, f] of files.entries()) {
      if (i > 0 && files[i - 1]?.version === f.version) continue;
      const text = readText(f.abs, f.rel);
      if (!text.ok) {
        errors.push(text.error);
        continue;
      }
      migrations.push({
        id: f.id,
        name: f.name,
        framework: 'rails',
        dialect,
        path: f.rel,
        files: [f.rel],
        up: rubySource(f.rel, text.text),
        down: null,
        // Rails wraps a migration in a transaction when the adapter supports DDL transactions
        // (Migrator#use_transaction?): PostgreSQL and SQLite do, MySQL does not.
        transactional: dialect !== 'mysql',
      });
    }
    const set: MigrationSet = {
      framework: 'rails',
      dialect,
      dialectReason,
      root: dbRel,
      migrations,
      claimed: folders.map((f) => join(dbAbs, f)),
    };
    const seed = schemaDump(dbAbs, dbRel);
    if (seed) set.seed = seed;
    return { sets: [set], errors };
  },
  load: async () => {
    await Promise.all([loadGrammar(GRAMMAR), loadRubySyntax()]);
  },
  parse: parseRailsMigration,
  parseSeed(seed: SourceText, dialect: Dialect) {
    if (seed.language === 'sql') {
      const parsed = parseSql(seed, dialect);
      return { ops: parsed.ops, errors: parsed.errors };
    }
    return parseSchemaRb(seed, dialect);
  },
});

/**
 * Rails refuses a history with two migrations of one version (ActiveRecord::DuplicateMigrationVersionError)
 * or of one name (DuplicateMigrationNameError): each is an error naming both files. Of one version only
 * the first is read: ids are unique within a set.
 */
function duplicates(files: ReadonlyArray<{ version: bigint; id: string; name: string; rel: string }>): ReadError[] {
  const errors: ReadError[] = [];
  const byName = new Map<string, string>();
  files.forEach((f, i) => {
    const previous = files[i - 1];
    if (previous && previous.version === f.version) {
      errors.push({
        path: f.rel,
        line: 1,
        column: 1,
        message: `Multiple migrations have the version number ${f.id}: ${previous.rel} and ${f.rel} (Rails refuses to migrate: ActiveRecord::DuplicateMigrationVersionError); only ${previous.rel} is analyzed`,
      });
      return;
    }
    const other = byName.get(f.name);
    if (other) {
      errors.push({
        path: f.rel,
        line: 1,
        column: 1,
        message: `Multiple migrations have the name ${f.name}: ${other} and ${f.rel} (Rails refuses to migrate: ActiveRecord::DuplicateMigrationNameError)`,
      });
    } else byName.set(f.name, f.rel);
  });
  return errors;
}

function listFiles(abs: string): string[] {
  try {
    return readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

function rubySource(path: string, text: string): SourceText {
  return { path, text, startLine: 1, language: 'ruby' };
}

/** db/structure.sql (exact) or db/schema.rb: the schema a squashed history starts from. */
function schemaDump(dbAbs: string, dbRel: string): SourceText | null {
  for (const [file, language] of [
    ['structure.sql', 'sql'],
    ['schema.rb', 'ruby'],
  ] as const) {
    const abs = join(dbAbs, file);
    if (!existsSync(abs)) continue;
    const text = readText(abs, join(dbRel, file));
    if (text.ok) return { path: join(dbRel, file), text: text.text, startLine: 1, language };
  }
  return null;
}

const ADAPTER_DIALECTS: Record<string, Dialect> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  postgis: 'postgresql',
  mysql2: 'mysql',
  mysql: 'mysql',
  trilogy: 'mysql',
  sqlite3: 'sqlite',
  sqlite: 'sqlite',
};

/** config/database.yml's adapter; without one, that of the sample the project ships in its place (database.yml.sample). */
function railsDialect(folder: Folder, root: string, dbRel: string, errors: ReadError[]): DialectChoice {
  const read = (name: string) => {
    const rel = join(dirname(dbRel), 'config', name);
    const found = dialectOfDatabaseYml(join(root, 'config', name), rel);
    return { ...found, choice: declared(found.dialect, `${rel} adapter: ${found.adapter}`) };
  };
  const config = read('database.yml');
  if (config.error) errors.push(config.error);
  // A sample is only an example: what it cannot say is no error of the project's.
  const sample = config.dialect ? null : (SAMPLE_SUFFIXES.map((s) => read(`database.yml${s}`).choice).find(Boolean) ?? null);
  return chooseDialect(folder, dbRel, config.choice, sample);
}

const SAMPLE_SUFFIXES = ['.sample', '.example', '.dist'];

/**
 * The dialect of config/database.yml's adapter (development first). ERB tags (`<%= ENV[...] %>`) are
 * templates Rails evaluates at boot: they are blanked, never run.
 */
export function dialectOfDatabaseYml(abs: string, rel: string): { dialect: Dialect | null; adapter?: string; error?: ReadError } {
  if (!existsSync(abs)) return { dialect: null };
  let doc: unknown;
  try {
    const text = readFileSync(abs, 'utf8').replace(/<%[\s\S]*?%>/g, '');
    doc = yaml().parse(text, { merge: true, uniqueKeys: false });
  } catch (e) {
    return {
      dialect: null,
      error: { path: rel, line: 1, column: 1, message: `cannot read the database adapter: ${(e as Error).message.split('\n')[0]}` },
    };
  }
  if (!doc || typeof doc !== 'object') return { dialect: null };
  const envs = doc as Record<string, unknown>;
  const order = ['development', 'production', 'test', 'default', ...Object.keys(envs)];
  for (const env of order) {
    const adapter = adapterOf(envs[env]);
    if (adapter) {
      const dialect = ADAPTER_DIALECTS[adapter];
      if (dialect) return { dialect, adapter };
      return {
        dialect: null,
        error: { path: rel, line: 1, column: 1, message: `database adapter "${adapter}" is not supported: reading as PostgreSQL` },
      };
    }
  }
  return { dialect: null };
}

function adapterOf(config: unknown): string | null {
  if (!config || typeof config !== 'object') return null;
  const c = config as Record<string, unknown>;
  if (typeof c.adapter === 'string' && c.adapter) return c.adapter;
  if (typeof c.url === 'string' && c.url.includes('://')) return c.url.slice(0, c.url.indexOf('://'));
  // Multiple databases: development: { primary: { adapter: … }, cache: … }
  for (const v of Object.values(c)) {
    const nested = v && typeof v === 'object' ? adapterOf(v) : null;
    if (nested) return nested;
  }
  return null;
}

// ── parsing ───────────────────────────────────────────────────────────────────────────────

/** Reads one Rails migration file into IR. Never throws: problems are ReadErrors. */
export function parseRailsMigration(migration: Migration): ParsedMigration {
  const source = migration.up;
  const tree = grammarParser(GRAMMAR).parse(source.text);
  const result: ParsedMigration = { migration, up: [], down: null, downStatus: 'none', directives: [], errors: [], notes: [] };
  if (!tree) {
    result.errors.push({ path: source.path, line: 1, column: 1, message: 'tree-sitter could not parse this Ruby file' });
    return result;
  }
  try {
    const root = tree.rootNode;
    const reader = new RailsReader(source, root, migration.dialect);
    for (const c of root.descendantsOfType('comment')) if (c) result.directives.push(...directivesInComment(c.text, reader.spans.span(c)));
    const syntax = root.hasError ? syntaxError(source.text, root) : null;
    if (syntax) {
      const at = reader.spans.position(syntax.offset);
      // The whole file is unread: its answers are unknown; what parses is still read for its findings.
      result.errors.push({ path: source.path, line: at.line, column: at.column, message: `Ruby syntax error: ${syntax.message}` });
    }
    const cls = migrationClass(root);
    if (!cls) {
      if (syntax) return result;
      result.errors.push({
        path: source.path,
        line: 1,
        column: 1,
        message: 'no migration class (class … < ActiveRecord::Migration) in this file',
      });
      return result;
    }
    reader.migrationVersion = migrationVersion(cls);
    const methods = readClass(reader, cls);
    const body = (name: string) => methods.get(name)?.childForFieldName('body') ?? null;
    let notes: AdapterNote[] = [];
    let down: Operation[] | null = null;
    let downStatus: DownStatus = 'none';
    let up: Operation[] = [];
    if (methods.has('change')) {
      const steps = reader.statements(body('change'));
      up = steps.flatMap((s) => s.up);
      const stuck = steps.map((s) => s.inverse).filter((i): i is Irreversible => !Array.isArray(i));
      if (stuck.length) {
        downStatus = 'irreversible';
        notes = stuck.filter((i) => !i.declared).map(cannotReverse);
      } else {
        downStatus = 'derived';
        down = [...steps].reverse().flatMap((s) => s.inverse as Operation[]);
      }
    } else {
      up = reader.statements(body('up')).flatMap((s) => s.up);
      if (methods.has('down')) {
        const steps: Step[] = reader.statements(body('down'));
        const declared = steps.some((s) => !Array.isArray(s.inverse) && s.inverse.declared);
        downStatus = declared ? 'irreversible' : 'written';
        down = declared ? null : steps.flatMap((s) => s.up);
      }
    }
    result.migration = reader.out.noTransaction ? { ...migration, transactional: false } : migration;
    result.up = up;
    result.down = down;
    result.downStatus = downStatus;
    result.directives.push(...reader.out.directives);
    result.errors.push(...reader.out.errors);
    result.notes = notes;
  } catch (e) {
    // A construct the reader mishandles must cost one file, not the run.
    result.errors.push({ path: source.path, line: 1, column: 1, message: `could not read this migration: ${(e as Error).message}` });
  } finally {
    tree.delete();
  }
  return result;
}

function cannotReverse(i: Irreversible): AdapterNote {
  return { rule: 'framework-cannot-reverse', message: `Rails cannot roll this migration back: ${i.reason}.`, fix: i.fix, span: i.span };
}

/**
 * Ruby's own verdict on a file tree-sitter could not fully parse (Prism's message; none when Ruby
 * accepts it); without Prism, where tree-sitter stopped.
 */
function syntaxError(text: string, root: SyntaxNode): { offset: number; message: string } | null {
  const ruby = rubySyntaxError(text);
  if (ruby !== undefined) return ruby;
  const bad = firstError(root);
  return { offset: bad?.startIndex ?? 0, message: bad?.isMissing ? `missing ${bad.type}` : 'the file does not parse' };
}

function firstError(node: SyntaxNode): SyntaxNode | null {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const c of namedChildren(node)) if (c.hasError) return firstError(c);
  return null;
}

/** The class that subclasses ActiveRecord::Migration (or a codebase's own base, such as Gitlab::Database::Migration[2.2]). */
function migrationClass(root: SyntaxNode): SyntaxNode | null {
  const classes = root.descendantsOfType('class').filter((c): c is SyntaxNode => c !== null);
  const isMigration = (c: SyntaxNode) => c.childForFieldName('superclass')?.text.includes('Migration') ?? false;
  return (
    classes.find(isMigration) ?? classes.find((c) => methodsOf(c).some((m) => ['change', 'up', 'down'].includes(methodName(m)))) ?? null
  );
}

/**
 * `ActiveRecord::Migration[7.1]` → 7.1: the compatibility layer Rails runs the migration with; a bare
 * `ActiveRecord::Migration` is Rails 4.2's (Compatibility::Legacy). A codebase's own base class
 * (`Gitlab::Database::Migration[2.2]`) has its own numbering: null, today's Rails.
 */
function migrationVersion(cls: SyntaxNode): number | null {
  const superclass = cls.childForFieldName('superclass');
  const base = superclass?.firstNamedChild;
  if (base?.type === 'scope_resolution' && base.text === 'ActiveRecord::Migration') return 4.2;
  if (base?.type !== 'element_reference' || base.childForFieldName('object')?.text !== 'ActiveRecord::Migration') return null;
  const index = namedChildren(base)[1];
  return index && (index.type === 'float' || index.type === 'integer') ? Number(index.text) : null;
}

function methodsOf(cls: SyntaxNode): SyntaxNode[] {
  const body = cls.childForFieldName('body');
  return body ? namedChildren(body).filter((n) => n.type === 'method' || n.type === 'singleton_method') : [];
}

function methodName(m: SyntaxNode): string {
  return m.childForFieldName('name')?.text ?? '';
}

/** Class-level declarations: methods, constants, disable_ddl_transaction!, model classes. */
function readClass(reader: RailsReader, cls: SyntaxNode): Map<string, SyntaxNode> {
  const methods = new Map<string, SyntaxNode>();
  const body = cls.childForFieldName('body');
  for (const n of body ? namedChildren(body) : []) {
    if (n.type === 'method' || n.type === 'singleton_method') {
      const name = methodName(n);
      if (name === 'change' || name === 'up' || name === 'down') methods.set(name, n);
      else reader.helpers.set(name, n);
    } else if (n.type === 'call' && n.childForFieldName('method')?.text === 'disable_ddl_transaction!') {
      reader.out.noTransaction = true;
    } else if (n.type === 'assignment' || n.type === 'operator_assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type === 'constant' && right) reader.env.set(left.text, evaluate(right, reader.env));
    } else if (n.type === 'class') {
      const name = n.childForFieldName('name')?.text;
      const tableName = modelTableName(n, reader);
      if (name && tableName) reader.models.set(name, tableName);
    }
  }
  return methods;
}

/** `self.table_name = 'users'` in a model class declared inside the migration. */
function modelTableName(cls: SyntaxNode, reader: RailsReader): string | null {
  for (const a of cls.descendantsOfType('assignment')) {
    if (a?.childForFieldName('left')?.text !== 'self.table_name') continue;
    const right = a.childForFieldName('right');
    const v = right ? evaluate(right, reader.env) : null;
    if (v && (v.kind === 'string' || v.kind === 'symbol')) return v.value;
  }
  return null;
}

/** db/schema.rb: the `ActiveRecord::Schema.define do … end` block, read with the migration DSL. */
export function parseSchemaRb(seed: SourceText, dialect: Dialect): { ops: Operation[]; errors: ReadError[] } {
  const tree = grammarParser(GRAMMAR).parse(seed.text);
  if (!tree) return { ops: [], errors: [{ path: seed.path, line: 1, column: 1, message: 'tree-sitter could not parse this Ruby file' }] };
  try {
    const reader = new RailsReader(seed, tree.rootNode, dialect);
    const define = tree.rootNode
      .descendantsOfType('call')
      .find((c) => c?.childForFieldName('method')?.text === 'define' && c.childForFieldName('block'));
    if (!define)
      return {
        ops: [],
        errors: [{ path: seed.path, line: 1, column: 1, message: 'no ActiveRecord::Schema.define block in this schema dump' }],
      };
    const steps = reader.statements(define.childForFieldName('block')?.childForFieldName('body') ?? null);
    return { ops: steps.flatMap((s) => s.up), errors: reader.out.errors };
  } finally {
    tree.delete();
  }
}
