// A finding's help ("Do instead"): lines of prose and runs of code, each run in a known language. Rules write it
// with the `help` template tag: its literal text is the help's structure (its line breaks are the help's lines),
// every string put into it is data (an identifier from the migration) whose control characters are escaped, so a
// name holding a newline cannot start a line, a heading or an annotation of its own; code put in with `code()`
// (a statement as written, a Rails block) keeps its lines and says its language, which the PR comment's code
// blocks are labelled with.

/** The languages help code is written in: SQL, the frameworks' own languages, and their config files. */
export type CodeLanguage = 'sql' | 'ruby' | 'python' | 'js' | 'ts' | 'yaml' | 'ini' | 'sh' | 'text';

export interface HelpPart {
  code: boolean;
  text: string;
  /** A code run's language. */
  language?: CodeLanguage;
}

/** Code that keeps its lines, in a language. */
export class Code {
  constructor(
    readonly language: CodeLanguage,
    readonly text: string,
  ) {}
}

/** A finding's help: the parts, and the same as the one string the JSON report's `fix` is. */
export class Help {
  constructor(readonly parts: readonly HelpPart[]) {}
  get text(): string {
    return this.parts.map((p) => p.text).join('\n');
  }
  toString(): string {
    return this.text;
  }
}

export function code(language: CodeLanguage, text: string): Code {
  return new Code(language, text);
}

type Value = string | number | Code | Help | null | undefined | false;

/**
 * Help from a template: literal text is structure, a string or number is data (escaped to one line), a `Code` or
 * `Help` keeps its lines and languages. A line's kind is the rule of `parseFix` (the first line prose; after it, a
 * line ending in "." or ":" prose, the rest code); a line holding a `Code` is code in that code's language, any
 * other code line is SQL.
 */
export function help(strings: TemplateStringsArray, ...values: Value[]): Help {
  // Lines as runs of pieces, each piece knowing whether it is verbatim code of a language.
  type Line = { text: string; language?: CodeLanguage; fixed?: HelpPart['code'] };
  const lines: Line[] = [{ text: '' }];
  const append = (text: string, language?: CodeLanguage, fixed?: boolean) => {
    const [first, ...rest] = text.split('\n');
    const last = lines.at(-1) as Line;
    last.text += first ?? '';
    if (language && !last.language) last.language = language;
    // A piece decides its line's kind only where it brings text (an empty prose part ends no code line).
    if (fixed !== undefined && last.fixed === undefined && first) last.fixed = fixed;
    for (const t of rest) lines.push({ text: t, language, fixed });
  };
  strings.forEach((s, i) => {
    append(s);
    if (i >= values.length) return;
    const v = values[i];
    if (v instanceof Code) append(v.text, v.language, true);
    else if (v instanceof Help) {
      v.parts.forEach((p, j) => {
        if (j) lines.push({ text: '' });
        append(p.text, p.code ? (p.language ?? 'sql') : undefined, p.code);
      });
    } else if (v !== null && v !== undefined && v !== false) append(printable(String(v)));
  });
  const parts: HelpPart[] = [];
  for (const [i, line] of lines.entries()) {
    const isCode = line.fixed ?? (i > 0 && !proseLine(line.text));
    const language = isCode ? (line.language ?? 'sql') : undefined;
    const last = parts.at(-1);
    if (last && last.code === isCode && last.language === language) last.text += `\n${line.text}`;
    else parts.push(isCode ? { code: true, text: line.text, language } : { code: false, text: line.text });
  }
  return new Help(parts);
}

/**
 * A fix given as one string (the JSON report's `fix`, a rule's fixed text) as prose and code: its first line is
 * prose; after it, a line ending in "." or ":" (not a "--" or "#" comment) is prose, the rest is SQL, in runs.
 */
export function parseFix(fix: string): HelpPart[] {
  const parts: HelpPart[] = [];
  for (const [i, line] of fix.split('\n').entries()) {
    const isCode = i > 0 && !proseLine(line);
    const last = parts.at(-1);
    if (last && last.code === isCode) last.text += `\n${line}`;
    else parts.push(isCode ? { code: true, text: line, language: 'sql' } : { code: false, text: line });
  }
  return parts;
}

function proseLine(line: string): boolean {
  const t = line.trim();
  return !t.startsWith('--') && !t.startsWith('#') && (t.endsWith('.') || t.endsWith(':'));
}

/** The help of a finding, as parts (a finding made without them, e.g. read from an old cache, from its `fix`). */
export function helpParts(f: { fix: string; help?: readonly HelpPart[] }): readonly HelpPart[] {
  return f.help ?? parseFix(f.fix);
}

/** Line breaks and the other C0/C1 controls, DEL, and Unicode's line and paragraph separators. */
export function isControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
}

export function hasControl(s: string): boolean {
  for (const ch of s) if (isControl(ch)) return true;
  return false;
}

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Data shown as text: every control character (a newline, a carriage return, an escape that would colour or move
 * the terminal's cursor) written as its escape, `\n`, `\t`, `\u001b`, so the text stays on its line and inert.
 */
export function printable(s: string, options: { keepTabs?: boolean } = {}): string {
  if (!hasControl(s)) return s;
  let out = '';
  for (const ch of s) {
    if (!isControl(ch) || (ch === '\t' && options.keepTabs)) out += ch;
    else out += SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return out;
}
