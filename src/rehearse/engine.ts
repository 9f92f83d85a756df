// Where rehearsal runs: an embedded PGlite or a scratch database on a real PostgreSQL server; for
// MySQL sets a scratch database on a MySQL/MariaDB server, for SQLite sets an embedded SQLite. All
// speak the same small interface so the rehearsal itself never knows which it drives.
import type { CreateTable, Dialect } from '../ir.js';
import type { SchemaSnapshot, TableSnapshot } from './catalog.js';
import type { DataSnapshot, FillErrors, LostData, NewShapeValue } from './data.js';
import type { Variant } from './values.js';

export type EngineKind = 'pglite' | 'postgresql' | 'mysql' | 'sqlite';

/** Seconds one statement may run on generated data before rehearsal gives up on it. */
export const DEFAULT_STATEMENT_TIMEOUT_SECONDS = 5;

export interface EngineOptions {
  /** Per statement; a call holding several statements gets that many times as long. */
  statementTimeoutSeconds?: number;
}

export interface ExecOptions {
  /** How many statements the message holds: the time limit of the call is that many statement limits. */
  statements?: number;
}

/** A call ran past its time limit. The engine ended it; its state is unknown until `reset()`. */
export class TimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`timed out after ${seconds} s`);
  }
}

export interface Engine {
  readonly kind: EngineKind;
  /** Which statement guard applies (guard/): the SQL this engine runs. */
  readonly dialect: Dialect;
  /** The per-statement time limit in force. */
  readonly statementTimeoutSeconds: number;
  /** Databases no migration may name, even with outside effects allowed: the one a server URL names. */
  readonly protectedDatabases?: readonly string[];
  /** False where a program cannot run at all (PGlite: COPY … PROGRAM breaks it). */
  readonly runsPrograms: boolean;
  /** `server_version` as the engine reports it (PGlite: the PostgreSQL it embeds). */
  readonly serverVersion: string;
  /** One statement, rows as objects. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements as one simple-protocol message: PostgreSQL runs them as one implicit transaction. */
  exec(sql: string, options?: ExecOptions): Promise<void>;
  /**
   * Makes the extensions a history creates available where the engine must be told beforehand (PGlite's
   * contrib modules load at start: the engine restarts empty with them). Absent: nothing to do.
   */
  loadExtensions?(names: readonly string[]): Promise<void>;
  /** Back to an empty database (after a migration left it in a state nothing can undo, or after a time-out). */
  reset(): Promise<void>;
  /**
   * A copy of the whole database, for engines where that is cheap (SQLite in memory): a rebuild comes back to
   * the last one instead of replaying the history from empty. Absent: every rebuild replays.
   */
  checkpoint?(): Promise<Checkpoint>;
  /** Makes the database what `checkpoint()` copied. */
  restore?(checkpoint: Checkpoint): Promise<void>;
  /**
   * Gives back memory the database holds for nothing, between migrations (PGlite keeps its data folder in
   * memory: WAL segments and the files of dropped relations stay there until a checkpoint). Absent: nothing to do.
   */
  compact?(): Promise<void>;
  /** Releases everything the engine created (the scratch database on a server). */
  close(): Promise<void>;
  /**
   * Catalog and synthetic rows in the engine's own SQL, for engines that are not PostgreSQL (catalog.ts
   * and data.ts speak PostgreSQL's and hand over to this when it is there).
   */
  readonly native?: NativeCatalog;
}

/** An engine's copy of its whole database (SQLite's file image). */
export type Checkpoint = { readonly bytes: Uint8Array };

/** What catalog.ts and data.ts do, for one non-PostgreSQL dialect (mysql-catalog.ts, sqlite-catalog.ts). */
export interface NativeCatalog {
  snapshotSchema(): Promise<SchemaSnapshot>;
  fillTables(tables: readonly TableSnapshot[], variants: readonly Variant[]): Promise<FillErrors>;
  emptyTables(tables: readonly TableSnapshot[]): Promise<void>;
  snapshotData(schema: SchemaSnapshot, only?: ReadonlySet<string>): Promise<DataSnapshot>;
  writeNewShapeRows(before: SchemaSnapshot, after: SchemaSnapshot): Promise<{ refused: FillErrors; written: NewShapeValue[] }>;
  lostNewShapeValues(written: readonly NewShapeValue[], afterDown: SchemaSnapshot): Promise<LostData[]>;
  /** The CREATE TABLE of a stand-in for a table the history references but never creates. */
  standInSql(table: CreateTable): string | null;
}

/**
 * A script failed part way and what ran before the failure stayed (MySQL commits DDL implicitly):
 * the message names the statements that stayed applied.
 */
export class PartlyAppliedError extends Error {
  constructor(
    message: string,
    /** The first lines of the statements that stayed applied, in order. */
    readonly applied: readonly string[],
  ) {
    super(message);
  }
}

/** The SQL error PostgreSQL raised, in one line. */
export function errorMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const detail = (e as { detail?: string }).detail;
  return detail ? `${e.message} (${detail})` : e.message;
}

/** Drops every schema a migration may have created and gives back an empty `public`. */
export const RESET_SQL = `
DO $twoway$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END
$twoway$;
CREATE SCHEMA public;
GRANT ALL ON SCHEMA public TO public;
`;
