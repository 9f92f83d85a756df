// For every migration in order: fill the tables, snapshot, up, write rows only the new schema
// allows, down, diff schema and data against the snapshot, up again. The database moves forward
// once: the state before migration N is the state its predecessor's re-up left.

import type { Operation } from '../ir.js';
import type { Migration, ParsedMigration } from '../migration.js';
import { Schema } from '../schema/schema.js';
import { emitPostgres } from '../sql/emit-postgresql.js';
import { parseSync } from '../sql/libpg.js';
import { displayName, fillableTables, type SchemaSnapshot, snapshotSchema, tableKey, type ValueType } from './catalog.js';
import {
  type DataSnapshot,
  diffData,
  emptyTables,
  fillTables,
  type LostData,
  lostNewShapeValues,
  ORDINARY_VARIANTS,
  snapshotData,
  writeNewShapeRows,
} from './data.js';
import { type Checkpoint, type Engine, errorMessage } from './engine.js';
import { externalTableStandIns } from './external-tables.js';
import { castFailure, columnsHolding, type FittedType, fittedType, splitPieces } from './fitted-values.js';
import { type GuardOptions, guardFor, type OutsideEffect } from './guard/index.js';
import { compareLocks, type LockMismatch, type ObservedLock, observeScript, type ScriptObservation } from './locks.js';
import { describeDifference, diffSchema, isOrderOnly, type SchemaDifference } from './schema-diff.js';
import { fillScope, tablesTouched } from './scope.js';
import { type DownSource, type MigrationScripts, runScript, type Script, ScriptError, scriptsFor, type UpSource } from './scripts.js';

export interface MigrationRehearsal {
  id: string;
  path: string;
  files: string[];
  /** `failed-with-rows`: fails on a table with rows, applies to empty tables (the rest ran on those). */
  up: 'ok' | 'failed' | 'failed-with-rows' | 'skipped';
  /** `emulated`: the framework's DSL was run as the SQL twoway emits for its IR. */
  upSource: UpSource;
  down: 'ok' | 'failed' | 'missing' | 'skipped';
  downSource: DownSource | null;
  reup: 'ok' | 'failed' | 'skipped';
  /** null when no down ran to completion. */
  schemaRestored: boolean | null;
  schemaDiff: SchemaDifference[];
  /** Values of rows that existed before the up, gone or changed after the down. */
  lostData: LostData[];
  /** Values written after the up (what only the new schema allows) that the down cut or changed without failing. */
  lostNewData: LostData[];
  error: string | null;
  /**
   * Why (part of) the migration did not run: "up: COPY … TO PROGRAM runs a shell command on the
   * database server (path:line); …" when a statement would act outside the scratch database, or
   * "migration 3 before it does not apply". null when it all ran.
   */
  skipped: string | null;
  /** What the reader should know but is not a failure: tables no synthetic row fits, statements not emulated. */
  notes: string[];
  /** Wall time of this migration's rehearsal (fills and snapshots included). */
  ms: number;
  /** Milliseconds of the last run of each script (null: it did not run). */
  timings: { up: number | null; down: number | null; reup: number | null };
  /** What each statement locked, rewrote and scanned (PostgreSQL engines; null elsewhere). */
  locks: { up: ObservedLock[]; down: ObservedLock[] } | null;
  /** Where `check`'s lock profile and what PostgreSQL did differ. */
  lockMismatches: LockMismatch[];
}

/** A migration fails rehearsal when it cannot be applied, its down fails or loses data, the schema drifts, or the up cannot be re-applied. */
export function rehearsalFailed(r: MigrationRehearsal): boolean {
  return (
    r.up === 'failed' ||
    r.up === 'failed-with-rows' ||
    r.down === 'failed' ||
    r.reup === 'failed' ||
    r.schemaRestored === false ||
    r.lostData.length > 0 ||
    r.lostNewData.length > 0
  );
}

