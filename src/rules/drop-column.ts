import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { columnExistedBefore } from './existing.js';
import { inFramework } from './framework-help.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-column',
  category: 'data-loss',
  severity: 'error',
  summary: 'Dropping a column destroys its data: a contract step, safe only once no running release reads or writes it.',
  lock: 'ACCESS EXCLUSIVE, brief (catalog only, no rewrite): blocks reads and writes while it waits for and holds the lock.',
  direction: 'up',
  kinds: ['DropColumn'],
  docs: `
Dropping a column is the contract half of expand/contract, and a one-way door for the data:
- **DB rollback**: the values are gone. A down that re-adds the column brings back an empty
  column, not the data; the migration is \`irreversible\` whatever its down says.
- **Code rollback**: a contract step assumes the running release and the one before it no
  longer read or write the column, so rolling the code back is \`compatible\`. If the code
  still uses it, every query that names the column fails, and ORMs that cache columns
  (ActiveRecord, Django) fail on inserts until they restart.

Do instead (expand/contract):
1. Release code that no longer reads or writes the column.
   Rails: \`self.ignored_columns += ["col"]\`; Django: remove the field with
   \`SeparateDatabaseAndState\` (state only) first.
2. Optionally archive the values so a down can restore them:
   \`\`\`sql
   CREATE TABLE users_full_name_archive AS SELECT id, full_name FROM users;
   \`\`\`
3. Drop the column in a later migration marked \`-- twoway: contract\`:
   \`\`\`sql
   -- twoway: contract
   ALTER TABLE users DROP COLUMN full_name;
   \`\`\`

The drop itself only edits the catalog (PostgreSQL marks the column dropped; the space is
reclaimed by later writes or VACUUM FULL), but it needs ACCESS EXCLUSIVE: behind a long
query it queues every other query on the table, so set \`lock_timeout\`.

A column added in the same migration (or of a table created in it) held nothing before and no released code knows it: no finding.`,
  check(op, ctx) {
    if (!columnExistedBefore(ctx, op.table, op.column)) return null;
    const table = qnameText(op.table);
    const column = ctx.schema.column(op.table, op.column);
    const what = column ? `${table}.${op.column} (${column.type.text}${column.nullable ? '' : ', NOT NULL'})` : `${table}.${op.column}`;
    const cascade = op.cascade ? ' CASCADE also drops the views, indexes and constraints that use it.' : '';
    return {
      message: `Dropping column ${what} destroys its values: no down can bring them back.${cascade} This is a contract step, safe only once no running release reads or writes the column.`,
      fix: help`Stop using the column in the code first${inFramework(ctx, {
        rails: `Rails: self.ignored_columns += [${JSON.stringify(op.column)}]`,
        django: 'Django: remove the field from the model in a migrations.SeparateDatabaseAndState(state_operations=[...]) first',
        alembic: 'SQLAlchemy: remove the Column from the model',
        typeorm: 'TypeORM: remove the @Column from the entity',
      })}, release, then drop it in a separate migration marked "-- twoway: contract". To keep a way back, copy the values first:\nCREATE TABLE ${sqlIdent(`${op.table.name}_${op.column}_archive`, ctx.dialect)} AS SELECT id, ${sqlIdent(op.column, ctx.dialect)} FROM ${sqlQName(op.table, ctx.dialect)};`,
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    };
  },
});
