// The baseline: a committed file recording the findings of an existing history, so that the first run
// on an old repo reports only what is new (ESLint's suppressions file, detekt's and PHPStan's baselines).
// An entry is matched by migration, rule, direction and a fingerprint of the code it points at: not by
// line, so editing a file above a finding does not bring it back.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { MigrationReport } from './analyze.js';
import type { CheckResult } from './check.js';
import type { Finding } from './findings.js';
import type { SourceText } from './migration.js';

export const BASELINE_FILE = 'twoway-baseline.json';

/** What a recorded finding says when the author gave no reason of their own. */
export const DEFAULT_REASON = 'present when the baseline was recorded';

export interface BaselineEntry {
  rule: string;
  /** The migration's own id, for people reading the file. */
  migration: string;
  /** The migration's path, relative to the baseline file's folder, with "/". */
  path: string;
  direction: 'up' | 'down';
  /** A hash of the rule, the direction and the code the finding points at (whitespace-insensitive). */
  fingerprint: string;
  /** Why the finding is accepted: edit it. */
  reason: string;
}

export interface Baseline {
  version: 1;
  /** Every migration of the history when it was recorded (paths as in entries): the rest are new. */
  migrations: string[];
  findings: BaselineEntry[];
}

/** What applying a baseline did, for the summary. */
export interface BaselineOutcome {
  /** The baseline file, as the user would name it (relative to the working directory). */
  file: string;
  /** Findings the baseline accepted in this run. */
  matched: number;
  /** Entries of migrations reported in this run that no finding matches any more (or whose migration is gone). */
  stale: BaselineEntry[];
}

// zod loads when a baseline is read, not at start-up.
const require = createRequire(import.meta.url);
let schema: ReturnType<typeof buildBaselineSchema> | undefined;

function buildBaselineSchema() {
  const { z } = require('zod') as typeof import('zod');
  const entrySchema = z.strictObject({
    rule: z.string().min(1),
    migration: z.string(),
    path: z.string().min(1),
    direction: z.enum(['up', 'down']),
    fingerprint: z.string().min(1),
    reason: z.string(),
  });
  const baselineSchema = z.strictObject({
    version: z.literal(1),
    migrations: z.array(z.string()),
    findings: z.array(entrySchema),
  });
  return baselineSchema;
}

/** A baseline file that cannot be used: the message names the file and what is wrong. */
export class BaselineError extends Error {}

export function parseBaseline(text: string, shown: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${shown}: not valid JSON: ${(e as Error).message}`);
  }
  schema ??= buildBaselineSchema();
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BaselineError(`${shown}: "${issue?.path.join('.') || '(top level)'}": ${issue?.message} (\`twoway baseline\` rewrites it)`);
  }
  return parsed.data;
}

/** Hygiene never decides a door: it is advice for migrations still being written, not for history. */
function recorded(f: Finding): boolean {
  return f.category !== 'hygiene' && !f.suppressed;
}

/**
 * Records `result`'s findings (hygiene left out: it is only reported for new migrations anyway). `dir`: the folder
 * the file goes in (absolute); `cwd`: what the result's paths are relative to. Reasons of `previous` entries that
 * still match are kept.
 */
export function createBaseline(result: CheckResult, dir: string, cwd: string, previous?: Baseline): Baseline {
  const reasons = new Map<string, string[]>();
  for (const e of previous?.findings ?? []) reasons.set(keyOf(e), [...(reasons.get(keyOf(e)) ?? []), e.reason]);
  const migrations: string[] = [];
  const findings: BaselineEntry[] = [];
  for (const r of result.sets.flatMap((s) => s.reports)) {
    const path = baselinePath(r.parsed.migration.path, dir, cwd);
    migrations.push(path);
    for (const f of r.findings.filter(recorded)) {
      const entry = { rule: f.rule, migration: r.parsed.migration.id, path, direction: f.direction, fingerprint: fingerprint(f, r) };
      const reason = reasons.get(keyOf(entry))?.shift() ?? DEFAULT_REASON;
      findings.push({ ...entry, reason });
    }
  }
  return { version: 1, migrations, findings };
}

export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/**
 * Marks the findings the baseline records as suppressed (kind "baseline", with the entry's reason), and hygiene
 * findings of migrations the baseline already knew; returns the result with `baseline` filled in. `file` is the
 * baseline's path as shown to the user; `dir` its folder (absolute).
 */