/**
 * Some of it was not rehearsed: refused, after a migration that does not apply, or twoway's own
 * steps failed around it (an error that is not the up's, the down's or the re-up's). Never proven.
 */
export function notRehearsed(r: MigrationRehearsal): boolean {
  return r.skipped !== null || (r.error !== null && !rehearsalFailed(r));
}

/** Why migrations were not (fully) rehearsed, with how many each reason covers, most first. */
export function notRehearsedReasons(results: readonly MigrationRehearsal[]): Array<{ reason: string; migrations: number }> {
  const counts = new Map<string, number>();
  for (const r of results.filter(notRehearsed)) {
    const reason = r.skipped ?? r.error ?? 'unknown';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, migrations]) => ({ reason, migrations })).sort((x, y) => y.migrations - x.migrations);
}

export interface HistoryOptions {
  /** Run statements that act outside the scratch database too (`--allow-outside-effects`). */
  allowOutsideEffects?: boolean;
  /**
   * The migrations to rehearse (`--since`, `--from`, `--only`); the others are replayed, up only and
   * without rows or snapshots, so the selected ones meet the schema they follow. Absent: all of them.
   */
  select?: (m: Migration) => boolean;
  /** Called after each migration, rehearsed or replayed: a progress line. */
  onProgress?: (done: number, total: number, id: string) => void;
}

/** What the history replayed without rehearsing it, and how it ended. */
export interface HistoryRun {
  rehearsals: MigrationRehearsal[];
  /** Migrations applied up only, to reach the selected ones. */
  replayed: number;
}

/** Rehearses a history (one migration set, in framework order) on an engine whose database is empty. */
export async function rehearseHistory(
  engine: Engine,
  history: readonly ParsedMigration[],
  options: HistoryOptions = {},
): Promise<MigrationRehearsal[]> {
  return (await rehearseSelected(engine, history, options)).rehearsals;
}

