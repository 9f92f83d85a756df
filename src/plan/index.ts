// `twoway plan` as a library call: find the migration, plan its one-way operations as steps, write them in the
// framework's files, and prove them (re-checked by `check`, rehearsed with `verify`) in a copy of the project.
// Nothing the user owns is written unless `write` is asked and the proof holds.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { MigrationReport } from '../analyze.js';
import { type CheckOptions, type CheckResult, check } from '../check.js';
import type { CodeRollback, DbRollback, Phase } from '../findings.js';
import type { MigrationSet } from '../frameworks/adapter.js';
import { adapterFor } from '../frameworks/index.js';
import { ARCHIVE_SCHEMA, type Dialect, type Operation, type QName, qnameKey, qnameText } from '../ir.js';
import type { Framework, Migration } from '../migration.js';
import { Schema } from '../schema/schema.js';
import { type Applied, appliedFromGit, appliedFromHistory } from './applied.js';
import { isTwoWay, needsPlan as needs } from './hint.js';
import type { PlanSizes } from './sizes.js';
import { type Archive, cleanupSteps, type PlanStep, planSteps } from './steps.js';
import { NoRoom } from './write-common.js';
import type { PlannedFile, StopUsing, WriterOptions } from './writer-options.js';

const needsPlan = (r: MigrationReport): boolean => needs(r, r.findings);

import { folderFor, type Writer, writerFor } from './writers.js';

/** The migration cannot be planned as asked: no such migration, an ambiguous one, a framework without a writer. */
export class PlanError extends Error {}

export interface PlanOptions extends Pick<CheckOptions, 'cwd' | 'dialect' | 'dialects' | 'serverVersion' | 'isIgnored' | 'runnerSettings'> {
  /** How new files are written: their language, the Rails version, Django's app label, the clock. */
  writer?: Pick<WriterOptions, 'language' | 'railsVersion' | 'appLabel' | 'now'>;
  /** Also rehearse the new steps (up, down, up with rows) on PGlite, or on `databaseUrl`. */
  verify?: boolean;
  /**
   * A live database: its table statistics, read through the read-only session (src/stats), give each plan's
   * `sizes` (archive costs, step durations); with `verify` the rehearsal runs on this server too, in a scratch database.
   */
  databaseUrl?: string;
  /** An engine the caller owns for `verify` (tests). */
  engine?: import('../rehearse/index.js').Engine;
  /** The git ref the branch is compared with (`--since`): a migration new since it has run in no release. */
  since?: string;
}

/** What `check` says of one new step's migration, and what keeps it from being the two-way door the plan promised. */
export interface StepProof {
  step: number;
  id: string;
  path: string;
  phase: Phase;
  declaredContract: boolean;
  codeRollback: CodeRollback;
  dbRollback: DbRollback;
  problems: string[];
}

export interface RehearsalProof {
  step: number;
  id: string;
  path: string;
  up: string;
  down: string;
  reup: string;
  problems: string[];
}

/**
 * Where the steps go among the set's migrations, and which schema they were planned on. The rule: the plan takes
 * the place of the original (unapplied, so the user deletes it). When migrations follow it, the steps are numbered
 * between it and the next one (timestamps, counters with a gap, Flyway's extra version part) or chained there
 * (Alembic: the last step takes its revision id; Django: the last step `replaces` it), planned on the schema before
 * it, and the later migrations run after the last step as they ran after the original. Where the names leave no
 * room (counters one apart), the steps go after the newest, planned on the schema the history leaves without the
 * original, and the later migrations now run before them: those that touch what the original changes are named.
 */
export interface Placement {
  /** `newest`: the original is the set's newest; `in-place`: in its place, before `later`; `after-newest`: after `later`. */
  mode: 'newest' | 'in-place' | 'after-newest';
  /** The migrations after the original (their up files), in the order the framework runs them. */
  later: string[];
  /** The schema the steps were planned on: the one before the original, or the one the history leaves without it. */
  plannedOn: 'before-original' | 'end-of-history';
  /** after-newest: why the steps could not take the original's place. */
  why?: string;
  /**
   * Later migrations that touch what the original changes (`table.column`, or `table` for a whole table): in place
   * they run after the last step, so they ship with its release or later; after the newest they run before the
   * steps, on the schema without the original's change.
   */
  dependents: Array<{ path: string; touches: string[] }>;
  /** Whether the original has run (see Applied): the user deletes it only when it has not. */
  applied?: Applied;
}

