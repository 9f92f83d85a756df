import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { columnExistedBefore } from './existing.js';
import { setNotNullScans } from './postgres-locks.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'set-not-null-scan',
  category: 'locking',
  severity: 'warning',
  summary: 'SET NOT NULL on an existing table scans every row under ACCESS EXCLUSIVE: no reads or writes until the scan ends.',
  lock: 'ACCESS EXCLUSIVE for a full scan of the table (blocks reads and writes); skipped on PostgreSQL 12+ when a valid CHECK (col IS NOT NULL) exists, and when the column is NOT NULL already.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['SetNotNull'],
  docs: `
\`ALTER TABLE … ALTER COLUMN … SET NOT NULL\` proves there is no NULL by reading every row of
the table while it holds ACCESS EXCLUSIVE: nothing reads or writes the table until the scan
ends, and the time grows with the table. (What it does to the release still running is
\`set-not-null\`'s finding.)

PostgreSQL 12 and later skip the scan when a valid \`CHECK (col IS NOT NULL)\` constraint
already proves it; a column that is NOT NULL already is not scanned either.

Do instead:
\`\`\`sql
-- 1. a constraint that checks new writes only (brief lock, no scan)
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
-- 2. a later migration: scans with SHARE UPDATE EXCLUSIVE (reads and writes go on)
ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
-- 3. PostgreSQL 12+: uses the valid check and skips the scan
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_email_not_null;
\`\`\`
Before PostgreSQL 12 step 3 still scans: keep the CHECK constraint instead of SET NOT NULL.
Rails: \`add_check_constraint … validate: false\`, \`validate_check_constraint\`, then
\`change_column_null\`; Django: \`AddConstraint\` with a \`CheckConstraint\`, then
\`AlterField(null=False)\`.

A table created in the same migration, or a column added in it: no finding.`,
  check(op, ctx) {
    if (!columnExistedBefore(ctx, op.table, op.column) || !setNotNullScans(op, ctx)) return null;
    const table = qnameText(op.table);
    const target = `${table}.${op.column}`;
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const column = sqlIdent(op.column, ctx.dialect);
    const scan = `scans every row of ${table} under ACCESS EXCLUSIVE: no reads or writes until the scan ends`;
    const check = [...(ctx.schema.table(op.table)?.constraints.entries() ?? [])].find(
      ([, c]) => c.type === 'check' && c.notNullColumn === op.column,
    );
    if (check && !check[1].notValid) {
      return {
        message: `SET NOT NULL on ${target}: CHECK ${check[0]} already keeps NULLs out, but before PostgreSQL 12 it still ${scan}.`,
        fix: help`On PostgreSQL ${ctx.serverVersion}, keep the validated CHECK (${column} IS NOT NULL) constraint instead of SET NOT NULL.`,
      };
    }
    if (check) {
      return {
        message: `SET NOT NULL on ${target}: CHECK ${check[0]} is NOT VALID, so this ${scan}, and fails if an old row is NULL.`,
        fix: help`Validate the constraint first, in its own migration (SHARE UPDATE EXCLUSIVE: reads and writes go on):\nALTER TABLE ${sqlTable} VALIDATE CONSTRAINT ${sqlIdent(check[0], ctx.dialect)};\nThen SET NOT NULL skips the scan${ctx.serverVersion >= 12 ? '' : ' (PostgreSQL 12+)'}.`,
      };
    }
    const name = sqlIdent(`${op.table.name}_${op.column}_not_null`, ctx.dialect);
    const version =
      ctx.serverVersion >= 12
        ? help`ALTER TABLE ${sqlTable} ALTER COLUMN ${column} SET NOT NULL;  -- uses the valid check: no scan\nALTER TABLE ${sqlTable} DROP CONSTRAINT ${name};`
        : `-- before PostgreSQL 12 SET NOT NULL scans anyway: keep the CHECK constraint instead`;
    return {
      message: `SET NOT NULL on ${target} ${scan}.`,
      fix: help`Prove it with a CHECK constraint first, added NOT VALID (brief lock) and validated later (reads and writes go on):\nALTER TABLE ${sqlTable} ADD CONSTRAINT ${name} CHECK (${column} IS NOT NULL) NOT VALID;\n-- in a later migration:\nALTER TABLE ${sqlTable} VALIDATE CONSTRAINT ${name};\n${version}`,
    };
  },
});
