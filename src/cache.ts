// The check cache (ESLint's --cache, ruff's cache are the models): a re-run on an unchanged repository (CI, a
// pre-commit hook) reads each set's reports from disk instead of parsing and replaying it again.
//
// One entry per migration set, named by the set's place, holding the key it was computed for. The key hashes
// everything the set's answers depend on: twoway's version and build, the set (framework, dialect, every
// migration's text and metadata, the schema dump), and the options that change the analysis. An entry is used
// only if it parses, has the expected shape and its key matches; anything else is a miss (and is rewritten).
// Writes go to a temporary file renamed into place, so a reader never sees half an entry.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationReport } from './analyze.js';
import type { MigrationSet } from './frameworks/adapter.js';
import { helperSources, JS_FRAMEWORKS } from './frameworks/js/helper-sources.js';
import { TOOL } from './meta.js';
import type { ParsedMigration, ReadError } from './migration.js';
import { type DialectMarker, markersUsed, rememberMarkers } from './sql/dialect-markers.js';

/** Bumped when the entry layout changes. */
const FORMAT = 2;

/** The same version number covers many builds while twoway is developed: the build's own time tells them apart. */
const BUILD = (() => {
  try {
    return String(statSync(fileURLToPath(import.meta.url)).mtimeMs);
  } catch {
    return '';
  }
})();

export interface CachedSet {
  reports: MigrationReport[];
  /** The read errors of the set's migrations and seed that the run reports. */
  errors: ReadError[];
}

interface Entry {
  format: number;
  key: string;
  /** The size of the entry's operations file (`opsFileOf`): each report's up and down, in the reports' order. */
  opsBytes: number;
  reports: Array<Omit<MigrationReport, 'parsed'> & { parsed: Omit<ParsedMigration, 'migration' | 'up' | 'down'> & { migration: unknown } }>;
  errors: ReadError[];
}

/**
 * Where the cache lives by default: node_modules/.cache/twoway of the nearest folder holding a package.json or
 * node_modules (find-cache-dir's convention), else the user's cache folder: twoway never creates node_modules in a
 * project that has none.
 */
export function defaultCacheLocation(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules')) || existsSync(join(dir, 'package.json'))) return join(dir, 'node_modules/.cache/twoway');
    if (dirname(dir) === dir) break;
  }
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'twoway');
}

export class CheckCache {
  private markersRead = false;

  /** `cwd`: the folder the sets' paths are relative to. */
  constructor(
    readonly dir: string,
    readonly cwd: string,
  ) {}

  /**
   * Discovery's dialect markers of earlier runs (src/sql/dialect-markers.ts), so that telling an unchanged set's
   * dialect does not scan its SQL again. Call before discovery. True when there were markers to remember.
   */
  loadMarkers(): boolean {
    try {
      const entry: unknown = JSON.parse(readFileSync(join(this.dir, 'dialect-markers.json'), 'utf8'));
      if (
        isObject(entry) &&
        entry.format === FORMAT &&
        entry.version === TOOL.version &&
        entry.build === BUILD &&
        Array.isArray(entry.markers)
      ) {
        rememberMarkers(entry.markers.filter(isMarkerEntry));
        this.markersRead = true;
        return true;
      }
    } catch {
      // No entry, or one that does not parse: discovery scans.
    }
    return false;
  }

  /**
   * Stores the markers this run used, when it had to scan for some or there was no store yet (a store, even empty,
   * tells the next run it may leave libpg-query unloaded until a set misses the cache).
   */
  saveMarkers(): void {
    const { entries, scanned } = markersUsed();
    if (scanned || !this.markersRead)
      this.write(join(this.dir, 'dialect-markers.json'), { format: FORMAT, version: TOOL.version, build: BUILD, markers: entries });
  }

