import { help } from '../help.js';
import { defaultIsNull, qnameText } from '../ir.js';
import { columnExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-default',
  category: 'breaks-old-code',
  severity: 'warning',
  summary: 'Dropping the default of an existing column breaks old code that omits it (NOT NULL) or makes its inserts write NULL.',
  lock: 'ACCESS EXCLUSIVE, brief (catalog only).',
  direction: 'up',
  kinds: ['SetDefault'],
  docs: `
The release still running inserts rows without the columns it does not care about and relies
on their defaults. After \`ALTER COLUMN … DROP DEFAULT\`:
- on a **NOT NULL** column those inserts fail with \`23502 not_null_violation\`: the change
  is \`breaking\`;
- on a **nullable** column they silently write NULL instead of the default (reported as info).

Do instead: release code that always writes the column (Rails: set the attribute in the model;
Django: a Python-side \`default\` on the field), then drop the database default in a later
migration. A down that sets the default back restores the behaviour but not the rows written
meanwhile.

Rails with \`partial_inserts\` (strong_migrations' \`change_column_default\` check) omits
unchanged attributes from INSERTs, so changing a default changes what old code writes too.

A column of a table created, or added, in the same migration: no finding.`,
  check(op, ctx) {
    if (op.default !== null || !columnExistedBefore(ctx, op.table, op.column)) return null;
    const column = ctx.schema.column(op.table, op.column);
    if (column && defaultIsNull(column.default)) return null;
    const target = `${qnameText(op.table)}.${op.column}`;
    const was = column?.default ? ` (${column.default.text})` : '';
    const fix = help`Release code that always writes ${op.column} first, then drop the default in a later migration.`;
    if (column && !column.nullable) {
      return {
        message: `Dropping the default${was} of NOT NULL column ${target} breaks the release still running: its INSERTs that omit ${op.column} fail.`,
        fix,
        effect: { phase: 'breaking', codeRollback: 'breaking' },
      };
    }
    return {
      message: `Dropping the default${was} of ${target}: INSERTs of the release still running that omit ${op.column} now write NULL${column ? '' : ' (or fail, if the column is NOT NULL)'}.`,
      fix,
      severity: 'info',
    };
  },
});