export interface MigrationPlan {
  migration: { id: string; path: string; files: string[]; framework: Framework; dialect: Dialect };
  verdict: { phase: Phase; codeRollback: CodeRollback; dbRollback: DbRollback };
  /** The migration is already a two-way door (expand, compatible, reversible). */
  twoWay: boolean;
  /** It is a one-way door, or takes a lock the plan knows the gentle form of: false means nothing to plan. */
  needed: boolean;
  steps: PlanStep[];
  /** Operations the engine has no safe sequence for, with why: the plan is partial while any is listed. */
  unplanned: string[];
  /** What the code must stop using before the first contract step. */
  stopUsing: StopUsing[];
  /** Folder the new migrations go in, relative to the working directory. */
  folder: string;
  /** Where the steps go among the set's migrations (see Placement). */
  placement: Placement;
  /** With `databaseUrl`: user triggers of the tables the UPDATE/DELETE steps write, as the live database has them. */
  liveTriggers?: Array<{ table: string; triggers: string[] }>;
  /** The new files (paths relative to the working directory), each with the step it belongs to. */
  files: Array<PlannedFile & { step: number }>;
  /** The original migration's files: the plan takes its place, so the user deletes them (twoway never does). */
  replaces: string[];
  proof: {
    /** Every new migration as `check` reads it in a copy of the project where the plan replaced the original. */
    checked: StepProof[];
    /** With `verify`: each new migration rehearsed; null when not asked. */
    rehearsed: RehearsalProof[] | null;
    rehearsedOn: string | null;
    ok: boolean;
  };
  /** Set by writePlan: the files written. */
  written: string[];
  /**
   * `--cleanup`: the archive tables (`twoway_archive.…`) the step drops, which plans' steps left in the set; the plan
   * goes after `migration`, the set's newest, and replaces nothing.
   */
  cleanup?: string[];
  /** The archive tables the steps create. */
  archives: Archive[];
  /** With `databaseUrl`: what the archives cost and how long the steps take on that database; absent without one. */
  sizes?: PlanSizes;
}

/** Plans the migration `target` names (its id, a unique prefix of it, its file name or path) among `paths`. */
export async function planMigration(target: string, paths: readonly string[], options: PlanOptions = {}): Promise<MigrationPlan> {
  const cwd = options.cwd ?? process.cwd();
  return withLive(options, async (live) => {
    const { result, before } = await checkWithSchemas(paths, options);
    const { set, report } = findMigration(result, target, cwd);
    return live.sizes(await planReport(set, report, before.get(report.parsed.migration.path), paths, options, live));
  });
}

/** Plans every one-way door among the migrations having one of `files` (paths relative to cwd): `--all --since`. */
export async function planAll(files: ReadonlySet<string>, paths: readonly string[], options: PlanOptions = {}): Promise<MigrationPlan[]> {
  return withLive(options, async (live) => {
    const { result, before } = await checkWithSchemas(paths, options, files);
    const plans: MigrationPlan[] = [];
    for (const { set, reports } of result.sets) {
      // Steps that go after the newest migration take the set's next free versions: two such plans would take the
      // same ones (or both chain from the same head), so only the first of a set can be written as it stands.
      let afterNewest: MigrationPlan | undefined;
      for (const report of reports) {
        if (!needsPlan(report)) continue;
        const plan = await live.sizes(await planReport(set, report, before.get(report.parsed.migration.path), paths, options, live));
        const goesAfterNewest = plan.steps.length > 0 && plan.placement.mode !== 'in-place';
        if (goesAfterNewest && afterNewest) plans.push(sharingVersions(plan, afterNewest));
        else {
          if (goesAfterNewest) afterNewest = plan;
          plans.push(plan);
        }
      }
    }
    return plans;
  });
}

/** `plan`, unwritable: its steps would take the versions `first`'s steps take after the newest migration. */
function sharingVersions(plan: MigrationPlan, first: MigrationPlan): MigrationPlan {
  return unwritable(
    plan,
    `its steps go after the newest migration, as ${first.migration.path}'s do, so both would take the same versions: write that plan first (and delete its original), then run twoway plan ${plan.migration.id} again`,
  );
}

/** `plan` failing its proof for `problem`, which no step has: it is not written. */
function unwritable(plan: MigrationPlan, problem: string): MigrationPlan {
  return { ...plan, proof: { ...plan.proof, ok: false, checked: [...plan.proof.checked, { ...blankProof(), problems: [problem] }] } };
}

