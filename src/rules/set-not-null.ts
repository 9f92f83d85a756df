import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { columnExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'set-not-null',
  category: 'breaks-old-code',
  severity: 'error',
  summary:
    'SET NOT NULL on an existing column breaks old code that writes NULL (its full scan under ACCESS EXCLUSIVE is set-not-null-scan).',
  lock: 'ACCESS EXCLUSIVE for a full scan of the table (blocks reads and writes): the finding of set-not-null-scan.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['SetNotNull'],
  docs: `
\`ALTER TABLE … ALTER COLUMN … SET NOT NULL\` does two things at once:
- **Old code**: the release still running may insert rows without the column or write NULL
  to it; after the change those writes fail with \`23502 not_null_violation\`. The phase is
  \`breaking\`.
- **Lock**: PostgreSQL scans every row to prove there is no NULL while holding ACCESS
  EXCLUSIVE: nothing reads or writes the table meanwhile. If a NULL is found, the migration
  fails after the scan. That is a finding of its own, \`set-not-null-scan\`.

Do instead (the change survives a code rollback and takes no long lock):
\`\`\`sql
-- 1. release code that always writes the column; backfill the NULLs in batches
-- 2. expand: a constraint that checks new writes only (brief lock, no scan)
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- 3. a later migration: scans with SHARE UPDATE EXCLUSIVE (reads and writes go on)
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
-- 4. PostgreSQL 12+: uses the valid check and skips the scan
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_email_not_null;
\`\`\`
Before PostgreSQL 12 step 4 still scans; keep the CHECK constraint instead of SET NOT NULL.
Rails: \`add_check_constraint … validate: false\`, then \`validate_check_constraint\` and
\`change_column_null\` (strong_migrations prints this sequence); Django: \`AddConstraint\` with
a \`CheckConstraint\`, then \`AlterField(null=False)\`.

PostgreSQL 18 adds \`ADD CONSTRAINT … NOT NULL … NOT VALID\` with the same effect.

A column of a table created, or added, in the same migration, or one a CHECK (col IS NOT NULL)
already guards (valid or NOT VALID: old code's NULL writes fail already): no finding.`,
  check(op, ctx) {
    if (!columnExistedBefore(ctx, op.table, op.column)) return null;
    const column = ctx.schema.column(op.table, op.column);
    if (column && !column.nullable) return null;
    // A CHECK (col IS NOT NULL), valid or not, already refuses the old code's NULL writes: only the scan is left (set-not-null-scan).
    const checked = [...(ctx.schema.table(op.table)?.constraints.values() ?? [])].some(
      (c) => c.type === 'check' && c.notNullColumn === op.column,
    );
    if (checked) return null;
    const table = qnameText(op.table);
    const target = `${table}.${op.column}`;
    const name = sqlIdent(`${op.table.name}_${op.column}_not_null`, ctx.dialect);
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const sqlColumn = sqlIdent(op.column, ctx.dialect);
    return {
      message: `SET NOT NULL on ${target} breaks the release still running if it writes NULL${column?.default ? '' : ' or omits the column'}.`,
      fix: help`Release code that always writes ${op.column}, backfill the NULLs, then:\nALTER TABLE ${sqlTable} ADD CONSTRAINT ${name} CHECK (${sqlColumn} IS NOT NULL) NOT VALID;\n-- in a later migration:\nALTER TABLE ${sqlTable} VALIDATE CONSTRAINT ${name};\nALTER TABLE ${sqlTable} ALTER COLUMN ${sqlColumn} SET NOT NULL;  -- PostgreSQL 12+: no scan\nALTER TABLE ${sqlTable} DROP CONSTRAINT ${name};`,
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    };
  },
});
