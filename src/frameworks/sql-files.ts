// Shared by the SQL-file frameworks: reading files safely and parsing SQL sources into IR.
import { readFileSync, statSync } from 'node:fs';
import { directivesInComment } from '../directives.js';
import type { Dialect } from '../ir.js';
import type { Directive, Migration, ParsedMigration, ReadError, SourceText } from '../migration.js';
import { parseSql } from '../sql/index.js';

/** Files above this size are not migrations anyone reviews; reading them would only cost memory. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; error: ReadError };

/** Reads a text file, refusing binary, huge or unreadable files with one clear line. */
export function readText(abs: string, rel: string): ReadResult {
  const fail = (message: string): ReadResult => ({ ok: false, error: { path: rel, line: 1, column: 1, message } });
  try {
    const size = statSync(abs).size;
    if (size > MAX_FILE_BYTES)
      return fail(`file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit: skipped`);
    const buf = readFileSync(abs);
    if (buf.subarray(0, 8000).includes(0)) return fail('binary file (contains NUL bytes): skipped');
    return { ok: true, text: buf.toString('utf8').replace(/^\uFEFF/, '') };
  } catch (e) {
    return fail(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Parses a migration whose up and down are SQL sources. */
export function parseSqlMigration(migration: Migration, extraErrors: ReadError[] = []): ParsedMigration {
  const up = parseSql(migration.up, migration.dialect);
  const down = migration.down ? parseSql(migration.down, migration.dialect) : null;
  const directives: Directive[] = [...up.comments, ...(down?.comments ?? [])].flatMap((c) => directivesInComment(c.text, c.span));
  return {
    migration,
    up: up.ops,
    down: down ? down.ops : null,
    downStatus: down ? 'written' : 'none',
    directives,
    errors: [...extraErrors, ...up.errors, ...(down?.errors ?? [])],
  };
}

export function sqlSource(path: string, text: string, startLine = 1): SourceText {
  return { path, text, startLine, language: 'sql' };
}

export type { Dialect };
