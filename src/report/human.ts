// Human output: per migration one line with its door and the three answers, then its errors and warnings
// as compiler-style diagnostics (file:line:col, code frame, help); info, suppressed and baselined findings
// are folded into a count unless --verbose. A summary last. Colour only when the caller says so.
import pc from 'picocolors';
import type { MigrationReport } from '../analyze.js';
import type { CheckResult } from '../check.js';
import { type Finding, SEVERITY_RANK } from '../findings.js';
import { printable } from '../help.js';
import type { SourceText } from '../migration.js';
import { codeFrame, sourceOf } from './source.js';
import { DOOR_LABEL, doorOf, oneLine, summaryParts, totalsOf } from './summary.js';

export interface HumanOptions {
  color: boolean;
  /** Show suppressed findings too (they are counted either way). */
  verbose?: boolean;
}

export function formatHuman(result: CheckResult, options: HumanOptions): string {
  let text = '';
  for (const chunk of humanChunks(result, options)) text += chunk;
  return text;
}

/**
 * The human report piece by piece (one migration at a time, then errors and the summary), for a caller that
 * writes as it goes: a report of thousands of migrations is never one string in memory.
 */
export function* humanChunks(result: CheckResult, options: HumanOptions): Generator<string> {
  const c = pc.createColors(options.color);
  let out: string[] = [];
  let last: string | undefined;
  const flush = () => {
    if (!out.length) return '';
    last = out.at(-1);
    const chunk = `${out.join('\n')}\n`;
    out = [];
    return chunk;
  };
  const reports = result.sets.flatMap((s) => s.reports);
  const width = Math.max(0, ...reports.map((r) => DOOR_LABEL[doorOf(r)].length));
  for (const r of reports) {
    const m = r.parsed.migration;
    // The line that matters: which door, and the three answers.
    out.push(
      `${doorLabel(r, c, width)}  ${c.bold(oneLine(m.path))} ${c.dim(`(${m.framework} ${oneLine(m.id)})`)}  phase ${c.bold(r.phase)} · code rollback ${colourAnswer(r.codeRollback, c)} · db rollback ${colourAnswer(r.dbRollback, c)}`,
    );
    const details: string[] = [];
    if (r.unread.length) {
      details.push(
        c.magenta(`  not read (${r.coverage.read} of ${r.coverage.total} statements read): the answers these could change are unknown`),
      );
      for (const u of r.unread)
        details.push(c.dim(`    ${oneLine(u.span.path)}:${u.span.line}:${u.span.column} (${u.direction}): ${oneLine(u.reason)}`));
    }
    const shown = options.verbose ? r.findings : r.findings.filter((f) => !f.suppressed && f.severity !== 'info');
    for (const f of [...shown].sort(bySeverity)) details.push(...formatFinding(f, sourceOf(r, f.path), c).map((l) => `  ${l}`));
    // Folded, but said: a one-way door whose findings are all suppressed would otherwise show no reason.
    if (!options.verbose) {
      const folded = foldedCounts(r.findings);
      if (folded) details.push(c.dim(`  ${folded}: --verbose shows them`));
    }
    if (details.length) out.push(...details, '');
    yield flush();
  }
  if (reports.length && last !== '') out.push('');
  for (const e of result.errors)
    out.push(`${c.red('error')} ${oneLine(e.path)}${e.line ? `:${e.line}:${e.column}` : ''}: ${oneLine(e.message)}`);
  if (result.errors.length) out.push('');
  for (const e of result.baseline?.stale ?? [])
    out.push(
      c.yellow(
        `stale baseline entry ${oneLine(result.baseline?.file ?? '')}: ${oneLine(e.rule)} (${e.direction}) in ${oneLine(e.path)} matches no finding any more`,
      ),
    );
  if (result.baseline?.stale.length) out.push(c.dim('`twoway baseline` rewrites the file without them'), '');
  out.push(summary(result, c));
  yield flush();
}

/** Errors first, then warnings, then info; in file order within each. */
function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
}

/** What the default view leaves out of a migration: info findings, suppressed ones (with their reasons), baselined ones. */
function foldedCounts(findings: readonly Finding[]): string {
  const info = findings.filter((f) => !f.suppressed && f.severity === 'info').length;
  const suppressed = findings.filter((f) => f.suppressed && f.suppressed.kind !== 'baseline');
  const baselined = findings.filter((f) => f.suppressed?.kind === 'baseline').length;
  const parts: string[] = [];
  if (info) parts.push(`${info} info`);
  if (suppressed.length)
    parts.push(`${suppressed.length} suppressed (${[...new Set(suppressed.map((f) => f.suppressed?.reason))].join('; ')})`);
  if (baselined) parts.push(`${baselined} in the baseline`);
  return parts.join(', ');
}

type Colors = ReturnType<typeof pc.createColors>;

const DOOR_COLOUR = { 'two-way': 'green', 'declared-contract': 'yellow', 'one-way': 'red', unverified: 'magenta' } as const;

function doorLabel(r: MigrationReport, c: Colors, width: number): string {
  const door = doorOf(r);
  return c[DOOR_COLOUR[door]](DOOR_LABEL[door].padEnd(width));
}

function colourAnswer(answer: string, c: Colors): string {
  if (answer === 'compatible' || answer === 'reversible') return c.green(answer);
  if (answer === 'no-down') return c.yellow(answer);
  if (answer === 'unknown') return c.magenta(answer);
  return c.red(answer);
}

export function formatFinding(f: Finding, source: SourceText | undefined, c: Colors): string[] {
  const sev = f.severity === 'error' ? c.red(c.bold('error')) : f.severity === 'warning' ? c.yellow(c.bold('warning')) : c.cyan('info');
  const lines = [
    `${sev} ${c.bold(f.rule)} ${c.dim(`(${f.category}${f.direction === 'down' ? ', in the down' : ''})`)} ${oneLine(f.path)}:${f.line}:${f.column}${f.suppressed ? c.dim(` [suppressed: ${oneLine(f.suppressed.reason)}]`) : ''}`,
  ];
  lines.push(`  ${oneLine(f.message)}`);
  const frame = codeFrame(f, source);
  // The file as it is, but inert: an escape in it must not colour or move the terminal (tabs stay tabs).
  if (frame) lines.push(...frame.split('\n').map((l) => `  ${printable(l, { keepTabs: true })}`));
  for (const e of f.evidence ?? []) lines.push(`  ${c.dim(`${oneLine(e.ref)}:${oneLine(e.path)}:${e.line}`)} ${oneLine(e.text)}`);
  lines.push(...f.fix.split('\n').map((l, i) => `  ${i === 0 ? c.green('help:') : '     '} ${l}`));
  return lines;
}

function summary(result: CheckResult, c: Colors): string {
  const t = totalsOf(result);
  const colour = t.oneWayDoors - t.declaredContracts > 0 || t.findings.error ? c.red : t.unverified ? c.magenta : c.green;
  return colour(summaryParts(t).join(' · '));
}
