import { help } from '../help.js';
import { type Operation, type QName, qnameKey, qnameText } from '../ir.js';
import { tokenize } from '../sql/tokens.js';
import type { RuleContext } from './rule.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'down-references-missing',
  category: 'rollback',
  severity: 'error',
  summary:
    'The down names a table, column, index or constraint that will not exist (or one that already exists) when it runs: the rollback fails.',
  direction: 'down',
  kinds: [
    'CreateTable',
    'DropTable',
    'RenameTable',
    'AddColumn',
    'DropColumn',
    'RenameColumn',
    'AlterColumnType',
    'SetNotNull',
    'DropNotNull',
    'SetDefault',
    'AddIndex',
    'DropIndex',
    'RenameIndex',
    'AddConstraint',
    'ValidateConstraint',
    'DropConstraint',
    'RenameConstraint',
    'AlterEnum',
    'DropEnum',
    'DropView',
    'DataChange',
  ],
  docs: `
A down runs against the schema the up left behind, at the worst moment: during an incident. If it
names a column the up renamed, an index the up already dropped, re-creates a table that still
exists, renames a table onto a name still taken or adds a constraint under a name the table already
has, PostgreSQL stops it with an error and the rollback is stuck half way. Downs are rarely run
before they are needed, so these mistakes (copy-paste, a swapped up and down, a rename the down
forgot) survive review.

twoway replays the up, then the down statement by statement, and checks every name the down uses
against the schema at that point. A table the replayed history never created is assumed to exist
(made outside migrations), and indexes PostgreSQL named itself are not checked, so only names
the replay knows for certain are reported. Constraints PostgreSQL names itself
(\`<table>_<column>_key\`, \`_fkey\`, \`_pkey\`) get those names in the replay too, so on a
PostgreSQL table the history created a constraint name the replay never saw does not exist. \`IF EXISTS\` / \`IF NOT EXISTS\` make a statement
tolerant and are not reported.

Do instead: write the down against the schema after the up (the new names), in reverse order of
the up, and rehearse it (\`twoway rehearse\`, or \`rails db:rollback\` / \`alembic downgrade -1\` /
\`migrate down 1\` on a copy).`,
  check(op, ctx) {
    const problem = missingName(op, ctx);
    if (!problem) return null;
    return {
      message: `The down would fail: ${problem}.`,
      fix: help`Write the down against the schema the up leaves behind (use the names after the up), statement by statement in reverse order of the up, and rehearse it on a copy of the database.`,
      effect: { dbRollback: 'lossy' },
    };
  },
});