export function applyBaseline(result: CheckResult, baseline: Baseline, file: string, dir: string, cwd: string): CheckResult {
  const known = new Set(baseline.migrations);
  const byMigration = new Map<string, BaselineEntry[]>();
  for (const e of baseline.findings) byMigration.set(e.path, [...(byMigration.get(e.path) ?? []), e]);
  const unmatched = new Set(baseline.findings);
  let matched = 0;
  const sets = result.sets.map(({ set, reports, runnerSettings }) => ({
    set,
    runnerSettings,
    reports: reports.map((r) => {
      const path = baselinePath(r.parsed.migration.path, dir, cwd);
      const entries = (byMigration.get(path) ?? []).filter((e) => unmatched.has(e));
      const findings = r.findings.map((f): Finding => {
        if (f.suppressed) return f;
        if (f.category === 'hygiene')
          return known.has(path) ? { ...f, suppressed: { kind: 'baseline', reason: 'hygiene of a migration older than the baseline' } } : f;
        const print = fingerprint(f, r);
        const entry = entries.find((e) => unmatched.has(e) && e.rule === f.rule && e.direction === f.direction && e.fingerprint === print);
        if (!entry) return f;
        unmatched.delete(entry);
        matched++;
        return { ...f, suppressed: { kind: 'baseline', reason: entry.reason || DEFAULT_REASON } };
      });
      return { ...r, findings };
    }),
  }));
  // Stale: the migration was looked at and the finding is gone, or the migration's file is gone.
  const reported = new Set(result.sets.flatMap((s) => s.reports.map((r) => baselinePath(r.parsed.migration.path, dir, cwd))));
  const stale = [...unmatched].filter((e) => reported.has(e.path) || !existsSync(resolve(dir, e.path)));
  return { ...result, sets, baseline: { file, matched, stale } };
}

function baselinePath(path: string, dir: string, cwd: string): string {
  return relative(dir, resolve(cwd, path)).split('\\').join('/');
}

function keyOf(e: Pick<BaselineEntry, 'rule' | 'path' | 'direction' | 'fingerprint'>): string {
  return `${e.path}\0${e.rule}\0${e.direction}\0${e.fingerprint}`;
}

/** The rule, the direction and the code at the finding's span, whitespace collapsed: stable when lines move. */
export function fingerprint(f: Finding, r: MigrationReport): string {
  const code = spanText(f, sourceOf(r, f.path)) ?? f.message;
  const normalized = code.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${f.rule}\0${f.direction}\0${normalized}`).digest('hex').slice(0, 16);
}

function sourceOf(r: MigrationReport, path: string): SourceText | undefined {
  const m = r.parsed.migration;
  return [m.up, m.down].find((s) => s?.path === path) ?? undefined;
}

function spanText(f: Finding, source: SourceText | undefined): string | null {
  if (!source) return null;
  const lines = source.text.split('\n');
  const first = f.span.line - source.startLine;
  const last = f.span.endLine - source.startLine;
  if (first < 0 || first >= lines.length) return null;
  return lines.slice(first, Math.max(first, last) + 1).join('\n');
}

/**
 * The folder a run's baseline belongs to when no config names one: the current directory when every path argument
 * is inside it (or none is given), else the folder of the first argument outside it (`twoway check /srv/app` run
 * from elsewhere is about /srv/app).
 */
export function projectFolder(cwd: string, folders: readonly string[]): string {
  const outside = folders.find((d) => {
    const rel = relative(cwd, d);
    return rel.startsWith('..') || isAbsolute(rel);
  });
  return outside ?? cwd;
}

/**
 * The baseline that applies: `explicit` (--baseline), else twoway-baseline.json beside the config, else the nearest
 * one from the project folder up to the root of the git repository holding it (only the folder itself outside one).
 */
export function findBaselineFile(cwd: string, where: { configRoot?: string; project?: string; explicit?: string }): string | null {
  if (where.explicit) return resolve(cwd, where.explicit);
  if (where.configRoot && existsSync(join(where.configRoot, BASELINE_FILE))) return join(where.configRoot, BASELINE_FILE);
  for (const dir of upToRepositoryRoot(where.project ?? cwd)) if (existsSync(join(dir, BASELINE_FILE))) return join(dir, BASELINE_FILE);
  return null;
}

/** `start` and the folders above it up to the one holding `.git`; only `start` when no folder above holds one. */
function upToRepositoryRoot(start: string): string[] {
  const dirs: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    dirs.push(dir);
    if (existsSync(join(dir, '.git'))) return dirs;
    if (dirname(dir) === dir) return [resolve(start)];
  }
}
