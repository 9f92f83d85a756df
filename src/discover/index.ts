// Finds migration sets under the given paths and hands each folder to the framework adapters.
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { Folder, MigrationSet } from '../frameworks/adapter.js';
import { AdapterNotLoaded, adapters } from '../frameworks/index.js';
import { isVersionFolder, joinVersionFolders } from '../frameworks/sql.js';
import { GrammarNotLoaded, loadGrammar } from '../frameworks/tree-sitter.js';
import type { Dialect } from '../ir.js';
import type { ReadError } from '../migration.js';
import { type ConfiguredDialect, settleBySiblings, settleDialect } from './dialect.js';

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
  /** The dialect of sets whose framework config, file names and folder do not say. */
  dialect?: Dialect;
  /** Where `dialect` comes from, as a report says it ("--dialect", "twoway.config.yaml dialect"). */
  dialectSource?: string;
  /** The config's `dialects`: folders whose sets are read in the dialect given, whatever else says. */
  dialects?: readonly ConfiguredDialect[];
  /** Paths (relative to cwd) to leave out: from the config's `ignore`. */
  isIgnored?: (relPath: string) => boolean;
}

/**
 * `discover`, loading the adapters and grammars its detectors ask for: a DSL framework's detector that meets a
 * folder of its framework before its reader is imported throws AdapterNotLoaded, one that meets a grammar not
 * loaded yet (Alembic and Django read Python to find their revisions) throws GrammarNotLoaded; it loads and
 * discovery starts again (it only reads files), at most once per adapter and grammar.
 */
export async function discoverLoading(paths: readonly string[], options: DiscoverOptions = {}): Promise<Discovery> {
  const loaded = new Set<string>();
  for (;;) {
    try {
      return discover(paths, options);
    } catch (e) {
      if (e instanceof AdapterNotLoaded && !loaded.has(e.framework)) {
        loaded.add(e.framework);
        await e.load();
      } else if (e instanceof GrammarNotLoaded && !loaded.has(e.grammarPackage)) {
        loaded.add(e.grammarPackage);
        await loadGrammar(e.grammarPackage);
      } else throw e;
    }
  }
}

/**
 * The names in each folder the walk listed during one `discover` call: the claimed folders' unused SQL files are
 * told from them instead of listing the folders again (a history of hundreds of folders).
 */
let listed = new Map<string, readonly string[]>();

export function discover(paths: readonly string[], options: DiscoverOptions = {}): Discovery {
  listed = new Map();
  try {
    return discoverPaths(paths, options);
  } finally {
    listed = new Map();
  }
}

function discoverPaths(paths: readonly string[], options: DiscoverOptions): Discovery {
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
    if (isDir) discoverFolder(abs, p, cwd, options, result, claimed);
    else discoverFile(abs, p, cwd, options, result);
  }
  for (const adapter of adapters) adapter.joinSets?.(result.sets, cwd);
  settleBySiblings(result.sets);
  result.errors = dedupe(result.errors);
  return result;
}

function discoverFolder(abs: string, arg: string, cwd: string, options: DiscoverOptions, result: Discovery, claimed: Set<string>): void {
  if (discoverMigrationFolder(abs, cwd, options, result)) return;
  const before = result.sets.length;
  const errorsBefore = result.errors.length;
  walk(abs, cwd, options, result, claimed, Number.POSITIVE_INFINITY);
  result.sets.splice(before, Number.POSITIVE_INFINITY, ...joinVersionFolders(result.sets.slice(before)));
  const found = result.sets.slice(before);
  reportUnusedSqlFiles(found, cwd, options, result);
  if (found.length || result.errors.length > errorsBefore) return;
  let empty = false;
  try {
    empty = readdirSync(abs).length === 0;
  } catch {}
  result.errors.push({
    path: arg,
    line: 0,
    column: 0,
    message: empty ? 'empty folder: no migrations to check' : 'no migrations found in this folder',
  });
}

/**
 * A folder that its parent's set claims as part of it, such as one migration of a folder-per-migration framework
 * (Diesel's `migrations/<version>_<name>/`, Prisma's `migrations/<name>/`) or a sub-folder of a Flyway location:
 * the parent's set is replayed whole and only the migrations with a file in this folder are reported, as for a
 * single file. Read alone, such a folder would look like plain SQL with the down running before the up.
 */
