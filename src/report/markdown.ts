// A pull-request comment: the verdict in the title, one table row per migration (door, phase, both
// rollback answers, findings), then each migration's findings with code and fix in collapsed details.
import type { MigrationReport } from '../analyze.js';
import type { CheckResult } from '../check.js';
import { type Finding, SEVERITY_RANK } from '../findings.js';
import { helpParts } from '../help.js';
import { codeFrame, sourceOf } from './source.js';
import { DOOR_LABEL, DOOR_ORDER, type Door, doorOf, oneLine, plural, summaryParts, totalsOf } from './summary.js';

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
  const scope = options.since ? ` added or changed since <code>${plain(options.since)}</code>` : '';
  const unverified = t.unverified ? `, ${plural(t.unverified, 'unverified door')}` : '';
  const declared = t.declaredContracts ? ` (${t.declaredContracts} declared contract)` : '';
  if (accidental > 0)
    head.push(
      `### 🔴 twoway: ${plural(t.oneWayDoors, 'one-way door')}${declared}${unverified} in ${plural(t.migrations, 'migration')}${scope}`,
    );
  else if (t.unverified)
    head.push(`### 🟠 twoway: ${plural(t.unverified, 'unverified door')} in ${plural(t.migrations, 'migration')}${scope}`);
  else if (t.migrations) head.push(`### 🟢 twoway: ${plural(t.migrations, 'migration')}${scope}, no unplanned one-way door`);
  else head.push(`### twoway: no migration${scope || ' found'}`);
  head.push('');
  // The same counts, in the same words, as the human summary and the HTML page.
  head.push(summaryParts(t).join(' · '), '');

  if (reports.length) head.push(...table(reports), '');
  if (result.errors.length) {
    head.push('**Unreadable input**', '');
    for (const e of result.errors) head.push(`- ${code(`${e.path}${e.line ? `:${e.line}:${e.column}` : ''}`)}: ${plain(e.message)}`);
    head.push('');
  }

  let text = head.join('\n');
  // One-way and unverified doors first: when the comment runs out of room, two-way doors' details go first.
  // Baselined findings are counted in the table, never shown again: the comment is about what is new.
  const withFindings = reports
    .filter((r) => r.findings.some((f) => !isBaselined(f)))
    .sort((a, b) => DOOR_ORDER[doorOf(a)] - DOOR_ORDER[doorOf(b)]);
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
    return `| ${DOOR_ICON[door]} | ${code(shortPath(m.path))} | ${DOOR_LABEL[door]} | ${r.phase} | ${r.codeRollback} | ${r.dbRollback} | ${findingCounts(r.findings)} |`;
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
  const out = [`<details><summary>${DOOR_ICON[doorOf(r)]} ${code(shortPath(m.path))}: ${findingCounts(r.findings)}</summary>`, ''];
  if (r.unread.length) {
    out.push(`**Not read** (${r.coverage.read} of ${r.coverage.total} statements read): the answers these could change are unknown.`, '');
    for (const u of r.unread) out.push(`- ${code(`${u.span.path}:${u.span.line}:${u.span.column}`)} (${u.direction}): ${plain(u.reason)}`);
    out.push('');
  }
  const shown = r.findings.filter((f) => !isBaselined(f));
  for (const f of shown.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])) {
    const status = f.suppressed ? ` (suppressed: ${plain(f.suppressed.reason)})` : '';
    const side = f.direction === 'down' ? ' in the down' : '';
    out.push(
      `**${f.severity}** ${code(f.rule)} (${f.category})${side} at ${code(`${shortPath(f.path)}:${f.line}:${f.column}`)}${status}`,
      '',
    );
    out.push(plain(f.message), '');
    const frame = codeFrame(f, sourceOf(r, f.path));
    if (frame) out.push(fence(frame, 'text'), '');
    // Prose stays prose, code goes in fences: a fix reads "do this:", code, "then:", code.
    // Each code block labelled with its own language: a Rails fix is Ruby, a Django one Python, a runner's setting YAML.
    const [first, ...rest] = helpParts(f);
    if (first?.code) out.push('**Do instead:**', '', fence(first.text, first.language ?? 'sql'), '');
    else out.push(`**Do instead:** ${plain(first?.text ?? '')}`, '');
    for (const part of rest) out.push(part.code ? fence(part.text, part.language ?? 'sql') : plain(part.text), '');
  }
  out.push('</details>', '');
  return out.join('\n');
}

function isBaselined(f: Finding): boolean {
  return f.suppressed?.kind === 'baseline';
}

function findingCounts(findings: readonly Finding[]): string {
  const active = findings.filter((f) => !f.suppressed);
  const parts = (['error', 'warning', 'info'] as const).flatMap((s) => {
    const n = active.filter((f) => f.severity === s).length;
    return n ? [s === 'info' ? `${n} info` : plural(n, s)] : [];
  });
  const baselined = findings.filter((f) => f.suppressed?.kind === 'baseline').length;
  const suppressed = findings.length - active.length - baselined;
  if (suppressed) parts.push(`${suppressed} suppressed`);
  if (baselined) parts.push(`${baselined} in the baseline`);
  return parts.join(', ') || 'none';
}

/** A fence longer than any backtick run inside, so code never closes it. */
function fence(code: string, lang: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${code}\n${ticks}`;
}

/**
 * Text that is data, never markup: an identifier holding a newline, backticks, `#`, `[`, `|` or `<` cannot start a
 * heading, a list, a link, a code span, a table cell or a tag. One line, HTML-escaped, Markdown punctuation escaped.
 */
export function plain(s: string): string {
  return oneLine(s)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/[\\`*_[\]#!|~]/g, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^[-+=]/, '\\$&');
}

/** Inline code that cannot be closed from inside: an HTML <code>, its text escaped (backticks and all). */
function code(s: string): string {
  return `<code>${plain(s)}</code>`;
}

/**
 * A path too long for a table cell, shortened to its last segments: always the file and its folder, which is the
 * migration's name when the file is not (diesel's `<version>_<name>/up.sql`, Prisma's `<name>/migration.sql`).
 */
export function shortPath(path: string, max = 60): string {
  if (path.length <= max) return path;
  const segments = path.split(/[\\/]/);
  let short = segments.pop() ?? path;
  if (segments.length) short = `${segments.pop()}/${short}`;
  while (segments.length && short.length + (segments.at(-1)?.length ?? 0) + 3 <= max) short = `${segments.pop()}/${short}`;
  return segments.length ? `…/${short}` : short;
}
