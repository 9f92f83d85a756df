// Findings and verdicts: the vocabulary of the JSON report (DESIGN.md, a public contract).
import type { HelpPart } from './help.js';
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

/** A line of the release running today (`--since`'s base) that shows whether it still uses what a migration changes. */
export interface Evidence {
  /** The git ref the line was read at. */
  ref: string;
  /** Path inside the repository at that ref. */
  path: string;
  line: number;
  /** What the line says (the model, the field, the ignored_columns entry, the query). */
  text: string;
}

/**
 * The release running today on one table or column: `uses` true when its code still reads or writes it,
 * false when it has stopped (or never did), null when nothing can be told. The summary is one sentence.
 */
export interface Usage {
  uses: boolean | null;
  summary: string;
  evidence: Evidence[];
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
  /** Not part of the JSON contract: `fix` as prose and code runs, each run in its language (src/help.ts). */
  help?: HelpPart[];
  /** Not part of the JSON contract: where the finding points, for code frames. */
  span: Span;
  /** The side of the migration the finding is about. */
  direction: 'up' | 'down';
  /** Not part of the JSON contract: what the judge found here for the verdict (empty for locks and hygiene). */
  effect: Effect;
  /** Lines of the release running today that decided (or support) this finding's codeRollback. */
  evidence?: Evidence[];
  /** A lock finding's table on the live database (`--database-url`): its size and, for a rewrite, scan or index build, the estimated seconds. */
  size?: { table: string; rows: number | null; bytes: number; seconds?: number; work?: 'rewrite' | 'scan' | 'index' | 'concurrentIndex' };
  /** Suppressed by a `twoway-ignore` with a reason, part of a declared contract step, or recorded in the baseline. */
  suppressed?: { kind: 'ignore' | 'contract' | 'baseline'; reason: string };
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
export const PHASE_RANK: Record<Exclude<Phase, 'unknown'>, number> = { expand: 0, data: 1, contract: 2, breaking: 3 };
