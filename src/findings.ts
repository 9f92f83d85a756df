// Findings and verdicts: the vocabulary of the JSON report (DESIGN.md, a public contract).
import type { Span } from './ir.js';

export type Category = 'data-loss' | 'breaks-old-code' | 'locking' | 'rollback' | 'hygiene';
export type Severity = 'error' | 'warning' | 'info';
/** `unknown`: a part of the migration no reader could follow could change the answer. */
export type Phase = 'expand' | 'contract' | 'breaking' | 'data' | 'unknown';
export type CodeRollback = 'compatible' | 'breaking' | 'unknown';
export type DbRollback = 'reversible' | 'lossy' | 'irreversible' | 'no-down' | 'unknown';

/** What a change means for the migration's verdict (a judge's reason; a rule's claim). */
export interface Effect {
  phase?: Exclude<Phase, 'unknown'>;
  codeRollback?: Exclude<CodeRollback, 'unknown'>;
  dbRollback?: Exclude<DbRollback, 'reversible' | 'unknown'>;
}

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  message: string;
  path: string;
  line: number;
  column: number;
  fix: string;
  /** Not part of the JSON contract: where the finding points, for code frames. */
  span: Span;
  /** The side of the migration the finding is about. */
  direction: 'up' | 'down';
  /** Not part of the JSON contract: what the judge found here for the verdict (empty for locks and hygiene). */
  effect: Effect;
  /** Suppressed by a `twoway-ignore` with a reason, part of a declared contract step, or recorded in the baseline. */
  suppressed?: { kind: 'ignore' | 'contract' | 'baseline'; reason: string };
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
export const PHASE_RANK: Record<Exclude<Phase, 'unknown'>, number> = { expand: 0, data: 1, contract: 2, breaking: 3 };
