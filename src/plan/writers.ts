// Which writer puts a plan's steps into a framework's files, and which folder it writes into for a migration.
import { dirname } from 'node:path';
import type { Framework, Migration } from '../migration.js';
import type { PlanStep } from './steps.js';
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
  /**
   * The framework runs this migration after every versioned one, wherever the steps go (Flyway's repeatable
   * `R__` scripts): it is not one of the original's later migrations.
   */
  runsLast?(migration: Migration): boolean;
}

/** For writers whose migrations are folders of their own (diesel's up.sql/down.sql, Prisma's migration.sql). */
export const parentOfFolder = (migration: Migration): string => dirname(dirname(migration.path));

// Imported when a plan is written: `check` only needs to know which frameworks have one (its help names `twoway plan`).
const WRITERS: Partial<Record<Framework, () => Promise<Writer>>> = {
  alembic: async () => {
    const w = await import('./write-alembic.js');
    return { load: w.loadAlembicWriter, files: w.alembicFiles };
  },
  dbmate: async () => ({ files: (await import('./write-dbmate.js')).dbmateFiles }),
  diesel: async () => ({ files: (await import('./write-diesel.js')).dieselFiles, folder: parentOfFolder }),
  django: async () => {
    const w = await import('./write-django.js');
    return { load: w.loadDjangoWriter, files: w.djangoFiles };
  },
  flyway: async () => {
    const w = await import('./write-flyway.js');
    return { files: w.flywayFiles, runsLast: w.isRepeatable };
  },
  'golang-migrate': async () => {
    const w = await import('./write-golang-migrate.js');
    return { files: (dir, steps, options) => w.golangMigrateFiles(dir, steps, options) };
  },
  goose: async () => ({ files: (await import('./write-goose.js')).gooseFiles }),
  knex: async () => ({ files: (await import('./write-knex.js')).knexFiles }),
  'node-pg-migrate': async () => ({ files: (await import('./write-node-pg-migrate.js')).nodePgMigrateFiles }),
  pop: async () => ({ files: (await import('./write-pop.js')).popFiles }),
  prisma: async () => ({ files: (await import('./write-prisma.js')).prismaFiles, folder: parentOfFolder }),
  rails: async () => {
    const w = await import('./write-rails.js');
    return { load: w.loadRailsWriter, files: w.railsFiles };
  },
  sequelize: async () => ({ files: (await import('./write-sequelize.js')).sequelizeFiles }),
  sql: async () => ({ files: (await import('./write-sql.js')).plainSqlFiles }),
  typeorm: async () => ({ files: (await import('./write-typeorm.js')).typeormFiles }),
};

/** The writer for a framework; undefined when twoway cannot write its migrations yet. */
export async function writerFor(framework: Framework): Promise<Writer | undefined> {
  return WRITERS[framework]?.();
}

/** twoway writes plans for this framework's migrations. */
export const canWrite = (framework: Framework): boolean => framework in WRITERS;

/** The folder (relative to the working directory) a writer puts new migrations of the migration's set into. */
export function folderFor(writer: Writer, migration: Migration): string {
  return writer.folder?.(migration) ?? dirname(migration.path);
}
