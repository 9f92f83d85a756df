import { help } from '../help.js';
import { qnameText, shadowSwap } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { columnExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'rename-column',
  category: 'breaks-old-code',
  severity: 'error',
  summary: 'Renaming a column breaks the release still running, which reads and writes it by its old name.',
  lock: 'ACCESS EXCLUSIVE, brief (catalog only): blocks reads and writes while it waits for and holds the lock.',
  direction: 'up',
  kinds: ['RenameColumn'],
  docs: `
The old release names the old column in every SELECT, INSERT and UPDATE: after the rename
they fail with \`column "…" does not exist\` (ActiveRecord and Django also cache the column
list). The data is intact and a down can rename back, but the code rollback is \`breaking\`.

Do instead (expand/contract):
1. Expand: add the new column and keep both in step.
   \`\`\`sql
   ALTER TABLE users ADD COLUMN display_name text;
   CREATE FUNCTION users_sync_display_name() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN NEW.display_name := COALESCE(NEW.display_name, NEW.nickname); RETURN NEW; END $$;
   CREATE TRIGGER users_sync_display_name BEFORE INSERT OR UPDATE ON users
     FOR EACH ROW EXECUTE FUNCTION users_sync_display_name();
   \`\`\`
2. Backfill in batches: \`UPDATE users SET display_name = nickname WHERE id BETWEEN … AND … AND display_name IS NULL;\`
3. Release code that reads and writes the new column.
4. Contract: drop the trigger and the old column (\`-- twoway: contract\`).

Rails: \`self.ignored_columns += ["nickname"]\` before the drop, \`alias_attribute\` during the
switch; Django: \`db_column\` lets the field keep its Python name.

A column added in the same migration is unknown to released code: no finding.`,
  check(op, ctx) {
    if (!columnExistedBefore(ctx, op.table, op.column) || shadowSwap(ctx.ops, ctx.index)) return null;
    const table = qnameText(op.table);
    const type = ctx.schema.column(op.table, op.column)?.type.text ?? `<type of ${op.column}>`;
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const newName = sqlIdent(op.newName, ctx.dialect);
    return {
      message: `Renaming ${table}.${op.column} to ${op.newName} breaks the release still running: its queries name ${op.column}.`,
      fix: help`Add ${op.newName} next to ${op.column}, keep them in step (trigger or code writing both), backfill, move reads to ${op.newName}, then drop ${op.column} in a later migration marked "-- twoway: contract":\nALTER TABLE ${sqlTable} ADD COLUMN ${newName} ${type};\nUPDATE ${sqlTable} SET ${newName} = ${sqlIdent(op.column, ctx.dialect)} WHERE ${newName} IS NULL;  -- in batches`,
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    };
  },
});
