import { code, help } from '../help.js';
import { type ColumnDef, defaultIsNull, type Operation, qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { isSerial } from './new-columns.js';
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
    if (ctx.isNewTable(op.table) || !rewriteReason(op.column, ctx.serverVersion)) return null;
    // One ALTER TABLE rewrites the table once, however many of its columns need it: report the statement once.
    const sameStatement = addColumnsByStatement(ctx.ops).get(`${op.span.line}:${op.span.column}`) ?? [];
    const rewriting = sameStatement.filter((o) => rewriteReason(o.column, ctx.serverVersion));
    if (rewriting[0] !== op) return null;
    const table = qnameText(op.table);
    const c = op.column;
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const column = sqlIdent(c.name, ctx.dialect);
    const others =
      rewriting.length > 1 ? ` (and ${rewriting.length - 1} more column${rewriting.length > 2 ? 's' : ''} of this statement)` : '';
    const setDefault = c.default
      ? help`\nALTER TABLE ${sqlTable} ALTER COLUMN ${column} SET DEFAULT ${code('sql', c.default.text)};  -- new rows only`
      : '';
    return {
      message: `Adding ${table}.${c.name}${others} rewrites the table: ${rewriteReason(c, ctx.serverVersion)}, under ACCESS EXCLUSIVE (no reads or writes until it ends).`,
      fix: help`Add the column without the per-row value, then fill old rows in batches outside the DDL transaction:\nALTER TABLE ${sqlTable} ADD COLUMN ${column} ${c.type.text};${setDefault}\nUPDATE ${sqlTable} SET ${column} = <value> WHERE ${column} IS NULL AND id BETWEEN … AND …;`,
    };
  },
});

const ADD_COLUMNS_BY_STATEMENT = new WeakMap<readonly Operation[], Map<string, AddColumnOp[]>>();

/** The AddColumn operations of each statement (by where it starts), built once per operation list: 60k add_column calls in one migration. */
function addColumnsByStatement(ops: readonly Operation[]): Map<string, AddColumnOp[]> {
  let byStatement = ADD_COLUMNS_BY_STATEMENT.get(ops);
  if (!byStatement) {
    byStatement = new Map();
    for (const o of ops) {
      if (o.kind !== 'AddColumn') continue;
      const key = `${o.span.line}:${o.span.column}`;
      const list = byStatement.get(key);
      if (list) list.push(o);
      else byStatement.set(key, [o]);
    }
    ADD_COLUMNS_BY_STATEMENT.set(ops, byStatement);
  }
  return byStatement;
}

type AddColumnOp = Extract<Operation, { kind: 'AddColumn' }>;

/** Why adding this column writes every existing row, or null when the catalog alone holds its value (`twoway plan` reads it too). */
export function rewriteReason(c: ColumnDef, serverVersion: number): string | null {
  if (c.generated) return 'a stored generated column is computed for every existing row';
  if (c.identity) return 'an identity column numbers every existing row';
  if (isSerial(c)) return `a ${c.type.text} column numbers every existing row`;
  if (c.default?.volatile) return `the volatile default ${c.default.text} is evaluated for every existing row`;
  if (!defaultIsNull(c.default) && serverVersion < 11)
    return `before PostgreSQL 11 any default (${c.default?.text}) is written into every existing row`;
  return null;
}
