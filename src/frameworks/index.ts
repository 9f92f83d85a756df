// Every framework adapter, in the order discovery asks them (most specific layouts first): folder-per-migration
// layouts and config files, then file-name conventions (pop's dialect names before golang-migrate's, which they
// extend), then marker comments inside files, and plain SQL last for any folder of .sql files nobody claimed.
import { basename, dirname } from 'node:path';
import type { Framework } from '../migration.js';
import { loadSqlParsers } from '../sql/index.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { dbmate } from './dbmate.js';
import { diesel } from './diesel.js';
import { flyway } from './flyway.js';
import { golangMigrate } from './golang-migrate.js';
import { goose } from './goose.js';
import { mayHoldJsMigrations } from './js/migration-folder.js';
import { pop } from './pop.js';
import { prisma } from './prisma.js';
import { RAILS_MIGRATION_FOLDERS } from './rails/names.js';
import { registeredAdapter } from './registry.js';
import { plainSql } from './sql.js';

/**
 * Thrown by the detector of a DSL framework whose reader is not imported yet, for a folder that may hold one of
 * its sets: `discoverLoading` awaits `load` and looks again (discovery only reads files).
 */
export class AdapterNotLoaded extends Error {
  constructor(
    readonly framework: Framework,
    readonly load: () => Promise<void>,
  ) {
    super(`the ${framework} adapter is not loaded: await loadAdapter('${framework}') before discovery`);
  }
}

/**
 * A DSL framework's adapter as discovery sees it before its module is imported: `mayHold` tells from the folder's
 * names (and a few bytes) whether the real detector could find a set there, and must be true wherever it could.
 * Only then is the module (its parser, tree-sitter or Babel readers) imported. `importModules` imports it and its
 * siblings that share the folder test (the four JS frameworks); each module registers its adapter (registry.ts).
 */
function lazyAdapter(
  framework: Framework,
  mayHold: (folder: Folder) => boolean,
  importModules: () => Promise<unknown>,
  has: { seed?: boolean } = {},
): FrameworkAdapter {
  const loaded = (): FrameworkAdapter => {
    const adapter = registeredAdapter(framework);
    if (!adapter) throw new Error(`the ${framework} adapter is not loaded: await loadAdapter('${framework}') first`);
    return adapter;
  };
  const load = async () => {
    if (!registeredAdapter(framework)) await importModules();
    await loaded().load?.();
  };
  const adapter: FrameworkAdapter = {
    framework,
    load,
    detect(folder) {
      if (!mayHold(folder)) return null;
      if (!registeredAdapter(framework)) throw new AdapterNotLoaded(framework, load);
      return loaded().detect(folder);
    },
    parse: (migration) => loaded().parse(migration),
    joinSets: (sets, cwd) => registeredAdapter(framework)?.joinSets?.(sets, cwd),
  };
  if (has.seed) adapter.parseSeed = (seed, dialect) => (loaded().parseSeed as NonNullable<FrameworkAdapter['parseSeed']>)(seed, dialect);
  return adapter;
}

const hasEntry = (folder: Folder, name: string) => folder.entries.some((e) => e.name === name);
const hasFile = (folder: Folder, name: string) => folder.entries.some((e) => e.isFile() && e.name === name);

// Rails: db/ holding migrate/ or post_migrate/, or one of those given directly (rails.ts `detect`).
const rails = lazyAdapter(
  'rails',
  (folder) =>
    basename(folder.abs) === 'db'
      ? folder.entries.some((e) => e.isDirectory() && RAILS_MIGRATION_FOLDERS.includes(e.name))
      : RAILS_MIGRATION_FOLDERS.includes(basename(folder.abs)) && basename(dirname(folder.abs)) === 'db',
  () => import('./rails.js'),
  { seed: true },
);
// Alembic: an alembic.ini, an env.py script directory, or its versions/ folder (alembic.ts `scriptDirectory`).
const alembic = lazyAdapter(
  'alembic',
  (folder) => hasEntry(folder, 'alembic.ini') || hasEntry(folder, 'env.py') || basename(folder.abs) === 'versions',
  () => import('./alembic.js'),
);
// Django: a project (manage.py, settings.py) or an app's migrations package (django.ts `detect`).
const django = lazyAdapter(
  'django',
  (folder) =>
    hasFile(folder, 'manage.py') ||
    hasFile(folder, 'settings.py') ||
    (basename(folder.abs) === 'migrations' && hasFile(folder, '__init__.py')),
  () => import('./django.js'),
);
// The JS frameworks read one folder's files together (js/discover.ts): they are imported together.
const importJs = () => Promise.all([import('./knex.js'), import('./node-pg-migrate.js'), import('./typeorm.js'), import('./sequelize.js')]);
const knex = lazyAdapter('knex', mayHoldJsMigrations, importJs, { seed: true });
const nodePgMigrate = lazyAdapter('node-pg-migrate', mayHoldJsMigrations, importJs);
const typeorm = lazyAdapter('typeorm', mayHoldJsMigrations, importJs);
const sequelize = lazyAdapter('sequelize', mayHoldJsMigrations, importJs);

// The JS adapters come before the marker-comment and plain SQL ones: node-pg-migrate folders hold .sql files too.
export const adapters: FrameworkAdapter[] = [
  prisma,
  diesel,
  flyway,
  rails,
  alembic,
  django,
  knex,
  nodePgMigrate,
  typeorm,
  sequelize,
  pop,
  dbmate,
  goose,
  golangMigrate,
  plainSql,
];

/** Loads every adapter and parser (libpg-query, tree-sitter grammars: WebAssembly) once, before discovery reads any file. */
export async function loadAdapters(): Promise<void> {
  await Promise.all([loadSqlParsers(), ...adapters.map((a) => a.load?.())]);
}

/**
 * What `check` loads before discovery: libpg-query only (discovery tells a set's dialect with its scanner). A DSL
 * framework's adapter and grammar load when a folder may hold one of its sets (`AdapterNotLoaded`), or when a
 * detector asks for a grammar (`discoverLoading`): a folder of SQL files never pays for tree-sitter, Prism or Babel.
 */
export async function loadDiscovery(): Promise<void> {
  await loadSqlParsers();
}

/** Loads what one framework's `parse` and `parseSeed` need. */
export async function loadAdapter(framework: Framework): Promise<void> {
  await adapterFor(framework).load?.();
}

export function adapterFor(framework: Framework): FrameworkAdapter {
  const adapter = adapters.find((a) => a.framework === framework);
  if (!adapter) throw new Error(`no adapter for ${framework}`);
  return adapter;
}