/** As rehearseHistory, with the count of migrations only replayed to reach the selected ones. */
export async function rehearseSelected(
  engine: Engine,
  history: readonly ParsedMigration[],
  options: HistoryOptions = {},
): Promise<HistoryRun> {
  const guard = guardFor(engine.dialect);
  const guardOptions: GuardOptions = {
    allowOutsideEffects: options.allowOutsideEffects ?? false,
    protectedDatabases: engine.protectedDatabases ?? [],
    cannotRunPrograms: engine.runsPrograms ? undefined : engine.kind === 'pglite' ? 'PGlite' : engine.kind,
  };
  const refusal = (part: 'up' | 'down', script: Script): string | null => {
    const effect = guard(script.text, guardOptions);
    return effect && describeRefusal(part, script, effect);
  };
  let refusedBefore: string | null = null;
  const replay = new Schema();
  const state: RunState = { filled: new Set(), empty: new Set(), schema: null, fitted: new Map() };
  // Per rollback group, the tables its versions so far created.
  const madeInGroup = new Map<string, Set<string>>();
  const applied: MigrationScripts[] = [];
  const results: MigrationRehearsal[] = [];
  let halted: string | null = null;
  // An engine error twoway's own steps meet halts the set with its message; it never ends the run.
  const missingExtensions = await prepareExtensions(engine, history).catch((e) => {
    halted = `the extensions the history creates could not be prepared: ${errorMessage(e)}`;
    return new Map<string, string>();
  });
  const standIns = externalTableStandIns(history).flatMap((standIn) => {
    const emitted = engine.native ? { ok: true, sql: engine.native.standInSql(standIn) } : emitPostgres(standIn);
    return emitted.ok && emitted.sql ? [emitted.sql] : [];
  });
  // The framework's own bookkeeping table exists before its first migration runs, and some histories alter it.
  const bookkeeping = engine.dialect === 'postgresql' ? FRAMEWORK_TABLES[history[0]?.migration.framework ?? ''] : undefined;
  if (bookkeeping) standIns.unshift(bookkeeping);
  try {
    for (const sql of standIns) await engine.exec(sql);
  } catch (e) {
    halted = `the tables the history expects before its first migration could not be created: ${errorMessage(e)}`;
  }
  const select = options.select ?? (() => true);
  // Past the last selected migration nothing needs to run.
  const last = history.findLastIndex((p) => select(p.migration));
  let replayed = 0;
  for (const [index, parsed] of history.entries()) {
    if (index > last) break;
    const started = performance.now();
    const scripts = scriptsFor(parsed, replay);
    const m = parsed.migration;
    if (!select(m)) {
      // Replayed: up only, no rows, no snapshots. What the guard refuses is left out, as when rehearsed.
      if (!halted && !refusal('up', scripts.up)) {
        const failed = await replayUp(engine, scripts, state).catch((e) => `rehearsal: ${errorMessage(e)}`);
        if (failed) halted = `migration ${m.id} before it does not apply (replayed up only: ${failed})`;
        applied.push(scripts);
      } else if (!halted) refusedBefore = m.id;
      for (const op of parsed.up) replay.apply(op, m.id);
      replayed++;
      await compact(engine);
      options.onProgress?.(index + 1, last + 1, m.id);
      continue;
    }
    const result: MigrationRehearsal = {
      id: m.id,
      path: m.path,
      files: m.files,
      up: 'skipped',
      upSource: scripts.upSource,
      down: scripts.down ? 'skipped' : 'missing',
      downSource: scripts.downSource,
      reup: 'skipped',
      schemaRestored: null,
      schemaDiff: [],
      lostData: [],
      lostNewData: [],
      error: null,
      skipped: halted,
      notes: [...scripts.up.skipped, ...(scripts.down?.skipped ?? [])],
      ms: 0,
      timings: { up: null, down: null, reup: null },
      locks: null,
      lockMismatches: [],
    };
    if (scripts.noDown) result.notes.push(scripts.noDown);
    results.push(result);
    const upRefused = halted ? null : refusal('up', scripts.up);
    const downRefused = halted || upRefused || !scripts.down ? null : refusal('down', scripts.down);
    if (upRefused) {
      // Nothing of it runs; the migrations after it are rehearsed without what it would have made.
      result.skipped = upRefused;
      refusedBefore = m.id;
    } else if (!halted) {
      for (const name of extensionsCreated([parsed])) {
        const why = missingExtensions.get(name);
        if (why) result.notes.push(why);
      }
      result.skipped = downRefused;
      state.empty = (m.rollbackGroup && madeInGroup.get(m.rollbackGroup)) || new Set();
      const runnable = downRefused ? { ...scripts, down: null } : scripts;
      const outcome = await rehearseOne(engine, runnable, result, state, { standIns, applied }, { before: replay, up: parsed.up }).catch(
        (e): Outcome => {
          // twoway's own statements (fill, snapshot) failed on something it did not foresee: say so, carry on.
          result.error = `rehearsal: ${errorMessage(e)}`;
          return 'unknown-state';
        },
      );
      if (outcome === 'up-failed') {
        halted = `migration ${m.id} before it does not apply, not even to empty tables${result.error?.endsWith(NEWER_SERVER) ? `: it needs a PostgreSQL newer than ${engine.serverVersion}` : ''}`;
        if (refusedBefore) result.notes.push(`migration ${refusedBefore} before was not rehearsed: this up ran without what it makes`);
      } else if (outcome === 'unknown-state') {
        // The down or re-up left a state no migration describes: rebuild "after this up" from scratch.
        state.filled.clear();
        state.schema = null;
        const rebuilt = await rebuild(engine, { standIns, applied: [...applied, scripts] });
        if (rebuilt) halted = `could not rebuild the database after migration ${m.id}: ${rebuilt}`;
      }
      applied.push(scripts);
    }
    for (const op of parsed.up) replay.apply(op, m.id);
    if (m.rollbackGroup) {
      const made = madeInGroup.get(m.rollbackGroup) ?? new Set<string>();
      for (const op of parsed.up) if (op.kind === 'CreateTable') made.add(`${op.table.schema ?? 'public'}.${op.table.name}`);
      madeInGroup.set(m.rollbackGroup, made);
    }
    await compact(engine);
    result.ms = performance.now() - started;
    options.onProgress?.(index + 1, last + 1, m.id);
  }
  return { rehearsals: results, replayed };
}

