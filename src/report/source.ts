// The source lines a finding points at, as a compiler-style code frame (shared by every reporter that shows code).
import { createRequire } from 'node:module';
import type { MigrationReport } from '../analyze.js';
import type { Finding } from '../findings.js';
import type { SourceText } from '../migration.js';

type CodeFrameColumns = typeof import('@babel/code-frame').codeFrameColumns;
// Required when the first frame is drawn: a JSON report draws none.
let codeFrameColumns: CodeFrameColumns | undefined;
const frameColumns = (): CodeFrameColumns => {
  codeFrameColumns ??= (createRequire(import.meta.url)('@babel/code-frame') as typeof import('@babel/code-frame')).codeFrameColumns;
  return codeFrameColumns;
};

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
  const { text, startLine } = framedLines(source, rel, relEnd);
  // `startLine` is code-frame's (7.x) option; @types/babel__code-frame predates it.
  const options: NonNullable<Parameters<CodeFrameColumns>[2]> & { startLine: number } = {
    highlightCode: false,
    linesAbove: LINES_ABOVE,
    linesBelow: LINES_BELOW,
    startLine,
  };
  const frame = frameColumns()(
    text,
    {
      start: { line: rel, column: f.span.column },
      end: relEnd === rel ? { line: rel, column: Math.max(f.span.endColumn, f.span.column + 1) } : undefined,
    },
    options,
  );
  // code-frame numbers lines within the snippet; a dbmate/goose section starts mid-file.
  return renumber(frame, source.startLine - 1);
}

const LINES_ABOVE = 1;
const LINES_BELOW = 1;
/** code-frame's own line breaks. */
const NEWLINE = /\r\n|[\n\r\u2028\u2029]/g;
const LINE_STARTS = new WeakMap<SourceText, number[]>();

/**
 * Only the lines the frame shows, numbered from where they start: code-frame splits whatever text it gets,
 * so giving it the whole file costs a split of the file per finding (16k findings in one file).
 * The frame is the same as code-frame's on the whole text.
 */
function framedLines(source: SourceText, rel: number, relEnd: number): { text: string; startLine: number } {
  let starts = LINE_STARTS.get(source);
  if (!starts) {
    starts = [0];
    for (const m of source.text.matchAll(NEWLINE)) starts.push(m.index + m[0].length);
    LINE_STARTS.set(source, starts);
  }
  const lineCount = starts.length;
  if (rel < 1 || relEnd < rel || relEnd > lineCount) return { text: source.text, startLine: 1 };
  const first = Math.max(rel - LINES_ABOVE, 1);
  const last = Math.min(lineCount, relEnd + LINES_BELOW);
  // Up to the break that ends the last shown line, without it.
  const text =
    last < lineCount
      ? source.text.slice(starts[first - 1], starts[last]).replace(/(\r\n|[\n\r\u2028\u2029])$/, '')
      : source.text.slice(starts[first - 1]);
  return { text, startLine: first };
}

function renumber(frame: string, offset: number): string {
  if (offset === 0) return frame;
  return frame.replace(/^(>?\s*)(\d+)( \|)/gm, (_, lead: string, n: string, bar: string) => {
    const shifted = String(Number(n) + offset);
    return `${lead.slice(0, Math.max(0, lead.length - (shifted.length - n.length)))}${shifted}${bar}`;
  });
}
