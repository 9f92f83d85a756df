// Statement boundaries and comments for dialects whose parser gives no statement locations
// (node-sql-parser). A character scanner like the mysql client's own: quotes, comments and the
// client's DELIMITER command, and like SQLite's sqlite3_complete(): a CREATE TRIGGER's body
// (BEGIN … END) holds semicolons. It never interprets the statements otherwise.
import { closingQuote, commentEnd, quotedEnd } from './tokens.js';

export interface Piece {
  start: number;
  end: number;
}

export interface Split {
  statements: Piece[];
  comments: Piece[];
}

const isWordChar = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c > '\x7f');

export function splitStatements(text: string, dialect: 'mysql' | 'sqlite'): Split {
  const statements: Piece[] = [];
  const comments: Piece[] = [];
  let delimiter = ';';
  let start = 0;
  let i = 0;
  const n = text.length;
  // SQLite: the first words of the statement, whether its trigger body has begun, and the last word before a `;`.
  let words: string[] = [];
  let inTriggerBody = false;
  let lastWord: string | null = null;
  const atLineStart = (at: number) =>
    text.lastIndexOf('\n', at - 1) + 1 === at || text.slice(text.lastIndexOf('\n', at - 1) + 1, at).trim() === '';
  const push = (end: number) => {
    if (text.slice(start, end).trim() !== '') statements.push(trimPiece(text, start, end));
    start = end;
    words = [];
    inTriggerBody = false;
    lastWord = null;
  };
  while (i < n) {
    const ch = text[i] as string;
    if (closingQuote(text, i, dialect)) {
      i = quotedEnd(text, i, dialect);
      lastWord = null;
      continue;
    }
    const comment = commentEnd(text, i, dialect);
    if (comment !== null) {
      comments.push({ start: i, end: comment });
      if (text.slice(start, i).trim() === '') start = comment;
      i = comment;
      continue;
    }
    if (dialect === 'mysql' && atLineStart(i) && text.slice(i, i + 10).toUpperCase() === 'DELIMITER ') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      push(i);
      delimiter = text.slice(i + 10, stop).trim() || ';';
      start = stop;
      i = stop;
      continue;
    }
    if (dialect === 'sqlite' && isWordChar(ch) && !isWordChar(text[i - 1])) {
      let j = i + 1;
      while (isWordChar(text[j])) j++;
      const word = text.slice(i, j).toUpperCase();
      if (words.length < 4) words.push(word);
      if (word === 'BEGIN' && isTrigger(words)) inTriggerBody = true;
      lastWord = word;
      i = j;
      continue;
    }
    if (text.startsWith(delimiter, i)) {
      // Inside a trigger's body only `END;` ends the statement.
      if (inTriggerBody && lastWord !== 'END') {
        i += delimiter.length;
        lastWord = null;
        continue;
      }
      push(i);
      i += delimiter.length;
      start = i;
      continue;
    }
    if (!/\s/.test(ch)) lastWord = null;
    i++;
  }
  push(n);
  return { statements, comments };
}

/** CREATE [TEMP | TEMPORARY] TRIGGER */
function isTrigger(words: readonly string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  return words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER');
}

function trimPiece(text: string, start: number, end: number): Piece {
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return { start, end };
}
