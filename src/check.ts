// `twoway check` as a library call: discover, parse, analyze. No output, no exit codes.
import { relative, resolve, sep } from 'node:path';
import { type AnalyzeOptions, analyzeHistory, type MigrationReport } from './analyze.js';
import type { BaselineOutcome } from './baseline.js';
import { CheckCache } from './cache.js';
import { type DiscoverOptions, discoverLoading } from './discover/index.js';
import { detectRunnerSettings, loadRunnerSettings, type RunnerSettings } from './discover/runner-settings.js';
import { listFiles } from './evidence/release.js';
import type { MigrationSet } from './frameworks/adapter.js';
import { adapterFor, loadAdapter, loadDiscovery } from './frameworks/index.js';
import { GitError } from './git.js';
import type { UsageOf } from './judge/judge.js';
import type { ParsedMigration, ReadError } from './migration.js';
import type { Schema } from './schema/schema.js';
import { seedSchema } from './schema/seed.js';
import { isPostgresParserLoaded, PostgresParserNotLoaded, refusedParses } from './sql/libpg.js';

export interface CheckOptions extends AnalyzeOptions, DiscoverOptions {
  /** Only report migrations having one of these files (paths relative to cwd): `--since`. */
  onlyFiles?: ReadonlySet<string>;
  /** The release running today, whose code is read from git as evidence for drops (src/evidence). */
  previousRelease?: { repo: string; ref: string; commit: string };
  /** Where `runnerSettings` comes from, as a report says it (the config file's name). */
  runnerSettingsSource?: string;
  /** Read the runner's lock_timeout / statement_timeout from the project's files (discover/runner-settings.ts); default true. */
  detectRunnerSettings?: boolean;
  /**
   * The folder of the check cache (src/cache.ts): sets whose migrations, options and twoway build are unchanged
   * since a run stored them are not parsed nor replayed again. Unset: no cache (the library's default).
   */
  cacheLocation?: string;
}

export interface CheckResult {
  sets: Array<{
    set: MigrationSet;
    reports: MigrationReport[];
    /** Timeouts in force from each migration's first statement: the config's, else what the project's files set. */
    runnerSettings?: RunnerSettings;
  }>;
  errors: ReadError[];
  /** Set by applyBaseline: what the baseline accepted and which of its entries are stale. */
  baseline?: BaselineOutcome;
}

export async function check(paths: readonly string[], options: CheckOptions = {}): Promise<CheckResult> {
  // A caller's own filter, seed or evidence function cannot be hashed: such runs are not cached.
  const cache =
    options.cacheLocation && !options.report && !options.seed && !options.usage && !options.schemaBefore
      ? new CheckCache(options.cacheLocation, options.cwd ?? process.cwd())
      : null;
  // libpg-query loads before discovery (which tells a set's dialect with its scanner) unless the cache remembers
  // the dialect markers of earlier runs: then a re-run on an unchanged repository may never load it at all.
  if (!cache?.loadMarkers()) await loadDiscovery();
  const discovery = await withParser(() => discoverLoading(paths, options));
  cache?.saveMarkers();
  const frameworks = [...new Set(discovery.sets.map((s) => s.framework))];
  await Promise.all([...frameworks.map(loadAdapter), ...frameworks.map(loadRunnerSettings)]);
  const errors: ReadError[] = [...discovery.errors];
  const keyOptions = {
    serverVersion: options.serverVersion ?? null,
    rules: options.rules ?? null,
    unknown: options.unknown ?? null,
    runnerSettings: options.runnerSettings ?? null,
    onlyFiles: options.onlyFiles ? [...options.onlyFiles].sort() : null,
    // A commit names the release's code for good: its evidence is the same on every run.
    previousRelease: options.previousRelease ? [options.previousRelease.repo, options.previousRelease.commit] : null,
  };
  // The timeouts the project's files set are part of what a set's reports depend on.
  const runner = await withParser(() => discovery.sets.map((set) => runnerSettingsOf(set, options)));
  const cached = discovery.sets.map((set, i) => {
    if (!cache) return null;
    const key = cache.keyOf(set, { ...keyOptions, detected: runner[i] ?? null });
    return { key, hit: cache.get(set, key) };
  });
  const misses = discovery.sets.filter((_, i) => !cached[i]?.hit);
  if (misses.length) await loadDiscovery();
  // The release's objects may be missing (a shallow clone): then there is no evidence, and the core rules answer.
  const usages =
    options.previousRelease && misses.length
      ? await releaseUsage(misses, options.previousRelease, options.cwd ?? process.cwd(), cache).catch((e) => {
          if (e instanceof GitError) return null;
          throw e;
        })
      : null;
  const sets = discovery.sets.map((set, i) => {
    const entry = cached[i];
    if (entry?.hit) {
      errors.push(...entry.hit.errors);
      return { set, runnerSettings: runner[i], reports: entry.hit.reports };
    }
    const setErrors: ReadError[] = [];
    const only = options.onlyFiles;
    const named = set.reportOnly ? new Set(set.reportOnly) : null;
    const report =
      only || named
        ? (p: ParsedMigration) =>
            (!only || p.migration.files.some((f) => only.has(f))) &&
            (!named || p.migration.files.some((f) => named.has(f))) &&
            (options.report?.(p) ?? true)
        : options.report;
    const history: ParsedMigration[] = set.migrations.map((m) => {
      const parsed = adapterFor(m.framework).parse(m);
      // Unreadable statements of migrations that are only replayed (--since, a single file) are not this run's news.
      if (!report || report(parsed)) setErrors.push(...parsed.errors);
      return parsed;
    });
    const usage = usages?.get(set) ?? options.usage;
    const runnerSettings = runner[i] ?? {};
    const settings = Object.fromEntries(Object.entries(runnerSettings).map(([name, s]) => [name, s.value]));
    const seed = options.seed ?? seedOf(set, history, setErrors);
    const reports = analyzeHistory(history, { ...options, report, usage, seed, runnerSettings: settings });
    errors.push(...setErrors);
    if (cache && entry) cache.set(set, entry.key, { reports, errors: setErrors });
    return { set, runnerSettings, reports };
  });
  return { sets, errors };
}

