import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlIndexColumn, sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'unique-constraint-builds-index',
  category: 'locking',
  severity: 'error',
  summary: 'Adding a UNIQUE or PRIMARY KEY constraint builds its index under ACCESS EXCLUSIVE: no reads or writes for the whole build.',
  lock: 'ACCESS EXCLUSIVE on the table for the whole index build (proportional to table size): blocks every read and write.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['AddConstraint', 'AddColumn'],
  docs: `
\`ALTER TABLE ... ADD CONSTRAINT ... UNIQUE\` / \`PRIMARY KEY\` (and \`ADD COLUMN ... UNIQUE\` /
\`PRIMARY KEY\`) build a unique index while holding an ACCESS EXCLUSIVE lock: the table cannot
be read or written until the build finishes. A primary key also sets NOT NULL on its columns,
which scans the table under the same lock when they are nullable; a new \`serial\` /
\`identity\` primary key column rewrites the whole table.

Build the index first, concurrently, then attach it (a catalog change):
\`\`\`sql
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
-- primary key (PostgreSQL 12+: a validated CHECK (id IS NOT NULL) lets SET NOT NULL skip its scan)
ALTER TABLE users ADD CONSTRAINT users_id_not_null CHECK (id IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_id_not_null;
CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users (id);
ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;
\`\`\`
- Rails: \`add_index ..., unique: true, algorithm: :concurrently\` (with \`disable_ddl_transaction!\`),
  then \`execute "ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX ..."\`.
- Django: \`AddIndexConcurrently\` with a unique index, then \`RunSQL\` for the USING INDEX step.

A constraint on a table created in the same migration builds on an empty table: no finding.`,
  check(op, ctx) {
    if (ctx.isNewTable(op.table)) return null;
    const table = qnameText(op.table);
    let columns: string[];
    let primary: boolean;
    let name: string;
    if (op.kind === 'AddColumn') {
      if (!op.column.unique && !op.column.primaryKey) return null;
      columns = [op.column.name];
      primary = op.column.primaryKey;
      name = `${op.table.name}_${primary ? 'pkey' : `${op.column.name}_key`}`;
    } else {
      const c = op.constraint;
      if ((c.type !== 'unique' && c.type !== 'primary-key') || c.usingIndex) return null;
      columns = c.columns;
      primary = c.type === 'primary-key';
      name = c.name ?? `${op.table.name}_${primary ? 'pkey' : `${columns.join('_')}_key`}`;
    }
    const kind = primary ? 'PRIMARY KEY' : 'UNIQUE';
    const sqlName = sqlIdent(name, ctx.dialect);
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const cols = columns.join(', ');
    const notNull = primary
      ? help`\n-- the key columns must be NOT NULL first (PostgreSQL 12+: via a validated CHECK (... IS NOT NULL), so SET NOT NULL skips its scan)`
      : '';
    return {
      message: `Adding ${kind} ${name} (${cols}) to ${table} builds a unique index under an ACCESS EXCLUSIVE lock: every read and write of ${table} waits for the whole build, proportional to table size.`,
      fix: help`Build the index concurrently, then attach it (a catalog change):${notNull}\nCREATE UNIQUE INDEX CONCURRENTLY ${sqlName} ON ${sqlTable} (${columns.map((c) => sqlIndexColumn(c, ctx.dialect)).join(', ')});\nALTER TABLE ${sqlTable} ADD CONSTRAINT ${sqlName} ${kind} USING INDEX ${sqlName};`,
    };
  },
});