  /** The key of a set's answers: the set itself and `options`, everything else its analysis reads. */
  keyOf(set: MigrationSet, options: unknown): string {
    const hash = createHash('sha256');
    hash.update(JSON.stringify({ format: FORMAT, version: TOOL.version, build: BUILD, options }));
    hash.update(JSON.stringify([set.framework, set.dialect, set.dialectReason, set.root, set.reportOnly ?? null, set.seed ?? null]));
    for (const m of set.migrations) hash.update(JSON.stringify(m));
    // A JS/TS migration reads the helpers it imports from other files (of its folder or another set's).
    if ((JS_FRAMEWORKS as readonly string[]).includes(set.framework))
      for (const h of helperSources()) hash.update(JSON.stringify([h.path, h.text]));
    return hash.digest('hex');
  }

  get(set: MigrationSet, key: string): CachedSet | null {
    const file = this.fileOf(set);
    let entry: unknown;
    try {
      entry = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return null;
    }
    if (!isEntry(entry, key, set.migrations.length) || !opsFileMatches(opsFileOf(file), key, entry.opsBytes)) return null;
    // The operations (more than half of an entry) are read when something asks for them: the formats do not.
    let ops: Array<[unknown, unknown]> | undefined;
    const opsOf = (i: number): [unknown, unknown] => {
      ops ??= readOps(opsFileOf(file), key, entry.reports.length);
      return ops[i] as [unknown, unknown];
    };
    const reports = entry.reports.map((r, i) => {
      const migration = typeof r.parsed.migration === 'number' ? set.migrations[r.parsed.migration] : r.parsed.migration;
      const parsed = { ...r.parsed, migration };
      lazy(parsed, 'up', () => opsOf(i)[0]);
      lazy(parsed, 'down', () => opsOf(i)[1]);
      return { ...r, parsed } as MigrationReport;
    });
    return { reports, errors: entry.errors };
  }

  /** Stores a set's answers; a cache that cannot be written (read-only disk) only costs the next run its time. */
  set(set: MigrationSet, key: string, value: CachedSet): void {
    const index = new Map(set.migrations.map((m, i) => [m, i]));
    const file = this.fileOf(set);
    const ops = JSON.stringify({ format: FORMAT, key, ops: value.reports.map((r) => [r.parsed.up, r.parsed.down]) });
    const entry: Entry = {
      format: FORMAT,
      key,
      opsBytes: Buffer.byteLength(ops),
      // A report's migration is the set's own (by index) unless the adapter rewrote it (a Rails migration turned non-transactional).
      reports: value.reports.map((r) => {
        const { up: _up, down: _down, ...parsed } = r.parsed;
        return { ...r, parsed: { ...parsed, migration: index.get(r.parsed.migration) ?? r.parsed.migration } };
      }),
      errors: value.errors,
    };
    // The operations first: an entry is never there without the operations it was written with.
    this.write(opsFileOf(file), ops);
    this.write(file, entry);
  }

  /** The key of a value stored with `setValue`: `parts` and the twoway build it was computed by. */
  valueKey(parts: unknown): string {
    return createHash('sha256')
      .update(JSON.stringify({ format: FORMAT, version: TOOL.version, build: BUILD, parts }))
      .digest('hex');
  }

  /**
   * A value stored under `place` (what it is about: a release's folder) for `key`, else undefined: no entry, one
   * that does not parse, or one of another key (the release moved on) is a miss. The caller checks its shape.
   */
  getValue(place: unknown, key: string): unknown {
    try {
      const entry: unknown = JSON.parse(readFileSync(this.valueFileOf(place), 'utf8'));
      if (isObject(entry) && entry.format === FORMAT && entry.key === key) return entry.value;
    } catch {
      // No entry, or one that does not parse: a miss.
    }
    return undefined;
  }

  /** Stores a value; one entry per place, overwritten when its key changes (the cache does not grow). */
  setValue(place: unknown, key: string, value: unknown): void {
    this.write(this.valueFileOf(place), { format: FORMAT, key, value });
  }

  private valueFileOf(place: unknown): string {
    const name = createHash('sha256').update(JSON.stringify(place)).digest('hex');
    return join(this.dir, `value-${name.slice(0, 32)}.json`);
  }

