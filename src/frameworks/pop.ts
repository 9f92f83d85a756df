// gobuffalo/pop (soda) and ory/x popx: `<version>_<name>.<dialect>.up.sql` / `.down.sql` for one database,
// `<version>_<name>.up.sql` for every database. A folder holding several dialects is several migration sets, one per
// dialect. `.fizz` files are pop's own DSL, not SQL: each is reported, none is analyzed.
// Transactions: each file runs in its own transaction, except popx's `.autocommit.` files.
// Rollback: pop runs the downs one file per step, newest first. Ory (kratos) splits one change over versions that
// share popx's 14-digit legacy version (`20210410175418000000`, `...000001`, ...), whose downs undo the change only
// as a whole: those versions are one rollback group (Migration.rollbackGroup). The judge reads each version's up with
// the group's net effect (what an earlier version made holds no old data; a rebuild split over versions is old table
// against new) and its down alone, as `migrate down --steps 1` runs it; down-does-not-undo replays the group's downs.
import { join } from 'node:path';
import { chooseDialect, declared } from '../discover/dialect.js';
import type { Dialect } from '../ir.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter, MigrationSet } from './adapter.js';
import { migrationFiles, parseSqlMigration, skipped } from './sql-files.js';

const POP_DIALECTS: Record<string, Dialect> = {
  postgres: 'postgresql',
  cockroach: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite3: 'sqlite',
};

/** The other names pop accepts for its dialects (its dialect synonyms). */
const SYNONYMS: Record<string, string> = {
  postgresql: 'postgres',
  pg: 'postgres',
  pgx: 'postgres',
  cockroachdb: 'cockroach',
  crdb: 'cockroach',
  sqlite: 'sqlite3',
};

export interface PopFile {
  version: string;
  name: string;
  /** The pop dialect (postgres, cockroach, mysql, mariadb, sqlite3), or null for a file meant for every database. */
  popDialect: string | null;
  direction: 'up' | 'down';
  type: 'sql' | 'fizz';
  /** popx's `.autocommit.` marker: the file runs outside a transaction. */
  autocommit: boolean;
}

/** popx's legacy version: the first 14 digits of a longer version, which its migrator treats as one migration's. */
const LEGACY_VERSION_DIGITS = 14;

/** `20191100000001000000_identities.postgres.up.sql` → version, name, dialect postgres, up, sql. */
export function parsePopFileName(file: string): PopFile | null {
  const parts = file.split('.');
  const type = parts.pop();
  const direction = parts.pop();
  const autocommit = parts.at(-1) === 'autocommit' && parts.length > 1;
  if (autocommit) parts.pop();
  if ((type !== 'sql' && type !== 'fizz') || (direction !== 'up' && direction !== 'down') || parts.length < 1 || parts.length > 2)
    return null;
  const written = parts.length === 2 ? (parts[1] as string).toLowerCase() : null;
  const popDialect = written === null ? null : (SYNONYMS[written] ?? written);
  if (popDialect !== null && popDialect !== 'all' && !(popDialect in POP_DIALECTS)) return null;
  const base = parts[0] as string;
  const underscore = base.indexOf('_');
  const version = underscore < 0 ? base : base.slice(0, underscore);
  if (!version || ![...version].every((ch) => ch >= '0' && ch <= '9')) return null;
  return {
    version,
    name: underscore < 0 ? '' : base.slice(underscore + 1),
    popDialect: popDialect === 'all' ? null : popDialect,
    direction,
    type,
    autocommit,
  };
}

interface Entry {
  file: string;
  parsed: PopFile;
}

export const pop: FrameworkAdapter = {
  framework: 'pop',
  detect(folder: Folder) {
    const files: Entry[] = folder.entries
      .filter((e) => e.isFile())
      .map((e) => ({ file: e.name, parsed: parsePopFileName(e.name) }))
      .filter((f): f is Entry => f.parsed !== null);
    // Without a dialect in any name or a fizz file, the folder is golang-migrate's layout: let that adapter take it.
    if (!files.some((f) => f.parsed.popDialect !== null || f.parsed.type === 'fizz')) return null;
    const errors: ReadError[] = [];
    for (const f of files) {
      if (f.parsed.type === 'fizz')
        errors.push(skipped(join(folder.rel, f.file), "fizz files are not analyzed (pop's fizz DSL, not SQL): skipped"));
    }
    const sql = files.filter((f) => f.parsed.type === 'sql');
    const popDialects = [...new Set(sql.map((f) => f.parsed.popDialect).filter((d): d is string => d !== null))].sort();
    const sets: MigrationSet[] = [];
    for (const popDialect of popDialects.length ? popDialects : [null]) {
      const named = popDialect ? declared(POP_DIALECTS[popDialect], `file names *.${popDialect}.up.sql`) : null;
      const { dialect, dialectReason } = chooseDialect(folder, folder.rel, named);
      const migrations = setFor(folder, sql, popDialect, dialect, errors);
      if (migrations.length) sets.push({ framework: 'pop', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] });
    }
    if (!sets.length) return { sets: [], errors };
    return { sets, errors };
  },
  parse: (m) => parseSqlMigration(m),
};

/** The migrations pop runs on one database: its own files, else the generic ones, by version. */
function setFor(folder: Folder, files: Entry[], popDialect: string | null, dialect: Dialect, errors: ReadError[]): Migration[] {
  const byVersion = new Map<string, { up?: Entry; down?: Entry }>();
  for (const f of files) {
    if (f.parsed.popDialect !== null && f.parsed.popDialect !== popDialect) continue;
    const pair = byVersion.get(f.parsed.version) ?? {};
    const current = pair[f.parsed.direction];
    // A file for this very database wins over the generic one of the same version.
    if (!current || (current.parsed.popDialect === null && f.parsed.popDialect !== null)) pair[f.parsed.direction] = f;
    byVersion.set(f.parsed.version, pair);
  }
  const versions = [...byVersion.keys()]
    .map((v) => ({ v, n: BigInt(v) }))
    .sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
    .map((x) => x.v);
  const migrations: Migration[] = [];
  for (const version of versions) {
    const { up, down } = byVersion.get(version) ?? {};
    if (!up) {
      if (down) errors.push(skipped(join(folder.rel, down.file), 'down migration without a matching .up.sql: skipped'));
      continue;
    }
    migrations.push({
      id: version,
      name: up.parsed.name,
      framework: 'pop',
      dialect,
      ...migrationFiles({ folder, file: up.file }, down ? { folder, file: down.file } : null),
      transactional: !up.parsed.autocommit,
      ...(down && down.parsed.autocommit !== up.parsed.autocommit ? { downTransactional: !down.parsed.autocommit } : {}),
    });
  }
  return withRollbackGroups(migrations);
}

/** Versions longer than popx's legacy version that share it, two or more: one change, rolled back as one. */
function withRollbackGroups(migrations: Migration[]): Migration[] {
  const legacy = (m: Migration) => (m.id.length > LEGACY_VERSION_DIGITS ? m.id.slice(0, LEGACY_VERSION_DIGITS) : null);
  const counts = new Map<string, number>();
  for (const m of migrations) {
    const key = legacy(m);
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return migrations.map((m) => {
    const key = legacy(m);
    return key && (counts.get(key) ?? 0) > 1 ? { ...m, rollbackGroup: key } : m;
  });
}
