// Picks the parser for a dialect.
import type { Dialect } from '../ir.js';
import type { SourceText } from '../migration.js';
import { parseMysqlFamily } from './mysql.js';
import { loadPostgresParser, type ParsedSql, parsePostgres } from './postgresql.js';

export type { ParsedSql };

/** Loads the WebAssembly parsers; call once before parsing. */
export async function loadSqlParsers(): Promise<void> {
  await loadPostgresParser();
}

type SqlObserver = (dialect: Dialect, source: SourceText, parsed: ParsedSql) => void;
let observer: SqlObserver | null = null;

/**
 * Calls `fn` with every SQL source parsed until it is removed (null): how `scripts/sql-coverage.ts` counts the
 * statements each dialect's parser could not read, wherever the SQL sits (files, `execute`, `knex.raw`…).
 */
export function observeSqlParsing(fn: SqlObserver | null): void {
  observer = fn;
}

export function parseSql(source: SourceText, dialect: Dialect): ParsedSql {
  const parsed = dialect === 'postgresql' ? parsePostgres(source) : parseMysqlFamily(source, dialect);
  observer?.(dialect, source, parsed);
  return parsed;
}