/**
 * Runs `fn` (which only reads files) again with libpg-query loaded if it needed the parser before it was loaded,
 * whether the refusal reached here or a `catch` on the way took it for unreadable SQL.
 */
async function withParser<T>(fn: () => T | Promise<T>): Promise<T> {
  if (isPostgresParserLoaded()) return fn();
  const refused = refusedParses();
  try {
    const value = await fn();
    if (refusedParses() === refused) return value;
  } catch (e) {
    if (!(e instanceof PostgresParserNotLoaded)) throw e;
  }
  await loadDiscovery();
  return fn();
}

/** For each set, what the release running today says, read from the application folder the set belongs to. */
async function releaseUsage(
  sets: readonly MigrationSet[],
  base: NonNullable<CheckOptions['previousRelease']>,
  cwd: string,
  cache: CheckCache | null,
): Promise<Map<MigrationSet, (parsed: ParsedMigration) => UsageOf | undefined>> {
  // Evidence reads Ruby, Python, JS and Prisma code: its readers load only when a release is read.
  const { applicationFolder, factsFromJson, factsToJson, readRelease, usageOf } = await import('./evidence/index.js');
  const inRepo = (p: string) => relative(base.repo, resolve(cwd, p)).split(sep).join('/');
  // A commit names its files and code for good: what was read of it is kept in the check cache, by commit.
  const filesPlace = ['release-files', base.repo];
  const filesKey = cache?.valueKey([base.repo, base.commit]) ?? '';
  const cachedFiles = cache?.getValue(filesPlace, filesKey);
  const files =
    Array.isArray(cachedFiles) && cachedFiles.every((p) => typeof p === 'string')
      ? (cachedFiles as string[])
      : listFiles(base.repo, base.commit, '').map((f) => f.path);
  if (cache && cachedFiles !== files) cache.setValue(filesPlace, filesKey, files);
  const known = new Set(files);
  const roots = sets.map((s) => inRepo(s.root));
  const read = async (folder: string) => {
    const place = ['release-facts', base.repo, folder, roots];
    const key = cache?.valueKey([base.repo, base.commit, folder, roots]) ?? '';
    const facts = cache ? factsFromJson(cache.getValue(place, key)) : null;
    if (facts) return { ref: base.ref, commit: base.commit, facts };
    const release = await readRelease({ repo: base.repo, ref: base.ref, commit: base.commit, folders: [folder], exclude: roots });
    cache?.setValue(place, key, factsToJson(release.facts));
    return release;
  };
  const byFolder = new Map<string, UsageOf>();
  const out = new Map<MigrationSet, (parsed: ParsedMigration) => UsageOf | undefined>();
  for (const set of sets) {
    const folder = applicationFolder(inRepo(set.root), (p) => known.has(p));
    let usage = byFolder.get(folder);
    if (!usage) {
      usage = usageOf(await read(folder));
      byFolder.set(folder, usage);
    }
    const found = usage;
    // A migration the release already had, it already ran: only the newer ones are judged against its code.
    out.set(set, (p) => (known.has(inRepo(p.migration.path)) ? undefined : found));
  }
  return out;
}

/** The config's settings win; detection fills in the others. */
function runnerSettingsOf(set: MigrationSet, options: CheckOptions): RunnerSettings {
  const detected = options.detectRunnerSettings === false ? {} : detectRunnerSettings(set, options.cwd ?? process.cwd());
  const configured = Object.entries(options.runnerSettings ?? {}).map(([name, value]) => [
    name,
    { value, source: options.runnerSettingsSource ?? 'options.runnerSettings' },
  ]);
  return { ...detected, ...Object.fromEntries(configured) };
}

/** The set's schema dump, for the tables its history never creates (squashed or partial histories). */
function seedOf(set: MigrationSet, history: readonly ParsedMigration[], errors: ReadError[]): Schema | undefined {
  const parseSeed = adapterFor(set.framework).parseSeed;
  if (!set.seed || !parseSeed) return undefined;
  const dump = parseSeed(set.seed, set.dialect);
  errors.push(...dump.errors);
  return seedSchema(dump.ops, history, dump.before ? 'before' : 'after');
}

/** Paths in reports are relative to the working directory. */
export function relativePath(cwd: string, abs: string): string {
  return relative(cwd, resolve(cwd, abs)) || '.';
}
