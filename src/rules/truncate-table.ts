import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'truncate-table',
  category: 'data-loss',
  severity: 'error',
  summary: 'TRUNCATE destroys every row of the table (CASCADE: of every table that references it too).',
  lock: 'ACCESS EXCLUSIVE on the table (and, with CASCADE, on every referencing table): blocks reads and writes.',
  direction: 'up',
  kinds: ['DataChange'],
  docs: `
\`TRUNCATE\` empties the table at once: phase \`data\`, and \`irreversible\` whatever the down
says. \`TRUNCATE … CASCADE\` also empties every table with a foreign key to it, and those
tables are not named in the statement (squawk: \`ban-truncate-cascade\`). It takes ACCESS
EXCLUSIVE, unlike DELETE.

Do instead: archive before emptying, so a down can restore the rows; name every table you
mean to empty instead of using CASCADE.
\`\`\`sql
CREATE TABLE import_rows_archive AS TABLE import_rows;
TRUNCATE import_rows;
-- down: INSERT INTO import_rows SELECT * FROM import_rows_archive;
\`\`\`
A table created in the same migration held no rows: no finding.

Rails: \`execute "TRUNCATE …"\` or \`Model.delete_all\` in a migration; Django: \`RunPython\` with
\`Model.objects.all().delete()\`: both need an archive for the down to restore.`,
  check(op, ctx) {
    if (op.action !== 'truncate' || ctx.isNewTable(op.table)) return null;
    const table = qnameText(op.table);
    const cascade = op.cascade ? ' CASCADE also empties every table whose foreign keys reference it, unnamed here.' : '';
    return {
      message: `TRUNCATE ${table} destroys every row: no down can bring them back.${cascade}`,
      fix: help`Archive first (CREATE TABLE ${sqlIdent(`${op.table.name}_archive`, ctx.dialect)} AS TABLE ${sqlQName(op.table, ctx.dialect)};) so a down can restore the rows${op.cascade ? ', and name each table to empty instead of CASCADE' : ''}.`,
      effect: { phase: 'data', dbRollback: 'irreversible' },
    };
  },
});