  private write(file: string, value: unknown): void {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, typeof value === 'string' ? value : JSON.stringify(value));
      renameSync(temp, file);
    } catch {
      // The cache is best effort: a folder that cannot be written (read-only, or a file in its place) is no cache.
      try {
        rmSync(temp, { force: true });
      } catch {}
    }
  }

  /** One file per set, named by where the set is (a changed set overwrites its entry: the cache does not grow). */
  private fileOf(set: MigrationSet): string {
    const name = createHash('sha256')
      .update(JSON.stringify([resolve(this.cwd, set.root), set.framework, set.reportOnly ?? null]))
      .digest('hex');
    return join(this.dir, `${name.slice(0, 32)}.json`);
  }
}

/** A set's operations beside its entry (not `.json`: one file per set is the entry). */
const opsFileOf = (entryFile: string) => entryFile.replace(/\.json$/, '.ops');

/** The operations file an entry was written with: its size and the key it starts with, read without parsing it. */
function opsFileMatches(file: string, key: string, bytes: number): boolean {
  const head = Buffer.from(`{"format":${FORMAT},"key":${JSON.stringify(key)},`);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    if (fstatSync(fd).size !== bytes) return false;
    const read = Buffer.alloc(head.length);
    return readSync(fd, read, 0, head.length, 0) === head.length && read.equals(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The operations of an entry that was a hit. They were checked (size, key) when the entry was: a file changed since,
 * in the middle of the run, is an error, never an answer.
 */
function readOps(file: string, key: string, reports: number): Array<[unknown, unknown]> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    value = null;
  }
  if (
    isObject(value) &&
    value.format === FORMAT &&
    value.key === key &&
    Array.isArray(value.ops) &&
    value.ops.length === reports &&
    value.ops.every((o) => Array.isArray(o) && o.length === 2 && Array.isArray(o[0]) && (o[1] === null || Array.isArray(o[1])))
  )
    return value.ops as Array<[unknown, unknown]>;
  throw new Error(`the check cache changed during the run (${file}): run again, or with --no-cache`);
}

/** `obj[name]` computed on first read; a write replaces it. */
function lazy(obj: object, name: string, compute: () => unknown): void {
  Object.defineProperty(obj, name, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(obj, name, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(value: unknown) {
      Object.defineProperty(obj, name, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/** The shape an entry must have to be trusted: anything else (a truncated file, another version's layout) is a miss. */
function isEntry(value: unknown, key: string, migrations: number): value is Entry {
  if (!isObject(value) || value.format !== FORMAT || value.key !== key || typeof value.opsBytes !== 'number') return false;
  if (!Array.isArray(value.errors) || !value.errors.every(isReadError)) return false;
  if (!Array.isArray(value.reports)) return false;
  return value.reports.every((r) => {
    if (!isObject(r) || !isObject(r.parsed) || !Array.isArray(r.findings) || !Array.isArray(r.reasons) || !Array.isArray(r.unread))
      return false;
    const p = r.parsed;
    const migrationOk =
      typeof p.migration === 'number'
        ? Number.isInteger(p.migration) && p.migration >= 0 && p.migration < migrations
        : isObject(p.migration);
    return (
      migrationOk &&
      Array.isArray(p.directives) &&
      Array.isArray(p.errors) &&
      typeof r.phase === 'string' &&
      typeof r.codeRollback === 'string' &&
      typeof r.dbRollback === 'string' &&
      isObject(r.coverage)
    );
  });
}

function isMarkerEntry(e: unknown): e is [string, DialectMarker[]] {
  return (
    Array.isArray(e) &&
    e.length === 2 &&
    typeof e[0] === 'string' &&
    Array.isArray(e[1]) &&
    e[1].every(
      (m) =>
        isObject(m) &&
        (m.dialect === 'mysql' || m.dialect === 'sqlite') &&
        typeof m.marker === 'string' &&
        typeof m.strong === 'boolean' &&
        typeof m.line === 'number',
    )
  );
}

function isReadError(e: unknown): boolean {
  return isObject(e) && typeof e.path === 'string' && typeof e.message === 'string' && typeof e.line === 'number';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
