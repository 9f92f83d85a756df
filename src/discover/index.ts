// Finds migration sets under the given paths and hands each folder to the framework adapters.
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Folder, MigrationSet } from '../frameworks/adapter.js';
import { adapters } from '../frameworks/index.js';
import type { Dialect } from '../ir.js';
import type { ReadError } from '../migration.js';

/** Folders that never hold a project's own migrations. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'target',
  'vendor',
  '.venv',
  'venv',
  '__pycache__',
  'coverage',
]);

export interface Discovery {
  sets: MigrationSet[];
  errors: ReadError[];
}

export interface DiscoverOptions {
  cwd?: string;
  dialect?: Dialect;
  /** Paths (relative to cwd) to leave out: from the config's `ignore`. */
  isIgnored?: (relPath: string) => boolean;
}

export function discover(paths: readonly string[], options: DiscoverOptions = {}): Discovery {
  const cwd = options.cwd ?? process.cwd();
  const result: Discovery = { sets: [], errors: [] };
  const claimed = new Set<string>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      result.errors.push({ path: p, line: 0, column: 0, message: 'no such file or folder' });
      continue;
    }
    // A single file: discover its folder, keep only the migration that has this file.
    const start = isDir ? abs : dirname(abs);
    const before = result.sets.length;
    walk(start, cwd, options, result, claimed);
    if (!isDir) {
      const rel = relative(cwd, abs);
      for (const set of result.sets.slice(before)) set.migrations = set.migrations.filter((m) => m.files.includes(rel));
      result.sets = [...result.sets.slice(0, before), ...result.sets.slice(before).filter((s) => s.migrations.length)];
      if (result.sets.length === before)
        result.errors.push({ path: p, line: 0, column: 0, message: `not a migration of any supported framework (${basename(abs)})` });
    } else if (result.sets.length === before) {
      result.errors.push({ path: p, line: 0, column: 0, message: 'no migrations found in this folder' });
    }
  }
  return result;
}

function walk(abs: string, cwd: string, options: DiscoverOptions, result: Discovery, claimed: Set<string>): void {
  if (claimed.has(abs)) return;
  const rel = relative(cwd, abs) || '.';
  if (rel !== '.' && options.isIgnored?.(rel)) return;
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (e) {
    result.errors.push({ path: rel, line: 0, column: 0, message: `cannot read folder: ${(e as NodeJS.ErrnoException).code}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (options.isIgnored) entries = entries.filter((e) => !options.isIgnored?.(relative(cwd, resolve(abs, e.name))));
  const folder: Folder = { abs, rel, entries, configuredDialect: options.dialect };
  for (const adapter of adapters) {
    const found = adapter.detect(folder);
    if (!found) continue;
    result.errors.push(...found.errors);
    for (const set of found.sets) {
      result.sets.push(set);
      for (const c of set.claimed) claimed.add(c);
    }
    if (claimed.has(abs)) return;
  }
  for (const e of entries) {
    if (e.isDirectory() && !SKIPPED_FOLDERS.has(e.name) && !e.name.startsWith('.'))
      walk(resolve(abs, e.name), cwd, options, result, claimed);
  }
}