/** Between migrations: what the engine can give back (engine.compact). Never a failure of the run. */
async function compact(engine: Engine): Promise<void> {
  await engine.compact?.().catch(() => {});
}

/**
 * An up applied without rehearsing it. On rows an earlier rehearsal left it may fail where the
 * framework, on the real data, might not: then once more on empty tables. The error, if it fails on those too.
 */
async function replayUp(engine: Engine, scripts: MigrationScripts, state: RunState): Promise<string | null> {
  const schema = state.schema;
  state.schema = null;
  try {
    await runScript(engine, scripts.up);
    return null;
  } catch (e) {
    if (!state.filled.size || (e instanceof ScriptError && e.partial)) return errorMessage(e);
    await emptyTables(engine, fillableTables(schema ?? (await snapshotSchema(engine))));
    state.filled.clear();
    try {
      await runScript(engine, scripts.up);
      return null;
    } catch (again) {
      return errorMessage(again);
    }
  }
}

/**
 * What a framework's PostgreSQL driver creates before it runs anything: golang-migrate's (harbor's
 * 0030 adds a column to it), diesel's (lemmy's 2025-08-01-000017 puts a trigger on it).
 */
const FRAMEWORK_TABLES: Partial<Record<string, string>> = {
  'golang-migrate': 'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)',
  diesel:
    'CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version varchar(50) PRIMARY KEY NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)',
};

/** The extensions a history's ups and downs create, by name. */
function extensionsCreated(history: readonly ParsedMigration[]): Set<string> {
  const names = new Set<string>();
  for (const parsed of history)
    for (const op of [...parsed.up, ...(parsed.down ?? [])])
      if (op.kind === 'Raw' && op.object?.type === 'extension' && op.object.action === 'create') names.add(op.object.name);
  return names;
}

/**
 * Loads what the engine can of the extensions the history creates (PGlite's contrib modules) and
 * says, per extension it does not have, why the migration creating it will fail.
 */
async function prepareExtensions(engine: Engine, history: readonly ParsedMigration[]): Promise<Map<string, string>> {
  const wanted = [...extensionsCreated(history)];
  if (!wanted.length) return new Map();
  await engine.loadExtensions?.(wanted);
  const available = new Set(
    (await engine.query<{ name: string }>('SELECT name FROM pg_available_extensions WHERE name = ANY($1)', [wanted])).map((r) => r.name),
  );
  const where = engine.kind === 'pglite' ? `PGlite ${engine.serverVersion}` : `this PostgreSQL ${engine.serverVersion} server`;
  const advice =
    engine.kind === 'pglite'
      ? 'rehearse on a server that has it (--database-url postgres://…)'
      : 'install it on the server, or use one that has it';
  return new Map(
    wanted
      .filter((n) => !available.has(n))
      .map((n) => [
        n,
        `extension ${n} is not available on ${where}: ${advice}; the migrations after the one creating it cannot be rehearsed here`,
      ]),
  );
}

/** "up: COPY … TO PROGRAM runs a shell command on the database server (db/1_x.up.sql:3); --allow-outside-effects runs it" */
function describeRefusal(part: 'up' | 'down', script: Script, effect: OutsideEffect): string {
  const where = script.origin
    ? ` (${script.origin.path}:${script.origin.startLine + script.text.slice(0, effect.offset).split('\n').length - 1})`
    : ' (in the SQL twoway emits for it)';
  const what = `${part}: ${effect.statement} ${effect.reason}${where}`;
  return effect.always ? what : `${what}; --allow-outside-effects runs it`;
}

