import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'add-column-not-null',
  category: 'breaks-old-code',
  severity: 'error',
  summary: 'A new NOT NULL column without a default fails on a table that holds rows and breaks old code that inserts rows.',
  lock: 'ACCESS EXCLUSIVE, brief (catalog only) when it succeeds; on a table with rows the statement fails.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['AddColumn'],
  docs: `
\`ALTER TABLE t ADD COLUMN c type NOT NULL\` without a \`DEFAULT\`:
- on a table that holds rows it fails outright (\`column "c" contains null values\`): the
  existing rows would have no value;
- on an empty table it succeeds, and then every INSERT of the release still running (which
  does not know the column) fails with \`23502 not_null_violation\`. The phase is \`breaking\`.

Do instead, either:
- **A constant default** (PostgreSQL 11+ stores it in the catalog: no rewrite, brief lock):
  \`\`\`sql
  ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
  \`\`\`
- **Nullable first**, then NOT NULL once every writer fills it (see \`set-not-null\`):
  \`\`\`sql
  ALTER TABLE users ADD COLUMN plan text;
  -- release code that writes plan; backfill in batches; then
  ALTER TABLE users ADD CONSTRAINT users_plan_not_null CHECK (plan IS NOT NULL) NOT VALID;
  ALTER TABLE users VALIDATE CONSTRAINT users_plan_not_null;   -- later migration
  \`\`\`
Rails: \`add_column :users, :plan, :string, null: false, default: "free"\`; Django: give the
field a \`default\` (Django 5+ \`db_default\` puts it in the database, which old code needs).

Identity, serial and generated columns fill themselves and are not reported here (see
\`add-column-rewrite\`). A table created in the same migration: no finding.`,
  check(op, ctx) {
    const c = op.column;
    const hasDefault = c.default !== null && c.default.text.toLowerCase() !== 'null';
    if (ctx.isNewTable(op.table) || c.nullable || hasDefault || c.identity || c.generated) return null;
    const table = qnameText(op.table);
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const column = sqlIdent(c.name, ctx.dialect);
    return {
      message: `Adding ${table}.${c.name} ${c.type.text} NOT NULL without a default fails if ${table} holds rows, and breaks the release still running: its INSERTs do not set ${c.name}.`,
      fix: help`Give it a constant default (PostgreSQL 11+: no rewrite):\nALTER TABLE ${sqlTable} ADD COLUMN ${column} ${c.type.text} NOT NULL DEFAULT <value>;\nor add it nullable, release code that writes it, backfill, then add CHECK (${column} IS NOT NULL) NOT VALID and validate it.`,
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    };
  },
});
