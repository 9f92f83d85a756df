import type { Operation } from '../ir.js';
import { qnameKey, qnameText } from '../ir.js';
import type { Schema } from '../schema/schema.js';
import { defineRule } from './rule.js';

/**
 * What a down operation names that the schema it meets does not have, or null. Only objects the
 * replay knows are judged: a table the history never created may exist outside migrations.
 */
export function missingTarget(op: Operation, schema: Schema): string | null {
  switch (op.kind) {
    case 'DropTable':
    case 'RenameTable': {
      if (op.kind === 'DropTable' && op.ifExists) return null;
      const known = schema.seenTables.has(qnameKey(op.table));
      return known && !schema.table(op.table) ? `table ${qnameText(op.table)}` : null;
    }
    case 'DropColumn':
    case 'RenameColumn':
    case 'AlterColumnType':
    case 'SetNotNull':
    case 'DropNotNull':
    case 'SetDefault': {
      if (op.kind === 'DropColumn' && op.ifExists) return null;
      const table = schema.table(op.table);
      if (!table || table.columnsUnknown || table.columns.has(op.column)) return null;
      return `column ${qnameText(op.table)}.${op.column}`;
    }
    default:
      return null;
  }
}

export default defineRule({
  id: 'down-wrong-name',
  category: 'rollback',
  severity: 'error',
  summary: 'The down names a table or column the schema after the up does not have: it fails when it is needed.',
  direction: 'down',
  kinds: ['DropTable', 'RenameTable', 'DropColumn', 'RenameColumn', 'AlterColumnType', 'SetNotNull', 'DropNotNull', 'SetDefault'],
  docs: `
A down runs against the schema the up left. When it names a table or column that schema does
not have (a typo, a column the up named differently, an object an earlier statement of the down
already removed), PostgreSQL stops the down with an error, in the middle of an incident, and the
database cannot go back: the rollback is \`lossy\` at best.

\`twoway rehearse\` proves it by running the down; this rule sees it without a database by
replaying the history.

Do instead: name exactly what the up created or changed, in reverse order.`,
  check(op, ctx) {
    const missing = missingTarget(op, ctx.schema);
    if (!missing) return null;
    const table = 'table' in op ? ctx.schema.table(op.table) : undefined;
    const columns = table ? ` Columns of ${qnameText(table.name)} at that point: ${[...table.columns.keys()].join(', ')}.` : '';
    return {
      message: `The down names ${missing}, which the schema after the up does not have: the down fails and the database cannot go back.`,
      fix: `Name what the up created or changed, undoing it in reverse order.${columns}`,
      effect: { dbRollback: 'lossy' },
    };
  },
});
