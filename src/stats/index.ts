// Table statistics from a live database, read through a read-only session (session.ts): row
// estimates and sizes from the catalog only (PostgreSQL pg_class.reltuples and
// pg_total_relation_size; MySQL/MariaDB information_schema.TABLES). Nothing here scans a table (columns.ts reads a sample of SAMPLE_ROWS rows at most).
import type { ReadOnlySession } from './session.js';

export { type ColumnEstimate, type ColumnsEstimate, estimateColumns, SAMPLE_ROWS } from './columns.js';
export { guardStatement, RefusedStatementError } from './guard.js';
export { LiveDatabaseError, openReadOnly, type ReadOnlySession, redact } from './session.js';
export { userTriggers } from './triggers.js';

export interface TableStats {
  schema: string;
  name: string;
  /** The planner's row estimate; null when the table was never analyzed. */
  rows: number | null;
  /** Table, indexes and TOAST, in bytes. */
  bytes: number;
}

/** Statistics of every table of the database, keyed like the schema replay (unqualified for public / the URL's database). */
export async function tableStats(session: ReadOnlySession): Promise<Map<string, TableStats>> {
  const out = new Map<string, TableStats>();
  if (session.dialect === 'postgresql') {
    const rows = await session.query<{ schema: string; name: string; rows: string; bytes: string }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
    );
    for (const r of rows) {
      const rowsEstimate = Number(r.rows);
      out.set(r.schema === 'public' ? r.name : `${r.schema}.${r.name}`, {
        schema: r.schema,
        name: r.name,
        rows: rowsEstimate < 0 ? null : rowsEstimate,
        bytes: Number(r.bytes),
      });
    }
    return out;
  }
  const rows = await session.query<{ name: string; rows: number | null; bytes: number | null }>(
    `SELECT TABLE_NAME AS name, TABLE_ROWS AS \`rows\`, DATA_LENGTH + INDEX_LENGTH AS bytes
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'`,
  );
  for (const r of rows)
    out.set(r.name, { schema: session.database, name: r.name, rows: r.rows === null ? null : Number(r.rows), bytes: Number(r.bytes ?? 0) });
  return out;
}

/**
 * How fast a lock-holding statement goes through a table, for estimates: documented constants, not
 * measurements of this server (a rough order of magnitude on SSD-backed servers; real numbers vary
 * several-fold with hardware, load, indexes and row width).
 */
export const THROUGHPUT_BYTES_PER_SECOND = {
  /** ALTER … TYPE and other full rewrites: the table and every index written again. */
  rewrite: 50 * 1024 * 1024,
  /** SET NOT NULL, VALIDATE CONSTRAINT, a CHECK added without NOT VALID: one sequential read. */
  scan: 200 * 1024 * 1024,
  /** CREATE INDEX: a read and a sort. */
  index: 30 * 1024 * 1024,
  /**
   * CREATE INDEX CONCURRENTLY: two scans of the table and a sort (PostgreSQL's CREATE INDEX docs: "more total
   * work than a standard index build"), so half the plain rate; its waits for running transactions come on top.
   */
  concurrentIndex: 15 * 1024 * 1024,
} as const;

export type LockWork = keyof typeof THROUGHPUT_BYTES_PER_SECOND;

/** Below this a lock is held for well under a second on any server: a lock error is reported as info. */
export const SMALL_TABLE = { rows: 10_000, bytes: 16 * 1024 * 1024 } as const;

export function estimateSeconds(bytes: number, work: LockWork): number {
  return bytes / THROUGHPUT_BYTES_PER_SECOND[work];
}

export function isSmall(t: TableStats): boolean {
  return t.bytes < SMALL_TABLE.bytes && (t.rows ?? Number.POSITIVE_INFINITY) < SMALL_TABLE.rows;
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n >= 10 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

export function formatSeconds(s: number): string {
  if (s < 1) return 'under a second';
  if (s < 90) return `about ${Math.round(s)} s`;
  if (s < 5400) return `about ${Math.round(s / 60)} min`;
  return `about ${(s / 3600).toFixed(1)} h`;
}
