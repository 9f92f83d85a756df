// How much data some columns of a table hold on a live database, estimated through the read-only
// session: what keeping a copy of them (an archive before a drop) would cost. Rows are the catalog's
// estimate (pg_class.reltuples; information_schema.TABLES.TABLE_ROWS). A column's width comes from the
// planner's statistics where the table was analyzed (pg_stats.avg_width and null_frac), else from a
// sample of SAMPLE_ROWS rows (pg_column_size on PostgreSQL; the stored length of MySQL strings, the
// fixed size of its numbers and dates).
import { type QName, qnameText } from '../ir.js';
import type { ReadOnlySession } from './session.js';

/** Rows read to measure a column the statistics do not describe: enough for an average, cheap on any table. */
export const SAMPLE_ROWS = 1000;

export interface ColumnEstimate {
  column: string;
  /** Average bytes of a non-null value; null when the column is not in the table or no value was seen. */
  avgBytes: number | null;
  /** Share of rows where the column is NULL (0..1). */
  nullFraction: number | null;
  /** rows × (1 − nullFraction) × avgBytes, rounded; null when any of them is unknown. */
  bytes: number | null;
  /** Where the width comes from: the planner's statistics, a sample of rows, or nowhere (the column is missing). */
  source: 'statistics' | 'sample' | null;
}

export interface ColumnsEstimate {
  table: string;
  /** The catalog's row estimate; null when the table was never analyzed (PostgreSQL's reltuples = -1). */
  rows: number | null;
  /** Table, indexes and TOAST (PostgreSQL) or data and indexes (MySQL), in bytes. */
  tableBytes: number;
  columns: ColumnEstimate[];
  /** The columns' bytes summed; null when one of them is unknown. */
  bytes: number | null;
}

/** The estimate for `columns` of `table`; null when the database has no such table. */
export async function estimateColumns(session: ReadOnlySession, table: QName, columns: readonly string[]): Promise<ColumnsEstimate | null> {
  const found = session.dialect === 'postgresql' ? await postgresql(session, table, columns) : await mysql(session, table, columns);
  if (!found) return null;
  const estimates = found.widths.map(({ column, avgBytes, nullFraction, source }) => ({
    column,
    avgBytes,
    nullFraction,
    bytes:
      found.rows === null || avgBytes === null || nullFraction === null ? null : Math.round(found.rows * (1 - nullFraction) * avgBytes),
    source,
  }));
  const sum = estimates.every((c) => c.bytes !== null) ? estimates.reduce((n, c) => n + (c.bytes as number), 0) : null;
  return { table: qnameText(table), rows: found.rows, tableBytes: found.tableBytes, columns: estimates, bytes: sum };
}

type Width = Omit<ColumnEstimate, 'bytes'>;
type Found = { rows: number | null; tableBytes: number; widths: Width[] };

async function postgresql(s: ReadOnlySession, table: QName, columns: readonly string[]): Promise<Found | null> {
  // relation() resolves the name as the application's queries would (its search_path when unqualified).
  const relation = await s.relation(table);
  if (relation === null) return null;
  const [t] = await s.query<{ oid: number; schema: string; name: string; rows: string; bytes: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass($1)`,
    [relation],
  );
  if (!t) return null;
  const rows = Number(t.rows) < 0 ? null : Number(t.rows);
  const existing = new Set(
    (
      await s.query<{ name: string }>(
        'SELECT attname AS name FROM pg_catalog.pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped',
        [t.oid],
      )
    ).map((r) => r.name),
  );
  const stats = new Map(
    (
      await s.query<{ name: string; width: number; nulls: number }>(
        'SELECT attname AS name, avg_width AS width, null_frac AS nulls FROM pg_catalog.pg_stats WHERE schemaname = $1 AND tablename = $2',
        [t.schema, t.name],
      )
    ).map((r) => [r.name, r]),
  );
  const from = `${s.ident(t.schema)}.${s.ident(t.name)}`;
  const widths: Width[] = [];
  for (const column of columns) {
    const st = stats.get(column);
    if (!existing.has(column)) widths.push({ column, avgBytes: null, nullFraction: null, source: null });
    else if (st) widths.push({ column, avgBytes: Number(st.width), nullFraction: Number(st.nulls), source: 'statistics' });
    else {
      const c = s.ident(column);
      const [m] = await s.query<{ width: string | null; seen: string; all: string }>(
        `SELECT avg(pg_column_size(${c})) AS width, count(${c}) AS seen, count(*) AS "all" FROM (SELECT ${c} FROM ${from} LIMIT ${SAMPLE_ROWS}) sample`,
      );
      widths.push(sampled(column, m?.width ?? null, Number(m?.seen ?? 0), Number(m?.all ?? 0)));
    }
  }
  return { rows, tableBytes: Number(t.bytes), widths };
}

/** Bytes InnoDB stores for a value of a fixed-size type (MySQL reference, "Data Type Storage Requirements"). */
const MYSQL_FIXED: Record<string, number> = {
  tinyint: 1,
  smallint: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  bigint: 8,
  float: 4,
  double: 8,
  real: 8,
  date: 3,
  time: 3,
  datetime: 5,
  timestamp: 4,
  year: 1,
};

async function mysql(s: ReadOnlySession, table: QName, columns: readonly string[]): Promise<Found | null> {
  const schema = table.schema ?? s.database;
  const [t] = await s.query<{ rows: number | null; bytes: number | null }>(
    'SELECT TABLE_ROWS AS `rows`, DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, table.name],
  );
  if (!t) return null;
  const types = new Map(
    (
      await s.query<{ name: string; type: string }>(
        'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        [schema, table.name],
      )
    ).map((r) => [r.name.toLowerCase(), r.type.toLowerCase()]),
  );
  const from = `${s.ident(schema)}.${s.ident(table.name)}`;
  const widths: Width[] = [];
  for (const column of columns) {
    const type = types.get(column.toLowerCase());
    if (type === undefined) {
      widths.push({ column, avgBytes: null, nullFraction: null, source: null });
      continue;
    }
    const c = s.ident(column);
    // Strings, blobs, JSON, decimals: the stored length (LENGTH counts bytes); fixed-size types: their size.
    const width = MYSQL_FIXED[type] === undefined ? `AVG(LENGTH(${c}))` : String(MYSQL_FIXED[type]);
    const [m] = await s.query<{ width: unknown; seen: unknown; all: unknown }>(
      `SELECT CASE WHEN COUNT(${c}) > 0 THEN ${width} END AS width, COUNT(${c}) AS seen, COUNT(*) AS \`all\` FROM (SELECT ${c} FROM ${from} LIMIT ${SAMPLE_ROWS}) sample`,
    );
    widths.push(sampled(column, m?.width ?? null, Number(m?.seen ?? 0), Number(m?.all ?? 0)));
  }
  return { rows: t.rows === null ? null : Number(t.rows), tableBytes: Number(t.bytes ?? 0), widths };
}

function sampled(column: string, width: unknown, seen: number, all: number): Width {
  return {
    column,
    // No row read: the table is empty now, whatever its stale estimate says; no value seen: every one is NULL.
    avgBytes: width === null || width === undefined ? 0 : Math.round(Number(width) * 10) / 10,
    nullFraction: all ? 1 - seen / all : 0,
    source: 'sample',
  };
}
