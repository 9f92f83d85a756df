import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-table',
  category: 'data-loss',
  severity: 'error',
  summary: 'Dropping a table destroys its rows: a contract step, safe only once no running release uses the table.',
  lock: 'ACCESS EXCLUSIVE on the table (and on tables whose foreign keys reference it), brief: blocks reads and writes while it waits and holds.',
  direction: 'up',
  kinds: ['DropTable'],
  docs: `
\`DROP TABLE\` is a one-way door for the data: a down can re-create the table, empty.
The migration is \`irreversible\` even with a down. With \`CASCADE\` it also drops the views
and foreign keys that depend on the table, silently.

It is a contract step: the running release, and the one a rollback would bring back,
must no longer read or write the table. Then rolling the code back stays \`compatible\`.

Do instead:
1. Release code that no longer uses the table (Rails: remove the model and its
   associations; Django: delete the model with \`SeparateDatabaseAndState\` so the table stays).
2. Keep a way back: rename it out of the way first, or archive it.
   \`\`\`sql
   ALTER TABLE audit_log RENAME TO audit_log_retired;   -- later migration: DROP TABLE audit_log_retired
   -- or: CREATE TABLE archive.audit_log AS TABLE audit_log;
   \`\`\`
3. Drop it in a migration marked \`-- twoway: contract\`.

A table created in the same migration holds no rows: no finding. \`CREATE TABLE … force: true\`
in Rails is a DROP TABLE in disguise and is reported the same way.`,
  check(op, ctx) {
    if (ctx.isNewTable(op.table)) return null;
    const name = qnameText(op.table);
    const known = ctx.schema.table(op.table);
    const columns = known && !known.columnsUnknown ? ` (${known.columns.size} ${known.columns.size === 1 ? 'column' : 'columns'})` : '';
    const cascade = op.cascade ? ' CASCADE also drops the views and foreign keys that depend on it.' : '';
    return {
      message: `Dropping table ${name}${columns} destroys its rows: no down can bring them back.${cascade} This is a contract step, safe only once no running release reads or writes the table.`,
      fix: help`Stop using ${name} in the code and release first, then drop it in a separate migration marked "-- twoway: contract". To keep a way back, keep the rows:\nALTER TABLE ${sqlQName(op.table, ctx.dialect)} RENAME TO ${sqlIdent(`${op.table.name}_retired`, ctx.dialect)};  -- drop the retired table later`,
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    };
  },
});