/** What the live database (`databaseUrl`) tells a plan; without one, nothing. */
interface Live {
  /** The plan with its `sizes` (archive costs, step durations; for a clean-up, what it frees). */
  sizes(p: MigrationPlan): Promise<MigrationPlan>;
  /** User triggers of the tables `ops` UPDATE or DELETE, by table key (only tables that have some). */
  triggers(ops: readonly Operation[]): Promise<Map<string, string[]> | undefined>;
  /** What the database's history table says of `m`; null without a database or a history table twoway reads. */
  applied(set: MigrationSet, m: Migration): Promise<Applied | null>;
}

/**
 * Runs `plan` with what the live database tells it: with `databaseUrl`, through one read-only session opened first
 * (a URL that does not connect fails before any work) and closed at the end; without one, nothing.
 */
async function withLive<T>(options: PlanOptions, plan: (live: Live) => Promise<T>): Promise<T> {
  const url = options.databaseUrl;
  if (url === undefined) return plan({ sizes: async (p) => p, triggers: async () => undefined, applied: async () => null });
  const [{ openReadOnly, userTriggers }, { cleanupSizes, planSizes }, { appliedHistory }] = await Promise.all([
    import('../stats/index.js'),
    import('./sizes.js'),
    import('../rollback/history.js'),
  ]);
  const session = await openReadOnly(url);
  try {
    if (session.dialect !== 'postgresql')
      throw new PlanError(
        '--database-url: twoway plan plans PostgreSQL migrations, so it reads the statistics of a PostgreSQL server (postgres://)',
      );
    return await plan({
      sizes: async (p) => {
        if (!p.steps.length) return p;
        if (p.cleanup) return { ...p, sizes: await cleanupSizes(session, url, p.cleanup) };
        return { ...p, sizes: await planSizes(session, url, p.steps, p.archives) };
      },
      triggers: async (ops) => {
        const out = new Map<string, string[]>();
        const tables = new Map<string, QName>();
        for (const op of ops)
          if (op.kind === 'DataChange' && (op.action === 'update' || op.action === 'delete')) tables.set(qnameKey(op.table), op.table);
        for (const [key, table] of tables) {
          const names = await userTriggers(session, table);
          if (names?.length) out.set(key, names);
        }
        return out;
      },
      applied: async (set, m) => appliedFromHistory(await appliedHistory(session, set.framework, set.migrations), m),
    });
  } finally {
    await session.close();
  }
}

/**
 * `check` over `paths`, keeping a copy of the schema before each migration (by its path): every one, or with
 * `onlyFiles` only those having one of the files, which are then the ones reported.
 */
async function checkWithSchemas(
  paths: readonly string[],
  options: PlanOptions,
  onlyFiles?: ReadonlySet<string>,
): Promise<{ result: CheckResult; before: Map<string, Schema> }> {
  const before = new Map<string, Schema>();
  const result = await check(paths, {
    ...checkOptions(options),
    ...(onlyFiles ? { onlyFiles } : {}),
    schemaBefore: (p, schema) => {
      if (!onlyFiles || p.migration.files.some((f) => onlyFiles.has(f))) before.set(p.migration.path, schema.clone());
    },
  });
  return { result, before };
}

const checkOptions = (o: PlanOptions): CheckOptions => ({
  cwd: o.cwd,
  dialect: o.dialect,
  dialects: o.dialects,
  serverVersion: o.serverVersion,
  isIgnored: o.isIgnored,
  runnerSettings: o.runnerSettings,
});

/** The one migration `target` names: a path, an id, a file name without extension, or a unique prefix of an id or file name. */
export function findMigration(result: CheckResult, target: string, cwd: string): { set: MigrationSet; report: MigrationReport } {
  const all = result.sets.flatMap((s) => s.reports.map((report) => ({ set: s.set, report })));
  const abs = resolve(cwd, target);
  const byPath = all.filter(({ report: { parsed } }) =>
    [parsed.migration.path, ...parsed.migration.files, dirname(parsed.migration.path)].some((f) => resolve(cwd, f) === abs),
  );
  if (byPath.length === 1 && byPath[0]) return byPath[0];
  const names = (r: MigrationReport) => [r.parsed.migration.id, ...r.parsed.migration.files.map(stem)];
  const exact = all.filter(({ report }) => names(report).includes(target));
  const prefix = exact.length ? exact : all.filter(({ report }) => names(report).some((n) => n.startsWith(target)));
  const unique = [...new Map(prefix.map((m) => [m.report.parsed.migration.path, m])).values()];
  if (unique.length === 1 && unique[0]) return unique[0];
  if (!unique.length)
    throw new PlanError(`no migration is named ${JSON.stringify(target)} (give its id, file name or path; \`twoway check\` lists them)`);
  const shown = unique.slice(0, 5).map((m) => m.report.parsed.migration.path);
  throw new PlanError(
    `${JSON.stringify(target)} names ${unique.length} migrations: ${shown.join(', ')}${unique.length > 5 ? ', …' : ''}; give more of the name`,
  );
}

