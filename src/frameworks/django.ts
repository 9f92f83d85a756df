// Django: <app>/migrations/NNNN_*.py ordered by their dependencies graph; the down is what Django derives from each operation.
// Transactions: each migration runs in one (its schema editor is atomic) unless the class sets `atomic = False`;
// AddIndexConcurrently / RemoveIndexConcurrently need atomic = False (Django refuses them otherwise).
import { type Dirent, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { chooseDialect, declared } from '../discover/dialect.js';
import type { Dialect } from '../ir.js';
import type { Migration, ParsedMigration, ReadError, SourceText } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import {
  assignments,
  loadPythonGrammar,
  pythonDirectives,
  pythonSyntaxError,
  type SyntaxNode,
  spanOf,
  withPythonTree,
} from './python/ast.js';
import { type ProjectState, translateMigration } from './python/django-editor.js';
import type { KnownField } from './python/django-fields.js';
import { type DjangoOp, djangoOperations } from './python/django-operations.js';
import { projectFieldClasses } from './python/django-project-fields.js';
import { topologicalOrder } from './python/graph.js';
import { bindingIn, elements, literal, type PyLiteral, readPython, stringValue } from './python/values.js';
import { registerAdapter } from './registry.js';
import { readText } from './sql-files.js';

/** Folders never holding a project's own apps. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  'venv',
  '.venv',
  'env',
  '__pycache__',
  'site-packages',
  'dist',
  'build',
  'static',
  'media',
  'templates',
]);

const ENGINES: Record<string, Dialect> = {
  'django.db.backends.postgresql': 'postgresql',
  'django.db.backends.postgresql_psycopg2': 'postgresql',
  'django.contrib.gis.db.backends.postgis': 'postgresql',
  'django.db.backends.mysql': 'mysql',
  'django.contrib.gis.db.backends.mysql': 'mysql',
  'django.db.backends.sqlite3': 'sqlite',
  'django.contrib.gis.db.backends.spatialite': 'sqlite',
};

interface DjangoMigrationFile {
  migration: Migration;
  app: string;
  name: string;
  dependencies: Array<[string, string]>;
  runBefore: Array<[string, string]>;
  replaces: Array<[string, string]>;
}

/** A project: its migrations in order, and the state replay shared by their parses. */
interface Project {
  migrations: Migration[];
  parsed: ParsedMigration[];
  state: ProjectState;
  /** settings.AUTH_USER_MODEL as `app.model` (Django's default: auth.user). */
  authUserModel: string;
  settings: ReadonlyMap<string, PyLiteral>;
  /** The project's own field classes, read from its source (null when there is no project root). */
  projectClass?: (path: string) => KnownField | null;
}

const projects = new WeakMap<Migration, Project>();

const isMigrationFile = (name: string) => name.endsWith('.py') && !name.startsWith('_') && !name.startsWith('~');

/** `<app>/migrations/` folders under a project root (apps may sit a few levels down: src/apps/billing). */
function migrationFolders(abs: string, depth: number, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!e.isDirectory() || e.name.startsWith('.') || SKIPPED.has(e.name)) continue;
    const child = join(abs, e.name);
    if (e.name === 'migrations' && existsSync(join(child, '__init__.py'))) out.push(child);
    else if (depth > 0) migrationFolders(child, depth - 1, out);
  }
}

/** A settings module of a Django project: it defines INSTALLED_APPS. */
function isDjangoSettings(file: string): boolean {
  const read = readText(file, file);
  return read.ok && withPythonTree(read.text, (root) => assignments(root).has('INSTALLED_APPS'));
}

const ancestors = (dir: string, levels: number) => Array.from({ length: levels }, (_, i) => join(dir, ...Array<string>(i + 1).fill('..')));

function managePyAbove(dir: string): boolean {
  return ancestors(dir, 3).some((d) => existsSync(join(d, 'manage.py')));
}

/** The project an app's migrations folder belongs to: manage.py a few folders up, or the package of its settings. */
function projectAbove(migrationsDir: string): string | null {
  for (const d of ancestors(migrationsDir, 4).slice(1)) {
    if (existsSync(join(d, 'manage.py'))) return d;
    if (existsSync(join(d, 'settings.py')) && isDjangoSettings(join(d, 'settings.py')) && !managePyAbove(d)) return d;
  }
  return null;
}

