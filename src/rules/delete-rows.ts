import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'delete-rows',
  category: 'data-loss',
  severity: 'warning',
  summary: 'A DELETE of existing rows destroys them: a data migration no down can undo.',
  lock: 'ROW EXCLUSIVE on the table and a row lock on every deleted row until the transaction ends.',
  direction: 'up',
  kinds: ['DataChange'],
  docs: `
\`DELETE\` in a migration is a data step (phase \`data\`) that destroys rows that existed
before it: the migration is \`irreversible\` even if a down is written, unless the rows were
kept somewhere the down can read.

Do instead: archive, then delete; the down restores from the archive.
\`\`\`sql
CREATE TABLE sessions_purged AS SELECT * FROM sessions WHERE expires_at < now() - interval '90 days';
DELETE FROM sessions WHERE id IN (SELECT id FROM sessions_purged);
-- down: INSERT INTO sessions SELECT * FROM sessions_purged;
\`\`\`
Delete large sets in batches, outside the DDL transaction. Rails: a separate migration with
\`disable_ddl_transaction!\` and \`in_batches.delete_all\`; Django: \`RunPython\` with \`reverse_code\`.

A table created in the same migration held no rows: no finding.`,
  check(op, ctx) {
    if (op.action !== 'delete' || ctx.isNewTable(op.table)) return null;
    const table = qnameText(op.table);
    const rows = op.hasWhere ? 'the matching rows' : 'every row';
    return {
      message: `DELETE from ${table} destroys ${rows}: no down can bring them back.`,
      fix: help`Archive the rows first so a down can restore them:\nCREATE TABLE ${sqlIdent(`${op.table.name}_deleted`, ctx.dialect)} AS SELECT * FROM ${sqlQName(op.table, ctx.dialect)} WHERE <same condition>;\nthen delete in batches outside the DDL transaction.`,
      effect: { phase: 'data', dbRollback: 'irreversible' },
    };
  },
});