/** A migration file's name without its extensions (`0042_drop.up.sql` → `0042_drop`), or its folder's name for `up.sql`. */
function stem(file: string): string {
  let name = basename(file);
  for (let ext = extname(name); ext && /^\.(sql|rb|py|js|ts|cjs|mjs|up|down|postgres|mysql|sqlite3?|fizz)$/u.test(ext); ext = extname(name))
    name = name.slice(0, -ext.length);
  return ['up', 'down', 'migration', ''].includes(name) ? basename(dirname(file)) : name;
}

/** A plan for `report`'s migration with no steps yet, in its folder. */
function emptyPlan(report: MigrationReport, needed: boolean): MigrationPlan {
  const m = report.parsed.migration;
  return {
    migration: { id: m.id, path: m.path, files: m.files, framework: m.framework, dialect: m.dialect },
    verdict: { phase: report.phase, codeRollback: report.codeRollback, dbRollback: report.dbRollback },
    twoWay: isTwoWay(report),
    needed,
    steps: [],
    unplanned: [],
    stopUsing: [],
    folder: dirname(m.path),
    placement: { mode: 'newest', later: [], plannedOn: 'before-original', dependents: [] },
    files: [],
    replaces: [],
    proof: { checked: [], rehearsed: null, rehearsedOn: null, ok: true },
    written: [],
    archives: [],
  };
}

async function planReport(...args: Parameters<typeof placedPlan>): Promise<MigrationPlan> {
  const plan = await placedPlan(...args);
  if (plan.placement.applied?.state !== 'applied') return plan;
  return unwritable(
    plan,
    `${plan.migration.path} has already run (${plan.placement.applied.detail}): a plan takes the place only of a migration no database has run. Roll it back there with its down and plan again, or keep it and write what follows as new migrations`,
  );
}

/** The plan of `report`'s migration, in the original's place or after the newest, written and proven. */
async function placedPlan(
  set: MigrationSet,
  report: MigrationReport,
  before: Schema | undefined,
  paths: readonly string[],
  options: PlanOptions,
  live: Live,
): Promise<MigrationPlan> {
  const m = report.parsed.migration;
  const base = emptyPlan(report, needsPlan(report));
  if (!base.needed) return base;
  const writer = await writerFor(set.framework);
  if (!writer) throw new PlanError(`${m.path}: twoway plan does not write ${set.framework} migrations yet`);
  if (set.dialect !== 'postgresql')
    throw new PlanError(`${m.path}: twoway plan plans PostgreSQL migrations; this ${set.framework} set is ${set.dialect}`);
  const liveTriggers = await live.triggers(report.parsed.up);
  const applied = (await live.applied(set, m)) ?? appliedFromGit(m.files, options.cwd ?? process.cwd(), options.since);
  const at = set.migrations.findIndex((x) => x.path === m.path);
  const later = at < 0 ? [] : set.migrations.slice(at + 1).filter((x) => !writer.runsLast?.(x));
  const laterParsed = later.map((x) => adapterFor(x.framework).parse(x));
  const dependents = dependentsOf(report.parsed.up, laterParsed);
  const planOn = (schema: Schema, placement: Placement): MigrationPlan => {
    const planned = planSteps(report.parsed.up, schema, liveTriggers ? { liveTriggers } : {});
    return {
      ...base,
      steps: planned.steps,
      unplanned: planned.unplanned,
      stopUsing: planned.stopUsing,
      folder: folderFor(writer, m),
      placement,
      replaces: m.files,
      archives: planned.archives,
      ...(liveTriggers ? { liveTriggers: [...liveTriggers].map(([table, triggers]) => ({ table, triggers })) } : {}),
    };
  };
  const ofLater = { later: later.map((x) => x.path), dependents, applied };
  const next = later[0];
  let plan = planOn(before ?? new Schema(), { mode: next ? 'in-place' : 'newest', plannedOn: 'before-original', ...ofLater });
  if (!plan.steps.length) return { ...plan, proof: { ...plan.proof, ok: false } };
  if (!next) return writeAndProve(plan, writer, paths, options);
  try {
    return await writeAndProve(plan, writer, paths, options, {
      original: resolve(options.cwd ?? process.cwd(), m.path),
      next: resolve(options.cwd ?? process.cwd(), next.path),
    });
  } catch (e) {
    if (!(e instanceof NoRoom)) throw e;
    // No room in the original's place: after the newest, on the schema the later migrations leave without it.
    const end = (before ?? new Schema()).clone();
    for (const p of laterParsed) for (const op of p.up) end.apply(op, p.migration.id);
    plan = planOn(end, { mode: 'after-newest', plannedOn: 'end-of-history', why: e.message, ...ofLater });
    if (!plan.steps.length) return { ...plan, proof: { ...plan.proof, ok: false } };
    return writeAndProve(plan, writer, paths, options);
  }
}