function discoverMigrationFolder(abs: string, cwd: string, options: DiscoverOptions, result: Discovery): boolean {
  const parent = dirname(abs);
  if (parent === abs) return false;
  const local: Discovery = { sets: [], errors: [] };
  // A version folder of a plain SQL history is one set with its siblings: they are read too.
  walk(parent, cwd, options, local, new Set(), isVersionFolder(basename(abs)) ? 1 : 0);
  local.sets = joinVersionFolders(local.sets);
  const inside = (rel: string) => resolve(cwd, rel).startsWith(`${abs}${sep}`);
  const sets = local.sets.filter((s) => s.claimed.includes(abs) && resolve(cwd, s.root) !== abs);
  const files = sets.flatMap((s) => s.migrations.flatMap((m) => m.files.filter(inside)));
  if (!files.length) return false;
  reportUnusedSqlFiles(sets, cwd, options, local);
  for (const set of sets) {
    const own = set.migrations.flatMap((m) => m.files.filter(inside));
    if (!own.length) continue;
    set.reportOnly = [...(set.reportOnly ?? []), ...own];
    result.sets.push(set);
  }
  result.errors.push(...local.errors.filter((e) => inside(e.path)));
  return true;
}

/**
 * A single file: find the set it belongs to, look from its folder's parent (Diesel and Prisma keep a folder per
 * migration; a Flyway config may sit one level up), replay the whole set and report only this file's migration.
 */
function discoverFile(abs: string, arg: string, cwd: string, options: DiscoverOptions, result: Discovery): void {
  const rel = relative(cwd, abs);
  const folder = dirname(abs);
  const parent = dirname(folder);
  // The parent is looked at (one level deep) unless the file sits in the working directory or the filesystem root.
  const lookAtParent = folder !== cwd && parent !== folder;
  const local: Discovery = { sets: [], errors: [] };
  if (lookAtParent) walk(parent, cwd, options, local, new Set(), 1);
  if (!local.sets.some((s) => s.migrations.some((m) => m.files.includes(rel)))) {
    local.sets = [];
    local.errors = [];
    walk(folder, cwd, options, local, new Set(), 0);
  }
  local.sets = joinVersionFolders(local.sets);
  reportUnusedSqlFiles(local.sets, cwd, options, local);
  const sets = local.sets.filter((s) => s.migrations.some((m) => m.files.includes(rel)));
  for (const set of sets) set.reportOnly = [...(set.reportOnly ?? []), rel];
  result.sets.push(...sets);
  const own = local.errors.filter((e) => e.path === rel);
  result.errors.push(...own);
  if (!sets.length && !own.length)
    result.errors.push({ path: arg, line: 0, column: 0, message: `not a migration of any supported framework (${basename(abs)})` });
}

/** `.sql` files in a folder a framework claimed but did not use: said once, never skipped silently (unless the config ignores them). */
function reportUnusedSqlFiles(sets: readonly MigrationSet[], cwd: string, options: DiscoverOptions, result: Discovery): void {
  const used = new Set([...sets.flatMap((s) => s.migrations.flatMap((m) => m.files)), ...result.errors.map((e) => e.path)]);
  const seen = new Set<string>();
  for (const set of sets) {
    for (const folder of set.claimed) {
      if (seen.has(folder)) continue;
      seen.add(folder);
      let names = listed.get(folder)?.slice();
      try {
        names ??= readdirSync(folder);
      } catch {
        continue;
      }
      const folderRel = relative(cwd, folder);
      for (const name of names.sort()) {
        if (!name.toLowerCase().endsWith('.sql')) continue;
        const rel = folderRel ? `${folderRel}${sep}${name}` : name;
        if (used.has(rel) || options.isIgnored?.(rel)) continue;
        result.errors.push({
          path: rel,
          line: 1,
          column: 1,
          message: `not a ${set.framework} migration (its name or place does not follow ${set.framework}'s layout): skipped`,
        });
      }
    }
  }
}

function dedupe(errors: ReadError[]): ReadError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}:${e.line}:${e.column}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function walk(abs: string, cwd: string, options: DiscoverOptions, result: Discovery, claimed: Set<string>, depth: number): void {
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
  listed.set(
    abs,
    entries.map((e) => e.name),
  );
  if (options.isIgnored) entries = entries.filter((e) => !options.isIgnored?.(relative(cwd, resolve(abs, e.name))));
  const configuredDialect = options.dialect && { dialect: options.dialect, dialectReason: options.dialectSource ?? 'configured dialect' };
  const folder: Folder = { abs, rel, entries, configuredDialect };
  for (const adapter of adapters) {
    const found = adapter.detect(folder);
    if (!found) continue;
    result.errors.push(...found.errors);
    for (const set of found.sets) {
      settleDialect(set, options.dialects);
      result.sets.push(set);
      for (const c of set.claimed) claimed.add(c);
    }
    // The folder is taken; its sub-folders may still hold other sets (plain SQL per version folder, seeds, tests).
    if (claimed.has(abs)) break;
  }
  if (depth <= 0) return;
  for (const e of entries) {
    if (e.isDirectory() && !SKIPPED_FOLDERS.has(e.name) && !e.name.startsWith('.'))
      walk(resolve(abs, e.name), cwd, options, result, claimed, depth - 1);
  }
}
