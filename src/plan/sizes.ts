// What a plan costs on the live database (`twoway plan --database-url`): each archive's rows × width from the
// table's statistics (stats/columns.ts: pg_class.reltuples, pg_stats.avg_width and null_frac, else a sample), and
// for each step that goes through a table (an index built CONCURRENTLY, a VALIDATE, a batched backfill, the copy
// into an archive before a drop) the table's size and an estimated duration at the documented throughput
// (stats/index.ts THROUGHPUT_BYTES_PER_SECOND), with the lock it holds meanwhile. Read through the read-only
// session only; nothing here runs on the live database but catalog and statistics reads.
import { type QName, qnameKey, qnameText } from '../ir.js';
import {
  type ColumnEstimate,
  type ColumnsEstimate,
  estimateColumns,
  estimateSeconds,
  type LockWork,
  type ReadOnlySession,
  redact,
} from '../stats/index.js';
import { BATCH } from './kinds/sql.js';
import type { Archive, PlanStep, StepWork } from './steps.js';

export interface ArchiveCost {
  /** The archive table, schema-qualified. */
  table: string;
  /** The table its values come from. */
  source: string;
  /** Index of the step that creates it (0-based; 1-based in JSON). */
  step: number;
  /** The source table's row estimate; null when never analyzed or not on the live database. */
  rows: number | null;
  /** The step archives only the rows it changes: the archive holds at most `rows` rows. */
  atMost: boolean;
  /** Rows × the archived columns' average width (values only), null when the table is not on the live database. */
  bytes: number | null;
  /** Each archived column's width and where it comes from (stats/columns.ts). */
  columns: ColumnEstimate[];
  /** Archived columns the live table does not have (a column the plan adds, or a database behind the migrations): not in `bytes`. */
  notCounted: string[];
}

export interface StepEstimate {
  /** Index of the step (0-based; 1-based in JSON). */
  step: number;
  table: string;
  rows: number | null;
  /** Table, indexes and TOAST, in bytes. */
  bytes: number;
  does: StepWork['does'];
  /** The throughput of THROUGHPUT_BYTES_PER_SECOND the estimate uses. */
  work: LockWork;
  seconds: number;
  /** A backfill: how many batches of BATCH rows (at most, when it changes only some rows). */
  batches?: number;
  /** What the step holds while it goes through the table. */
  lock: string;
}

/** An archive table a clean-up drops, as the live database has it: what dropping it frees. */
export interface FreedArchive {
  table: string;
  /** The catalog's row estimate; null when never analyzed. */
  rows: number | null;
  /** Table, indexes and TOAST (pg_total_relation_size), in bytes. */
  bytes: number;
}

export interface PlanSizes {
  /** Where the statistics come from (the password hidden). */
  database: { dialect: string; database: string; url: string };
  archives: ArchiveCost[];
  steps: StepEstimate[];
  /** `--cleanup`: the archive tables it drops that the live database has, and their sizes. */
  freed?: FreedArchive[];
  /** Tables the plan goes through that the live database does not have. */
  notFound: string[];
}

/** The throughput each kind of step's duration is estimated at, and the lock it holds meanwhile. */
const WORK: Record<StepWork['does'], { work: LockWork; lock: string }> = {
  index: {
    work: 'concurrentIndex',
    lock: 'SHARE UPDATE EXCLUSIVE: reads and writes go on (CONCURRENTLY also waits for running transactions, not counted here)',
  },
  scan: { work: 'scan', lock: 'SHARE UPDATE EXCLUSIVE: reads and writes go on' },
  backfill: { work: 'rewrite', lock: `row locks on one batch of ${BATCH} rows at a time, each batch its own transaction` },
  copy: { work: 'scan', lock: 'ACCESS SHARE while it copies (writes go on), then ACCESS EXCLUSIVE for the drop until the step commits' },
};

/** Reads the statistics of every table `steps` and `archives` go through, once each. */
export async function planSizes(
  session: ReadOnlySession,
  url: string,
  steps: readonly PlanStep[],
  archives: readonly Archive[],
): Promise<PlanSizes> {
  const tables = new Map<string, ColumnsEstimate | null>();
  const stats = async (t: QName, columns: readonly string[] = []) => {
    const key = `${qnameKey(t)}\0${columns.join('\0')}`;
    if (!tables.has(key)) tables.set(key, await estimateColumns(session, t, columns));
    return tables.get(key) ?? null;
  };
  const notFound = new Set<string>();
  const estimates: StepEstimate[] = [];
  for (const [i, s] of steps.entries()) {
    if (!s.work) continue;
    const t = await stats(s.work.table);
    if (!t) {
      notFound.add(qnameText(s.work.table));
      continue;
    }
    const { work, lock } = WORK[s.work.does];
    estimates.push({
      step: i,
      table: qnameText(s.work.table),
      rows: t.rows,
      bytes: t.tableBytes,
      does: s.work.does,
      work,
      seconds: Math.round(estimateSeconds(t.tableBytes, work) * 10) / 10,
      ...(s.work.does === 'backfill' && t.rows !== null ? { batches: Math.ceil(t.rows / BATCH) } : {}),
      lock,
    });
  }
  const costs: ArchiveCost[] = [];
  for (const a of archives) {
    const t = await stats(a.source, a.columns);
    if (!t) notFound.add(qnameText(a.source));
    const counted = t?.columns.filter((c) => c.source !== null) ?? [];
    const bytes =
      t && t.rows !== null && counted.every((c) => c.bytes !== null) ? counted.reduce((n, c) => n + (c.bytes as number), 0) : null;
    costs.push({
      table: a.table,
      source: qnameText(a.source),
      step: steps.findIndex((s) => s.name === a.step),
      rows: t?.rows ?? null,
      atMost: a.someRows,
      bytes,
      columns: counted,
      notCounted: t ? t.columns.filter((c) => c.source === null).map((c) => c.column) : a.columns,
    });
  }
  return {
    database: { dialect: session.dialect, database: session.database, url: redact(url) },
    archives: costs,
    steps: estimates,
    notFound: [...notFound],
  };
}

/**
 * `twoway plan --cleanup --database-url`: each archive table the clean-up drops, with its rows and bytes on the
 * live database (what the drop frees); archives the database does not have (never applied there, or already
 * dropped) are `notFound`.
 */
export async function cleanupSizes(session: ReadOnlySession, url: string, tables: readonly string[]): Promise<PlanSizes> {
  const freed: FreedArchive[] = [];
  const notFound: string[] = [];
  for (const table of tables) {
    const dot = table.indexOf('.');
    const t = await estimateColumns(session, dot < 0 ? { name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) }, []);
    if (t) freed.push({ table, rows: t.rows, bytes: t.tableBytes });
    else notFound.push(table);
  }
  return { database: { dialect: session.dialect, database: session.database, url: redact(url) }, archives: [], steps: [], freed, notFound };
}
