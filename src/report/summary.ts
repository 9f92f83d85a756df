// What every reviewer-facing report says first: which door each migration is, and the totals.
import type { MigrationReport } from '../analyze.js';
import type { CheckResult } from '../check.js';
import type { Severity } from '../findings.js';
import { printable } from '../help.js';

/** `unverified`: no answer says one-way, but a part no reader followed could; never shown as a two-way door. */
export type Door = 'two-way' | 'one-way' | 'declared-contract' | 'unverified';

export const DOOR_LABEL: Record<Door, string> = {
  'two-way': 'two-way door',
  'one-way': 'one-way door',
  'declared-contract': 'one-way door (declared contract)',
  unverified: 'unverified door',
};

export function doorOf(r: Pick<MigrationReport, 'phase' | 'codeRollback' | 'dbRollback' | 'declaredContract'>): Door {
  const oneWay = r.codeRollback === 'breaking' || r.dbRollback === 'irreversible' || r.dbRollback === 'lossy';
  if (oneWay) return r.declaredContract ? 'declared-contract' : 'one-way';
  if (r.phase === 'unknown' || r.codeRollback === 'unknown' || r.dbRollback === 'unknown') return 'unverified';
  return 'two-way';
}

export interface Totals {
  migrations: number;
  /** One-way doors, declared contracts included. */
  oneWayDoors: number;
  declaredContracts: number;
  /** Migrations with an unknown answer that are not one-way doors anyway. */
  unverified: number;
  withoutDown: number;
  /** Unsuppressed findings by severity. */
  findings: Record<Severity, number>;
  /** Suppressed by a `twoway-ignore` or a declared contract. */
  suppressed: number;
  /** Accepted by the baseline (not counted in `suppressed`). */
  baselined: number;
  /** Baseline entries that match nothing any more. */
  staleBaseline: number;
  unreadable: number;
}

export function totalsOf(result: CheckResult): Totals {
  const reports = result.sets.flatMap((s) => s.reports);
  const doors = reports.map(doorOf);
  const findings = reports.flatMap((r) => r.findings);
  const active = findings.filter((f) => !f.suppressed);
  const baselined = findings.filter((f) => f.suppressed?.kind === 'baseline').length;
  return {
    migrations: reports.length,
    oneWayDoors: doors.filter((d) => d === 'one-way' || d === 'declared-contract').length,
    declaredContracts: doors.filter((d) => d === 'declared-contract').length,
    unverified: doors.filter((d) => d === 'unverified').length,
    withoutDown: reports.filter((r) => r.dbRollback === 'no-down').length,
    findings: {
      error: active.filter((f) => f.severity === 'error').length,
      warning: active.filter((f) => f.severity === 'warning').length,
      info: active.filter((f) => f.severity === 'info').length,
    },
    suppressed: findings.length - active.length - baselined,
    baselined,
    staleBaseline: result.baseline?.stale.length ?? 0,
    unreadable: result.errors.length,
  };
}

/** The summary every format leads or ends with, in the same words: the counts a reviewer compares. */
export function summaryParts(t: Totals): string[] {
  const parts = [
    plural(t.migrations, 'migration'),
    `${plural(t.oneWayDoors, 'one-way door')}${t.declaredContracts ? ` (${t.declaredContracts} declared contract)` : ''}`,
    plural(t.unverified, 'unverified door'),
    `${t.withoutDown} without a down`,
    `${plural(t.findings.error, 'error')}, ${plural(t.findings.warning, 'warning')}, ${t.findings.info} info`,
  ];
  if (t.suppressed) parts.push(`${t.suppressed} suppressed`);
  if (t.baselined) parts.push(`${t.baselined} in the baseline`);
  if (t.staleBaseline) parts.push(`${t.staleBaseline} stale baseline ${t.staleBaseline === 1 ? 'entry' : 'entries'}`);
  if (t.unreadable) parts.push(plural(t.unreadable, 'unreadable input'));
  return parts;
}

/** Reviewers' order: what needs a decision first (one-way, unverified), planned contracts, then two-way doors. */
export const DOOR_ORDER: Record<Door, number> = { 'one-way': 0, unverified: 1, 'declared-contract': 2, 'two-way': 3 };

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A message is data: a newline in it (an identifier can hold one) must not start a line of its own, where a
 * problem matcher, an annotation or a reader takes it for twoway's own text; any other control character (a
 * terminal escape) is written as its escape. Messages are one sentence or a few.
 */
export function oneLine(s: string): string {
  return printable(s.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' '));
}
