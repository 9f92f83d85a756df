// The tokens of one MySQL or SQLite statement, as those databases' own tokenizers cut them: words, quoted names
// (`x`, and in SQLite "x" and [x]), strings ('x', and in MySQL "x", with backslash escapes), numbers and
// punctuation; comments and spaces are dropped. For the few statement shapes node-sql-parser's grammars lack
// (sql/statement-shapes.ts): those are read from these tokens, never from regexes over the text.

export type TokenKind = 'word' | 'name' | 'string' | 'number' | 'punct';

export interface Token {
  kind: TokenKind;
  /** The token as written (quotes included). */
  text: string;
  /** A word upper-cased; a name or string without its quotes; otherwise the text. */
  value: string;
  start: number;
  end: number;
}

const isWordStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
const isWordPart = (c: string) => isWordStart(c) || (c >= '0' && c <= '9') || c === '$';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const TWO_CHAR = new Set(['<=', '>=', '<>', '!=', '||', '::', ':=', '->', '<<', '>>', '==']);

/** Where a comment starting at `i` ends, or null when none starts there. */
export function commentEnd(text: string, i: number, dialect: 'mysql' | 'sqlite'): number | null {
  const c = text[i];
  const next = text[i + 1];
  // MySQL wants a space or control character after `--`; SQLite does not.
  const dashes = c === '-' && next === '-' && (dialect === 'sqlite' || /\s/.test(text[i + 2] ?? ' '));
  if (dashes || (c === '#' && dialect === 'mysql')) {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (c === '/' && next === '*') {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  return null;
}

/** The closing quote for a quote opening at `i`, or null when no quote opens there. */
export function closingQuote(text: string, i: number, dialect: 'mysql' | 'sqlite'): string | null {
  const c = text[i];
  if (c === "'" || c === '"' || c === '`') return c;
  return c === '[' && dialect === 'sqlite' ? ']' : null;
}

/** Where a quoted token opening at `i` ends (after its closing quote). A doubled quote stands for itself. */
export function quotedEnd(text: string, i: number, dialect: 'mysql' | 'sqlite'): number {
  const close = closingQuote(text, i, dialect) as string;
  const backslash = dialect === 'mysql' && close !== '`';
  let j = i + 1;
  while (j < text.length) {
    if (backslash && text[j] === '\\') {
      j += 2;
      continue;
    }
    if (text[j] === close) {
      if (close !== ']' && text[j + 1] === close) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return text.length;
}

export function tokenize(text: string, dialect: 'mysql' | 'sqlite'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const raw = text.slice(start, end);
    tokens.push({ kind, text: raw, value: value ?? (kind === 'word' ? raw.toUpperCase() : raw), start, end });
    i = end;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const comment = commentEnd(text, i, dialect);
    if (comment !== null) {
      i = comment;
      continue;
    }
    const close = closingQuote(text, i, dialect);
    if (close) {
      const end = quotedEnd(text, i, dialect);
      const inner = text.slice(i + 1, close === text[end - 1] ? end - 1 : end);
      const unescaped = close === ']' ? inner : inner.split(close + close).join(close);
      // MySQL's "x" is a string (without ANSI_QUOTES); SQLite's is a name.
      const isName = close === '`' || close === ']' || (close === '"' && dialect === 'sqlite');
      push(isName ? 'name' : 'string', i, end, unescaped);
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < text.length && isWordPart(text[j] as string)) j++;
      push('word', i, j);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < text.length && (isDigit(text[j] as string) || text[j] === '.' || isWordPart(text[j] as string))) j++;
      push('number', i, j);
      continue;
    }
    push('punct', i, TWO_CHAR.has(text.slice(i, i + 2)) ? i + 2 : i + 1);
  }
  return tokens;
}
