// Which writer puts a plan's steps into a framework's files, and which folder it writes into for a migration.
import { dirname } from 'node:path';
import type { Framework, Migration } from '../migration.js';
import type { PlanStep } from './steps.js';
import { alembicFiles, loadAlembicWriter } from './write-alembic.js';
import { dbmateFiles } from './write-dbmate.js';
import { dieselFiles } from './write-diesel.js';
import { djangoFiles, loadDjangoWriter } from './write-django.js';
import { flywayFiles } from './write-flyway.js';
import { golangMigrateFiles } from './write-golang-migrate.js';
import { gooseFiles } from './write-goose.js';
import { knexFiles } from './write-knex.js';
import { nodePgMigrateFiles } from './write-node-pg-migrate.js';
import { popFiles } from './write-pop.js';
import { prismaFiles } from './write-prisma.js';
import { loadRailsWriter, railsFiles } from './write-rails.js';
import { sequelizeFiles } from './write-sequelize.js';
import { plainSqlFiles } from './write-sql.js';
import { typeormFiles } from './write-typeorm.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export interface Writer {
  /** Loads a grammar the writer reads the folder's migrations with. */
  load?(): Promise<unknown>;
  /** The new files for `steps` in `dir`, the folder the framework keeps the migration in. Throws when it cannot. */
  files(dir: string, steps: readonly PlanStep[], options: WriterOptions): PlannedFile[];
  /**
   * The folder, relative to the working directory, new migrations go in for one of the set's: the folder of its
   * file, or the parent of its folder where each migration is a folder (diesel, Prisma).
   */
  folder?(migration: Migration): string;
}

const WRITERS: Partial<Record<Framework, Writer>> = {
  alembic: { load: loadAlembicWriter, files: alembicFiles },
  dbmate: { files: dbmateFiles },
  diesel: { files: dieselFiles, folder: (m) => parentOfFolder(m) },
  django: { load: loadDjangoWriter, files: djangoFiles },
  flyway: { files: flywayFiles },
  'golang-migrate': { files: (dir, steps) => golangMigrateFiles(dir, steps) },
  goose: { files: gooseFiles },
  knex: { files: knexFiles },
  'node-pg-migrate': { files: nodePgMigrateFiles },
  pop: { files: popFiles },
  prisma: { files: prismaFiles, folder: (m) => parentOfFolder(m) },
  rails: { load: loadRailsWriter, files: railsFiles },
  sequelize: { files: sequelizeFiles },
  sql: { files: plainSqlFiles },
  typeorm: { files: typeormFiles },
};

/** The writer for a framework; undefined when twoway cannot write its migrations yet. */
export function writerFor(framework: Framework): Writer | undefined {
  return WRITERS[framework];
}

/** Frameworks twoway writes plans for. */
export function plannableFrameworks(): Framework[] {
  return Object.keys(WRITERS).sort() as Framework[];
}

/** The folder (relative to the working directory) a writer puts new migrations of the migration's set into. */
export function folderFor(writer: Writer, migration: Migration): string {
  return writer.folder?.(migration) ?? dirname(migration.path);
}

/** For writers whose migrations are folders of their own (diesel's up.sql/down.sql, Prisma's migration.sql). */
export const parentOfFolder = (migration: Migration): string => dirname(dirname(migration.path));