type Outcome = 'after-up' | 'up-failed' | 'unknown-state';

/** What one migration's rehearsal leaves the next. */
interface RunState {
  /** Tables holding synthetic rows already (kept unless the migration touches them). */
  filled: Set<string>;
  /**
   * Tables that hold no rows when this migration runs: made by an earlier version of its rollback group (pop
   * runs a group's versions one after another, so no application writes between them). Never filled.
   */
  empty: ReadonlySet<string>;
  /** The schema as it stands, when known without asking the catalog again. */
  schema: SchemaSnapshot | null;
  /**
   * Columns written with another type's text once an up showed it reads them as that type: kept for
   * the migrations after it, which meet the index or column type that up made.
   */
  fitted: Map<string, FittedType>;
}

/**
 * The rows an up meets, from the most demanding to none: every synthetic variant (extremes and NULLs
 * included), then two ordinary rows per table, then empty tables. An up that fails only on the first is
 * failing on twoway's extreme values (a note); one that fails on ordinary rows but applies on empty
 * tables fails on a table with rows (a finding), and the rest of its rehearsal runs on empty tables
 * so the schema moves on. Only an up that fails on empty tables too stops its set.
 */
type RowLevel = 'synthetic' | 'ordinary' | 'none';
const ROW_LEVELS: readonly RowLevel[] = ['synthetic', 'ordinary', 'none'];
/** How many times one up is retried with columns given another type's text before the failure counts as the migration's. */
const MAX_FITTED = 4;

/** The text columns holding the value an up failed to parse as another type, not yet fitted. */
function columnsToFit(message: string, data: DataSnapshot, schema: SchemaSnapshot, fitted: ReadonlyMap<string, ValueType>): string[] {
  const failure = castFailure(message);
  // An empty value is in every text column's smallest row: the simpler rows come next anyway.
  if (!failure?.value.trim()) return [];
  const text = new Set(
    schema.tables.flatMap((t) => t.columns.filter((c) => c.gen.category === 'S').map((c) => `${tableKey(t)}.${c.name}`)),
  );
  return columnsHolding(data, failure, text).filter((c) => !fitted.has(c));
}

/**
 * An up that failed on an empty piece of fitted text (`split_part(num, '.', 2)::int` of `1`) cuts the
 * text before reading it: the fitted columns are written in as many pieces as it asks for. Returns them.
 */
function columnsToPiece(message: string, sql: string, fitted: Map<string, FittedType>): string[] {
  const failure = castFailure(message);
  if (!failure || failure.value.trim() || failure.prefix) return [];
  const pieces = splitPieces(sql).filter((p) => p.field > 1);
  if (!pieces.length) return [];
  const out: string[] = [];
  for (const [column, type] of fitted) {
    if (type.pieces?.length) continue;
    fitted.set(column, { ...type, pieces });
    out.push(column);
  }
  return out;
}

function fittedNote(columns: readonly string[], type: string): string {
  return `the up reads ${columns.map(displayName).join(', ')} as ${type}, and twoway's generated text there was not ${type}: the data's fault, not the migration's; rehearsed with ${type} text in ${columns.length === 1 ? 'that column' : 'those columns'}`;
}

/** What check's lock prediction starts from: the replayed schema before the migration, and its up. */
interface Replayed {
  before: Schema;
  up: readonly Operation[];
}

/**
 * The locks of a script, observed in a transaction rolled back before the script runs for real (locks.ts).
 * An observation that fails on twoway's own queries is a note; only an engine that ended (PGlite after a
 * time-out) is the script's failure, as the ScriptError observeScript throws.
 */
