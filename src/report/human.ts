// Human output: a compiler-style diagnostic per finding (file:line:col, code frame, help), a verdict
// line per migration and a summary. Colour only when the caller says so (a TTY without NO_COLOR).
import pc from 'picocolors';
import type { MigrationReport } from '../analyze.js';
import type { CheckResult } from '../check.js';
import type { Finding } from '../findings.js';
import type { SourceText } from '../migration.js';
import { codeFrame, sourceOf } from './source.js';
import { DOOR_LABEL, doorOf, plural, totalsOf } from './summary.js';

export interface HumanOptions {
  color: boolean;
  /** Show suppressed findings too (they are counted either way). */
  verbose?: boolean;
}

export function formatHuman(result: CheckResult, options: HumanOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const reports = result.sets.flatMap((s) => s.reports);
  for (const r of reports) {
    const m = r.parsed.migration;
    out.push(`${c.bold(m.path)} ${c.dim(`${m.framework} ${m.id}`)}`);
    out.push(
      `  ${doorLabel(r, c)}  phase ${c.bold(r.phase)} · code rollback ${colourAnswer(r.codeRollback, c)} · db rollback ${colourAnswer(r.dbRollback, c)}`,
    );
    if (r.unread.length) {
      out.push(
        c.magenta(`  not read (${r.coverage.read} of ${r.coverage.total} statements read): the answers these could change are unknown`),
      );
      for (const u of r.unread) out.push(c.dim(`    ${u.span.path}:${u.span.line}:${u.span.column} (${u.direction}): ${u.reason}`));
    }
    for (const f of r.findings) {
      if (f.suppressed && !options.verbose) continue;
      out.push(...formatFinding(f, sourceOf(r, f.path), c).map((l) => `  ${l}`));
    }
    // Hidden, but said: a one-way door whose findings are all suppressed would otherwise show no reason.
    const hidden = options.verbose ? [] : r.findings.filter((f) => f.suppressed);
    if (hidden.length) {
      const reasons = [...new Set(hidden.map((f) => f.suppressed?.reason))].join('; ');
      out.push(c.dim(`  ${hidden.length} suppressed (${reasons}): --verbose shows them`));
    }
    out.push('');
  }
  for (const e of result.errors) out.push(`${c.red('error')} ${e.path}${e.line ? `:${e.line}:${e.column}` : ''}: ${e.message}`);
  if (result.errors.length) out.push('');
  out.push(summary(result, c));
  return `${out.join('\n')}\n`;
}

type Colors = ReturnType<typeof pc.createColors>;

const DOOR_COLOUR = { 'two-way': 'green', 'declared-contract': 'yellow', 'one-way': 'red', unverified: 'magenta' } as const;

function doorLabel(r: MigrationReport, c: Colors): string {
  const door = doorOf(r);
  return c[DOOR_COLOUR[door]](DOOR_LABEL[door]);
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
    `${sev} ${c.bold(f.rule)} ${c.dim(`(${f.category})`)} ${f.path}:${f.line}:${f.column}${f.suppressed ? c.dim(` [suppressed: ${f.suppressed.reason}]`) : ''}`,
  ];
  lines.push(`  ${f.message}`);
  const frame = codeFrame(f, source);
  if (frame) lines.push(...frame.split('\n').map((l) => `  ${l}`));
  for (const e of f.evidence ?? []) lines.push(`  ${c.dim(`${e.ref}:${e.path}:${e.line}`)} ${e.text}`);
  lines.push(...f.fix.split('\n').map((l, i) => `  ${i === 0 ? c.green('help:') : '     '} ${l}`));
  return lines;
}

function summary(result: CheckResult, c: Colors): string {
  const t = totalsOf(result);
  const parts = [
    plural(t.migrations, 'migration'),
    `${plural(t.oneWayDoors, 'one-way door')}${t.declaredContracts ? ` (${t.declaredContracts} declared contract)` : ''}`,
    plural(t.unverified, 'unverified door'),
    `${t.withoutDown} without a down`,
    `${plural(t.findings.error, 'error')}, ${plural(t.findings.warning, 'warning')}`,
  ];
  if (t.unreadable) parts.push(plural(t.unreadable, 'unreadable input'));
  const colour = t.oneWayDoors - t.declaredContracts > 0 || t.findings.error ? c.red : t.unverified ? c.magenta : c.green;
  return colour(parts.join(' · '));
}