/** What a project's settings say: DATABASES['default']['ENGINE'] and AUTH_USER_MODEL, from settings.py or settings/*.py. */
interface Settings {
  dialect: Dialect | null;
  /** `app.model`, lower case. */
  authUserModel: string | null;
  /** Module-level names bound to literals (`DEFAULT_CURRENCY_CODE_LENGTH = 3`), for `settings.NAME` in migrations. */
  values: Map<string, PyLiteral>;
}

function readSettings(root: string): Settings {
  const candidates: string[] = [];
  const look = (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile() && (e.name === 'settings.py' || (basename(dir) === 'settings' && e.name.endsWith('.py'))))
        candidates.push(join(dir, e.name));
      if (e.isDirectory() && depth > 0 && !e.name.startsWith('.') && !SKIPPED.has(e.name) && e.name !== 'migrations')
        look(join(dir, e.name), depth - 1);
    }
  };
  look(root, 2);
  const out: Settings = { dialect: null, authUserModel: null, values: new Map() };
  for (const file of candidates.sort()) {
    const read = readText(file, file);
    if (!read.ok) continue;
    withPythonTree(read.text, (root) => {
      const vars = assignments(root);
      const engine = stringValue(dictValue(dictValue(vars.get('DATABASES'), 'default'), 'ENGINE'));
      if (!out.dialect && engine && ENGINES[engine]) out.dialect = ENGINES[engine];
      const user = stringValue(vars.get('AUTH_USER_MODEL'));
      if (!out.authUserModel && user?.includes('.')) out.authUserModel = user.toLowerCase();
      for (const [name, node] of vars) {
        const v = literal(node);
        if (v !== undefined && !out.values.has(name)) out.values.set(name, v);
      }
    });
  }
  return out;
}

function dictValue(node: SyntaxNode | null | undefined, key: string): SyntaxNode | null {
  if (node?.type !== 'dictionary') return null;
  for (const pair of node.namedChildren) {
    if (pair?.type === 'pair' && stringValue(pair.childForFieldName('key')) === key) return pair.childForFieldName('value');
  }
  return null;
}

function pairs(node: SyntaxNode | undefined): Array<[string, string]> {
  return (elements(node) ?? []).flatMap((n): Array<[string, string]> => {
    // migrations.swappable_dependency(settings.AUTH_USER_MODEL) is not a literal: the auth app, outside the project.
    const v = literal(n);
    return Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' ? [[v[0], v[1]]] : [];
  });
}

function migrationClass(root: SyntaxNode): SyntaxNode | null {
  for (const stmt of root.namedChildren) {
    if (stmt?.type === 'class_definition' && stmt.childForFieldName('name')?.text === 'Migration') return stmt.childForFieldName('body');
  }
  return null;
}

function readMigrationFile(abs: string, rel: string, app: string, dialect: Dialect, errors: ReadError[]): DjangoMigrationFile | null {
  const read = readText(abs, rel);
  if (!read.ok) {
    errors.push(read.error);
    return null;
  }
  const source: SourceText = { path: rel, text: read.text, startLine: 1, language: 'python' };
  return readPython(read.text, dialect, (root) => {
    const body = migrationClass(root);
    // A file Python cannot read stays a migration of the app: its parse reports the syntax error, its answers are unknown.
    if (!body && !root.hasError) {
      errors.push({ path: rel, line: 1, column: 1, message: 'no `class Migration`: not a Django migration, skipped' });
      return null;
    }
    const attribute = (key: string) => (body ? (bindingIn(body, key) ?? undefined) : undefined);
    const name = basename(rel, '.py');
    return {
      migration: {
        id: `${app}.${name}`,
        name,
        framework: 'django',
        dialect,
        path: rel,
        files: [rel],
        up: source,
        down: null,
        transactional: literal(attribute('atomic')) !== false,
      },
      app,
      name,
      dependencies: pairs(attribute('dependencies')),
      runBefore: pairs(attribute('run_before')),
      replaces: pairs(attribute('replaces')),
    };
  });
}

