import { help } from '../help.js';
import { type QName, qnameKey, qnameText } from '../ir.js';
import { sqlIdent, sqlIndexColumn, sqlQName } from '../sql/quote.js';
import { columnAddedInMigration } from './existing.js';
import { defineRule, type RuleContext, type RuleResult } from './rule.js';

/** Old code writes these columns: not a new table, not a materialized view (nobody writes one), no column added by this migration. */
function restrictsOldColumns(ctx: RuleContext, table: QName, columns: readonly string[]): boolean {
  if (ctx.isNewTable(table) || ctx.schema.views.has(qnameKey(table))) return false;
  return !columns.some((c) => columnAddedInMigration(ctx, table, c));
}

export default defineRule({
  id: 'new-write-restriction',
  category: 'breaks-old-code',
  severity: 'warning',
  summary:
    'A new unique index, unique/primary key, check or foreign key on existing columns fails on existing rows that break it, and rejects such writes from old code.',
  lock: 'Depends on the statement (see the locking rules); this rule is about the data, not the lock.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['AddIndex', 'AddConstraint'],
  docs: `
A constraint on columns that already hold data is data-dependent twice (Atlas: MF101, MF102):
- **Existing rows**: a unique index or constraint fails if two rows share a value; a validated
  CHECK or FOREIGN KEY fails if one row breaks it. The migration stops halfway through a deploy,
  and \`CREATE UNIQUE INDEX CONCURRENTLY\` leaves an INVALID index behind.
- **Old code**: from then on, the release still running gets errors for writes it used to make:
  duplicates, values outside the check, children without a parent, and deletes of parents that
  still have children. \`NOT VALID\` skips the existing rows but still checks every new write
  (squawk: \`ban-new-write-restriction\`).

Do instead:
1. Release code that never writes what the constraint forbids (validations, upserts).
2. Find and fix the existing rows first, in a data migration:
   \`\`\`sql
   SELECT email, count(*) FROM users GROUP BY email HAVING count(*) > 1;
   \`\`\`
3. Then add the constraint (\`CREATE UNIQUE INDEX CONCURRENTLY\`, then \`ADD CONSTRAINT … UNIQUE
   USING INDEX\`; checks and foreign keys \`NOT VALID\`, then \`VALIDATE\`).

A constraint promoted from an existing index (\`USING INDEX\`), one on a table created in the
same migration, or one involving a column added in the same migration restricts nothing that
old code writes: no finding. \`CHECK (col IS NOT NULL)\` is reported by \`set-not-null\`'s sequence, not here.

Rollback: dropping the constraint in the down is quick and loses nothing. Rails:
\`add_index … unique: true, algorithm: :concurrently\`, \`add_foreign_key … validate: false\`;
Django: \`AddIndexConcurrently\`, \`AddConstraint\` (validate in a later migration with \`RunSQL\`).`,
  check(op, ctx): RuleResult | null {
    const table = qnameText(op.table);
    if (op.kind === 'AddIndex') {
      if (!op.unique || !restrictsOldColumns(ctx, op.table, op.columns)) return null;
      const what = `unique index ${op.name ?? ''} on ${table} (${op.columns.join(', ')})`.replace('  ', ' ');
      return {
        message: `New ${what}: fails if existing rows share a value${op.concurrently ? ' (leaving an INVALID index behind)' : ''}, and the release still running gets errors when it writes a duplicate.`,
        fix: help`Release code that never writes duplicates, remove the existing ones, then build the index:\nSELECT ${op.columns.map((c) => sqlIndexColumn(c, ctx.dialect)).join(', ')}, count(*) FROM ${sqlQName(op.table, ctx.dialect)} GROUP BY ${op.columns.map((c) => sqlIndexColumn(c, ctx.dialect)).join(', ')} HAVING count(*) > 1;`,
      };
    }
    const c = op.constraint;
    if (c.usingIndex || c.notNullColumn || c.type === 'not-null' || !restrictsOldColumns(ctx, op.table, c.columns)) return null;
    const name = c.name ? ` ${c.name}` : '';
    const cols = c.columns.join(', ');
    switch (c.type) {
      case 'unique':
      case 'primary-key':
      case 'exclude': {
        const kind = c.type === 'primary-key' ? 'primary key' : c.type === 'exclude' ? 'exclusion constraint' : 'unique constraint';
        const nulls = c.type === 'primary-key' ? ' or NULL' : '';
        return {
          message: `New ${kind}${name} on ${table} (${cols}): fails if existing rows conflict, and the release still running gets errors when it writes a duplicate${nulls}.`,
          fix: help`Release code that never writes duplicates, remove the existing ones, then build a unique index CONCURRENTLY and attach it:\nALTER TABLE ${sqlQName(op.table, ctx.dialect)} ADD CONSTRAINT ${c.name ? sqlIdent(c.name, ctx.dialect) : '<name>'} ${c.type === 'primary-key' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX <index>;`,
        };
      }
      case 'check':
      case 'foreign-key': {
        const kind = c.type === 'check' ? 'check constraint' : 'foreign key';
        const detail =
          c.type === 'check'
            ? `CHECK (${c.expression ?? ''})`
            : `FOREIGN KEY (${cols}) REFERENCES ${c.references ? qnameText(c.references.table) : '?'}`;
        const existing = c.notValid ? '' : 'fails if an existing row breaks it, and ';
        const deletes = c.type === 'foreign-key' ? ' (and deletes of referenced rows)' : '';
        return {
          message: `New ${kind}${name} on ${table}, ${detail}: ${existing}the release still running gets errors for writes${deletes} that break it.`,
          fix: 'Release code that only writes valid rows, fix the existing rows, then add the constraint NOT VALID and VALIDATE it in a later migration.',
          severity: c.notValid ? 'info' : 'warning',
        };
      }
      default:
        return null;
    }
  },
});
