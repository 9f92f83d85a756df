// A statement node-sql-parser's grammar rejects only for how it spells names and column types, rewritten so the
// grammar reads it: SQLite quotes names in [brackets], takes any words as a column type (bool, uuid, MEDIUMBLOB,
// UNSIGNED BIG INT) and lets `REFERENCES parent` name no columns; MySQL has BOOL, REAL and the BINARY attribute,
// and quoted constraint names, which the grammar lacks. Each column's type as
// written is kept, so the IR says what the migration wrote; only the parse sees the stand-ins. Found from the
// statement's tokens (sql/tokens.ts), never from regexes over the text.
import type { Token } from './tokens.js';

/** The column a rewritten `REFERENCES parent` names: the parent's primary key, whichever columns it has. */
export const PRIMARY_KEY = 'twoway: the primary key';

/** A column type as written: its words and numeric arguments (VARCHAR(255): ["VARCHAR"], [255]). */
export interface WrittenType {
  words: string[];
  args: number[];
  /** MySQL's BINARY attribute followed it: the column compares with its charset's binary collation. */
  binary?: boolean;
}

export interface Rewritten {
  text: string;
  /** By column name: the type the statement wrote for it. */
  types: Map<string, WrittenType>;
}

// Words that end a column's type: the column constraints and attributes that may follow it.
const AFTER_TYPE = new Set([
  'CONSTRAINT',
  'PRIMARY',
  'NOT',
  'NULL',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
  'AUTO_INCREMENT',
  'AUTOINCREMENT',
  'COMMENT',
  'ON',
  'KEY',
  'UNSIGNED',
  'SIGNED',
  'ZEROFILL',
  'BINARY',
  'CHARACTER',
  'CHARSET',
  'FIRST',
  'AFTER',
  'VISIBLE',
  'INVISIBLE',
  'STORED',
  'VIRTUAL',
]);
// Elements of a CREATE TABLE that are constraints or indexes, not columns.
const TABLE_ELEMENT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'KEY', 'INDEX', 'FULLTEXT', 'SPATIAL']);

/** The rewritten statement, or null when it would be the same. */
export function rewriteForGrammar(text: string, tokens: readonly Token[], dialect: 'mysql' | 'sqlite'): Rewritten | null {
  // Token index → what to write instead of it; an empty string drops it, `after` adds text behind it.
  const instead = new Map<number, string>();
  const after = new Map<number, string>();
  const types = new Map<string, WrittenType>();
  for (const [i, t] of tokens.entries()) {
    if (t.kind === 'name') {
      if (dialect === 'sqlite' && t.text.startsWith('[')) instead.set(i, `"${t.value.split('"').join('""')}"`);
      // MySQL's grammar takes a constraint's name bare only; a bare name cannot be read as anything else there.
      const plain = [...t.value].every((c, k) => /[A-Za-z_]/.test(c) || (k > 0 && /[0-9$]/.test(c)));
      if (dialect === 'mysql' && plain && tokens[i - 1]?.kind === 'word' && tokens[i - 1]?.value === 'CONSTRAINT') instead.set(i, t.value);
    }
    // SQLite's `REFERENCES parent` without columns means the parent's primary key; the grammar wants columns.
    if (dialect === 'sqlite' && t.kind === 'word' && t.value === 'REFERENCES') {
      const last = tokens[i + 2]?.text === '.' ? i + 3 : i + 1;
      if (tokens[last] && tokens[last + 1]?.text !== '(') after.set(last, ` ("${PRIMARY_KEY}")`);
    }
  }
  for (const column of columnDefinitions(tokens)) {
    const type = readType(tokens, column.type);
    if (!type) continue;
    types.set(column.name, type.written);
    const next = tokens[type.end];
    const numeric = next?.kind === 'word' && ['UNSIGNED', 'SIGNED', 'ZEROFILL'].includes(next.value);
    instead.set(column.type, standIn(type.written, numeric));
    for (let i = column.type + 1; i < type.end; i++) instead.set(i, '');
    // MySQL's BINARY attribute (a binary collation) does not change the column's type; it is kept as its collation.
    if (dialect === 'mysql' && next?.kind === 'word' && next.value === 'BINARY') {
      instead.set(type.end, '');
      types.set(column.name, { ...type.written, binary: true });
    }
  }
  // Spaces and comments between tokens become one space (the grammar wants `SET NULL`, not `SET\n\tNULL`).
  let out = '';
  for (const [i, t] of tokens.entries()) {
    const gap = i > 0 && t.start > (tokens[i - 1] as Token).end;
    const written = instead.get(i) ?? t.text;
    if (written !== '') out += (gap && out ? ' ' : '') + written;
    out += after.get(i) ?? '';
  }
  return out === text ? null : { text: out, types };
}

