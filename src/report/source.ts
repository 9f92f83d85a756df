// The source lines a finding points at, as a compiler-style code frame (shared by every reporter that shows code).
import { codeFrameColumns } from '@babel/code-frame';
import type { MigrationReport } from '../analyze.js';
import type { Finding } from '../findings.js';
import type { SourceText } from '../migration.js';

/** The up or down source a finding's path names, when the migration has it. */
export function sourceOf(r: MigrationReport, path: string): SourceText | undefined {
  const m = r.parsed.migration;
  return [m.up, m.down].find((s) => s?.path === path) ?? undefined;
}

/** A plain-text code frame (line numbers of the file, the span underlined), or null without the source. */
export function codeFrame(f: Finding, source: SourceText | undefined): string | null {
  if (!source) return null;
  const rel = f.span.line - source.startLine + 1;
  const relEnd = f.span.endLine - source.startLine + 1;
  const frame = codeFrameColumns(
    source.text,
    {
      start: { line: rel, column: f.span.column },
      end: relEnd === rel ? { line: rel, column: Math.max(f.span.endColumn, f.span.column + 1) } : undefined,
    },
    { highlightCode: false, linesAbove: 1, linesBelow: 1 },
  );
  // code-frame numbers lines within the snippet; a dbmate/goose section starts mid-file.
  return renumber(frame, source.startLine - 1);
}

function renumber(frame: string, offset: number): string {
  if (offset === 0) return frame;
  return frame.replace(/^(>?\s*)(\d+)( \|)/gm, (_, lead: string, n: string, bar: string) => {
    const shifted = String(Number(n) + offset);
    return `${lead.slice(0, Math.max(0, lead.length - (shifted.length - n.length)))}${shifted}${bar}`;
  });
}

/**
 * A fix as prose and code: its first line is prose; after it, a line ending in "." or ":" (not a "--" or "#"
 * comment) is prose, the rest is code, in runs. Fixes are written so: "Do this:", code, "Then drop it later.".
 */
export function fixParts(fix: string): Array<{ code: boolean; text: string }> {
  const parts: Array<{ code: boolean; text: string }> = [];
  for (const [i, line] of fix.split('\n').entries()) {
    const t = line.trim();
    const prose = i === 0 || (!t.startsWith('--') && !t.startsWith('#') && (t.endsWith('.') || t.endsWith(':')));
    const last = parts.at(-1);
    if (last && last.code === !prose) last.text += `\n${line}`;
    else parts.push({ code: !prose, text: line });
  }
  return parts;
}
