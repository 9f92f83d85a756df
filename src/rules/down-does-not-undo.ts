import { qnameKey } from '../ir.js';
import { type AssumedObjects, diffSchemas } from '../schema/diff.js';
import { downSpan, schemaAfterDown } from './down-replay.js';
import { defineRule, type MigrationRuleContext } from './rule.js';

export default defineRule({
  id: 'down-does-not-undo',
  category: 'rollback',
  severity: 'warning',
  summary: 'The down does not bring the schema back to what it was before the up.',
  direction: 'down',
  kinds: [],
  docs: `
A down exists to return the database to the state the previous release ran on. twoway replays the
up and then the down on its model of the schema and compares the result with the schema before
the up: every table, column (type, nullability, presence of a default), named index, named
constraint, enum type and view that differs is reported.

A down that does not undo the up leaves drift behind: a column that remains makes the next
\`up\` fail ("already exists"), a missing index makes the old release slow, a missing
constraint lets bad rows in, and the rehearsal of up → down → up breaks.

What the replay cannot know is left alone: tables whose columns are unknown (CREATE TABLE AS,
LIKE, partitions), constraints PostgreSQL named itself (unnamed in the migration), the exact text
of defaults, and downs that run procedural code (DO blocks). A written-but-empty down is reported
as a missing down (\`missing-down\`), not here.

Do instead: write the exact inverse of each up statement, in reverse order. Rails \`change\`
derives it for reversible commands (give \`remove_column\` its type, \`remove_index\` its columns);
Alembic \`downgrade()\`, Django's automatic reverse operations and golang-migrate \`.down.sql\` files
must mirror the up by hand.`,
  checkMigration(ctx) {
    const afterDown = schemaAfterDown(ctx);
    if (!afterDown) return [];
    if (ctx.parsed.down?.some((op) => op.kind === 'Raw' && op.notAnalyzed)) return [];
    const span = downSpan(ctx);
    return diffSchemas(ctx.before, afterDown, droppedUnseen(ctx)).map((d) => ({
      message: `After up and down, ${d.object} ${d.message}.`,
      fix: `Make the down the exact inverse of the up, statement by statement in reverse order, so that ${d.object} is as it was before the up.`,
      span,
    }));
  },
});

/** What the up drops by name that the replay never saw made: it existed, so a down re-creating it is right. */
function droppedUnseen(ctx: MigrationRuleContext): AssumedObjects {
  const tables = new Set<string>();
  const indexes = new Set<string>();
  const constraints = new Map<string, Set<string>>();
  for (const op of ctx.parsed.up) {
    if (op.kind === 'DropTable' && !ctx.before.table(op.table)) tables.add(qnameKey(op.table));
    if (op.kind === 'DropIndex' && !ctx.before.index(op.index)) indexes.add(qnameKey(op.index));
    if (op.kind === 'DropConstraint' && !ctx.before.table(op.table)?.constraints.has(op.name)) {
      const key = qnameKey(op.table);
      constraints.set(key, new Set([...(constraints.get(key) ?? []), op.name]));
    }
  }
  const ops = [...ctx.parsed.up, ...(ctx.parsed.down ?? [])];
  const typesRenamed = ops.some((op) => op.kind === 'Raw' && op.statement === 'RenameStmt:OBJECT_TYPE');
  return { typesRenamed, tables, indexes, constraints };
}