function missingName(op: Operation, ctx: RuleContext): string | null {
  const s = ctx.schema;
  const tableGone = (q: QName) => !s.table(q) && s.seenTables.has(qnameKey(q));
  const noTable = (q: QName) => (tableGone(q) ? `table ${qnameText(q)} does not exist at this point` : null);
  // A table the history created has exactly the columns the replay knows (ADD COLUMN is always modelled), unless the
  // up itself uses a column the replay never saw (the history is incomplete there). A column of a table made outside
  // the history may come from anywhere: only names the replay saw are reported there.
  const upMentions = (column: string) =>
    (ctx.otherDirection ?? []).some(
      (o) => 'column' in o && (o.column === column || (typeof o.column === 'object' && o.column.name === column)),
    );
  const knownColumn = (q: QName, column: string) =>
    (s.seenTables.has(qnameKey(q)) && !upMentions(column)) || Boolean(ctx.start.column(q, column) || ctx.afterUp.column(q, column));
  const noColumn = (q: QName, column: string) => {
    const t = s.table(q);
    if (!t) return noTable(q);
    const missing = !t.columnsUnknown && !t.columns.has(column) && knownColumn(q, column);
    return missing ? `column ${qnameText(q)}.${column} does not exist at this point` : null;
  };
  const knownIndex = (q: QName) => Boolean(ctx.start.index(q) || ctx.afterUp.index(q));
  const noIndex = (q: QName) => (!s.index(q) && knownIndex(q) ? `index ${qnameText(q)} does not exist at this point` : null);
  // PostgreSQL names every constraint it is not given a name for (<table>_<column>_key, _fkey, _pkey), and the replay
  // names them the same way: on a table the history created, the replay knows all its constraints, so a name it
  // never saw is missing (Sequelize 6's changeColumn unique: true makes users_slackId_key, not users_slack_id_idx).
  const madeByHistory = (q: QName) => ctx.dialect === 'postgresql' && s.seenTables.has(qnameKey(q)) && !s.table(q)?.columnsUnknown;
  const knownConstraint = (q: QName, name: string) =>
    madeByHistory(q) || Boolean(ctx.start.table(q)?.constraints.has(name) || ctx.afterUp.table(q)?.constraints.has(name));
  const noConstraint = (q: QName, name: string) => {
    const t = s.table(q);
    if (!t) return noTable(q);
    return !t.constraints.has(name) && knownConstraint(q, name)
      ? `constraint ${name} on ${qnameText(q)} does not exist at this point`
      : null;
  };
  switch (op.kind) {
    case 'CreateTable':
      return !op.ifNotExists && s.table(op.table) ? `table ${qnameText(op.table)} already exists at this point` : null;
    case 'DropTable':
      return op.ifExists ? null : noTable(op.table);
    case 'RenameTable': {
      const target = { ...op.table, name: op.newName };
      const taken = qnameKey(target) !== qnameKey(op.table) && s.table(target);
      return noTable(op.table) ?? (taken ? `table ${qnameText(target)} already exists at this point` : null);
    }
    case 'AddColumn': {
      const t = s.table(op.table);
      if (!t) return noTable(op.table);
      return !op.ifNotExists && t.columns.has(op.column.name)
        ? `column ${qnameText(op.table)}.${op.column.name} already exists at this point`
        : null;
    }
    case 'DropColumn':
      if (op.ifExists) return null;
      return noColumn(op.table, op.column) ?? (ctx.migration.dialect === 'sqlite' ? sqliteRefusesDrop(op, s) : null);
    case 'RenameColumn':
    case 'AlterColumnType':
    case 'SetNotNull':
    case 'DropNotNull':
    case 'SetDefault':
      return noColumn(op.table, op.column);
    case 'AddIndex': {
      const name = op.name ? { schema: op.table.schema, name: op.name } : null;
      // Dropping a column also drops indexes that use it in an expression, INCLUDE or WHERE, which the replay does not track.
      const columnDropped = ctx.ops.slice(0, ctx.index).some((o) => o.kind === 'DropColumn' && qnameKey(o.table) === qnameKey(op.table));
      const exists = name && !op.ifNotExists && s.index(name) && s.table(op.table) && !columnDropped;
      if (exists) return `index ${op.name} already exists at this point`;
      // Index keys may be expressions (lower(email)): only the table is checked.
      return noTable(op.table);
    }
    case 'DropIndex':
      return op.ifExists ? null : noIndex(op.index);
    case 'RenameIndex':
      return noIndex(op.index);
    case 'AddConstraint': {
      const name = op.constraint.name;
      const taken = name && s.table(op.table)?.constraints.has(name);
      return (
        op.constraint.columns.map((c) => noColumn(op.table, c)).find(Boolean) ??
        noTable(op.table) ??
        (taken ? `constraint ${name} on ${qnameText(op.table)} already exists at this point` : null)
      );
    }
    case 'ValidateConstraint':
    case 'RenameConstraint':
      return noConstraint(op.table, op.name);
    case 'DropConstraint':
      return op.ifExists ? null : noConstraint(op.table, op.name);
    case 'AlterEnum':
    case 'DropEnum': {
      if (op.kind === 'DropEnum' && op.ifExists) return null;
      const key = qnameKey(op.name);
      const known = ctx.start.enums.has(key) || ctx.afterUp.enums.has(key);
      return known && !s.enums.has(key) ? `type ${qnameText(op.name)} does not exist at this point` : null;
    }
    case 'DropView': {
      const key = qnameKey(op.name);
      const known = ctx.start.views.has(key) || ctx.afterUp.views.has(key);
      return !op.ifExists && known && !s.views.has(key) ? `view ${qnameText(op.name)} does not exist at this point` : null;
    }
    case 'DataChange': {
      // INSERT … SELECT reads its rows from tables that must exist too.
      const read = [
        ...(op.selectAll ? [op.selectAll] : []),
        ...(op.sources ?? []).flatMap((x) => (x ? [x.table] : [])),
        ...(op.valueReads ?? []).flat().map((x) => x.table),
      ];
      return (
        noTable(op.table) ??
        read.map(noTable).find(Boolean) ??
        (op.action === 'update' ? (op.columns.map((c) => noColumn(op.table, c)).find(Boolean) ?? null) : null)
      );
    }
    default:
      return null;
  }
}

/**
 * SQLite's own ALTER TABLE … DROP COLUMN refuses a column that an index, a PRIMARY KEY, UNIQUE or FOREIGN KEY
 * constraint uses (sqlite.org/lang_altertable.html). Frameworks that rebuild the table for a drop (Knex, Rails,
 * Django, TypeORM) are not affected: only a statement written as SQL is checked.
 */
function sqliteRefusesDrop(op: Extract<Operation, { kind: 'DropColumn' }>, s: RuleContext['schema']): string | null {
  const words = tokenize(op.text, 'sqlite').filter((t) => t.kind === 'word');
  if (words[0]?.value !== 'ALTER' || words[1]?.value !== 'TABLE') return null;
  const what = `SQLite refuses to drop ${qnameText(op.table)}.${op.column}`;
  const index = s.indexesOf(op.table).find((i) => i.columns.includes(op.column));
  if (index) return `${what}: index ${index.name} uses it`;
  for (const [name, c] of s.table(op.table)?.constraints ?? []) {
    // A column's own REFERENCES or CHECK goes with it; a table-level FOREIGN KEY (col) or any UNIQUE stops the drop.
    if (c.type === 'check' || (c.type === 'foreign-key' && c.columnLevel) || !c.columns.includes(op.column)) continue;
    return `${what}: ${c.type} constraint ${name} uses it`;
  }
  return null;
}
