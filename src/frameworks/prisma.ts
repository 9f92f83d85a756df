// Prisma Migrate: `prisma/migrations/<timestamp>_<name>/migration.sql`, applied in folder-name order, and
// `migration_lock.toml` whose `provider` names the database. Prisma writes no down migrations; its documented
// practice (Generating down migrations) keeps a `down.sql` beside migration.sql, run by hand with `prisma db
// execute`: that file is the migration's down. Prisma sends migration.sql to the database as one query, which
// PostgreSQL runs as one implicit transaction, a single statement alone (CONCURRENTLY works only so).
import { join } from 'node:path';
import { chooseDialect, declared } from '../discover/dialect.js';
import type { Dialect } from '../ir.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { migrationFiles, parseSqlMigration, readToml, skipped, subFolder } from './sql-files.js';

const PROVIDERS: Record<string, Dialect> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  cockroachdb: 'postgresql',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

export const prisma: FrameworkAdapter = {
  framework: 'prisma',
  detect(folder: Folder) {
    const hasLock = folder.entries.some((e) => e.isFile() && e.name === 'migration_lock.toml');
    const subFolders = folder.entries.filter((e) => e.isDirectory()).map((e) => subFolder(folder, e.name));
    const migrationFolders = subFolders.filter((f): f is Folder =>
      Boolean(f?.entries.some((e) => e.isFile() && e.name === 'migration.sql')),
    );
    if (!hasLock && !migrationFolders.length) return null;
    const errors: ReadError[] = [];
    const locked = declared(hasLock ? lockedDialect(folder, errors) : undefined, 'migration_lock.toml provider');
    const { dialect, dialectReason } = chooseDialect(folder, folder.rel, locked);
    const migrations: Migration[] = [];
    for (const sub of migrationFolders) {
      const dir = sub.rel.split('/').at(-1) ?? sub.rel;
      const underscore = dir.indexOf('_');
      migrations.push({
        id: dir,
        name: underscore < 0 ? dir : dir.slice(underscore + 1),
        framework: 'prisma',
        dialect,
        ...migrationFiles(
          { folder: sub, file: 'migration.sql' },
          sub.entries.some((e) => e.isFile() && e.name === 'down.sql') ? { folder: sub, file: 'down.sql' } : null,
        ),
        // One implicit transaction on PostgreSQL (a lone statement excepted, see inTransactionBlock) and SQLite; MySQL cannot roll back DDL.
        transactional: dialect !== 'mysql',
        downsUnsupported: true,
      });
    }
    // Every sub-folder is Prisma's: discovery reports a .sql file in one that is not a migration.sql.
    const claimed = [folder.abs, ...subFolders.filter((f): f is Folder => f !== null).map((f) => f.abs)];
    return {
      sets: migrations.length ? [{ framework: 'prisma', dialect, dialectReason, root: folder.rel, migrations, claimed }] : [],
      errors,
    };
  },
  parse: (m) => parseSqlMigration(m),
};

/** `provider = "postgresql"` in migration_lock.toml. */
function lockedDialect(folder: Folder, errors: ReadError[]): Dialect | undefined {
  const toml = readToml(folder, 'migration_lock.toml', errors);
  const provider = typeof toml?.provider === 'string' ? toml.provider : undefined;
  if (!provider) return undefined;
  const dialect = PROVIDERS[provider];
  if (!dialect)
    errors.push(
      skipped(
        join(folder.rel, 'migration_lock.toml'),
        `Prisma provider "${provider}" is not a dialect twoway reads (postgresql, mysql, sqlite)`,
      ),
    );
  return dialect;
}
