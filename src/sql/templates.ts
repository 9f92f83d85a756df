// Template placeholders in SQL files: tools that render SQL before running it (supabase/auth and pop
// through Go text/template `{{ ... }}`, Flyway and goose ENVSUB through `${...}`) ship files that are
// not SQL as written. Each placeholder outside string literals and comments becomes an identifier of
// the same length, so the statement parses and every line and column still points at the user's file.

import type { SourceText } from '../migration.js';
import { scanSync } from './libpg.js';
import { SourceMap } from './source-map.js';

/** Quick test before scanning: most files have no placeholder at all. */
function mayHaveTemplates(text: string): boolean {
  return text.includes('{{') || text.includes('${');
}

/**
 * Replaces `{{ ... }}` and `${...}` placeholders found outside string literals and comments (the PostgreSQL
 * scanner reports `{` and `$` as their own tokens only there) or inside a quoted identifier, by `tmpl_<word>___`
 * of the same length. Inside string literals they are left alone: they do not stop parsing, and `'{{1,2},{3,4}}'`
 * is an array literal, not a template.
 */
export function maskTemplates(source: SourceText): string {
  const text = source.text;
  if (!mayHaveTemplates(text)) return text;
  let tokens: ReturnType<typeof scanSync>['tokens'];
  try {
    tokens = scanSync(text).tokens;
  } catch {
    return text;
  }
  const map = new SourceMap(source);
  const ranges: Array<[number, number]> = [];
  let searchFrom = 0;
  const add = (start: number, close: string) => {
    if (start < searchFrom) return;
    const end = text.indexOf(close, start + 2);
    if (end < 0) return;
    ranges.push([start, end + close.length]);
    searchFrom = end + close.length;
  };
  for (const [i, a] of tokens.entries()) {
    const start = map.charOffset(a.start);
    const first = text[start];
    // Inside a quoted identifier (`"{{ .Schema }}".users`) the action is still rendered before the SQL is read.
    if (first === '"') {
      const inner = text.slice(start, map.charOffset(a.end));
      for (const open of ['{{', '${']) {
        const at = inner.indexOf(open);
        if (at > 0) add(start + at, open === '{{' ? '}}' : '}');
      }
      continue;
    }
    const b = tokens[i + 1];
    if (!b || b.start !== a.end || text[map.charOffset(b.start)] !== '{') continue;
    if (first === '{') add(start, '}}');
    else if (first === '$') add(start, '}');
  }
  if (!ranges.length) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + placeholder(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}

/** `{{ index .Options "Namespace" }}` → `tmpl_Namespace__________________` (same length, line breaks kept). */
function placeholder(action: string): string {
  const words = action.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const lines = action.split('\n');
  const firstLength = lines[0]?.length ?? 0;
  // Lower case: the same placeholder names one object whether the SQL quotes it (`"{{ .Schema }}"`) or not.
  const ident = `tmpl_${(words.at(-1) ?? '').toLowerCase()}`.padEnd(firstLength, '_').slice(0, firstLength);
  return [ident, ...lines.slice(1).map((l) => ' '.repeat(l.length))].join('\n');
}
