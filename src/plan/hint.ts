// Where `check` says a migration is a one-way door (or takes a lock a plan softens), its help ends with the
// `twoway plan` command that writes the two-way version: only when the plan engine covers every operation in it.
import type { Finding } from '../findings.js';
import { code, help, helpParts, printable } from '../help.js';
import type { Verdict } from '../judge/judge.js';
import type { ParsedMigration } from '../migration.js';
import { Schema } from '../schema/schema.js';
import { planSteps } from './steps.js';
import { canWrite } from './writers.js';

/** Lock findings a plan answers with the gentle form (CONCURRENTLY, NOT VALID then VALIDATE, a validated check). */
export const PLANNED_LOCKS: ReadonlySet<string> = new Set([
  'require-concurrent-index-creation',
  'constraint-missing-not-valid',
  'set-not-null-scan',
  'add-column-rewrite',
]);

export const isTwoWay = (v: Verdict): boolean => v.phase === 'expand' && v.codeRollback === 'compatible' && v.dbRollback === 'reversible';

/** The kinds src/plan/kinds/writers.test.ts plans through every framework's writer, re-checks and rehearses. */
const PROVEN_KINDS: ReadonlySet<string> = new Set([
  'SetNotNull',
  'AddIndex',
  'AddConstraint',
  'AddColumn',
  'DropColumn',
  'DropTable',
  'RenameColumn',
  'RenameTable',
  'AlterColumnType',
  'DataChange',
  'CreateTable',
  'Transaction',
]);

/** A one-way door, or a lock the plan has the gentle form of. */
export function needsPlan(v: Verdict, findings: readonly Finding[]): boolean {
  return !isTwoWay(v) || findings.some((f) => PLANNED_LOCKS.has(f.rule) && f.direction === 'up' && !f.suppressed && f.severity !== 'info');
}

/**
 * Findings with the plan command added to the help of those it answers; unchanged when no complete plan exists.
 * `before` is the schema the migrations before it leave: the plan `twoway plan` makes is the one decided here.
 */
export function withPlanHint(parsed: ParsedMigration, verdict: Verdict, findings: Finding[], before: Schema = new Schema()): Finding[] {
  const m = parsed.migration;
  if (m.dialect !== 'postgresql' || !canWrite(m.framework) || !needsPlan(verdict, findings)) return findings;
  // Only the kinds whose plans every writer's tests prove (generate, re-check, rehearse).
  if (!parsed.up.every((op) => PROVEN_KINDS.has(op.kind))) return findings;
  // No finding the hint would join: the plan (the costly part) is not made at all.
  if (!findings.some(takesHint)) return findings;
  const plan = planSteps(parsed.up, before);
  if (!plan.steps.length || plan.unplanned.length) return findings;
  // The id is data (a file name can hold a newline): one line, its controls escaped, like every name in help.
  const hint = help`Write the two-way version with:\n${code('sh', `npx twoway plan ${printable(m.id)}`)}`;
  return findings.map((f) => {
    if (!takesHint(f)) return f;
    const parts = [...helpParts(f), ...hint.parts];
    return { ...f, fix: `${f.fix}\n${hint.text}`, help: parts };
  });
}

/** A finding of the up that a plan answers: a lock it has the gentle form of, or a claim on the verdict. */
const takesHint = (f: Finding): boolean => f.direction === 'up' && (PLANNED_LOCKS.has(f.rule) || Object.keys(f.effect).length > 0);