async function observe(engine: Engine, script: Script, result: MigrationRehearsal): Promise<ScriptObservation | null> {
  if (engine.dialect !== 'postgresql' || engine.native) return null;
  try {
    return await observeScript(engine, script);
  } catch (e) {
    if (e instanceof ScriptError) throw e;
    result.notes.push(`locks not observed: ${errorMessage(e)}`);
    return null;
  }
}

/** Records an observation and what check would have said about the same statements. */
function recordLocks(
  engine: Engine,
  result: MigrationRehearsal,
  direction: 'up' | 'down',
  script: Script,
  observation: ScriptObservation | null,
  before: Schema,
  start: Schema,
): void {
  if (!observation) return;
  result.locks ??= { up: [], down: [] };
  result.locks[direction] = observation.locks;
  result.notes.push(...observation.notes.map((n) => `${direction}: ${n}`));
  const serverVersion = Number.parseInt(engine.serverVersion, 10) || 16;
  result.lockMismatches.push(...compareLocks(direction, script, observation, before, { start, serverVersion }));
}

async function rehearseOne(
  engine: Engine,
  scripts: MigrationScripts,
  result: MigrationRehearsal,
  state: RunState,
  history: History,
  replayed: Replayed,
): Promise<Outcome> {
  let before = state.schema ?? (await snapshotSchema(engine));
  state.schema = null;
  const touched = tablesTouched(scripts.ops);
  let dataBefore: DataSnapshot = new Map();
  let compared = new Set<string>();
  let firstError: string | null = null;
  let firstState: string | undefined;
  let upOn: RowLevel | null = null;
  let upObservation: ScriptObservation | null = null;
  const fitted = state.fitted;
  let levelIndex = 0;
  for (let attempt = 0; levelIndex < ROW_LEVELS.length && attempt < ROW_LEVELS.length + MAX_FITTED; attempt++) {
    const level = ROW_LEVELS[levelIndex] as RowLevel;
    if (level === 'synthetic') {
      const unwritten = fillableTables(before).filter((t) => state.empty.has(tableKey(t)));
      if (unwritten.length) await emptyTables(engine, unwritten);
      const scope = fillScope(before, touched, state.filled).filter((t) => !state.empty.has(tableKey(t)));
      const refused = await fillTables(engine, scope, undefined, fitted);
      for (const key of touched ?? []) state.filled.delete(key);
      for (const t of scope) state.filled.add(tableKey(t));
      compared = new Set(scope.map(tableKey));
      dataBefore = await snapshotData(engine, before, compared);
      result.notes = result.notes.filter((n) => !n.startsWith('no synthetic row fits '));
      for (const [table, data] of dataBefore) {
        if (!data.rows.length) result.notes.push(`no synthetic row fits ${displayName(table)}: ${refused.get(table) ?? 'unknown reason'}`);
      }
    } else {
      // Every table, not only those in scope: the up may read any of them (an UPDATE … FROM, a function).
      const tables = fillableTables(before).filter((t) => !state.empty.has(tableKey(t)));
      if (level === 'ordinary') await fillTables(engine, tables, ORDINARY_VARIANTS, fitted);
      else await emptyTables(engine, tables);
      state.filled = new Set(level === 'ordinary' ? tables.map(tableKey) : []);
      compared = new Set(level === 'ordinary' ? tables.map(tableKey) : []);
      dataBefore = await snapshotData(engine, before, compared);
    }
    let started = performance.now();
    try {
      upObservation = await observe(engine, scripts.up, result);
      started = performance.now();
      await runScript(engine, scripts.up);
      result.timings.up = performance.now() - started;
      upOn = level;
      break;
    } catch (e) {
      result.timings.up = performance.now() - started;
      const message = errorMessage(e);
      // The up parsed a column's generated text as another type: the same rows again, with that type's text there.
      const retry = level !== 'none' && !engine.native && attempt < MAX_FITTED;
      const fit = retry ? columnsToFit(message, dataBefore, before, fitted) : [];
      for (const column of fit) fitted.set(column, fittedType(castFailure(message)?.type ?? 'text'));
      if (fit.length) result.notes.push(fittedNote(fit, castFailure(message)?.type ?? ''));
      const pieced = retry && !fit.length ? columnsToPiece(message, scripts.up.text, fitted) : [];
      if (pieced.length) {
        result.notes.push(
          `the up cuts ${pieced.map(displayName).join(', ')} into pieces before reading them: rehearsed with text of ${pieced.length === 1 ? 'that column' : 'those columns'} in as many pieces`,
        );
        fit.push(...pieced);
      }
      if (!fit.length && firstError === null) {
        firstError = message;
        firstState = e instanceof ScriptError ? e.sqlState : undefined;
      }
      // Half applied (statement by statement) or timed out: back to the state before the up, without rows.
      if (e instanceof ScriptError && e.partial && (fit.length || level !== ROW_LEVELS.at(-1))) {
        const rebuilt = await rebuild(engine, history);
        if (rebuilt) throw new Error(`could not rebuild the database before migration ${result.id}: ${rebuilt}`);
        state.filled.clear();
        before = await snapshotSchema(engine);
      }
      if (!fit.length) levelIndex++;
    }
  }
  if (upOn === null) {
    result.up = 'failed';
    result.error = `up: ${firstError}${needsNewerServer(engine, firstState, scripts.up) ? `; ${NEWER_SERVER}` : ''}`;
    return 'up-failed';
  }
  recordLocks(engine, result, 'up', scripts.up, upObservation, replayed.before, replayed.before);
  if (upOn === 'synthetic') result.up = 'ok';
  else if (upOn === 'ordinary') {
    result.up = 'ok';
    result.notes.push(
      `the up fails only on twoway's extreme synthetic rows (largest, smallest, NULL values): ${firstError}; rehearsed on ordinary rows`,
    );
  } else {
    result.up = 'failed-with-rows';
    result.error = `up fails on a table with rows: ${firstError}`;
    result.notes.push('the up applies to empty tables: its down and re-up were rehearsed without rows');
  }
  if (!scripts.down) return 'after-up';

  const afterUp = await snapshotSchema(engine);
  const newShape = await writeNewShapeRows(engine, before, afterUp, fitted);
  let downStarted = performance.now();
  try {
    const downObservation = await observe(engine, scripts.down, result);
    downStarted = performance.now();
    await runScript(engine, scripts.down);
    result.timings.down = performance.now() - downStarted;
    result.down = 'ok';
    if (downObservation) {
      const afterUpSchema = replayed.before.clone();
      for (const op of replayed.up) afterUpSchema.apply(op, result.id);
      recordLocks(engine, result, 'down', scripts.down, downObservation, afterUpSchema, replayed.before);
    }
  } catch (e) {
    result.timings.down = performance.now() - downStarted;
    result.down = 'failed';
    result.error = joinErrors(result.error, `down: ${errorMessage(e)}`);
    if (e instanceof ScriptError && !e.partial) {
      state.schema = afterUp;
      return 'after-up';
    }
    return 'unknown-state';
  }

  const afterDown = await snapshotSchema(engine);
  const differences = diffSchema(before, afterDown);
  result.schemaDiff = differences.filter((d) => !isOrderOnly(d));
  for (const d of differences.filter(isOrderOnly)) result.notes.push(describeDifference(d));
  result.schemaRestored = result.schemaDiff.length === 0;
  result.lostData = diffData(dataBefore, await snapshotData(engine, afterDown, compared)).map((l) => ({
    ...l,
    table: displayName(l.table),
  }));
  result.lostNewData = (await lostNewShapeValues(engine, newShape.written, afterDown)).map((l) => ({ ...l, table: displayName(l.table) }));

  // An up that fails on rows meets none again: the re-up proves it applies after its down.
  if (upOn === 'none') await emptyTables(engine, fillableTables(afterDown));
  const reupStarted = performance.now();
  try {
    await runScript(engine, scripts.up);
    result.timings.reup = performance.now() - reupStarted;
    result.reup = 'ok';
    // The same up on the same schema gives the same schema: the next migration starts from afterUp.
    if (result.schemaRestored) {
      state.schema = afterUp;
      return 'after-up';
    }
    // From a schema the down did not restore, the re-up may reach another one (what the down left
    // behind, a column it did not re-add): only the state the history describes is carried on.
    const afterReup = await snapshotSchema(engine);
    return diffSchema(afterUp, afterReup).some((d) => !isOrderOnly(d)) ? 'unknown-state' : 'after-up';
  } catch (e) {
    result.timings.reup = performance.now() - reupStarted;
    result.reup = 'failed';
    result.error = joinErrors(result.error, `re-up: ${errorMessage(e)}`);
    return 'unknown-state';
  }
}

