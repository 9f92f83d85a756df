// Drop column / drop table: the code stops using it first (a release), then a contract step copies what it
// destroys into an archive and drops; its down makes the column or table again from the schema before and
// restores the values from the archive by primary key.
import type { DropColumn, DropTable, QName } from '../../ir.js';
import { qnameKey, qnameText } from '../../ir.js';
import type { Schema } from '../../schema/schema.js';
import {
  archiveName,
  columnSql,
  constraintSql,
  createArchiveSchema,
  dropArchive,
  ident,
  indexSql,
  type KindPlan,
  pkMatch,
  primaryKey,
  recreateTable,
  serialsAfterRestore,
  table,
  unrecreatable,
} from './sql.js';

export function dropColumn(op: DropColumn, schema: Schema): KindPlan {
  const t = schema.table(op.table);
  const c = t?.columns.get(op.column);
  if (!t || !c) return { unplanned: `the column ${qnameText(op.table)}.${op.column} is not in the schema the migrations before it leave` };
  const reach = op.cascade ? cascadeReach(schema, op.table, op.column) : null;
  if (reach) return { unplanned: `DROP COLUMN … CASCADE also drops ${reach}, which the plan cannot restore` };
  const pk = primaryKey(t);
  if (!pk) return { unplanned: `${qnameText(op.table)} has no primary key: archived values could not be matched back to their rows` };
  if (pk.includes(op.column)) return { unplanned: `${op.column} is part of the primary key of ${qnameText(op.table)}` };
  const why = unrecreatable(c);
  if (why) return { unplanned: why };
  const name = `drop_${op.table.name}_${op.column}`;
  const archive = archiveName(op.table, name);
  const tbl = table(op.table);
  const col = ident(op.column);
  // Constraints and indexes on the column go with it; the down writes them back.
  const constraints = [...t.constraints].filter(([, k]) => k.columns.includes(op.column));
  const indexes = schema.indexesOf(op.table).filter((i) => i.columns.includes(op.column) && !t.constraints.has(i.name));
  const readd: string[] = [];
  for (const [n, k] of constraints) {
    const sql = constraintSql(n, k);
    if (!sql) return { unplanned: `the ${k.type} constraint ${n} on the column cannot be written back from the schema` };
    readd.push(`ALTER TABLE ${tbl} ADD ${sql};`);
  }
  return {
    steps: [
      {
        name,
        release: 2,
        phase: 'contract',
        up: [
          createArchiveSchema,
          `CREATE TABLE ${table(archive)} AS SELECT ${[...pk, op.column].map(ident).join(', ')} FROM ${tbl};`,
          `ALTER TABLE ${tbl} DROP COLUMN ${col};`,
        ],
        down: [
          // Nullable first: the archived values go back before NOT NULL holds again.
          `ALTER TABLE ${tbl} ADD COLUMN ${columnSql(c, { nullable: true })};`,
          `UPDATE ${tbl} SET ${col} = a.${col} FROM ${table(archive)} a WHERE ${pkMatch(tbl, pk)};`,
          ...(c.nullable ? [] : [`ALTER TABLE ${tbl} ALTER COLUMN ${col} SET NOT NULL;`]),
          ...readd,
          ...indexes.map((i) => indexSql(op.table, i)),
          ...dropArchive(archive),
        ],
        transactional: true,
        work: { table: op.table, does: 'copy' },
        note: `the archive ${qnameText(archive)} keeps the values until \`twoway plan --cleanup\` drops it`,
      },
    ],
    stopUsing: [{ table: op.table.name, columns: [op.column] }],
    archives: [{ table: qnameText(archive), source: op.table, columns: [...pk, op.column], step: name, someRows: false }],
  };
}

export function dropTable(op: DropTable, schema: Schema): KindPlan {
  const t = schema.table(op.table);
  if (!t) return { unplanned: `the table ${qnameText(op.table)} is not in the schema the migrations before it leave` };
  const reach = op.cascade ? cascadeReach(schema, op.table) : null;
  if (reach) return { unplanned: `DROP TABLE … CASCADE also drops ${reach}, which the plan cannot restore` };
  const pk = primaryKey(t);
  if (!pk) return { unplanned: `${qnameText(op.table)} has no primary key: archived rows could not be told apart` };
  const restore = recreateTable(t, schema);
  if ('reason' in restore) return { unplanned: restore.reason };
  const name = `drop_${op.table.name}`;
  const archive = archiveName(op.table, name);
  const columns = [...t.columns.keys()];
  const list = columns.map(ident).join(', ');
  return {
    steps: [
      {
        name,
        release: 2,
        phase: 'contract',
        up: [
          createArchiveSchema,
          `CREATE TABLE ${table(archive)} AS SELECT ${list} FROM ${table(op.table)};`,
          `DROP TABLE ${table(op.table)};`,
        ],
        down: [
          ...restore.create,
          `INSERT INTO ${table(op.table)} (${list}) SELECT ${list} FROM ${table(archive)};`,
          ...restore.after,
          ...serialsAfterRestore(t),
          ...dropArchive(archive),
        ],
        transactional: true,
        work: { table: op.table, does: 'copy' },
        note: `the archive ${qnameText(archive)} keeps the rows until \`twoway plan --cleanup\` drops it`,
      },
    ],
    stopUsing: [{ table: op.table.name, columns }],
    archives: [{ table: qnameText(archive), source: op.table, columns, step: name, someRows: false }],
  };
}

/**
 * What a CASCADE drop of the table (or its column) would take beyond it, or null when nothing: foreign keys of
 * other tables referencing it, and views (the schema does not say which columns a view reads). With nothing
 * outside, CASCADE drops what a plain drop does (Django's RemoveField and DeleteModel always say CASCADE), so
 * the step drops without it: a dependent made outside the migrations then stops the drop instead of going with it.
 */
function cascadeReach(schema: Schema, t: QName, column?: string): string | null {
  const key = qnameKey(t);
  for (const other of schema.tables.values())
    for (const [name, c] of other.constraints) {
      const r = c.type === 'foreign-key' ? c.references : undefined;
      if (!r || qnameKey(r.table) !== key || qnameKey(other.name) === key) continue;
      if (column === undefined || r.columns.includes(column)) return `the foreign key ${name} of ${qnameText(other.name)}`;
    }
  if (schema.views.size) return `any of the views ${[...schema.views.keys()].join(', ')} reading it`;
  return null;
}
