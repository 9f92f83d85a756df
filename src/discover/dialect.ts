// Which SQL dialect a migration set is read as, and why. In order: a `dialects` entry of the twoway config for the
// set's folder; what the framework itself declares (its config, pop's file names, Prisma's lock file); the set's
// folder name (`mysql/`, `migrations-sqlite`); the configured default (--dialect, the config's `dialect`); a sample
// config (`config/database.yml.sample`); the SQL itself (AUTO_INCREMENT, PRAGMA: not PostgreSQL); else PostgreSQL.
import { dirname, sep } from 'node:path';
import type { Folder, MigrationSet } from '../frameworks/adapter.js';
import type { Dialect } from '../ir.js';
import { type DialectMarker, dialectMarkers } from '../sql/dialect-markers.js';

export interface DialectChoice {
  dialect: Dialect;
  /** Why, as the report says it: "folder mysql/", "config/database.yml adapter: sqlite3", "SQL uses AUTO_INCREMENT (a.sql:3)". */
  dialectReason: string;
}

export const DEFAULT_DIALECT: DialectChoice = {
  dialect: 'postgresql',
  dialectReason: 'default: no config, file name, folder or SQL names a dialect',
};

/** A `dialects` entry of the config: sets in `folder` (relative to the working directory) or below it. */
export interface ConfiguredDialect {
  folder: string;
  dialect: Dialect;
  /** Where it is written: "twoway.config.yaml dialects". */
  source: string;
}

/** What a folder's name says: each word of it (`migrations-sqlite`, `pg_migrations`) is looked up. */
const FOLDER_WORDS: Record<string, Dialect> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pg: 'postgresql',
  cockroach: 'postgresql',
  cockroachdb: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
};

/** The dialect the nearest folder naming one gives (`schema/mysql/v8/temporal` → mysql); null when none does. */
export function dialectOfPath(rel: string): DialectChoice | null {
  const segments = rel.split(/[\\/]/).filter((s) => s && s !== '.' && s !== '..');
  for (const segment of segments.reverse()) {
    const named = new Set(
      segment
        .toLowerCase()
        .split(/[-_.\s]+/)
        .flatMap((w) => FOLDER_WORDS[w] ?? []),
    );
    // `mysql-to-postgres` names two: it says nothing.
    if (named.size === 1) return { dialect: [...named][0] as Dialect, dialectReason: `folder ${segment}/` };
  }
  return null;
}

/** What a framework's own config or file names declare, when they name a dialect. */
export function declared(dialect: Dialect | null | undefined, reason: string): DialectChoice | null {
  return dialect ? { dialect, dialectReason: reason } : null;
}

/** The choice for a set an adapter builds, before its SQL is looked at: see the order at the top of this file. */
export function chooseDialect(
  folder: Folder,
  root: string = folder.rel,
  declared: DialectChoice | null = null,
  sample: DialectChoice | null = null,
): DialectChoice {
  return declared ?? dialectOfPath(root) ?? folder.configuredDialect ?? sample ?? DEFAULT_DIALECT;
}

/** A set's dialect once its files are known: the config's `dialects` entry wins; a set nothing named is read by its SQL. */
export function settleDialect(set: MigrationSet, configured: readonly ConfiguredDialect[] = []): void {
  const entry = configured
    .filter((c) => c.folder === '.' || set.root === c.folder || set.root.startsWith(`${c.folder}${sep}`))
    .sort((a, b) => b.folder.length - a.folder.length)[0];
  if (entry) {
    setDialect(set, { dialect: entry.dialect, dialectReason: `${entry.source}: ${entry.folder}` });
    return;
  }
  if (set.dialectReason !== DEFAULT_DIALECT.dialectReason) return;
  const fromSql = dialectOfSql(set);
  if (fromSql) setDialect(set, fromSql);
}

/**
 * A set nothing names (say Knex files, whose SQL lives in JS) takes the dialect of the sets beside it, in the same
 * parent folder, whose own SQL or folder named one, when they all agree: uptime-kuma's `db/knex_migrations` runs on
 * the SQLite database its `db/old_migrations` patch files were written for.
 */
export function settleBySiblings(sets: readonly MigrationSet[]): void {
  const parentOf = (s: MigrationSet) => dirname(s.root);
  for (const set of sets) {
    if (set.dialectReason !== DEFAULT_DIALECT.dialectReason) continue;
    const siblings = sets.filter((s) => s !== set && parentOf(s) === parentOf(set));
    // Only the SQL's own evidence carries over: `migrations-sqlite/` beside `migrations/` says the other is not SQLite.
    if (siblings.some((s) => !s.dialectReason.startsWith('SQL ') && s.dialectReason !== DEFAULT_DIALECT.dialectReason)) continue;
    const named = siblings.filter((s) => s.dialectReason.startsWith('SQL '));
    const sibling = named[0];
    if (!sibling || new Set(named.map((s) => s.dialect)).size !== 1) continue;
    setDialect(set, {
      dialect: sibling.dialect,
      dialectReason: `sibling set ${sibling.root} is ${sibling.dialect} (${sibling.dialectReason})`,
    });
  }
}

function setDialect(set: MigrationSet, choice: DialectChoice): void {
  set.dialect = choice.dialect;
  set.dialectReason = choice.dialectReason;
  for (const m of set.migrations) m.dialect = choice.dialect;
}

/**
 * What the set's SQL files say: MySQL's or SQLite's own syntax, when only one of them is used (both: the one more
 * statements use). Backticks alone say MySQL. SQL inside Ruby, Python or JS is not looked at.
 */
export function dialectOfSql(set: MigrationSet): DialectChoice | null {
  const markers: Array<DialectMarker & { path: string }> = [];
  for (const m of set.migrations) {
    for (const source of [m.up, m.down]) {
      if (source?.language !== 'sql') continue;
      // A file holding both directions (goose, dbmate sections) is one source: read it once.
      if (source !== m.up && source.path === m.up.path && source.text === m.up.text) continue;
      for (const marker of dialectMarkers(source)) markers.push({ ...marker, path: source.path });
    }
  }
  const strong = markers.filter((k) => k.strong);
  const count = (d: Dialect) => strong.filter((k) => k.dialect === d).length;
  const pick = strong.length ? (count('sqlite') > count('mysql') ? 'sqlite' : 'mysql') : 'mysql';
  const first = (strong.length ? strong : markers).find((k) => k.dialect === pick);
  if (!first) return null;
  const other = strong.find((k) => k.dialect !== pick);
  const also = other ? `; also ${other.marker} (${other.path}:${other.line}), fewer statements` : '';
  const uses = first.marker === 'backticks' ? 'quotes names with backticks' : `uses ${first.marker}`;
  return { dialect: pick, dialectReason: `SQL ${uses} (${first.path}:${first.line})${also}` };
}