/** Django's graph: dependencies and run_before; a squashed migration stands for the ones it replaces. */
function order(files: DjangoMigrationFile[], errors: ReadError[]): Migration[] {
  const key = (app: string, name: string) => `${app}.${name}`;
  const replacedBy = new Map<string, string>();
  // Django's loader (MigrationGraph.remove_replaced_nodes) points dependencies on a replaced migration at the one
  // replacing it, whether the replaced file is still there or deleted (a dependency on a missing one is a dummy node
  // it re-points too): a squash whose originals are gone, or a plan's last step standing for the original it replaced.
  for (const f of files) for (const [a, n] of f.replaces) replacedBy.set(key(a, n), key(f.app, f.name));
  const kept = files.filter((f) => !replacedBy.has(key(f.app, f.name)));
  const apps = new Set(files.map((f) => f.app));
  const resolve = (app: string, name: string): string | null => {
    const ofApp = kept.filter((f) => f.app === app).map((f) => f.name);
    if (name === '__first__') return ofApp.length ? key(app, ofApp.sort()[0] as string) : null;
    if (name === '__latest__') return ofApp.length ? key(app, ofApp.sort().at(-1) as string) : null;
    return replacedBy.get(key(app, name)) ?? key(app, name);
  };
  const after = new Map<string, string[]>(kept.map((f) => [key(f.app, f.name), []]));
  for (const f of kept) {
    const self = key(f.app, f.name);
    for (const [app, name] of f.dependencies) {
      // Dependencies on apps outside this project (django.contrib.auth…) are already applied.
      const dep = apps.has(app) ? resolve(app, name) : null;
      if (dep && dep !== self) after.get(self)?.push(dep);
    }
    for (const [app, name] of f.runBefore) {
      const other = apps.has(app) ? resolve(app, name) : null;
      if (other) after.get(other)?.push(self);
    }
  }
  const result = topologicalOrder(kept.map((f) => ({ key: key(f.app, f.name), after: after.get(key(f.app, f.name)) ?? [], item: f })));
  for (const [f, missing] of result.missing) {
    errors.push({
      path: f.migration.path,
      line: 1,
      column: 1,
      message: `${f.app}.${f.name} depends on ${missing}, which is not in the project`,
    });
  }
  if (result.cyclic.length) {
    const first = result.cyclic[0] as DjangoMigrationFile;
    errors.push({
      path: first.migration.path,
      line: 1,
      column: 1,
      message: `the dependency graph has a cycle through ${result.cyclic.map((f) => key(f.app, f.name)).join(', ')}: these are analyzed last`,
    });
  }
  return [...result.ordered, ...result.cyclic].map((f) => f.migration);
}

function readProject(
  root: string,
  rootRel: string,
  migrationDirs: string[],
  errors: ReadError[],
  dialect: Dialect,
  authUserModel: string,
  settings: ReadonlyMap<string, PyLiteral>,
): Migration[] {
  const files: DjangoMigrationFile[] = [];
  const byKey = new Map<string, DjangoMigrationFile>();
  for (const dir of migrationDirs) {
    const app = basename(dirname(dir));
    const relDir = join(rootRel, relative(root, dir));
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && isMigrationFile(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const f = readMigrationFile(join(dir, name), join(relDir, name), app, dialect, errors);
      if (!f) continue;
      // Two migration folders of one app label (two apps both called `billing`): Django refuses duplicate labels.
      const earlier = byKey.get(f.migration.id);
      if (earlier) {
        errors.push({
          path: f.migration.path,
          line: 1,
          column: 1,
          message: `migration ${f.migration.id} is defined twice, in ${earlier.migration.path} and ${f.migration.path}: Django refuses two apps with the label ${app} ("Application labels aren't unique"); only ${earlier.migration.path} is read`,
        });
        continue;
      }
      byKey.set(f.migration.id, f);
      files.push(f);
    }
  }
  const migrations = order(files, errors);
  const project: Project = { migrations, parsed: [], state: new Map(), authUserModel, settings, projectClass: projectFieldClasses(root) };
  for (const m of migrations) projects.set(m, project);
  return migrations;
}

