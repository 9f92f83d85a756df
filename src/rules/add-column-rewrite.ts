import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'add-column-rewrite',
  category: 'locking',
  severity: 'error',
  summary:
    'Adding a column whose value is computed per row (volatile default, serial, identity, stored generated; any default before PostgreSQL 11) rewrites the table.',
  lock: 'ACCESS EXCLUSIVE for a full table rewrite and index rebuild: blocks reads and writes throughout.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['AddColumn'],
  docs: `
Since PostgreSQL 11, \`ADD COLUMN … DEFAULT <constant or stable expression>\` stores the value
in the catalog: existing rows are not touched, the lock is brief. Every row still has to be
written, under ACCESS EXCLUSIVE for the whole time, when the value differs per row or the
server is older:
- a **volatile default**: \`random()\`, \`gen_random_uuid()\`, \`uuid_generate_v4()\`,
  \`clock_timestamp()\`, \`nextval(…)\` (\`now()\` is stable: no rewrite);
- \`serial\` / \`bigserial\` (a \`nextval\` default) and \`GENERATED … AS IDENTITY\`;
- \`GENERATED ALWAYS AS (…) STORED\`;
- **any** non-NULL default before PostgreSQL 11 (set \`serverVersion\` in the config).

The change is compatible with old code and reversible (phase \`expand\`); the cost is the lock.

Do instead:
\`\`\`sql
ALTER TABLE events ADD COLUMN token uuid;                                -- catalog only
ALTER TABLE events ALTER COLUMN token SET DEFAULT gen_random_uuid();     -- new rows only
UPDATE events SET token = gen_random_uuid() WHERE id BETWEEN 1 AND 10000 AND token IS NULL;  -- batches, outside the DDL transaction
\`\`\`
For an identity key, add a nullable bigint, attach a sequence default, backfill, then
promote it. Rails (strong_migrations): add the column, \`change_column_default\`, backfill
with \`disable_ddl_transaction!\`; Django: \`AddField(null=True)\`, then \`RunPython\` in batches.

A table created in the same migration is empty: no finding.

Rollback: the down (\`DROP COLUMN\`) is quick and loses only the new column's values.`,
  check(op, ctx) {
    if (ctx.isNewTable(op.table)) return null;
    const c = op.column;
    const isNull = !c.default || c.default.text.toLowerCase() === 'null';
    const reason = c.generated
      ? 'a stored generated column is computed for every existing row'
      : c.identity
        ? 'an identity column numbers every existing row'
        : c.default?.volatile
          ? `the volatile default ${c.default.text} is evaluated for every existing row`
          : !isNull && ctx.serverVersion < 11
            ? `before PostgreSQL 11 any default (${c.default?.text}) is written into every existing row`
            : null;
    if (!reason) return null;
    const table = qnameText(op.table);
    const setDefault = c.default ? `\nALTER TABLE ${table} ALTER COLUMN ${c.name} SET DEFAULT ${c.default.text};  -- new rows only` : '';
    return {
      message: `Adding ${table}.${c.name} rewrites the table: ${reason}, under ACCESS EXCLUSIVE (no reads or writes until it ends).`,
      fix: `Add the column without the per-row value, then fill old rows in batches outside the DDL transaction:\nALTER TABLE ${table} ADD COLUMN ${c.name} ${c.type.text};${setDefault}\nUPDATE ${table} SET ${c.name} = <value> WHERE ${c.name} IS NULL AND id BETWEEN … AND …;`,
    };
  },
});
