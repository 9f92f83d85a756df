// Knex, node-pg-migrate, TypeORM and Sequelize all keep JS/TS files in a `migrations/` folder:
// one pass reads a folder's files and tells by content (which API the up calls) whose they are.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import type { DialectChoice } from '../../discover/dialect.js';
import type { Dialect } from '../../ir.js';
import type { Migration, ReadError, SourceText } from '../../migration.js';
import type { DetectResult, Folder } from '../adapter.js';
import { readFolderFile, readText } from '../sql-files.js';
import { isPgmSqlFile, migrationFolderFiles } from './migration-folder.js';

// Two functions, not the whole package, required when a JS folder's file names are read (start-up time).
const require = createRequire(import.meta.url);
const semverValid = (v: string): string | null => (require('semver/functions/valid.js') as typeof import('semver/functions/valid.js'))(v);
const semverCompare = (a: string, b: string): -1 | 0 | 1 =>
  (require('semver/functions/compare.js') as typeof import('semver/functions/compare.js'))(a, b);

import {
  type FunctionNode,
  isFunction,
  memberAccesses,
  migrationClass,
  moduleExports,
  paramName,
  paramTypeName,
  parseModule,
  propsOf,
  resolve,
  stringOf,
  type t,
} from './ast.js';
import { JS_FRAMEWORKS, type JsFramework } from './helper-sources.js';
import { registerHelper } from './interpret.js';

export interface JsMigrationFile {
  file: string;
  rel: string;
  source: SourceText;
  /** Set for TypeORM: the migration class's name. */
  className: string | null;
}

interface FolderFiles {
  byFramework: Map<JsFramework, JsMigrationFile[]>;
  errors: ReadError[];
}

const cache = new WeakMap<Folder, FolderFiles>();

/** Reads and classifies a folder's migration files once for all four adapters. */
export function jsMigrationFiles(folder: Folder): FolderFiles {
  const cached = cache.get(folder);
  if (cached) return cached;
  const result: FolderFiles = { byFramework: new Map(), errors: [] };
  cache.set(folder, result);
  const candidates = migrationFolderFiles(folder);
  if (!candidates) return result;
  const { scripts, sqlFiles } = candidates;
  const unclassified: ReadError[] = [];
  const unattributed: JsMigrationFile[] = [];
  const unreadable: JsMigrationFile[] = [];
  for (const e of scripts) {
    const rel = join(folder.rel, e.name);
    const read = readText(join(folder.abs, e.name), rel);
    if (!read.ok) {
      unclassified.push(read.error);
      continue;
    }
    const language = extname(e.name).endsWith('ts') ? 'typescript' : 'javascript';
    const source: SourceText = { path: rel, text: read.text, startLine: 1, language };
    const parsed = parseModule(source);
    if (!parsed.ok) {
      // Still a migration of the folder's framework: its parse error is reported with it, and its answers are unknown.
      unreadable.push({ file: e.name, rel, source, className: null });
      continue;
    }
    const kind = classify(parsed.ast);
    if (!kind) {
      // Not a migration: maybe a helper the migrations import (`./mysqlCustomFunctions`).
      registerHelper(source);
      continue;
    }
    // A migration may export a helper another migration imports (Flowise's `linkWorkspaceId`).
    registerHelper(source);
    const file = { file: e.name, rel, source, className: kind.className };
    if (!kind.framework) {
      unattributed.push(file);
      continue;
    }
    const list = result.byFramework.get(kind.framework) ?? [];
    list.push(file);
    result.byFramework.set(kind.framework, list);
  }
  // A migration whose up calls nothing telling (only `db('t').insert(...)`) belongs with its neighbours.
  const dominant = [...result.byFramework].sort((a, b) => b[1].length - a[1].length)[0];
  if (dominant) dominant[1].push(...unattributed, ...unreadable);
  else {
    for (const f of unreadable) {
      const parsed = parseModule(f.source);
      if (!parsed.ok) unclassified.push(parsed.error);
    }
  }
  if (!dominant)
    for (const f of unattributed)
      unclassified.push({
        path: f.rel,
        line: 1,
        column: 1,
        message: 'exports up() but calls no API twoway recognises (knex.schema, pgm.*, queryRunner, queryInterface): skipped',
      });
  for (const e of sqlFiles) {
    if (!isPgmSqlFile(folder, e.name)) continue;
    const rel = join(folder.rel, e.name);
    const read = readFolderFile(folder, e.name);
    if (!read.ok) continue;
    const list = result.byFramework.get('node-pg-migrate') ?? [];
    list.push({ file: e.name, rel, source: { path: rel, text: read.text, startLine: 1, language: 'sql' }, className: null });
    result.byFramework.set('node-pg-migrate', list);
  }
  // A file that does not parse still belongs to the folder's framework: report it once, with that set.
  if (result.byFramework.size || unclassified.length) result.errors.push(...unclassified);
  return result;
}

