// Diesel: a folder per migration, `migrations/<version>_<name>/up.sql` + `down.sql` (also the
// `00000000000000_diesel_initial_setup` one), ordered by version. `diesel.toml` may name another folder
// (`[migrations_directory] dir`). Transactions: each migration, up and down, runs in one unless its
// `metadata.toml` says `run_in_transaction = false`. Diesel keys migrations by version (two folders of one
// version: only one runs) and refuses an empty up.sql.
import { join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { DetectResult, Folder, FrameworkAdapter } from './adapter.js';
import { folderAt, migrationFiles, parseSqlMigration, readToml, skipped, subFolder } from './sql-files.js';

/** `2019-02-26-002946_create_user` → version 20190226002946 (Diesel drops the dashes), name create_user. */
export function parseDieselFolderName(name: string): { version: string; name: string } | null {
  const underscore = name.indexOf('_');
  const raw = underscore < 0 ? name : name.slice(0, underscore);
  const version = raw.replaceAll('-', '');
  if (!version || ![...version].every((ch) => ch >= '0' && ch <= '9')) return null;
  return { version, name: underscore < 0 ? '' : name.slice(underscore + 1) };
}

export const diesel: FrameworkAdapter = {
  framework: 'diesel',
  detect(folder: Folder) {
    if (folder.entries.some((e) => e.isFile() && e.name === 'diesel.toml')) return fromConfig(folder);
    return fromFolder(folder, []);
  },
  parse: (m) => parseSqlMigration(m),
};

function fromConfig(folder: Folder): DetectResult | null {
  const errors: ReadError[] = [];
  const path = join(folder.rel, 'diesel.toml');
  const toml = readToml(folder, 'diesel.toml', errors) as { migrations_directory?: { dir?: unknown } } | null;
  const dir = typeof toml?.migrations_directory?.dir === 'string' ? toml.migrations_directory.dir : 'migrations';
  const migrations = folderAt(join(folder.abs, dir), join(folder.rel, dir), folder.configuredDialect);
  const found = migrations ? fromFolder(migrations, errors) : null;
  if (!found) {
    errors.push(skipped(path, `no Diesel migrations in ${join(folder.rel, dir)}`));
    return { sets: [], errors };
  }
  return found;
}

/** A migrations folder: each sub-folder named `<version>_<name>` holding an up.sql is a migration. */
function fromFolder(folder: Folder, errors: ReadError[]): DetectResult | null {
  const versioned = folder.entries
    .filter((e) => e.isDirectory() && parseDieselFolderName(e.name))
    .map((e) => ({
      dir: e.name,
      ...(parseDieselFolderName(e.name) as { version: string; name: string }),
      folder: subFolder(folder, e.name),
    }));
  const candidates = versioned.filter((c) => c.folder?.entries.some((e) => e.isFile() && e.name === 'up.sql'));
  if (!candidates.length) return null;
  candidates.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : a.dir < b.dir ? -1 : 1));
  const { dialect, dialectReason } = chooseDialect(folder);
  const migrations: Migration[] = [];
  const byVersion = new Map<string, string>();
  for (const c of candidates) {
    const sub = c.folder as Folder;
    const upRel = join(sub.rel, 'up.sql');
    const other = byVersion.get(c.version);
    if (other) {
      const message = `Diesel keys migrations by version: ${other} has version ${c.version} too, so only one of them runs: skipped`;
      for (const e of sub.entries) if (e.isFile() && e.name.endsWith('.sql')) errors.push(skipped(join(sub.rel, e.name), message));
      continue;
    }
    byVersion.set(c.version, upRel);
    const hasDown = sub.entries.some((e) => e.isFile() && e.name === 'down.sql');
    const files = migrationFiles({ folder: sub, file: 'up.sql' }, hasDown ? { folder: sub, file: 'down.sql' } : null);
    if (files.up.text === '' && !files.unreadable?.some((e) => e.path === upRel))
      errors.push(skipped(upRel, 'empty up.sql: Diesel refuses to run it ("Attempted to run an empty migration")'));
    migrations.push({
      id: c.version,
      name: c.name,
      framework: 'diesel',
      dialect,
      ...files,
      transactional: runsInTransaction(sub, errors),
    });
  }
  // A version folder without up.sql is still Diesel's: discovery reports the .sql files in it.
  const claimed = [folder.abs, ...versioned.flatMap((c) => (c.folder ? [c.folder.abs] : []))];
  return { sets: [{ framework: 'diesel', dialect, dialectReason, root: folder.rel, migrations, claimed }], errors };
}

function runsInTransaction(folder: Folder, errors: ReadError[]): boolean {
  if (!folder.entries.some((e) => e.isFile() && e.name === 'metadata.toml')) return true;
  return readToml(folder, 'metadata.toml', errors)?.run_in_transaction !== false;
}
