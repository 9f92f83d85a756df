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

export function parseSql(source: SourceText, dialect: Dialect): ParsedSql {
  switch (dialect) {
    case 'postgresql':
      return parsePostgres(source);
    case 'mysql':
    case 'sqlite':
      return parseMysqlFamily(source, dialect);
  }
}
