// Findings and verdicts: the vocabulary of the JSON report (DESIGN.md, a public contract).
import type { Span } from './ir.js';

export type Category = 'data-loss' | 'breaks-old-code' | 'locking' | 'rollback';
export type Severity = 'error' | 'warning' | 'info';
export type Phase = 'expand' | 'contract' | 'breaking' | 'data';
export type CodeRollback = 'compatible' | 'breaking';
export type DbRollback = 'reversible' | 'lossy' | 'irreversible' | 'no-down';

/** What a finding means for the migration's verdict, whatever its reported severity. */
export interface Effect {
  phase?: Phase;
  codeRollback?: CodeRollback;
  dbRollback?: Exclude<DbRollback, 'reversible'>;
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
  effect: Effect;
  /** Suppressed by a `twoway-ignore` with a reason, or part of a declared contract step. */
  suppressed?: { kind: 'ignore' | 'contract'; reason: string };
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
export const PHASE_RANK: Record<Phase, number> = { expand: 0, data: 1, contract: 2, breaking: 3 };
export const DB_ROLLBACK_RANK: Record<DbRollback, number> = { reversible: 0, 'no-down': 1, lossy: 2, irreversible: 3 };