/** A type the grammar knows, with as many arguments as the written one (a number when UNSIGNED follows). */
function standIn(t: WrittenType, numeric: boolean): string {
  if (numeric) return t.args.length ? `INT(${t.args[0]})` : 'INT';
  if (t.args.length === 0) return 'TEXT';
  if (t.args.length === 1) return `VARCHAR(${t.args[0]})`;
  return `DECIMAL(${t.args.slice(0, 2).join(',')})`;
}

/** Where each column definition's name and type start: CREATE TABLE (…) elements, ALTER TABLE ADD/MODIFY/CHANGE. */
function columnDefinitions(tokens: readonly Token[]): Array<{ name: string; type: number }> {
  const word = (i: number) => (tokens[i]?.kind === 'word' ? tokens[i]?.value : undefined);
  const nameAt = (i: number) => (tokens[i]?.kind === 'word' ? tokens[i]?.text : tokens[i]?.kind === 'name' ? tokens[i]?.value : undefined);
  const out: Array<{ name: string; type: number }> = [];
  if (word(0) === 'CREATE') {
    const open = tokens.findIndex((t) => t.kind === 'punct' && t.text === '(');
    const head = tokens.slice(1, open).map((t) => t.value);
    if (open < 0 || !head.includes('TABLE') || head.includes('VIRTUAL')) return out;
    for (const start of elements(tokens, open + 1)) {
      const name = nameAt(start);
      if (name !== undefined && !(tokens[start]?.kind === 'word' && TABLE_ELEMENT.has(word(start) as string)))
        out.push({ name, type: start + 1 });
    }
    return out;
  }
  if (word(0) !== 'ALTER' || word(1) !== 'TABLE') return out;
  // The actions start after the table's [schema.]name.
  for (const start of elements(tokens, tokens[3]?.text === '.' ? 5 : 3)) {
    let i = start;
    const action = word(i);
    if (action !== 'ADD' && action !== 'MODIFY' && action !== 'CHANGE') continue;
    i++;
    if (word(i) === 'COLUMN') i++;
    if (action === 'ADD' && TABLE_ELEMENT.has(word(i) ?? '')) continue;
    if (action === 'CHANGE') i++;
    const name = nameAt(i);
    if (name !== undefined) out.push({ name, type: i + 1 });
  }
  return out;
}

/** Token indexes where each comma-separated element at this depth starts, from `from` to the closing parenthesis. */
function elements(tokens: readonly Token[], from: number): number[] {
  const starts = [from];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')' && depth-- === 0) break;
    else if (t.text === ',' && depth === 0) starts.push(i + 1);
  }
  return starts;
}

/** The type's words (up to a constraint or attribute) and its (n[, m]) arguments; null when it has none. */
function readType(tokens: readonly Token[], from: number): { written: WrittenType; end: number } | null {
  const words: string[] = [];
  let i = from;
  while (tokens[i]?.kind === 'word' && (words.length === 0 || !AFTER_TYPE.has(tokens[i]?.value as string))) {
    if (words.length === 0 && AFTER_TYPE.has(tokens[i]?.value as string) && tokens[i]?.value !== 'BINARY') return null;
    words.push(tokens[i]?.value as string);
    i++;
  }
  if (!words.length) return null;
  const args: number[] = [];
  if (tokens[i]?.text === '(') {
    let j = i + 1;
    while (tokens[j]?.kind === 'number' || (tokens[j]?.text === ',' && args.length)) {
      if (tokens[j]?.kind === 'number') args.push(Number(tokens[j]?.text));
      j++;
    }
    if (tokens[j]?.text !== ')' || !args.length) return null;
    i = j + 1;
  }
  return { written: { words, args }, end: i };
}
