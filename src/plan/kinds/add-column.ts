// A new NOT NULL column on a table that holds rows: added nullable with its default for new rows, existing rows
// backfilled in batches (their NULLs archived, so the down can put them back), then NOT NULL through a validated
// check. Adding the column without the default first, then SET DEFAULT, never rewrites the table (a volatile
// default such as now() would).
import type { AddColumn } from '../../ir.js';
import { qnameText } from '../../ir.js';
import type { Schema } from '../../schema/schema.js';
import type { PlanStep } from '../steps.js';
import { setNotNull } from './constraints.js';
import {
  archiveName,
  archiveRows,
  batched,
  dropArchive,
  ident,
  type KindPlan,
  primaryKey,
  restoreValues,
  table,
  updateBatches,
} from './sql.js';

export function addNotNullColumn(op: AddColumn, schema: Schema): KindPlan {
  const t = schema.table(op.table);
  const c = op.column;
  if (!t) return { unplanned: `the table ${qnameText(op.table)} is not in the schema the migrations before it leave` };
  if (!c.default) return { unplanned: `${c.name} is NOT NULL without a default: the plan needs the value existing rows get` };
  if (c.primaryKey || c.unique || c.references || c.generated || c.identity)
    return { unplanned: `${c.name} is a key, unique, a reference, generated or an identity: not planned yet` };
  const pk = primaryKey(t);
  if (!pk) return { unplanned: `${qnameText(op.table)} has no primary key: the backfill cannot go in batches` };
  const tbl = table(op.table);
  const col = ident(c.name);
  const backfillName = `backfill_${op.table.name}_${c.name}`;
  const archive = archiveName(op.table, backfillName);
  const steps: PlanStep[] = [
    {
      name: `add_${op.table.name}_${c.name}`,
      release: 1,
      phase: 'expand',
      up: [`ALTER TABLE ${tbl} ADD COLUMN ${col} ${c.type.text};`, `ALTER TABLE ${tbl} ALTER COLUMN ${col} SET DEFAULT ${c.default.text};`],
      down: [`ALTER TABLE ${tbl} DROP COLUMN ${col};`],
      transactional: true,
      note: `new rows get ${c.name} = ${c.default.text}; existing rows are filled by the next step`,
    },
    {
      name: backfillName,
      release: 1,
      phase: 'data',
      up: [
        batched(archiveRows(tbl, pk, [c.name], archive, `${col} IS NULL`), updateBatches(tbl, `${col} = ${c.default.text}`, pk, archive)),
      ],
      // The archived rows had NULL: the down puts NULL back in exactly those.
      down: [restoreValues(op.table, pk, [c.name], archive), ...dropArchive(archive)],
      transactional: false,
      work: { table: op.table, does: 'backfill' },
    },
    ...setNotNull({ table: op.table, column: c.name }),
  ];
  return {
    steps,
    archives: [{ table: qnameText(archive), source: op.table, columns: [...pk, c.name], step: backfillName, someRows: true }],
  };
}
