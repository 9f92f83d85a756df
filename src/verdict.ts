// Folds a migration's findings into DESIGN.md's two answers and its phase.
import type { CodeRollback, DbRollback, Finding, Phase } from './findings.js';
import { DB_ROLLBACK_RANK, PHASE_RANK } from './findings.js';
import type { ParsedMigration } from './migration.js';

export interface Verdict {
  phase: Phase;
  codeRollback: CodeRollback;
  dbRollback: DbRollback;
}

/** True when the migration has a down that does something: a written-but-empty down is no down. */
export function hasDown(parsed: ParsedMigration): boolean {
  if (parsed.downStatus === 'none' || parsed.downStatus === 'irreversible') return false;
  return (parsed.down?.length ?? 0) > 0;
}

/**
 * `findings` must include every finding, also those a config turned off or a comment
 * suppressed: a suppressed drop is still a one-way door.
 */
export function verdictOf(parsed: ParsedMigration, findings: readonly Finding[]): Verdict {
  let phase: Phase = 'expand';
  let codeRollback: CodeRollback = 'compatible';
  let worst: DbRollback = 'reversible';
  for (const { effect } of findings) {
    if (effect.phase && PHASE_RANK[effect.phase] > PHASE_RANK[phase]) phase = effect.phase;
    if (effect.codeRollback === 'breaking') codeRollback = 'breaking';
    if (effect.dbRollback && DB_ROLLBACK_RANK[effect.dbRollback] > DB_ROLLBACK_RANK[worst]) worst = effect.dbRollback;
  }
  // irreversible > no-down > lossy > reversible: without a down, "lossy" (about the down) has no meaning.
  let dbRollback: DbRollback = worst;
  if (worst !== 'irreversible' && !hasDown(parsed)) dbRollback = 'no-down';
  return { phase, codeRollback, dbRollback };
}