export const django: FrameworkAdapter = registerAdapter({
  framework: 'django',
  load: loadPythonGrammar,
  detect(folder: Folder) {
    const hasFile = (name: string) => folder.entries.some((e) => e.isFile() && e.name === name);
    const errors: ReadError[] = [];
    const appFolder =
      basename(folder.abs) === 'migrations' &&
      hasFile('__init__.py') &&
      folder.entries.some((e) => e.isFile() && /^\d{4}_\w*\.py$/.test(e.name));
    // The project: where manage.py is, or (a checkout without it) the package holding the settings with INSTALLED_APPS.
    let root: string | null = null;
    if (hasFile('manage.py') || (hasFile('settings.py') && isDjangoSettings(join(folder.abs, 'settings.py')) && !managePyAbove(folder.abs)))
      root = folder.abs;
    else if (appFolder) root = projectAbove(folder.abs);
    let dirs: string[] = [];
    if (root) migrationFolders(root, 4, dirs);
    else if (appFolder) dirs = [folder.abs];
    if (!dirs.length) return null;
    const settings: Settings = root ? readSettings(root) : { dialect: null, authUserModel: null, values: new Map() };
    const chosen = chooseDialect(folder, folder.rel, declared(settings.dialect, 'settings.py DATABASES ENGINE'));
    const base = root ?? folder.abs;
    const baseRel = join(folder.rel, relative(folder.abs, base));
    const migrations = readProject(base, baseRel, dirs, errors, chosen.dialect, settings.authUserModel ?? 'auth.user', settings.values);
    // One app checked on its own: the whole project is replayed (its models reference the others'), only this app reported.
    const alone = appFolder && root !== folder.abs;
    const own = alone ? migrations.filter((m) => dirname(m.path) === folder.rel || dirname(m.path) === join(folder.rel)) : [];
    return {
      sets: [
        {
          framework: 'django',
          ...chosen,
          root: folder.rel,
          migrations,
          claimed: alone ? [folder.abs] : dirs,
          ...(alone ? { reportOnly: own.map((m) => m.path) } : {}),
        },
      ],
      errors: alone ? errors.filter((e) => own.some((m) => m.path === e.path)) : errors,
    };
  },
  parse(migration: Migration): ParsedMigration {
    let project = projects.get(migration);
    if (!project) {
      project = { migrations: [migration], parsed: [], state: new Map(), authUserModel: 'auth.user', settings: new Map() };
      projects.set(migration, project);
    }
    const index = project.migrations.indexOf(migration);
    // Parsing is a replay: every earlier migration of the project shapes the state this one starts from.
    while (project.parsed.length <= index) {
      const next = project.migrations[project.parsed.length] as Migration;
      project.parsed.push(parseDjango(next, project));
    }
    return project.parsed[index] as ParsedMigration;
  },
});

/** Translates one migration against the project state before it, advancing the state. */
function parseDjango(migration: Migration, project: Project): ParsedMigration {
  const { state, authUserModel, settings, projectClass } = project;
  const source = migration.up;
  const app = migration.id.split('.')[0] ?? 'app';
  return readPython(source.text, migration.dialect, (root) => {
    const directives = pythonDirectives(root, source);
    const errors: ReadError[] = [];
    const syntax = pythonSyntaxError(root, source);
    if (syntax) errors.push(syntax);
    const body = migrationClass(root);
    const list = body ? (bindingIn(body, 'operations') ?? undefined) : undefined;
    const ctx = { app, authUserModel, settings, projectClass };
    const read = list ? djangoOperations(list, ctx) : null;
    let ops: DjangoOp[] = [];
    if (!body) {
      if (!syntax) errors.push({ path: source.path, line: 1, column: 1, message: 'no `class Migration`' });
    } else if (!read) {
      const at = list ? spanOf(list, source) : spanOf(body, source);
      ops = list ? [{ node: list, type: 'Unknown', why: 'operations built at run time' }] : [];
      if (!list && !syntax)
        errors.push({ path: source.path, line: at.line, column: at.column, message: 'the Migration class has no operations list' });
    } else ops = read;
    const t = translateMigration(ops, { ...ctx, dialect: migration.dialect }, state, source);
    // Python cannot import a file with a syntax error: nothing of it runs, so nothing of it is reported as read
    // (its answers are unknown); what parses still shapes the state later migrations are read against.
    if (syntax) return { migration, up: [], down: [], downStatus: 'unreadable', directives, errors: [...errors, ...t.errors] };
    return {
      migration,
      up: t.up,
      down: t.down,
      downStatus: t.down ? 'derived' : 'irreversible',
      directives: [...directives, ...t.directives],
      errors: [...errors, ...t.errors],
      notes: t.notes,
    };
  });
}