const PGM_ONLY = new Set([
  'sql',
  'func',
  'addColumns',
  'dropColumns',
  'alterColumn',
  'createIndex',
  'noTransaction',
  'createType',
  'dropType',
  'addTypeValue',
  'renameTypeValue',
  'createExtension',
  'addExtension',
  'createFunction',
  'createTrigger',
  'createView',
  'createMaterializedView',
]);
const SEQUELIZE_ONLY = new Set([
  'sequelize',
  'removeColumn',
  'changeColumn',
  'bulkInsert',
  'bulkDelete',
  'bulkUpdate',
  'removeIndex',
  'removeConstraint',
]);
const TYPED_PARAMS: Record<string, JsFramework> = {
  Knex: 'knex',
  MigrationBuilder: 'node-pg-migrate',
  QueryInterface: 'sequelize',
  QueryRunner: 'typeorm',
};
const CONVENTIONAL_NAMES: Record<string, JsFramework> = {
  knex: 'knex',
  pgm: 'node-pg-migrate',
  queryInterface: 'sequelize',
  queryRunner: 'typeorm',
};

/** Which framework a module is a migration of, by the API its up uses; framework null when it exports an up that says nothing. */
export function classify(ast: t.File): { framework: JsFramework | null; className: string | null } | null {
  const exported = moduleExports(ast);
  const cls = migrationClass(exported.classes);
  if (cls) return { framework: 'typeorm', className: cls.name };
  const up = migrationFunction(exported.values.get('up'), exported.scope);
  if (!up) return null;
  const down = migrationFunction(exported.values.get('down'), exported.scope);
  const typed = TYPED_PARAMS[paramTypeName(up, 0) ?? ''];
  if (typed) return { framework: typed, className: null };
  const p = paramName(up, 0);
  if (exported.values.has('shorthands')) return { framework: 'node-pg-migrate', className: null };
  if (p) {
    const used = memberAccesses(up, p);
    if (down) for (const u of memberAccesses(down, paramName(down, 0) ?? p)) used.add(u);
    if (used.has('schema') || used.has('raw') || used.has('fn')) return { framework: 'knex', className: null };
    if ([...used].some((u) => PGM_ONLY.has(u))) return { framework: 'node-pg-migrate', className: null };
    if ([...used].some((u) => SEQUELIZE_ONLY.has(u)) || up.params.length >= 2) return { framework: 'sequelize', className: null };
    const named = CONVENTIONAL_NAMES[p];
    if (named) return { framework: named, className: null };
  }
  return { framework: null, className: null };
}

/** An exported up/down as a function node (a function, an arrow, or a name bound to one). */
export function migrationFunction(node: t.Node | undefined, scope: import('./ast.js').Scope): FunctionNode | null {
  if (!node) return null;
  const n = resolve(node, scope);
  return isFunction(n) ? n : null;
}

/**
 * `20240101120000_create_users.js` → id 20240101120000, name create_users; `2025-10-11-1915-push-token.js` →
 * 2025-10-11-1915, push-token; a version name (`2.0.0-beta.127.js`, `2.5.12.js`) is its own id.
 */
