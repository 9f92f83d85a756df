// Rename column: a new column kept equal to the old one by a trigger, backfilled in batches; the code switches to
// it, then a contract step drops the old one. Rename table: the rename and a view under the old name (a simple
// view PostgreSQL can write through), dropped by a contract step once the code uses the new name.
import type { RenameColumn, RenameTable } from '../../ir.js';
import { qnameText } from '../../ir.js';
import type { Schema } from '../../schema/schema.js';
import { shadowColumn } from './shadow.js';
import { ident, type KindPlan, table } from './sql.js';

export function renameColumn(op: RenameColumn, schema: Schema): KindPlan {
  const c = schema.column(op.table, op.column);
  if (!c) return { unplanned: `the column ${qnameText(op.table)}.${op.column} is not in the schema the migrations before it leave` };
  return shadowColumn(
    {
      table: op.table,
      from: c,
      to: { ...c, name: op.newName },
      shadow: op.newName,
      toNew: (ref) => ref,
      toOld: (ref) => ref,
      name: `rename_${op.table.name}_${op.column}`,
      stopUsing: true,
      switchNote: `ship code that reads and writes ${op.newName} instead of ${op.column} (the trigger keeps ${op.column} filled for the release before)`,
    },
    schema,
  );
}

export function renameTable(op: RenameTable, schema: Schema): KindPlan {
  if (!schema.table(op.table)) return { unplanned: `the table ${qnameText(op.table)} is not in the schema the migrations before it leave` };
  const old = table(op.table);
  const renamed = table({ ...op.table, name: op.newName });
  const view = `CREATE VIEW ${old} AS SELECT * FROM ${renamed};`;
  return {
    steps: [
      {
        name: `rename_${op.table.name}_to_${op.newName}`,
        release: 1,
        phase: 'expand',
        up: [`ALTER TABLE ${old} RENAME TO ${ident(op.newName)};`, view],
        down: [`DROP VIEW ${old};`, `ALTER TABLE ${renamed} RENAME TO ${ident(op.table.name)};`],
        transactional: true,
        note: `the view ${op.table.name} reads and writes through to ${op.newName}; ship code that uses ${op.newName} before the next step`,
      },
      {
        name: `drop_${op.table.name}_view`,
        release: 2,
        phase: 'contract',
        up: [`DROP VIEW ${old};`],
        down: [view],
        transactional: true,
      },
    ],
    stopUsing: [{ table: op.table.name, columns: [...(schema.table(op.table)?.columns.keys() ?? [])] }],
  };
}
