// Lock findings with the size of their table (issue 13, part 3): each `locking` finding of a statement
// on a table the live database holds gets its rows and bytes and, for work that goes through the table
// (a rewrite, a scan, an index build), an estimated duration from THROUGHPUT_BYTES_PER_SECOND. On a
// small table (SMALL_TABLE) the lock is short: an error or warning becomes info (not a missing
// lock_timeout: the wait for a lock does not depend on the table's size). Without statistics nothing changes.
import type { CheckResult } from '../check.js';
import type { Finding } from '../findings.js';
import { type Operation, qnameKey, qnameText } from '../ir.js';
import {
  estimateSeconds,
  formatBytes,
  formatSeconds,
  isSmall,
  type LockWork,
  SMALL_TABLE,
  type TableStats,
  THROUGHPUT_BYTES_PER_SECOND,
} from './index.js';

const QUEUEING_RULES = new Set(['require-lock-timeout']);

/** What a statement does to its table while it holds the lock. */
function workOf(op: Operation): LockWork | null {
  switch (op.kind) {
    case 'AlterColumnType':
      return 'rewrite';
    case 'SetNotNull':
    case 'ValidateConstraint':
      return 'scan';
    case 'AddConstraint':
      return op.constraint.notValid || op.constraint.usingIndex ? null : 'scan';
    case 'AddIndex':
      return op.concurrently ? 'concurrentIndex' : 'index';
    default:
      return null;
  }
}

function tableOf(op: Operation): { schema?: string; name: string } | null {
  const t = (op as { table?: unknown }).table;
  return t && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string' ? (t as { schema?: string; name: string }) : null;
}

/** Adds table sizes and duration estimates to the lock findings of `result`, in place. */
export function annotateLocks(result: CheckResult, stats: ReadonlyMap<string, TableStats>): void {
  for (const { reports } of result.sets) {
    for (const r of reports) {
      const ops = [...r.parsed.up.map((op) => ['up', op] as const), ...(r.parsed.down ?? []).map((op) => ['down', op] as const)];
      r.findings = r.findings.map((f) => {
        if (f.category !== 'locking') return f;
        const found = ops.find(
          ([d, op]) =>
            d === f.direction && op.span.path === f.span.path && op.span.line <= f.line && f.line <= op.span.endLine && tableOf(op),
        );
        if (!found) return f;
        const op = found[1];
        const q = tableOf(op) as { schema?: string; name: string };
        const t = stats.get(qnameKey(q));
        if (!t) return f;
        return withSize(f, t, qnameText(q), workOf(op));
      });
    }
  }
}

function withSize(f: Finding, t: TableStats, name: string, work: LockWork | null): Finding {
  const seconds = work ? estimateSeconds(t.bytes, work) : null;
  const rows = t.rows === null ? 'rows not estimated (never analyzed)' : `~${t.rows.toLocaleString('en-US')} rows`;
  const duration =
    seconds === null
      ? ''
      : `, ${work} estimated ${formatSeconds(seconds)} at ${formatBytes(THROUGHPUT_BYTES_PER_SECOND[work as LockWork])}/s (a documented constant, not a measurement)`;
  // Waiting for a lock (require-lock-timeout) queues every query behind it whatever the table's size.
  const small = isSmall(t) && !QUEUEING_RULES.has(f.rule);
  const note = ` Table ${name}: ${rows}, ${formatBytes(t.bytes)}${duration}.${small ? ` Under ${SMALL_TABLE.rows.toLocaleString('en-US')} rows and ${formatBytes(SMALL_TABLE.bytes)}, the lock is short.` : ''}`;
  return {
    ...f,
    message: f.message + note,
    severity: small ? 'info' : f.severity,
    size: {
      table: name,
      rows: t.rows,
      bytes: t.bytes,
      ...(seconds === null ? {} : { seconds: Math.round(seconds * 10) / 10, work: work as LockWork }),
    },
  };
}
