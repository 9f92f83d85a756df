// Statement boundaries and comments for dialects whose parser gives no statement locations
// (node-sql-parser). A character scanner like the mysql client's own: quotes, comments and the
// client's DELIMITER command; it never interprets the statements themselves.

export interface Piece {
  start: number;
  end: number;
}

export interface Split {
  statements: Piece[];
  comments: Piece[];
}

export function splitStatements(text: string, dialect: 'mysql' | 'sqlite'): Split {
  const statements: Piece[] = [];
  const comments: Piece[] = [];
  let delimiter = ';';
  let start = 0;
  let i = 0;
  const n = text.length;
  const atLineStart = (at: number) =>
    text.lastIndexOf('\n', at - 1) + 1 === at || text.slice(text.lastIndexOf('\n', at - 1) + 1, at).trim() === '';
  const push = (end: number) => {
    if (text.slice(start, end).trim() !== '') statements.push(trimPiece(text, start, end));
    start = end;
  };
  while (i < n) {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (ch === "'" || ch === '"' || ch === '`' || (ch === '[' && dialect === 'sqlite')) {
      const close = ch === '[' ? ']' : ch;
      i++;
      while (i < n && text[i] !== close) i += text[i] === '\\' && dialect === 'mysql' && close !== '`' ? 2 : 1;
      i++;
      continue;
    }
    const lineComment =
      (ch === '-' && next === '-' && (dialect === 'sqlite' || /\s/.test(text[i + 2] ?? ' '))) || (ch === '#' && dialect === 'mysql');
    if (lineComment) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      comments.push({ start: i, end: stop });
      if (text.slice(start, i).trim() === '') start = stop;
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      comments.push({ start: i, end: stop });
      if (text.slice(start, i).trim() === '') start = stop;
      i = stop;
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
    if (text.startsWith(delimiter, i)) {
      push(i);
      i += delimiter.length;
      start = i;
      continue;
    }
    i++;
  }
  push(n);
  return { statements, comments };
}

function trimPiece(text: string, start: number, end: number): Piece {
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return { start, end };
}