/** The tables (`table`) and columns (`table.column`) an operation changes or names. */
function touched(op: Operation): { tables: string[]; columns: string[] } {
  const t = 'table' in op && op.table && typeof op.table === 'object' && 'name' in op.table ? (op.table as QName) : undefined;
  if (!t) return { tables: [], columns: [] };
  const table = qnameText(t);
  if (op.kind === 'CreateTable' || op.kind === 'DropTable') return { tables: [table], columns: [] };
  if (op.kind === 'RenameTable') return { tables: [table, qnameText({ ...t, name: op.newName })], columns: [] };
  const names: string[] = [];
  if ('column' in op) names.push(typeof op.column === 'string' ? op.column : op.column.name);
  if (op.kind === 'RenameColumn') names.push(op.newName);
  if (op.kind === 'AddIndex' || op.kind === 'DataChange') names.push(...op.columns);
  if (op.kind === 'AddConstraint') names.push(...op.constraint.columns);
  return { tables: [], columns: names.map((c) => `${table}.${c}`) };
}

/** Later migrations touching what `ops` change: a column both name, or a table one of them changes as a whole. */
function dependentsOf(
  ops: readonly Operation[],
  later: readonly { migration: Migration; up: readonly Operation[] }[],
): Placement['dependents'] {
  const mine = ops.map(touched);
  const tables = new Set(mine.flatMap((x) => x.tables));
  const columns = new Set(mine.flatMap((x) => x.columns));
  const tableOf = (c: string) => c.slice(0, c.lastIndexOf('.'));
  const columnTables = new Set([...columns].map(tableOf));
  const out: Placement['dependents'] = [];
  for (const p of later) {
    const hits = new Set<string>();
    for (const op of p.up) {
      const theirs = touched(op);
      for (const t of theirs.tables) if (tables.has(t) || columnTables.has(t)) hits.add(t);
      for (const c of theirs.columns) if (columns.has(c) || tables.has(tableOf(c))) hits.add(c);
    }
    if (hits.size) out.push({ path: p.migration.path, touches: [...hits].sort() });
  }
  return out;
}

