// Signs that SQL is MySQL or SQLite rather than PostgreSQL: words and characters PostgreSQL's grammar has no place
// for, found among the tokens of PostgreSQL's own scanner (libpg-query), so that strings, comments and quoted names
// never count. Discovery uses them for a set whose config, file names and folder say nothing.
import { createHash } from 'node:crypto';
import type { Dialect } from '../ir.js';
import type { SourceText } from '../migration.js';
import { PostgresParserNotLoaded, scanSync } from './libpg.js';
import { SourceMap } from './source-map.js';
import { splitStatements } from './split.js';

export interface DialectMarker {
  dialect: Exclude<Dialect, 'postgresql'>;
  /** As a reason says it: "AUTO_INCREMENT", "ENGINE=", "backticks". */
  marker: string;
  /** Backticks are MySQL's quotes, but SQLite accepts them too: they decide only when nothing else does. */
  strong: boolean;
  line: number;
}

// Text without any of these cannot hold a marker: the scanner is not run on it.
const HINTS = ['`', 'auto_increment', 'engine', 'unsigned', 'autoincrement', 'pragma'];

// Markers by source (a hash of its first line and text), found in this run or, through check's cache, in an earlier
// one: a re-run on an unchanged repository does not scan again.
const memo = new Map<string, DialectMarker[]>();
const used = new Set<string>();
let scans = 0;

/** Markers an earlier run found (check's cache), trusted for the sources they were found in. */
export function rememberMarkers(entries: Iterable<[string, DialectMarker[]]>): void {
  for (const [k, v] of entries) memo.set(k, v);
}

/** The markers this run used, and whether it had to scan for any (then they are worth storing). */
export function markersUsed(): { entries: Array<[string, DialectMarker[]]>; scanned: boolean } {
  return { entries: [...used].map((k) => [k, memo.get(k) ?? []]), scanned: scans > 0 };
}

/** The markers in a SQL source, in order (at most one of each kind per statement). */
export function dialectMarkers(source: SourceText): DialectMarker[] {
  const lower = source.text.toLowerCase();
  if (!HINTS.some((h) => lower.includes(h))) return [];
  const key = createHash('sha1').update(`${source.startLine}\n${source.text}`).digest('base64');
  used.add(key);
  const known = memo.get(key);
  if (known) return known;
  scans++;
  const out = scan(source);
  memo.set(key, out);
  return out;
}

function scan(source: SourceText): DialectMarker[] {
  const map = new SourceMap(source);
  const out: DialectMarker[] = [];
  // MySQL strings escape quotes with a backslash, which PostgreSQL's scanner rejects: each statement is scanned on
  // its own (cut the way the mysql client cuts them), so one it cannot scan does not hide the others.
  for (const piece of splitStatements(source.text, 'mysql').statements) {
    const text = source.text.slice(piece.start, piece.end);
    let tokens: ReturnType<typeof scanSync>['tokens'];
    try {
      tokens = scanSync(text).tokens;
    } catch (e) {
      if (e instanceof PostgresParserNotLoaded || String((e as Error).message).includes('not initialized')) throw e;
      continue;
    }
    const bytes = Buffer.from(text);
    const word = (i: number) => {
      const t = tokens[i];
      return t ? bytes.subarray(t.start, t.end).toString() : '';
    };
    const ddl = ['CREATE', 'ALTER'].includes(word(0).toUpperCase());
    const found = new Set<string>();
    const add = (i: number, dialect: DialectMarker['dialect'], marker: string, strong = true) => {
      if (found.has(marker)) return;
      found.add(marker);
      const start = bytes.subarray(0, tokens[i]?.start ?? 0).toString().length;
      out.push({ dialect, marker, strong, line: map.position(piece.start + start).line });
    };
    for (let i = 0; i < tokens.length; i++) {
      const w = word(i);
      if (w === '`') add(i, 'mysql', 'backticks', false);
      // Keywords and quoted names are other tokens: an IDENT spelt exactly so is the bare word.
      if (tokens[i]?.tokenName !== 'IDENT') continue;
      const upper = w.toUpperCase();
      if (upper === 'AUTO_INCREMENT') add(i, 'mysql', 'AUTO_INCREMENT');
      else if (upper === 'ENGINE' && ddl && word(i + 1) === '=') add(i, 'mysql', 'ENGINE=');
      else if (upper === 'UNSIGNED' && ddl) add(i, 'mysql', 'UNSIGNED');
      else if (upper === 'AUTOINCREMENT') add(i, 'sqlite', 'AUTOINCREMENT');
      else if (upper === 'PRAGMA' && i === 0) add(i, 'sqlite', 'PRAGMA');
    }
  }
  return out;
}
