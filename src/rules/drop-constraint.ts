import { help } from '../help.js';
import { type ConstraintDef, qnameText } from '../ir.js';
import { defineRule, type RuleResult } from './rule.js';

function consequence(c: Pick<ConstraintDef, 'type' | 'columns'> | undefined): string {
  switch (c?.type) {
    case 'unique':
    case 'primary-key':
    case 'exclude':
      return `the release still running may rely on it: its INSERT … ON CONFLICT (${c.columns.join(', ')}) fails without a matching unique index, duplicates can now be written, and a down that re-adds the constraint fails once one exists`;
    case 'foreign-key':
      return 'rows pointing at nothing can now be written, ON DELETE actions the old code relies on stop, and a down that re-adds the key fails once an orphan exists';
    case 'check':
      return 'values the old code never expected can now be written, and a down that re-adds the check fails once one exists';
    default:
      return 'the guarantee it gave the old code is gone, and a down that re-adds it fails once a row breaks it';
  }
}

export default defineRule({
  id: 'drop-constraint',
  category: 'breaks-old-code',
  severity: 'warning',
  summary: 'Dropping a constraint or unique index is a contract step: the old code may rely on the guarantee (ON CONFLICT, cascades).',
  lock: 'ACCESS EXCLUSIVE on the table, brief (a foreign key also locks the referenced table); DROP INDEX CONCURRENTLY avoids it for plain indexes.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['DropConstraint', 'DropIndex'],
  docs: `
Dropping a constraint destroys no rows, but it removes a guarantee the released code may use:
- a **unique** constraint or index: \`INSERT … ON CONFLICT (col)\` (Rails \`upsert\`, Django
  \`update_or_create\` with \`unique_fields\`) fails with \`there is no unique or exclusion
  constraint matching the ON CONFLICT specification\`, and duplicates start to appear;
- a **foreign key**: \`ON DELETE CASCADE / SET NULL\` stops, orphans start to appear;
- a **check**: values the old code never expected start to appear.

It is a contract step (phase \`contract\`): safe once no release relies on the guarantee.
Rollback: the down that re-adds the constraint fails as soon as one row written after the up
breaks it (reported as \`lossy\` by the down-side rules).

Do instead: release code that no longer relies on it (no ON CONFLICT on those columns, its
own cascade), then drop it in a migration marked \`-- twoway: contract\`. Rails:
\`remove_foreign_key\`, \`remove_index\` (with \`algorithm: :concurrently\`); Django:
\`RemoveConstraint\`, \`RemoveIndexConcurrently\`.

A constraint or index created in the same migration, and a non-unique index, are not reported here
(dropping an index without CONCURRENTLY is a locking finding of its own).`,
  check(op, ctx): RuleResult | null {
    if (op.kind === 'DropIndex') {
      const index = ctx.schema.index(op.index);
      if (!index?.unique || index.createdBy === ctx.migration.id) return null;
      const table = ctx.schema.tables.get(index.table);
      return {
        message: `Dropping unique index ${qnameText(op.index)} on ${table ? qnameText(table.name) : index.table} (${index.columns.join(', ')}) is a contract step: ${consequence({ type: 'unique', columns: index.columns })}.`,
        fix: 'Release code that no longer relies on the uniqueness (ON CONFLICT on these columns), then drop the index CONCURRENTLY in a migration marked "-- twoway: contract".',
        effect: { phase: 'contract' },
      };
    }
    if (ctx.isNewTable(op.table)) return null;
    const existing = ctx.start.table(op.table)?.constraints.get(op.name);
    const now = ctx.schema.table(op.table)?.constraints.get(op.name);
    if (now && !existing && ctx.start.table(op.table)) return null;
    const c = now ?? existing;
    const what = c ? `${c.type.replace('-', ' ')} ${op.name}` : `constraint ${op.name}`;
    return {
      message: `Dropping ${what} on ${qnameText(op.table)} is a contract step: ${consequence(c)}.`,
      fix: help`Release code that no longer relies on ${op.name}, then drop it in a migration marked "-- twoway: contract" (keep its definition in the down).`,
      effect: { phase: 'contract' },
    };
  },
});
