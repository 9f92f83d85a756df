// Names in the SQL twoway writes into help text (a finding's `fix`): bare where the database reads the bare word
// as that very name, quoted otherwise, so the fix can be pasted as it stands. PostgreSQL's rule is quote_ident's
// (ruleutils.c quote_identifier): lower-case letters, digits and `_`, not starting with a digit, and no keyword
// but an unreserved one (the keyword category from libpg-query's own scanner). MySQL names are always in
// backticks, as SHOW CREATE TABLE and mysqldump write them: no keyword list to keep in step with the server.
// SQLite reads names case-insensitively: a name is bare when SQLite's grammar reads it as a column and a table.

import { hasControl, isControl } from '../help.js';
import type { Dialect, QName } from '../ir.js';
import { scanSync } from './libpg.js';
import { parserFor } from './mysql.js';

/** One name (table, column, index, constraint) as the dialect's SQL writes it. */
export function sqlIdent(name: string, dialect: Dialect): string {
  if (dialect === 'mysql') return `\`${name.replaceAll('`', '``')}\``;
  // A name holding a newline or another control character, in PostgreSQL's Unicode-escape form: the SQL stays on
  // one line and names exactly that name (MySQL and SQLite have no escapes in names; help shows theirs escaped).
  if (dialect === 'postgresql' && hasControl(name)) return unicodeIdent(name);
  return bareName(name, dialect) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** `U&"a\000ab"`: PostgreSQL reads `\XXXX` as that code point and `\\` as a backslash in a U& name. */
function unicodeIdent(name: string): string {
  const body = [...name]
    .map((ch) => (ch === '\\' ? '\\\\' : ch === '"' ? '""' : isControl(ch) ? `\\${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch))
    .join('');
  return `U&"${body}"`;
}

/** A schema-qualified name, each part quoted as it needs. */
export function sqlQName(q: QName, dialect: Dialect): string {
  return q.schema ? `${sqlIdent(q.schema, dialect)}.${sqlIdent(q.name, dialect)}` : sqlIdent(q.name, dialect);
}

/**
 * An index's column: the IR keeps a plain column by its name and an expression (`lower(email)`, `a || b`) as
 * written; text with parentheses, quotes or operator characters is an expression and stays as it is.
 */
export function sqlIndexColumn(column: string, dialect: Dialect): string {
  return /[()"'`|+\-*/<>=!:,%^~&]/.test(column) ? column : sqlIdent(column, dialect);
}

const bare = new Map<string, boolean>();

function bareName(name: string, dialect: Exclude<Dialect, 'mysql'>): boolean {
  const key = `${dialect}\0${name}`;
  let known = bare.get(key);
  if (known === undefined) {
    known = dialect === 'postgresql' ? postgresBare(name) : sqliteBare(name);
    bare.set(key, known);
  }
  return known;
}

const UNRESERVED_KEYWORD = 1;

function postgresBare(name: string): boolean {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) return false;
  try {
    const tokens = scanSync(name).tokens;
    return tokens.length === 1 && (tokens[0]?.keywordKind ?? 0) <= UNRESERVED_KEYWORD;
  } catch {
    return false;
  }
}

function sqliteBare(name: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
  try {
    const ast = parserFor('sqlite').astify(`SELECT ${name} FROM ${name}`, { database: 'SQLite' });
    const select = Array.isArray(ast) ? ast[0] : ast;
    return select?.columns?.[0]?.expr?.column === name && select?.from?.[0]?.table === name;
  } catch {
    return false;
  }
}

/** A string literal (an enum value): single quotes, a quote inside doubled, as every dialect here reads it. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