/** The plan's files from the framework's writer, and their proof in a copy of the project. */
async function writeAndProve(
  plan: MigrationPlan,
  writer: Writer,
  paths: readonly string[],
  options: PlanOptions,
  slot?: WriterOptions['slot'],
): Promise<MigrationPlan> {
  const cwd = options.cwd ?? process.cwd();
  await writer.load?.();
  const now = options.writer?.now ?? new Date();
  let written: PlannedFile[];
  try {
    written = writer.files(resolve(cwd, plan.folder), plan.steps, {
      ...options.writer,
      now,
      ...(plan.replaces.length ? { replaces: resolve(cwd, plan.migration.path) } : {}),
      ...(slot ? { slot } : {}),
      stopUsing: plan.stopUsing,
    });
  } catch (e) {
    if (e instanceof NoRoom) throw e;
    // A writer throws when the folder cannot take the steps (two Alembic heads, a step it cannot write): the user's to fix.
    throw new PlanError(`${plan.migration.path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  plan.files = assignSteps(written, plan.steps).map((f) => ({ ...f, path: relative(cwd, f.path) }));
  plan.proof = await prove(plan, paths, options);
  return plan;
}

/**
 * `twoway plan --cleanup`: per set, one contract step after its newest migration dropping the `twoway_archive`
 * tables its migrations leave (plans' steps made them; a clean-up already written dropped them, so nothing is
 * planned twice). Proven like any plan, except that it is one-way on purpose: what its down cannot bring back is
 * the archives' rows, and only those.
 */
export async function planCleanup(paths: readonly string[], options: PlanOptions = {}): Promise<MigrationPlan[]> {
  return withLive(options, async (live) => {
    const plans: MigrationPlan[] = [];
    // One at a time: the session sends one statement at a time.
    for (const p of await cleanupPlans(paths, options)) plans.push(await live.sizes(p));
    return plans;
  });
}

async function cleanupPlans(paths: readonly string[], options: PlanOptions): Promise<MigrationPlan[]> {
  const { result, before } = await checkWithSchemas(paths, options);
  const plans: MigrationPlan[] = [];
  for (const { set, reports } of result.sets) {
    const last = reports.at(-1);
    if (!last || set.dialect !== 'postgresql') continue;
    // The schema the whole set leaves: before its newest migration, then that migration's up.
    const schema = before.get(last.parsed.migration.path)?.clone() ?? new Schema();
    for (const op of last.parsed.up) schema.apply(op, last.parsed.migration.id);
    const archives = [...schema.tables.values()]
      .filter((t) => t.name.schema === ARCHIVE_SCHEMA)
      .map((t) => ({
        table: qnameText(t.name),
        source: { name: t.name.name.split('__')[0] ?? t.name.name },
        columns: [...t.columns.keys()],
      }));
    if (!archives.length) continue;
    const writer = await writerFor(set.framework);
    if (!writer) throw new PlanError(`${last.parsed.migration.path}: twoway plan does not write ${set.framework} migrations yet`);
    // It replaces nothing, and drops archives without making any.
    const plan: MigrationPlan = {
      ...emptyPlan(last, true),
      steps: cleanupSteps(archives),
      folder: folderFor(writer, last.parsed.migration),
      placement: { mode: 'newest', later: [], plannedOn: 'end-of-history', dependents: [] },
      cleanup: archives.map((a) => a.table),
    };
    plans.push(await writeAndProve(plan, writer, paths, options));
  }
  return plans;
}

/** A clean-up's rows lost on its down are the archives' only. */
const isArchiveRow = (t: { table: string }): boolean => t.table.startsWith(`${ARCHIVE_SCHEMA}.`);
const onlyArchives = (tables: readonly { table: string }[]): boolean => tables.every(isArchiveRow);
/** After a clean-up's down (a no-op where the framework wants one), only the archives and their schema are missing. */
const archiveMissing = (d: { name: string; change: string }): boolean =>
  d.change === 'missing' && (d.name === ARCHIVE_SCHEMA || d.name.startsWith(`${ARCHIVE_SCHEMA}.`));

/**
 * Which step each file belongs to: writers emit a step's files together, in step order (one, or an up/down pair),
 * a sidecar right after the migration it configures.
 */
function assignSteps(files: readonly PlannedFile[], steps: readonly PlanStep[]): Array<PlannedFile & { step: number }> {
  if (files.every((f) => f.step !== undefined)) return files.map((f) => ({ ...f, step: f.step as number }));
  const migrations = files.filter((f) => !f.sidecar).length;
  const perStep = Math.max(1, Math.round(migrations / Math.max(1, steps.length)));
  let i = -1;
  return files.map((f) => {
    if (!f.sidecar) i++;
    return { ...f, step: Math.min(steps.length - 1, Math.floor(Math.max(0, i) / perStep)) };
  });
}

/** Folders a copy of the project leaves out: dependencies, VCS data, caches and build output. */
const NOT_COPIED = new Set(['node_modules', '.git', '.hg', '.venv', 'venv', '__pycache__', 'target', 'dist', 'build', '.cache']);

/**
 * In a copy of the working directory: delete the original, write the plan, run `check` (and with `verify`
 * `rehearse`) on the copy, and say for each new migration what keeps it from being the step the plan promised.
 */
async function prove(plan: MigrationPlan, paths: readonly string[], options: PlanOptions): Promise<MigrationPlan['proof']> {
  const cwd = options.cwd ?? process.cwd();
  // The proof runs in a copy of the working directory: a migration outside it would be deleted and written over
  // where it is, not in the copy.
  const outside = [...plan.replaces, ...plan.files.map((f) => f.path)].find((f) => isAbsolute(f) || f.split(sep)[0] === '..');
  if (outside)
    throw new PlanError(
      `${plan.migration.path} is outside the working directory ${cwd}: twoway plan proves a plan in a copy of the project it runs in, so run it from the project (cd ${dirname(resolve(cwd, plan.migration.path))})`,
    );
  const copy = mkdtempSync(join(tmpdir(), 'twoway-plan-'));
  try {
    cpSync(cwd, copy, { recursive: true, filter: (src) => !NOT_COPIED.has(basename(src)) || src === cwd });
    for (const f of plan.replaces) rmSync(join(copy, f), { force: true });
    for (const f of plan.files) {
      mkdirSync(dirname(join(copy, f.path)), { recursive: true });
      writeFileSync(join(copy, f.path), f.text);
    }
    const copyPaths = paths.map((p) => (isAbsolute(p) ? join(copy, relative(cwd, p)) : p));
    const mine = new Set(plan.files.map((f) => f.path.split(sep).join('/')));
    const stepOf = new Map(plan.files.map((f) => [f.path.split(sep).join('/'), f.step]));
    const codeSteps = new Set(plan.files.filter((f) => f.codeStep).map((f) => f.path.split(sep).join('/')));
    const result = await check(copyPaths, { ...checkOptions(options), cwd: copy, onlyFiles: mine });
    const reports = result.sets.flatMap((s) => s.reports).filter((r) => r.parsed.migration.files.some((f) => mine.has(f)));
    const checked = reports.map((r) => stepProof(r, plan.steps, stepOf, codeSteps, Boolean(plan.cleanup)));
    const seen = new Set(reports.flatMap((r) => r.parsed.migration.files));
    const problems = [
      ...placementProblems(plan, result),
      ...plan.files
        .map((f) => f.path.split(sep).join('/'))
        .filter((f, i) => !plan.files[i]?.sidecar && !seen.has(f))
        .map((f) => `${f}: check did not find this file as a migration of the set`),
      ...result.errors.filter((e) => mine.has(e.path)).map((e) => `${e.path}:${e.line}: ${e.message}`),
    ];
    let rehearsed: RehearsalProof[] | null = null;
    let rehearsedOn: string | null = null;
    if (options.verify) {
      const { notRehearsed, rehearsalFailed, rehearse } = await import('../rehearse/index.js');
      const run = await rehearse(copyPaths, { cwd: copy, onlyFiles: mine, engine: options.engine, databaseUrl: options.databaseUrl });
      rehearsedOn = run.engine;
      problems.push(...run.errors.map((e) => `${e.path}: ${e.message}`));
      rehearsed = run.migrations.map((r) => {
        const step = r.files.map((f) => stepOf.get(f)).find((s) => s !== undefined) ?? -1;
        const why: string[] = [];
        const lost = (l: typeof r.lostData) => l.map((x) => `${x.table}.${x.column} (${x.rows} rows)`).join(', ');
        // A clean-up's down cannot give the archives their rows back: that loss is the step's purpose.
        const cleanupLoss =
          plan.cleanup && !r.error && r.schemaDiff.every(archiveMissing) && onlyArchives(r.lostData) && r.lostNewData.every(isArchiveRow);
        if (rehearsalFailed(r) && !cleanupLoss)
          why.push(
            r.error ??
              (r.schemaDiff.length || r.schemaRestored === false
                ? 'the down does not restore the schema'
                : r.lostData.length
                  ? `the down loses data: ${lost(r.lostData)}`
                  : r.lostNewData.length
                    ? `the down loses values written after the up: ${lost(r.lostNewData)}`
                    : 'the rehearsal failed'),
          );
        else if (notRehearsed(r)) why.push(`not rehearsed: ${r.skipped ?? r.error}`);
        return { step, id: r.id, path: r.path, up: r.up, down: r.down, reup: r.reup, problems: why };
      });
    }
    const ok =
      problems.length === 0 &&
      checked.length > 0 &&
      checked.every((c) => c.problems.length === 0) &&
      (rehearsed ?? []).every((r) => r.problems.length === 0);
    if (problems.length) checked.push({ ...blankProof(), problems });
    return { checked, rehearsed, rehearsedOn, ok };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * In place, the new migrations must run where the original ran: after the one before it, before the next one (in
 * the copy's order, as the framework orders it). After the newest, no later migration may touch what the original
 * changes: it would now run before that change, on a schema it was not written for.
 */
function placementProblems(plan: MigrationPlan, result: CheckResult): string[] {
  const { mode, later, dependents } = plan.placement;
  const original = plan.migration.path;
  if (mode === 'after-newest')
    return dependents.map(
      (d) =>
        `${d.path} touches ${d.touches.join(', ')}, which ${original} changes: with the steps after the newest migration it would run before that change; move the change by hand (or free a version between ${original} and the next migration)`,
    );
  if (mode !== 'in-place' || !later[0]) return [];
  const mine = new Set(plan.files.filter((f) => !f.sidecar).map((f) => f.path.split(sep).join('/')));
  const order = result.sets.find((s) => s.set.migrations.some((m) => m.files.some((f) => mine.has(f))))?.set.migrations ?? [];
  const last = Math.max(-1, ...order.flatMap((m, i) => (m.files.some((f) => mine.has(f)) ? [i] : [])));
  // Versions order every migration; a graph (Alembic revisions, Django dependencies) only those that follow from it.
  const mustFollow = GRAPH_ORDERED.has(plan.migration.framework) ? dependents.map((d) => d.path) : [later[0]];
  return mustFollow
    .filter((path) => {
      const i = order.findIndex((m) => m.path === path);
      return i >= 0 && last > i;
    })
    .map((path) => `the new migrations do not all run before ${path}, as the original did`);
}

/** Frameworks that order migrations by a graph of parents, not by their names. */
const GRAPH_ORDERED: ReadonlySet<Framework> = new Set(['alembic', 'django']);

const blankProof = (): StepProof => ({
  step: -1,
  id: '',
  path: '',
  phase: 'unknown',
  declaredContract: false,
  codeRollback: 'unknown',
  dbRollback: 'unknown',
  problems: [],
});

/** What keeps a new migration from being the step it was planned as: an expand or declared contract, both rollbacks safe. */
function stepProof(
  r: MigrationReport,
  steps: readonly PlanStep[],
  stepOf: ReadonlyMap<string, number>,
  codeSteps: ReadonlySet<string>,
  cleanup = false,
): StepProof {
  const index = r.parsed.migration.files.map((f) => stepOf.get(f)).find((s) => s !== undefined) ?? -1;
  // A code step's migration only changes the framework's state: an expand, whatever step it comes before.
  const planned = r.parsed.migration.files.some((f) => codeSteps.has(f)) ? 'expand' : steps[index]?.phase;
  const problems: string[] = [];
  for (const e of r.parsed.errors) problems.push(`${e.path}:${e.line}: ${e.message}`);
  for (const u of r.unread) problems.push(`${u.span.path}:${u.span.line}: not read (${u.direction}): ${u.reason}`);
  for (const f of r.findings)
    if (f.rule === 'not-analyzed' || f.rule === 'concurrently-in-transaction') problems.push(`${f.path}:${f.line}: ${f.message}`);
  if (planned && r.phase !== planned) problems.push(`check reads it as ${r.phase}, planned as ${planned}`);
  if (planned === 'contract' && !r.declaredContract) problems.push('a contract step that does not declare itself one');
  if (r.codeRollback !== 'compatible') problems.push(`code rollback is ${r.codeRollback}`);
  // A clean-up drops the archives for good, on purpose: its down cannot be a way back, only its code rollback must be safe.
  if (r.dbRollback !== 'reversible' && !(cleanup && r.dbRollback === 'irreversible' && onlyArchiveDrops(r)))
    problems.push(`db rollback is ${r.dbRollback}`);
  return {
    step: index,
    id: r.parsed.migration.id,
    path: r.parsed.migration.path,
    phase: r.phase,
    declaredContract: r.declaredContract,
    codeRollback: r.codeRollback,
    dbRollback: r.dbRollback,
    problems,
  };
}

/** The migration's one-way reasons are drops of archive tables, and of their schema, only. */
function onlyArchiveDrops(r: MigrationReport): boolean {
  const oneWay = r.reasons.filter((x) => x.effect.dbRollback);
  return (
    oneWay.length > 0 &&
    oneWay.every(
      (x) =>
        (x.rule === 'drop-table' && x.message.startsWith(`Dropping table ${ARCHIVE_SCHEMA}.`)) ||
        (x.rule === 'drop-schema' && x.message.startsWith(`Schema ${ARCHIVE_SCHEMA} `)),
    )
  );
}

/** Writes a proven plan's files (never over an existing one); returns it with `written` set. */
export function writePlan(plan: MigrationPlan, cwd: string): MigrationPlan {
  if (!plan.proof.ok) throw new PlanError(`${plan.migration.path}: the plan failed its own proof, so it is not written`);
  for (const f of plan.files)
    if (existsSync(resolve(cwd, f.path))) throw new PlanError(`${f.path} already exists: twoway plan never overwrites a migration`);
  for (const f of plan.files) {
    mkdirSync(dirname(resolve(cwd, f.path)), { recursive: true });
    writeFileSync(resolve(cwd, f.path), f.text, { flag: 'wx' });
  }
  return { ...plan, written: plan.files.map((f) => f.path) };
}
