// `twoway check` as a library call: discover, parse, analyze. No output, no exit codes.
import { relative, resolve } from 'node:path';
import { type AnalyzeOptions, analyzeHistory, type MigrationReport } from './analyze.js';
import type { BaselineOutcome } from './baseline.js';
import { type DiscoverOptions, discover } from './discover/index.js';
import type { MigrationSet } from './frameworks/adapter.js';
import { adapterFor, loadAdapters } from './frameworks/index.js';
import type { ParsedMigration, ReadError } from './migration.js';
import type { Schema } from './schema/schema.js';
import { seedSchema } from './schema/seed.js';

export interface CheckOptions extends AnalyzeOptions, DiscoverOptions {
  /** Only report migrations having one of these files (paths relative to cwd): `--since`. */
  onlyFiles?: ReadonlySet<string>;
}

export interface CheckResult {
  sets: Array<{ set: MigrationSet; reports: MigrationReport[] }>;
  errors: ReadError[];
  /** Set by applyBaseline: what the baseline accepted and which of its entries are stale. */
  baseline?: BaselineOutcome;
}

export async function check(paths: readonly string[], options: CheckOptions = {}): Promise<CheckResult> {
  await loadAdapters();
  const discovery = discover(paths, options);
  const errors: ReadError[] = [...discovery.errors];
  const sets = discovery.sets.map((set) => {
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
      if (!report || report(parsed)) errors.push(...parsed.errors);
      return parsed;
    });
    return { set, reports: analyzeHistory(history, { ...options, report, seed: options.seed ?? seedOf(set, history, errors) }) };
  });
  return { sets, errors };
}

/** The set's schema dump, for the tables its history never creates (squashed or partial histories). */
function seedOf(set: MigrationSet, history: readonly ParsedMigration[], errors: ReadError[]): Schema | undefined {
  const parseSeed = adapterFor(set.framework).parseSeed;
  if (!set.seed || !parseSeed) return undefined;
  const dump = parseSeed(set.seed, set.dialect);
  errors.push(...dump.errors);
  return seedSchema(dump.ops, history);
}

/** Paths in reports are relative to the working directory. */
export function relativePath(cwd: string, abs: string): string {
  return relative(cwd, resolve(cwd, abs)) || '.';
}
