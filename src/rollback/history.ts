// What the live database says was applied: each framework's own history table, read through the
// read-only session. Returned as the ids of the set's migrations that are applied, and the entries
// of the table no migration of the repository matches (applied, then removed from the code).
import { basename } from 'node:path';
import type { Framework, Migration } from '../migration.js';
import type { ReadOnlySession } from '../stats/index.js';

export interface AppliedHistory {
  /** The table read, as the framework names it. */
  table: string;
  /** Ids (Migration.id) of the set's migrations the table records as applied. */
  applied: Set<string>;
  /** Entries of the table that match no migration of the repository. */
  missing: string[];
  /** Ids of the set's migrations the table records as started and failed part-way (golang-migrate's dirty version). */
  failed: Set<string>;
}

interface HistorySource {
  table: string;
  /** Entries recorded as applied, oldest first. */
  read: (s: ReadOnlySession, t: string) => Promise<string[]>;
  /** The table keeps only where the schema is (golang-migrate's version, Alembic's heads): earlier migrations are applied too. */
  upTo?: boolean;
  /** Entries recorded as started and failed part-way: run, though not applied. */
  readFailed?: (s: ReadOnlySession, t: string) => Promise<string[]>;
}

const column =
  (name: string, where = '', order = '') =>
  async (s: ReadOnlySession, t: string) =>
    (
      await s.query<{ v: unknown }>(
        `SELECT ${s.ident(name)} AS v FROM ${t}${where ? ` WHERE ${where}` : ''}${order ? ` ORDER BY ${order}` : ''}`,
      )
    )
      .map((r) => String(r.v))
      .filter((v) => v !== 'null');

export const HISTORY_TABLES: Partial<Record<Framework, HistorySource>> = {
  rails: { table: 'schema_migrations', read: column('version') },
  flyway: { table: 'flyway_schema_history', read: column('script', 'success AND version IS NOT NULL', 'installed_rank') },
  alembic: { table: 'alembic_version', read: column('version_num'), upTo: true },
  django: {
    table: 'django_migrations',
    read: async (s, t) =>
      (await s.query<{ app: string; name: string }>(`SELECT app, name FROM ${t} ORDER BY id`)).map((r) => `${r.app}.${r.name}`),
  },
  knex: { table: 'knex_migrations', read: column('name', '', 'id') },
  typeorm: { table: 'migrations', read: column('name', '', 'id') },
  sequelize: { table: 'SequelizeMeta', read: column('name') },
  // goose keeps every up and down; the last row of a version says where it stands.
  goose: {
    table: 'goose_db_version',
    read: async (s, t) => {
      const rows = await s.query<{ v: unknown; a: unknown }>(`SELECT version_id AS v, is_applied AS a FROM ${t} ORDER BY id`);
      const state = new Map<string, boolean>();
      for (const r of rows) state.set(String(r.v), r.a === true || r.a === 1 || r.a === '1');
      return [...state].filter(([v, a]) => a && v !== '0').map(([v]) => v);
    },
  },
  'golang-migrate': {
    table: 'schema_migrations',
    read: column('version', 'NOT dirty'),
    upTo: true,
    readFailed: column('version', 'dirty'),
  },
  dbmate: { table: 'schema_migrations', read: column('version') },
  diesel: { table: '__diesel_schema_migrations', read: column('version') },
  prisma: {
    table: '_prisma_migrations',
    read: column('migration_name', 'finished_at IS NOT NULL AND rolled_back_at IS NULL', 'started_at'),
  },
  'node-pg-migrate': { table: 'pgmigrations', read: column('name', '', 'id') },
};

/** The history of `migrations` (one set, in applying order) on the live database; null when the framework keeps none twoway knows. */
export async function appliedHistory(
  session: ReadOnlySession,
  framework: Framework,
  migrations: readonly Migration[],
): Promise<AppliedHistory | null> {
  const source = HISTORY_TABLES[framework];
  if (!source) return null;
  // The table where the framework's own queries find it: the application's search path, or the URL's database.
  const relation = await session.relation({ name: source.table });
  if (relation === null) return { table: source.table, applied: new Set(), missing: [], failed: new Set() };
  const entries = await source.read(session, relation);
  const applied = new Set<string>();
  const missing: string[] = [];
  for (const entry of entries) {
    const at = migrations.findIndex((m) => matches(m, entry));
    if (at < 0) {
      missing.push(entry);
      continue;
    }
    if (source.upTo) for (const m of migrations.slice(0, at + 1)) applied.add(m.id);
    else applied.add((migrations[at] as Migration).id);
  }
  const failed = new Set<string>();
  for (const entry of (await source.readFailed?.(session, relation)) ?? [])
    for (const m of migrations) if (matches(m, entry)) failed.add(m.id);
  return { table: source.table, applied, missing, failed };
}

/** How a history entry names a migration: its version, its file or folder, `app.name`, TypeORM's `<Class><timestamp>`. */
export function matches(m: Migration, entry: string): boolean {
  const file = basename(m.path);
  const folder = basename(m.path.slice(0, m.path.length - file.length - 1));
  const names = [m.id, file, file.replace(/\.[^.]+$/, ''), folder, `${m.name}${m.id}`, `${m.id}_${m.name}`, `${m.id}-${m.name}`];
  if (names.includes(entry)) return true;
  // Versions stored as numbers: goose's 00001 is 1; golang-migrate's 000002 is 2; Flyway's script is its file name.
  const n = Number(entry);
  return /^\d+$/.test(entry) && /^\d+$/.test(m.id) && Number(m.id) === n;
}