function joinErrors(first: string | null, next: string): string {
  return first ? `${first}; ${next}` : next;
}

/** What rebuilding the database up to a migration replays: the stand-ins for tables made elsewhere, then the ups. */
interface History {
  standIns: readonly string[];
  applied: readonly MigrationScripts[];
}

const NEWER_SERVER = "a newer PostgreSQL's grammar (the parser twoway reads migrations with) accepts this up: the server's is older";

/**
 * A syntax error from a server whose grammar is older than libpg-query's, on an up that parser reads
 * (a subquery in FROM without an alias is PostgreSQL 16+): the migration needs a newer server, it is not wrong.
 */
function needsNewerServer(engine: Engine, sqlState: string | undefined, up: Script): boolean {
  if (engine.dialect !== 'postgresql' || sqlState !== '42601') return false;
  try {
    parseSync(up.text);
    return true;
  } catch {
    return false;
  }
}

/** The last rebuild of an engine that can copy its database: what it replayed, and the copy of the result. */
interface Rebuilt {
  history: History;
  checkpoint: Checkpoint;
}
const lastRebuilt = new WeakMap<Engine, Rebuilt>();

/**
 * Empties the database and applies the given ups in order; returns the error that stopped it, if any.
 * Where the engine copies its database cheaply, a history that extends the last one rebuilt starts from
 * that copy (the same ups on the same empty start give the same database): failing ups then cost their
 * own replay, not the whole history's again (a SQLite history of 636 migrations rebuilds ~200 times).
 */
