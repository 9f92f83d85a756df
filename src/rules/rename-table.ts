import { help } from '../help.js';
import { oldNameView, qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'rename-table',
  category: 'breaks-old-code',
  severity: 'error',
  summary: 'Renaming a table breaks the release still running, which queries it by its old name.',
  lock: 'ACCESS EXCLUSIVE, brief (catalog only): blocks reads and writes while it waits for and holds the lock.',
  direction: 'up',
  kinds: ['RenameTable'],
  docs: `
During a deploy the old release keeps running for minutes (and a rollback brings it back
for longer): every query it sends names the old table and fails with
\`relation "…" does not exist\`. The data is intact and a down that renames back works,
but the code rollback is \`breaking\` and the phase is \`breaking\`.

Do instead (expand/contract), either:
- **A view under the old name** (cheapest; simple views are updatable in PostgreSQL):
  \`\`\`sql
  BEGIN;
  ALTER TABLE customers RENAME TO clients;
  CREATE VIEW customers AS SELECT * FROM clients;
  COMMIT;
  -- after every release uses "clients", in a contract migration:
  DROP VIEW customers;
  \`\`\`
- **A new table**: create it with its indexes, write to both (trigger or code), backfill,
  move reads, stop writing the old one, drop it in a contract migration.

Rails: \`self.table_name = "clients"\` lets the model follow the rename in a release that
ships with the view; Django: \`Meta.db_table\`.

A table created in the same migration is unknown to released code: no finding.`,
  check(op, ctx) {
    if (ctx.isNewTable(op.table)) return null;
    const to = { ...op.table, name: op.newName };
    if (oldNameView(ctx.ops.slice(ctx.index + 1), op.table, to, [...(ctx.schema.table(op.table)?.columns.keys() ?? [])])) return null;
    const from = qnameText(op.table);
    return {
      message: `Renaming table ${from} to ${op.newName} breaks the release still running: its queries name ${from}.`,
      fix: help`Keep the old name working until no release uses it:\nALTER TABLE ${sqlQName(op.table, ctx.dialect)} RENAME TO ${sqlIdent(op.newName, ctx.dialect)};\nCREATE VIEW ${sqlQName(op.table, ctx.dialect)} AS SELECT * FROM ${sqlQName({ ...op.table, name: op.newName }, ctx.dialect)};\nThen drop the view in a later migration marked "-- twoway: contract".`,
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    };
  },
});
