// Shared by the SQL-file frameworks: reading files safely and parsing SQL sources into IR.
import { closeSync, type Dirent, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { directivesInComment } from '../directives.js';
import type { DialectChoice } from '../discover/dialect.js';
import type { Dialect } from '../ir.js';
import type { Directive, Migration, ParsedMigration, ReadError, SourceText } from '../migration.js';
import { parseSql } from '../sql/index.js';
import { maskTemplates } from '../sql/templates.js';
import type { Folder } from './adapter.js';

/** smol-toml, required when a TOML config is read (start-up time). */
export const parseToml = (text: string): Record<string, unknown> =>
  (createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml')).parse(text);

/** Files above this size are not migrations anyone reviews; reading them would only cost memory. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; error: ReadError };

/** Reads a text file, refusing binary, huge or unreadable files with one clear line. */
export function readText(abs: string, rel: string): ReadResult {
  const fail = (message: string): ReadResult => ({ ok: false, error: { path: rel, line: 1, column: 1, message } });
  let fd: number | null = null;
  try {
    // One open file for the size and the bytes: a history of thousands of files pays one path lookup each.
    fd = openSync(abs, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES)
      return fail(`file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit: not read`);
    const buf = readFileSync(fd);
    if (buf.subarray(0, 8000).includes(0)) return fail('binary file (contains NUL bytes): not read');
    return { ok: true, text: buf.toString('utf8').replace(/^\uFEFF/, '') };
  } catch (e) {
    return fail(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Parses a migration whose up and down are SQL sources. */
export function parseSqlMigration(migration: Migration, extraErrors: ReadError[] = []): ParsedMigration {
  const up = parseSqlSource(migration.up, migration.dialect);
  const down = migration.down ? parseSqlSource(migration.down, migration.dialect) : null;
  const directives: Directive[] = [...up.comments, ...(down?.comments ?? [])].flatMap((c) => directivesInComment(c.text, c.span));
  const unreadable = migration.unreadable ?? [];
  const downUnreadable = unreadable.some((e) => e.path === migration.down?.path);
  return {
    migration,
    up: up.ops,
    down: down ? down.ops : null,
    downStatus: downUnreadable ? 'unreadable' : down ? 'written' : 'none',
    directives,
    errors: [...unreadable, ...extraErrors, ...up.errors, ...(down?.errors ?? [])],
  };
}

/**
 * A migration's up file and its down file (when it has one), read. A file that cannot be read stays in the
 * migration, empty, with its error in `unreadable`: the migration's answers are then `unknown`, never silently
 * those of a migration without that file.
 */
export function migrationFiles(
  up: { folder: Folder; file: string },
  down: { folder: Folder; file: string } | null,
): Pick<Migration, 'path' | 'files' | 'up' | 'down' | 'unreadable'> {
  const unreadable: ReadError[] = [];
  const source = (f: { folder: Folder; file: string }) => {
    const rel = join(f.folder.rel, f.file);
    const read = readFolderFile(f.folder, f.file);
    if (read.ok) return sqlSource(rel, read.text);
    unreadable.push(read.error);
    return sqlSource(rel, '');
  };
  const upSource = source(up);
  const downSource = down ? source(down) : null;
  return {
    path: upSource.path,
    files: downSource ? [upSource.path, downSource.path] : [upSource.path],
    up: upSource,
    down: downSource,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** Template placeholders (`{{ }}`, `${}`) are masked first: see sql/templates.ts. */
function parseSqlSource(source: SourceText, dialect: Dialect) {
  const text = maskTemplates(source);
  return parseSql(text === source.text ? source : { ...source, text }, dialect);
}

export function sqlSource(path: string, text: string, startLine = 1): SourceText {
  return { path, text, startLine, language: 'sql' };
}

export type { Dialect };

const folderReads = new WeakMap<Folder, Map<string, ReadResult>>();

/** Reads a file of a folder once, whichever adapters look at it (content-sniffing adapters ask first). */
export function readFolderFile(folder: Folder, name: string): ReadResult {
  const reads = folderReads.get(folder) ?? new Map<string, ReadResult>();
  folderReads.set(folder, reads);
  const read = reads.get(name) ?? readText(join(folder.abs, name), join(folder.rel, name));
  reads.set(name, read);
  return read;
}

/** A sub-folder as discovery would see it, for adapters whose layout spans folders (Prisma, Diesel, Flyway locations). */
export function subFolder(folder: Folder, name: string): Folder | null {
  const subs = subFolders.get(folder) ?? new Map<string, Folder | null>();
  subFolders.set(folder, subs);
  const sub = subs.has(name)
    ? (subs.get(name) ?? null)
    : folderAt(join(folder.abs, name), join(folder.rel, name), folder.configuredDialect);
  subs.set(name, sub);
  return sub;
}

const subFolders = new WeakMap<Folder, Map<string, Folder | null>>();

export function folderAt(abs: string, rel: string, configuredDialect?: DialectChoice): Folder | null {
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return null;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { abs, rel: rel || '.', entries, configuredDialect };
}

const collator = new Intl.Collator('en', { numeric: true });
/** Natural order of file names: `2_x.sql` before `10_x.sql`. */
export const naturalCompare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export function skipped(path: string, message: string): ReadError {
  return { path, line: 1, column: 1, message };
}

/** Reads a TOML config file of a folder (diesel.toml, migration_lock.toml, flyway.toml); problems go to `errors`. */
export function readToml(folder: Folder, name: string, errors: ReadError[]): Record<string, unknown> | null {
  const read = readFolderFile(folder, name);
  if (!read.ok) {
    errors.push(read.error);
    return null;
  }
  try {
    return parseToml(read.text);
  } catch (e) {
    const at = e as { line?: number; column?: number; message?: string };
    const message = (at.message ?? String(e)).split('\n')[0];
    errors.push({ path: join(folder.rel, name), line: at.line ?? 1, column: at.column ?? 1, message: `invalid TOML: ${message}` });
    return null;
  }
}
