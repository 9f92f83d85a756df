import { help } from '../help.js';
import { qnameKey } from '../ir.js';
import { hasDown } from '../judge/judge.js';
import type { ParsedMigration } from '../migration.js';
import { type AssumedObjects, diffSchemas } from '../schema/diff.js';
import type { Schema } from '../schema/schema.js';
import { downSpan, schemaAfterDown } from './down-replay.js';
import { defineRule, type MigrationRuleContext, type RollbackGroup } from './rule.js';

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

Versions that roll back only together (pop/popx versions sharing one 14-digit legacy version: one change
split over several files, whose downs undo it only as a whole) are judged as a group: the downs of all of
them, run newest first as pop runs a rollback, against the schema before the first of them, reported once at
the newest.

What the replay cannot know is left alone: tables whose columns are unknown (CREATE TABLE AS,
LIKE, partitions), constraints PostgreSQL named itself (unnamed in the migration), the exact text
of defaults, and downs that run procedural code (DO blocks). A written-but-empty down is reported
as a missing down (\`missing-down\`), not here.

Do instead: write the exact inverse of each up statement, in reverse order. Rails \`change\`
derives it for reversible commands (give \`remove_column\` its type, \`remove_index\` its columns);
Alembic \`downgrade()\`, Django's automatic reverse operations and golang-migrate \`.down.sql\` files
must mirror the up by hand.`,
  checkMigration(ctx) {
    // A rollback group (pop versions that split one change) is judged as a whole, at its last member.
    if (ctx.migration.rollbackGroup) return ctx.group ? groupDrift(ctx, ctx.group) : [];
    const afterDown = schemaAfterDown(ctx);
    if (!afterDown) return [];
    if (ctx.parsed.down?.some((op) => op.kind === 'Raw' && op.notAnalyzed)) return [];
    const span = downSpan(ctx);
    const before = withoutGuardedAdds(ctx.before, ctx.parsed);
    return diffSchemas(before, afterDown, droppedUnseen(before, [ctx.parsed])).map((d) => ({
      message: `After up and down, ${d.object} ${d.message}.`,
      fix: help`Make the down the exact inverse of the up, statement by statement in reverse order, so that ${d.object} is as it was before the up.`,
      span,
    }));
  },
});

/** A column the up adds behind a check that it is absent was, as the judge takes it, not there before: its down may drop it. */
function withoutGuardedAdds(before: Schema, parsed: ParsedMigration): Schema {
  const adds = parsed.up.filter((op) => op.kind === 'AddColumn' && op.guarded);
  if (!adds.length) return before;
  const schema = before.clone();
  for (const op of adds)
    if (op.kind === 'AddColumn')
      schema.apply(
        { kind: 'DropColumn', span: op.span, text: op.text, table: op.table, column: op.column.name, ifExists: true, cascade: false },
        'before',
      );
  return schema;
}

/** The group's downs, run newest first from the schema its ups left, against the schema before its first up. */
function groupDrift(ctx: MigrationRuleContext, group: RollbackGroup) {
  const members = group.members;
  if (!members.some(hasDown)) return [];
  const downs = [...members].reverse().flatMap((m) => (hasDown(m) ? (m.down ?? []) : []));
  if (downs.some((op) => op.kind === 'Raw' && op.notAnalyzed)) return [];
  const afterDown = ctx.afterUp.clone();
  for (const op of downs) afterDown.apply(op, `${ctx.migration.rollbackGroup}:down`);
  const first = members[0]?.migration.id;
  const span = downSpan(ctx);
  return diffSchemas(group.before, afterDown, droppedUnseen(group.before, members)).map((d) => ({
    message: `After the ups of versions ${first} to ${ctx.migration.id} and their downs, run newest first as a rollback of the group does, ${d.object} ${d.message}.`,
    fix: help`Make the group's downs, run from the newest version back, the exact inverse of its ups, so that ${d.object} is as it was before ${first}.`,
    span,
  }));
}

/** What the ups drop by name that the replay never saw made: it existed, so a down re-creating it is right. */
function droppedUnseen(before: Schema, migrations: readonly ParsedMigration[]): AssumedObjects {
  const tables = new Set<string>();
  const indexes = new Set<string>();
  const constraints = new Map<string, Set<string>>();
  const ups = migrations.flatMap((m) => m.up);
  // Made by an earlier up of the same group: the replay saw it made.
  const made = new Set<string>();
  for (const op of ups) {
    if (op.kind === 'DropTable' && !before.table(op.table) && !made.has(qnameKey(op.table))) tables.add(qnameKey(op.table));
    if (op.kind === 'DropIndex' && !before.index(op.index) && !made.has(`index ${qnameKey(op.index)}`)) indexes.add(qnameKey(op.index));
    if (
      op.kind === 'DropConstraint' &&
      !before.table(op.table)?.constraints.has(op.name) &&
      !made.has(`constraint ${qnameKey(op.table)} ${op.name}`)
    ) {
      const key = qnameKey(op.table);
      constraints.set(key, new Set([...(constraints.get(key) ?? []), op.name]));
    }
    if (op.kind === 'CreateTable') made.add(qnameKey(op.table));
    if (op.kind === 'RenameTable') made.add(qnameKey({ ...op.table, name: op.newName }));
    if (op.kind === 'AddIndex' && op.name) made.add(`index ${qnameKey({ ...op.table, name: op.name })}`);
    if (op.kind === 'AddConstraint' && op.constraint.name) made.add(`constraint ${qnameKey(op.table)} ${op.constraint.name}`);
  }
  const ops = [...ups, ...migrations.flatMap((m) => m.down ?? [])];
  const typesRenamed = ops.some((op) => op.kind === 'Raw' && op.statement === 'RenameStmt:OBJECT_TYPE');
  return { typesRenamed, tables, indexes, constraints };
}
