import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { columnExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-not-null',
  category: 'breaks-old-code',
  severity: 'info',
  summary: 'Dropping NOT NULL lets new code write NULLs that the previous release may not expect when it reads them.',
  lock: 'ACCESS EXCLUSIVE, brief (catalog only).',
  direction: 'up',
  kinds: ['DropNotNull'],
  docs: `
Relaxing a column is additive for the schema (phase \`expand\`), but it changes what the
previous release can meet: once new code writes NULL, the old code, brought back by a
rollback, reads NULL where it assumed a value (a crash in a non-optional field, a \`NoMethodError\`
on \`nil\`). And a down that restores \`SET NOT NULL\` fails as soon as one NULL exists
(reported by the down-side rules).

Do instead: make the reading code NULL-safe and release it before the code that writes NULLs;
keep the old release's assumption in mind when deciding how far back a rollback can go.

Rails: \`change_column_null :t, :col, true\`; Django: \`AlterField(null=True)\`: make the model
attribute optional in the release before.`,
  check(op, ctx) {
    if (!columnExistedBefore(ctx, op.table, op.column)) return null;
    const column = ctx.start.column(op.table, op.column);
    if (column?.nullable) return null;
    const target = `${qnameText(op.table)}.${op.column}`;
    return {
      message: `Dropping NOT NULL on ${target}: once NULLs are written, the previous release may read NULL where it assumed a value, and a down restoring NOT NULL fails.`,
      fix: help`Release code that reads ${op.column} as optional before any code writes NULL to it.`,
    };
  },
});