export function idAndName(file: string): { id: string; name: string } {
  const stem = basename(file).replace(/\.[^.]+$/, '');
  if (semverValid(stem)) return { id: stem, name: stem };
  // Groups of digits joined by single separators: a timestamp, a date, a version.
  let end = 0;
  for (let i = 0; i < stem.length; ) {
    let j = i;
    while (j < stem.length && isDigit(stem[j])) j++;
    if (j === i) break;
    end = j;
    if (!'_-.'.includes(stem[j] ?? 'x') || !isDigit(stem[j + 1])) break;
    i = j + 1;
  }
  if (!end) return { id: stem, name: stem };
  let rest = stem.slice(end);
  while (rest && '_-.'.includes(rest[0] as string)) rest = rest.slice(1);
  return { id: stem.slice(0, end), name: rest || stem };
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Ids unique within a set: a file whose id another file shares is known by its whole name, as its framework knows it. */
export function uniqueIds(migrations: Migration[]): Migration[] {
  const count = new Map<string, number>();
  for (const m of migrations) count.set(m.id, (count.get(m.id) ?? 0) + 1);
  return migrations.map((m) => ((count.get(m.id) ?? 0) > 1 ? { ...m, id: basename(m.path).replace(/\.[^.]+$/, '') } : m));
}

/** Files named by versions (`2.5.1.js`, `2.5.12.js`, `2.0.0-rc.2.js`) run in version order, not in the order of their names. */
export function byVersionOrPath(a: Migration, b: Migration): number {
  const x = basename(a.path).replace(/\.[^.]+$/, '');
  const y = basename(b.path).replace(/\.[^.]+$/, '');
  if (semverValid(x) && semverValid(y)) return semverCompare(x, y);
  return byPath(a, b);
}

/** Read errors of a migration folder where no file could be attributed to a framework: reported without a set. */
export function orphanErrors(folder: Folder): DetectResult | null {
  const found = jsMigrationFiles(folder);
  return !found.byFramework.size && found.errors.length ? { sets: [], errors: found.errors } : null;
}

/** Builds a set from classified files, in the order the framework applies them. */
export function jsSet(
  folder: Folder,
  framework: JsFramework,
  choice: DialectChoice,
  toMigration: (f: JsMigrationFile) => Migration,
  order: (a: Migration, b: Migration) => number = byPath,
): DetectResult | null {
  const found = jsMigrationFiles(folder);
  const files = found.byFramework.get(framework);
  if (!files?.length) return null;
  const present = JS_FRAMEWORKS.filter((f) => found.byFramework.get(f)?.length);
  const sorted = files.map(toMigration).sort(order);
  // Version-named files are ordered by version only when every file of the set is one.
  const versions = sorted.every((m) => semverValid(basename(m.path).replace(/\.[^.]+$/, '')));
  const migrations = uniqueIds(order === byPath && versions ? sorted.sort(byVersionOrPath) : sorted);
  // The folder's read errors are reported once, by the framework with the most files.
  const owner = [...present].sort((a, b) => (found.byFramework.get(b)?.length ?? 0) - (found.byFramework.get(a)?.length ?? 0))[0];
  return {
    sets: [{ framework, ...choice, root: folder.rel, migrations, claimed: present.at(-1) === framework ? [folder.abs] : [] }],
    errors: owner === framework ? found.errors : [],
  };
}

function byPath(a: Migration, b: Migration): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** A JS/TS migration: the whole file is the source of both directions. */
export function scriptMigration(f: JsMigrationFile, framework: JsFramework, dialect: Dialect, idName = idAndName(f.file)): Migration {
  return {
    id: idName.id,
    name: idName.name,
    framework,
    dialect,
    path: f.rel,
    files: [f.rel],
    up: f.source,
    down: null,
    transactional: true,
  };
}

/** Looks for a config file in the folder and up to three folders above it. */
export function findUp(start: string, names: readonly string[]): string | null {
  let dir = start;
  for (let i = 0; i < 4; i++) {
    for (const n of names) {
      const p = join(dir, n);
      if (existsSync(p)) return p;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

const CLIENT_DIALECTS: Record<string, Dialect> = {
  pg: 'postgresql',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  'pg-native': 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
};

export function dialectOfClient(client: string | null | undefined): Dialect | null {
  return client ? (CLIENT_DIALECTS[client.toLowerCase()] ?? null) : null;
}

/** The first literal `<key>: '<value>'` property in a JS/TS config file, read as AST (never run). */
export function literalProperty(abs: string, key: string): string | null {
  const v = literalValue(abs, key, (n) => stringOf(n, null));
  return typeof v === 'string' ? v : null;
}

/** The first literal `<key>: true | false` property in a JS/TS config file (knexfile `disableTransactions`). */
export function literalFlag(abs: string, key: string): boolean | null {
  const v = literalValue(abs, key, (n) => (n.type === 'BooleanLiteral' ? n.value : null));
  return typeof v === 'boolean' ? v : null;
}

function literalValue<T>(abs: string, key: string, read: (n: t.Node) => T | null): T | null {
  const text = readText(abs, abs);
  if (!text.ok) return null;
  const parsed = parseModule({
    path: abs,
    text: text.text,
    startLine: 1,
    language: extname(abs).endsWith('ts') ? 'typescript' : 'javascript',
  });
  if (!parsed.ok) return null;
  let found: T | null = null;
  const visit = (n: t.Node): void => {
    if (found !== null) return;
    if (n.type === 'ObjectExpression') {
      const value = propsOf(n, null)?.get(key);
      const v = value ? read(value) : null;
      if (v !== null) {
        found = v;
        return;
      }
    }
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) for (const x of v) if (x && typeof x.type === 'string') visit(x);
      if (v && typeof v === 'object' && typeof (v as t.Node).type === 'string' && v !== n.loc) visit(v as t.Node);
    }
  };
  visit(parsed.ast.program);
  return found;
}
