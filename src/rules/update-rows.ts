import { help } from '../help.js';
import { type QName, qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { columnExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

/** pg_catalog tables (UPDATE pg_index SET indisready …) hold no application data. */
function isSystemCatalog(table: QName): boolean {
  return table.schema === 'pg_catalog' || (!table.schema && table.name.startsWith('pg_'));
}

export default defineRule({
  id: 'update-rows',
  category: 'data-loss',
  severity: 'warning',
  summary: 'An UPDATE of existing rows overwrites their old values: a data migration no down can undo.',
  lock: 'ROW EXCLUSIVE on the table and a row lock on every updated row until the transaction ends: concurrent writers of those rows wait.',
  direction: 'up',
  kinds: ['DataChange'],
  docs: `
\`UPDATE\` in a migration is a data step: phase \`data\`. When it assigns columns that existed
before the migration, the old values are overwritten and no down can know what they were:
the migration is \`irreversible\` even with a down.

Backfilling a column added in the same migration overwrites nothing that existed (the new
column was NULL or its default): reported as info, still phase \`data\`.

Do instead:
- Keep the old values so a down can restore them:
  \`\`\`sql
  ALTER TABLE prices ADD COLUMN amount_before numeric;
  UPDATE prices SET amount_before = amount, amount = amount * 1.1 WHERE amount_before IS NULL;
  -- down: UPDATE prices SET amount = amount_before;
  \`\`\`
- Run large updates in batches (\`WHERE id BETWEEN … AND …\`), outside the transaction that
  changes the schema (see \`backfill-in-transaction\`): every updated row stays locked, and
  its old version stays in the table, until the transaction commits.
- Rails: a separate migration with \`disable_ddl_transaction!\` and \`in_batches\`; Django:
  \`RunPython\` with a \`reverse_code\` that restores from the kept values, \`atomic = False\`.

A table created in the same migration held no rows: no finding.`,
  check(op, ctx) {
    if (op.action !== 'update' || ctx.isNewTable(op.table) || isSystemCatalog(op.table)) return null;
    const table = qnameText(op.table);
    const rows = op.hasWhere ? 'the matching rows' : 'every row';
    const existing = op.columns.filter((c) => columnExistedBefore(ctx, op.table, c));
    if (op.columns.length > 0 && existing.length === 0) {
      return {
        message: `Backfilling ${op.columns.map((c) => `${table}.${c}`).join(', ')}, added in this migration, over ${rows}: a data step that overwrites no earlier value.`,
        fix: help`Run large backfills in batches in a separate migration, outside the transaction that added the column:\nUPDATE ${sqlQName(op.table, ctx.dialect)} SET … WHERE id BETWEEN … AND …;`,
        severity: 'info',
        effect: { phase: 'data' },
      };
    }
    const columns = existing.length ? existing.join(', ') : 'its columns';
    const first = existing[0] ?? 'col';
    const type = ctx.schema.column(op.table, first)?.type.text ?? '<type>';
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const sqlFirst = existing[0] ? sqlIdent(first, ctx.dialect) : first;
    const before = sqlIdent(`${first}_before`, ctx.dialect);
    return {
      message: `UPDATE of ${table} overwrites ${columns} in ${rows}: the old values are lost and no down can restore them.`,
      fix: help`Keep the old values so a down can put them back, and update in batches:\nALTER TABLE ${sqlTable} ADD COLUMN ${before} ${type};\nUPDATE ${sqlTable} SET ${before} = ${sqlFirst}, … WHERE id BETWEEN … AND …;\n-- down: UPDATE ${sqlTable} SET ${sqlFirst} = ${before};`,
      effect: { phase: 'data', dbRollback: 'irreversible' },
    };
  },
});
