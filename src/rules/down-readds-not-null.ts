import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { inFramework } from './framework-help.js';
import { rubyName } from './rails-fix.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'down-readds-not-null',
  category: 'rollback',
  severity: 'warning',
  summary: 'The down sets NOT NULL on a column the up left nullable: rows written with NULL since make the rollback fail.',
  direction: 'down',
  kinds: ['SetNotNull'],
  docs: `
Dropping NOT NULL is an expand step, and its natural down is \`SET NOT NULL\`. But the new release
writes NULLs into the column from the moment the up runs; when the rollback comes, \`SET NOT NULL\`
finds them and fails ("column contains null values"), leaving the rollback stuck during the
incident it was meant to end. The migration is \`lossy\`: the down cannot restore the old schema
without deciding what those rows become.

Do instead, in the down, decide explicitly before re-adding the constraint:
\`\`\`sql
UPDATE users SET nickname = '' WHERE nickname IS NULL;   -- or delete / archive those rows
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;
\`\`\`
or leave the column nullable in the down (the previous release still works with it). On big
tables, SET NOT NULL also scans under ACCESS EXCLUSIVE; PostgreSQL 12+ skips the scan when a
validated \`CHECK (col IS NOT NULL)\` exists. Rails: \`change_column_null :users, :nickname, false, ""\`
backfills with the given value; Django: a \`RunPython\` backfill before the \`AlterField\`.`,
  check(op, ctx) {
    // NULLs can have been written since the up only if the up left the column nullable.
    const current = ctx.schema.column(op.table, op.column);
    if (!current?.nullable || !ctx.afterUp.column(op.table, op.column)?.nullable) return null;
    const backfilled = ctx.ops
      .slice(0, ctx.index)
      .some((o) => o.kind === 'DataChange' && o.table.name === op.table.name && (o.action === 'delete' || o.columns.includes(op.column)));
    if (backfilled) return null;
    const table = qnameText(op.table);
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const column = sqlIdent(op.column, ctx.dialect);
    return {
      message: `The down sets ${table}.${op.column} NOT NULL again: rows written with NULL after the up make it fail ("column contains null values").`,
      fix: help`Backfill before re-adding the constraint${inFramework(ctx, {
        rails: `Rails: change_column_null ${rubyName(op.table)}, ${rubyName(op.column)}, false, <value>`,
        alembic: `Alembic: op.execute("UPDATE ...") in downgrade() before op.alter_column(${JSON.stringify(op.table.name)}, ${JSON.stringify(op.column)}, nullable=False)`,
      })}, or leave the column nullable in the down:\nUPDATE ${sqlTable} SET ${column} = <value> WHERE ${column} IS NULL;\nALTER TABLE ${sqlTable} ALTER COLUMN ${column} SET NOT NULL;`,
      effect: { dbRollback: 'lossy' },
    };
  },
});
