// A pull-request comment: the verdict in the title, one table row per migration (door, phase, both
// rollback answers, findings), then each migration's findings with code and fix in collapsed details.
import type { MigrationReport } from '../analyze.js';
import type { CheckResult } from '../check.js';
import type { Finding } from '../findings.js';
import { codeFrame, sourceOf } from './source.js';
import { DOOR_LABEL, type Door, doorOf, plural, totalsOf } from './summary.js';

/** The first line of every comment twoway writes: lets a CI step find and update its own comment. */
export const COMMENT_MARKER = '<!-- twoway-report -->';

/** GitHub refuses comments over 65,536 characters; details past this are left to the job log. */
const MAX_LENGTH = 60_000;

const DOOR_ICON: Record<Door, string> = { 'one-way': '🔴', 'declared-contract': '🟡', unverified: '🟠', 'two-way': '🟢' };

export interface MarkdownOptions {
  /** The ref given to --since, to say what the comment covers. */
  since?: string;
}

export function formatMarkdown(result: CheckResult, options: MarkdownOptions = {}): string {
  const reports = result.sets.flatMap((s) => s.reports);
  const t = totalsOf(result);
  const accidental = t.oneWayDoors - t.declaredContracts;
  const head = [COMMENT_MARKER];
  const scope = options.since ? ` added or changed since \`${options.since}\`` : '';
  const unverified = t.unverified ? `, ${plural(t.unverified, 'unverified door')}` : '';
  if (accidental > 0)
    head.push(`### 🔴 twoway: ${plural(accidental, 'one-way door')}${unverified} in ${plural(t.migrations, 'migration')}${scope}`);
  else if (t.unverified)
    head.push(`### 🟠 twoway: ${plural(t.unverified, 'unverified door')} in ${plural(t.migrations, 'migration')}${scope}`);
  else if (t.migrations) head.push(`### 🟢 twoway: ${plural(t.migrations, 'migration')}${scope}, no unplanned one-way door`);
  else head.push(`### twoway: no migration${scope || ' found'}`);
  head.push('');
  const counts = [
    plural(t.findings.error, 'error'),
    plural(t.findings.warning, 'warning'),
    `${t.withoutDown} without a down`,
    ...(t.declaredContracts ? [`${plural(t.declaredContracts, 'declared contract step')}`] : []),
    ...(t.suppressed ? [`${t.suppressed} suppressed`] : []),
  ];
  head.push(counts.join(' · '), '');

  if (reports.length) head.push(...table(reports), '');
  if (result.errors.length) {
    head.push('**Unreadable input**', '');
    for (const e of result.errors) head.push(`- \`${e.path}${e.line ? `:${e.line}:${e.column}` : ''}\`: ${escapeHtml(e.message)}`);
    head.push('');
  }

  let text = head.join('\n');
  const withFindings = reports.filter((r) => r.findings.length);
  for (const [i, r] of withFindings.entries()) {
    const section = details(r);
    if (text.length + section.length > MAX_LENGTH) {
      text += `\n_${plural(withFindings.length - i, 'more migration')} with findings: see the job log._\n`;
      break;
    }
    text += `\n${section}`;
  }
  return `${text.trimEnd()}\n`;
}

/** One row per migration; on a whole history (no --since) only the ones worth a look, within the size limit. */
function table(reports: readonly MigrationReport[]): string[] {
  const row = (r: MigrationReport) => {
    const door = doorOf(r);
    const m = r.parsed.migration;
    return `| ${DOOR_ICON[door]} | \`${cell(m.path)}\` | ${DOOR_LABEL[door]} | ${r.phase} | ${r.codeRollback} | ${r.dbRollback} | ${cell(findingCounts(r.findings))} |`;
  };
  const out = ['| | migration | door | phase | code rollback | db rollback | findings |', '|---|---|---|---|---|---|---|'];
  let rows = reports.map(row);
  const notes: string[] = [];
  if (rows.join('\n').length > MAX_LENGTH / 2) {
    const quiet = reports.filter((r) => doorOf(r) === 'two-way' && !r.findings.length);
    rows = reports.filter((r) => !quiet.includes(r)).map(row);
    notes.push(`_${plural(quiet.length, 'two-way door')} without findings not listed._`);
    // Still too long (most migrations have a warning): the one-way doors are what the table is for.
    if (rows.join('\n').length > MAX_LENGTH / 2) {
      const twoWay = reports.filter((r) => doorOf(r) === 'two-way' && r.findings.length);
      rows = reports.filter((r) => !quiet.includes(r) && !twoWay.includes(r)).map(row);
      notes.push(`_${plural(twoWay.length, 'two-way door')} with findings not listed: see the job log._`);
    }
  }
  let length = 0;
  const kept = rows.findIndex((r) => {
    length += r.length + 1;
    return length > MAX_LENGTH / 2;
  });
  if (kept >= 0) {
    notes.push(`_${plural(rows.length - kept, 'more migration')} not listed: see the job log._`);
    rows = rows.slice(0, kept);
  }
  return [...out, ...rows, ...(notes.length ? ['', ...notes] : [])];
}

function details(r: MigrationReport): string {
  const m = r.parsed.migration;
  const out = [`<details><summary>${DOOR_ICON[doorOf(r)]} <code>${escapeHtml(m.path)}</code>: ${findingCounts(r.findings)}</summary>`, ''];
  if (r.unread.length) {
    out.push(`**Not read** (${r.coverage.read} of ${r.coverage.total} statements read): the answers these could change are unknown.`, '');
    for (const u of r.unread) out.push(`- \`${u.span.path}:${u.span.line}:${u.span.column}\` (${u.direction}): ${escapeHtml(u.reason)}`);
    out.push('');
  }
  for (const f of r.findings) {
    const status = f.suppressed ? ` (suppressed: ${escapeHtml(f.suppressed.reason)})` : '';
    out.push(`**${f.severity}** \`${f.rule}\` (${f.category}) at \`${f.path}:${f.line}:${f.column}\`${status}`, '');
    out.push(escapeHtml(f.message), '');
    const frame = codeFrame(f, sourceOf(r, f.path));
    if (frame) out.push(fence(frame, 'text'), '');
    const [first, ...rest] = f.fix.split('\n');
    out.push(`**Do instead:** ${escapeHtml(first ?? '')}`, '');
    if (rest.length) out.push(fence(rest.join('\n'), 'sql'), '');
  }
  out.push('</details>', '');
  return out.join('\n');
}

function findingCounts(findings: readonly Finding[]): string {
  const active = findings.filter((f) => !f.suppressed);
  const parts = (['error', 'warning', 'info'] as const).flatMap((s) => {
    const n = active.filter((f) => f.severity === s).length;
    return n ? [plural(n, s)] : [];
  });
  const suppressed = findings.length - active.length;
  if (suppressed) parts.push(`${suppressed} suppressed`);
  return parts.join(', ') || 'none';
}

/** A fence longer than any backtick run inside, so code never closes it. */
function fence(code: string, lang: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${code}\n${ticks}`;
}

function cell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
