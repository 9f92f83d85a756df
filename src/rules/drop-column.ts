import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-column',
  category: 'data-loss',
  severity: 'error',
  summary: 'Dropping a column destroys its data and breaks code that still reads it.',
  lock: 'ACCESS EXCLUSIVE, brief (catalog only): blocks reads and writes while it waits for and holds the lock.',
  direction: 'up',
  kinds: ['DropColumn'],
  docs: `
Dropping a column is a one-way door twice over:
- **DB rollback**: the values are gone. A down that re-adds the column brings back an empty
  column, not the data; the migration is \`irreversible\`.
- **Code rollback**: the previous release still selects and writes the column, and ORMs
  that cache columns (ActiveRecord, Django) fail on every query until they restart.

Do instead (expand/contract):
1. Release code that no longer reads or writes the column (Rails: \`self.ignored_columns += ["col"]\`).
2. Optionally archive the values (\`CREATE TABLE t_col_archive AS SELECT id, col FROM t\`) so a down can restore them.
3. Drop the column in a later migration marked \`-- twoway: contract\`.

A column of a table created in the same migration holds no rows: only the code-rollback
concern remains, and then none because no released code knows the table.`,
  check(op, ctx) {
    if (ctx.isNewTable(op.table)) return null;
    const table = qnameText(op.table);
    const column = ctx.schema.column(op.table, op.column);
    const what = column ? `${table}.${op.column} (${column.type.text}${column.nullable ? '' : ', NOT NULL'})` : `${table}.${op.column}`;
    return {
      message: `Dropping column ${what} destroys its values (no down can bring them back) and breaks the release still running, which reads it.`,
      fix: `Stop using the column in the code first (Rails: ignored_columns), release, then drop it in a separate migration marked "-- twoway: contract". To keep a way back, copy the values first:\nCREATE TABLE ${op.table.name}_${op.column}_archive AS SELECT id, ${op.column} FROM ${table};`,
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    };
  },
});
