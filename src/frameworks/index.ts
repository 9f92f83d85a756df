// Every framework adapter, in the order discovery asks them (most specific layouts first): folder-per-migration
// layouts and config files, then file-name conventions (pop's dialect names before golang-migrate's, which they
// extend), then marker comments inside files, and plain SQL last for any folder of .sql files nobody claimed.
import type { Framework } from '../migration.js';
import { loadSqlParsers } from '../sql/index.js';
import type { FrameworkAdapter } from './adapter.js';
import { alembic } from './alembic.js';
import { dbmate } from './dbmate.js';
import { diesel } from './diesel.js';
import { django } from './django.js';
import { flyway } from './flyway.js';
import { golangMigrate } from './golang-migrate.js';
import { goose } from './goose.js';
import { knex } from './knex.js';
import { nodePgMigrate } from './node-pg-migrate.js';
import { pop } from './pop.js';
import { prisma } from './prisma.js';
import { rails } from './rails.js';
import { sequelize } from './sequelize.js';
import { plainSql } from './sql.js';
import { typeorm } from './typeorm.js';

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

/** Loads every parser (libpg-query, tree-sitter grammars: WebAssembly) once, before discovery reads any file. */
export async function loadAdapters(): Promise<void> {
  await Promise.all([loadSqlParsers(), ...adapters.map((a) => a.load?.())]);
}

/**
 * What `check` loads before discovery: libpg-query only (discovery tells a set's dialect with its scanner). The
 * grammars of the DSL frameworks load when a set of theirs is found (`loadAdapter`), or when a detector asks for
 * one (`discoverLoading`): a folder of SQL files never pays for tree-sitter and Prism.
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
