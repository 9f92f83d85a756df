// Type change (narrowing included): a column of the new type beside the old one, kept equal by a trigger and
// backfilled in batches, swapped in by a contract step that archives and drops the old column.
import type { AlterColumnType } from '../../ir.js';
import { qnameText, recomputingUsing, SHADOW_SUFFIX } from '../../ir.js';
import type { Schema } from '../../schema/schema.js';
import { shadowColumn } from './shadow.js';
import { cut, type KindPlan } from './sql.js';

export function changeColumnType(op: AlterColumnType, schema: Schema): KindPlan {
  const c = schema.column(op.table, op.column);
  if (!c) return { unplanned: `the column ${qnameText(op.table)}.${op.column} is not in the schema the migrations before it leave` };
  if (recomputingUsing(op))
    return { unplanned: `USING ${op.using} computes new values: the old ones cannot be written back through the sync` };
  return shadowColumn(
    {
      table: op.table,
      from: c,
      to: { ...c, type: op.type },
      shadow: cut(`${op.column}${SHADOW_SUFFIX}`),
      toNew: (ref) => `${ref}::${op.type.text}`,
      toOld: (ref) => `${ref}::${c.type.text}`,
      name: `retype_${op.table.name}_${op.column}`,
      stopUsing: false,
      switchNote: `ship code that works with ${op.column} as ${op.type.text} as well as ${c.type.text} before the next step`,
    },
    schema,
  );
}
