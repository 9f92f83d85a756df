// For every migration in order: fill the tables, snapshot, up, write rows only the new schema
// allows, down, diff schema and data against the snapshot, up again. The database moves forward
// once: the state before migration N is the state its predecessor's re-up left.
import type { ParsedMigration } from '../migration.js';
import { Schema } from '../schema/schema.js';
import { emitPostgres } from '../sql/emit-postgresql.js';
import { displayName, type SchemaSnapshot, snapshotSchema, tableKey } from './catalog.js';
import { diffData, fillTables, type LostData, lostNewShapeValues, snapshotData, writeNewShapeRows } from './data.js';
import { type Engine, errorMessage } from './engine.js';
import { externalTableStandIns } from './external-tables.js';
import { type GuardOptions, guardFor, type OutsideEffect } from './guard/index.js';
import { diffSchema, type SchemaDifference } from './schema-diff.js';
import { fillScope, tablesTouched } from './scope.js';
import { type DownSource, type MigrationScripts, runScript, type Script, ScriptError, scriptsFor, type UpSource } from './scripts.js';

export interface MigrationRehearsal {
  id: string;
  path: string;
  files: string[];
  up: 'ok' | 'failed' | 'skipped';
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
  /** Wall time of this migration's rehearsal. */
  ms: number;
}

/** A migration fails rehearsal when it cannot be applied, its down fails or loses data, the schema drifts, or the up cannot be re-applied. */
export function rehearsalFailed(r: MigrationRehearsal): boolean {
  return (
    r.up === 'failed' ||
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

export interface HistoryOptions {
  /** Run statements that act outside the scratch database too (`--allow-outside-effects`). */
  allowOutsideEffects?: boolean;
}

/** Rehearses a history (one migration set, in framework order) on an engine whose database is empty. */
export async function rehearseHistory(
  engine: Engine,
  history: readonly ParsedMigration[],
  options: HistoryOptions = {},
): Promise<MigrationRehearsal[]> {
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
  const state: RunState = { filled: new Set(), schema: null };
  const applied: MigrationScripts[] = [];
  const results: MigrationRehearsal[] = [];
  let halted: string | null = null;
  for (const standIn of externalTableStandIns(history)) {
    const emitted = engine.native ? { ok: true, sql: engine.native.standInSql(standIn) } : emitPostgres(standIn);
    if (emitted.ok && emitted.sql) await engine.exec(emitted.sql);
  }
  for (const parsed of history) {
    const started = performance.now();
    const scripts = scriptsFor(parsed, replay);
    const m = parsed.migration;
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
      result.skipped = downRefused;
      const runnable = downRefused ? { ...scripts, down: null } : scripts;
      const outcome = await rehearseOne(engine, runnable, result, state).catch((e): Outcome => {
        // twoway's own statements (fill, snapshot) failed on something it did not foresee: say so, carry on.
        result.error = `rehearsal: ${errorMessage(e)}`;
        return 'unknown-state';
      });
      if (outcome === 'up-failed') {
        halted = `migration ${m.id} before it does not apply`;
        if (refusedBefore) result.notes.push(`migration ${refusedBefore} before was not rehearsed: this up ran without what it makes`);
      } else if (outcome === 'unknown-state') {
        // The down or re-up left a state no migration describes: rebuild "after this up" from scratch.
        state.filled.clear();
        state.schema = null;
        const rebuilt = await rebuild(engine, [...applied, scripts]);
        if (rebuilt) halted = `could not rebuild the database after migration ${m.id}: ${rebuilt}`;
      }
      applied.push(scripts);
    }
    for (const op of parsed.up) replay.apply(op, m.id);
    result.ms = performance.now() - started;
  }
  return results;
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
  /** The schema as it stands, when known without asking the catalog again. */
  schema: SchemaSnapshot | null;
}

async function rehearseOne(engine: Engine, scripts: MigrationScripts, result: MigrationRehearsal, state: RunState): Promise<Outcome> {
  const before = state.schema ?? (await snapshotSchema(engine));
  state.schema = null;
  const touched = tablesTouched(scripts.ops);
  const scope = fillScope(before, touched, state.filled);
  const refused = await fillTables(engine, scope);
  for (const key of touched ?? []) state.filled.delete(key);
  for (const t of scope) state.filled.add(tableKey(t));
  const compared = new Set(scope.map(tableKey));
  const dataBefore = await snapshotData(engine, before, compared);
  for (const [table, data] of dataBefore) {
    if (!data.rows.length) result.notes.push(`no synthetic row fits ${displayName(table)}: ${refused.get(table) ?? 'unknown reason'}`);
  }

  try {
    await runScript(engine, scripts.up);
    result.up = 'ok';
  } catch (e) {
    result.up = 'failed';
    result.error = `up: ${errorMessage(e)}`;
    return 'up-failed';
  }
  if (!scripts.down) return 'after-up';

  const afterUp = await snapshotSchema(engine);
  const newShape = await writeNewShapeRows(engine, before, afterUp);
  try {
    await runScript(engine, scripts.down);
    result.down = 'ok';
  } catch (e) {
    result.down = 'failed';
    result.error = `down: ${errorMessage(e)}`;
    if (e instanceof ScriptError && !e.partial) {
      state.schema = afterUp;
      return 'after-up';
    }
    return 'unknown-state';
  }

  const afterDown = await snapshotSchema(engine);
  result.schemaDiff = diffSchema(before, afterDown);
  result.schemaRestored = result.schemaDiff.length === 0;
  result.lostData = diffData(dataBefore, await snapshotData(engine, afterDown, compared)).map((l) => ({
    ...l,
    table: displayName(l.table),
  }));
  result.lostNewData = (await lostNewShapeValues(engine, newShape.written, afterDown)).map((l) => ({ ...l, table: displayName(l.table) }));

  try {
    await runScript(engine, scripts.up);
    result.reup = 'ok';
    // The same up on the same schema gives the same schema: the next migration starts from afterUp.
    if (result.schemaRestored) state.schema = afterUp;
    // What a down left behind (a temporary table of a rebuild) is no state the history describes: rebuild.
    return result.schemaDiff.some((d) => d.change === 'extra') ? 'unknown-state' : 'after-up';
  } catch (e) {
    result.reup = 'failed';
    result.error = `re-up: ${errorMessage(e)}`;
    return 'unknown-state';
  }
}

/** Empties the database and applies the given ups in order; returns the error that stopped it, if any. */
async function rebuild(engine: Engine, ups: readonly MigrationScripts[]): Promise<string | null> {
  await engine.reset();
  for (const s of ups) {
    try {
      await runScript(engine, s.up);
    } catch (e) {
      return errorMessage(e);
    }
  }
  return null;
}
