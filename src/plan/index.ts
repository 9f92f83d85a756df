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
import { ARCHIVE_SCHEMA, type Dialect, qnameText } from '../ir.js';
import type { Framework } from '../migration.js';
import { Schema } from '../schema/schema.js';
import { isTwoWay, needsPlan as needs } from './hint.js';
import type { PlanSizes } from './sizes.js';
import { type Archive, cleanupSteps, type PlanStep, planSteps } from './steps.js';

const needsPlan = (r: MigrationReport): boolean => needs(r, r.findings);

import type { PlannedFile, StopUsing, WriterOptions } from './writer-options.js';
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
  return withStatistics(options, async (sizes) => {
    const { result, before } = await checkWithSchemas(paths, options);
    const { set, report } = findMigration(result, target, cwd);
    return sizes(await planReport(set, report, before.get(report.parsed.migration.path), paths, options));
  });
}

/** Plans every one-way door among the migrations having one of `files` (paths relative to cwd): `--all --since`. */
export async function planAll(files: ReadonlySet<string>, paths: readonly string[], options: PlanOptions = {}): Promise<MigrationPlan[]> {
  return withStatistics(options, async (sizes) => {
    const { result, before } = await checkWithSchemas(paths, options, files);
    const plans: MigrationPlan[] = [];
    for (const { set, reports } of result.sets)
      for (const report of reports)
        if (needsPlan(report))
          plans.push(await sizes(await planReport(set, report, before.get(report.parsed.migration.path), paths, options)));
    return plans;
  });
}

/**
 * Runs `plan` with a function that adds the live database's sizes to a plan: with `databaseUrl`, through one
 * read-only session opened first (a URL that does not connect fails before any work) and closed at the end;
 * without one, the plan as it is.
 */
async function withStatistics<T>(
  options: PlanOptions,
  plan: (sizes: (p: MigrationPlan) => Promise<MigrationPlan>) => Promise<T>,
): Promise<T> {
  const url = options.databaseUrl;
  if (url === undefined) return plan(async (p) => p);
  const [{ openReadOnly }, { planSizes }] = await Promise.all([import('../stats/index.js'), import('./sizes.js')]);
  const session = await openReadOnly(url);
  try {
    if (session.dialect !== 'postgresql')
      throw new PlanError(
        '--database-url: twoway plan plans PostgreSQL migrations, so it reads the statistics of a PostgreSQL server (postgres://)',
      );
    return await plan(async (p) => (p.steps.length ? { ...p, sizes: await planSizes(session, url, p.steps, p.archives) } : p));
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
    files: [],
    replaces: [],
    proof: { checked: [], rehearsed: null, rehearsedOn: null, ok: true },
    written: [],
    archives: [],
  };
}

async function planReport(
  set: MigrationSet,
  report: MigrationReport,
  before: Schema | undefined,
  paths: readonly string[],
  options: PlanOptions,
): Promise<MigrationPlan> {
  const m = report.parsed.migration;
  const base = emptyPlan(report, needsPlan(report));
  if (!base.needed) return base;
  const writer = await writerFor(set.framework);
  if (!writer) throw new PlanError(`${m.path}: twoway plan does not write ${set.framework} migrations yet`);
  if (set.dialect !== 'postgresql')
    throw new PlanError(`${m.path}: twoway plan plans PostgreSQL migrations; this ${set.framework} set is ${set.dialect}`);
  const planned = planSteps(report.parsed.up, before ?? new Schema());
  const plan: MigrationPlan = {
    ...base,
    steps: planned.steps,
    unplanned: planned.unplanned,
    stopUsing: planned.stopUsing,
    folder: folderFor(writer, m),
    replaces: m.files,
    archives: planned.archives,
  };
  if (!planned.steps.length) return { ...plan, proof: { ...plan.proof, ok: false } };
  return writeAndProve(plan, writer, paths, options);
}

/** The plan's files from the framework's writer, and their proof in a copy of the project. */
async function writeAndProve(plan: MigrationPlan, writer: Writer, paths: readonly string[], options: PlanOptions): Promise<MigrationPlan> {
  const cwd = options.cwd ?? process.cwd();
  await writer.load?.();
  const now = options.writer?.now ?? new Date();
  let written: PlannedFile[];
  try {
    written = writer.files(resolve(cwd, plan.folder), plan.steps, {
      ...options.writer,
      now,
      ...(plan.replaces.length ? { replaces: resolve(cwd, plan.migration.path) } : {}),
      stopUsing: plan.stopUsing,
    });
  } catch (e) {
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