async function rebuild(engine: Engine, history: History): Promise<string | null> {
  const last = lastRebuilt.get(engine);
  lastRebuilt.delete(engine);
  let replayFrom = 0;
  if (last && engine.restore && startsWith(history, last.history)) {
    try {
      await engine.restore(last.checkpoint);
    } catch (e) {
      return `restoring the database failed: ${errorMessage(e)}`;
    }
    replayFrom = last.history.applied.length;
  } else {
    try {
      await engine.reset();
    } catch (e) {
      return `emptying the database failed: ${errorMessage(e)}`;
    }
    try {
      for (const sql of history.standIns) await engine.exec(sql);
    } catch (e) {
      return `creating the stand-in tables failed: ${errorMessage(e)}`;
    }
  }
  for (const s of history.applied.slice(replayFrom)) {
    try {
      await runScript(engine, s.up);
    } catch (e) {
      return errorMessage(e);
    }
  }
  if (engine.checkpoint)
    lastRebuilt.set(engine, { history: { ...history, applied: [...history.applied] }, checkpoint: await engine.checkpoint() });
  return null;
}

/** True when `history` replays `earlier` (the same stand-ins, the same ups first) and maybe more. */
function startsWith(history: History, earlier: History): boolean {
  if (history.standIns !== earlier.standIns || history.applied.length < earlier.applied.length) return false;
  return earlier.applied.every((s, i) => history.applied[i] === s);
}
