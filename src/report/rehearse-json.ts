// `twoway rehearse --format json`: one object, a public contract like check's (fields and order).
import { notRehearsedReasons, type RehearseResult } from '../rehearse/index.js';
import type { LockMismatch, ObservedLock } from '../rehearse/locks.js';
import type { SchemaDifference } from '../rehearse/schema-diff.js';

type JsonLock = Omit<ObservedLock, 'index' | 'oid'>;

export interface RehearseJsonReport {
  version: 2;
  engine: RehearseResult['engine'];
  serverVersion: string;
  /** Every engine the run used, one per dialect (a PostgreSQL set on PGlite, a MySQL set on MariaDB…). */
  engines: RehearseResult['engines'];
  /** Seconds each statement may run before it is ended ("timed out after N s"). */
  statementTimeout: number;
  /** Whether statements acting outside the scratch database ran (`--allow-outside-effects`) or were refused. */
  allowOutsideEffects: boolean;
  migrations: Array<{
    id: string;
    path: string;
    files: string[];
    /** `failed-with-rows`: fails on a table with rows but applies to empty tables; its down and re-up ran on those. */
    up: 'ok' | 'failed' | 'failed-with-rows' | 'skipped';
    /** Present only when the up ran as SQL twoway emitted for a DSL migration. */
    upSource?: 'emulated';
    down: 'ok' | 'failed' | 'missing' | 'skipped';
    downSource: 'written' | 'derived' | 'emulated' | null;
    reup: 'ok' | 'failed' | 'skipped';
    schemaRestored: boolean | null;
    schemaDiff: SchemaDifference[];
    lostData: Array<{ table: string; column: string; rows: number }>;
    /** Values written after the up that the down cut or changed without failing (a lossy down). */
    lostNewData: Array<{ table: string; column: string; rows: number }>;
    error: string | null;
    /** Why (part of) the migration did not run: a refused statement, or an earlier migration that does not apply. */
    skipped: string | null;
    notes: string[];
    /** Milliseconds: the whole rehearsal of the migration (fills and snapshots included), and each script's last run (null: not run). */
    timings: { total: number; up: number | null; down: number | null; reup: number | null };
    /** PostgreSQL engines: per statement, each relation that existed before it and that it locked, rewrote or scanned; null elsewhere. */
    locks: { up: JsonLock[]; down: JsonLock[] } | null;
    /** Where check's lock profile of a statement and what PostgreSQL did differ. */
    lockMismatches: LockMismatch[];
  }>;
  /** Migrations applied up only, without rehearsing them, to reach the selected ones (`--since`, `--from`, `--only`). */
  replayed: number;
  /** Migrations not (fully) rehearsed, counted by reason (`skipped`, or `error` when twoway's own steps failed). */
  notRehearsed: Array<{ reason: string; migrations: number }>;
  errors: Array<{ path: string; line: number; column: number; message: string }>;
}

export function toRehearseJson(result: RehearseResult): RehearseJsonReport {
  return {
    version: 2,
    engine: result.engine,
    serverVersion: result.serverVersion,
    engines: result.engines,
    statementTimeout: result.statementTimeoutSeconds,
    allowOutsideEffects: result.allowOutsideEffects,
    migrations: result.migrations.map((m) => ({
      id: m.id,
      path: m.path,
      files: m.files,
      up: m.up,
      ...(m.upSource === 'emulated' ? { upSource: 'emulated' as const } : {}),
      down: m.down,
      downSource: m.downSource,
      reup: m.reup,
      schemaRestored: m.schemaRestored,
      schemaDiff: m.schemaDiff,
      lostData: m.lostData,
      lostNewData: m.lostNewData,
      error: m.error,
      skipped: m.skipped,
      notes: m.notes,
      timings: { total: round(m.ms), up: roundOrNull(m.timings.up), down: roundOrNull(m.timings.down), reup: roundOrNull(m.timings.reup) },
      locks: m.locks ? { up: m.locks.up.map(jsonLock), down: m.locks.down.map(jsonLock) } : null,
      lockMismatches: m.lockMismatches,
    })),
    replayed: result.replayed,
    notRehearsed: notRehearsedReasons(result.migrations),
    errors: result.errors.map((e) => ({ path: e.path, line: e.line, column: e.column, message: e.message })),
  };
}

const jsonLock = ({ index: _, oid: __, ...lock }: ObservedLock): JsonLock => lock;
const round = (ms: number) => Math.round(ms * 10) / 10;
const roundOrNull = (ms: number | null) => (ms === null ? null : round(ms));

export function formatRehearseJson(result: RehearseResult): string {
  return `${JSON.stringify(toRehearseJson(result), null, 2)}\n`;
}
