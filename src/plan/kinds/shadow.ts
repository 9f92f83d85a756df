// A column replaced by another while two releases run: add the new column, a trigger keeping both equal, a
// batched backfill (old values of the new column archived), NOT NULL through a validated check, then a
// contract step that archives and drops the old column. Rename column and type change are both this.
import type { QName } from '../../ir.js';
import { qnameText } from '../../ir.js';
import type { ColumnState, Schema } from '../../schema/schema.js';
import type { PlanStep } from '../steps.js';
import { setNotNull } from './constraints.js';
import {
  archiveName,
  archiveRows,
  batched,
  columnList,
  columnSql,
  createArchiveSchema,
  dropArchive,
  ident,
  type KindPlan,
  primaryKey,
  restoreValues,
  syncNames,
  syncTrigger,
  table,
  unrecreatable,
  updateBatches,
} from './sql.js';

export interface Shadow {
  table: QName;
  /** The column as it is, and the column it becomes (its type; the name in `to`). */
  from: ColumnState;
  to: ColumnState;
  /** The name the new column has while both exist (the final name when it differs from the old one). */
  shadow: string;
  /** The new column's value from the old one's (`ref` is the old column, NEW.x in the trigger), and back. */
  toNew: (ref: string) => string;
  toOld: (ref: string) => string;
  /** What the step names start with (`rename_users_email`). */
  name: string;
  /** Code stops using the old column before the contract (a rename); a type change keeps the name. */
  stopUsing: boolean;
  /** Between the expand steps and the contract, in words. */
  switchNote: string;
}

export function shadowColumn(s: Shadow, schema: Schema): KindPlan {
  const t = schema.table(s.table);
  if (!t) return { unplanned: `the table ${qnameText(s.table)} is not in the schema the migrations before it leave` };
  const pk = primaryKey(t);
  if (!pk) return { unplanned: `${qnameText(s.table)} has no primary key: the backfill cannot go in batches, nor archived values back` };
  if (pk.includes(s.from.name)) return { unplanned: `${s.from.name} is part of the primary key of ${qnameText(s.table)}` };
  const why = unrecreatable(s.from);
  if (why) return { unplanned: why };
  const onColumn = [...t.constraints.values()].some((c) => c.columns.includes(s.from.name) && c.type !== 'not-null');
  const indexed = schema.indexesOf(s.table).some((i) => i.columns.includes(s.from.name));
  if (onColumn || indexed) return { unplanned: `${s.from.name} has indexes or constraints the plan does not move to the new column yet` };
  const tbl = table(s.table);
  const from = ident(s.from.name);
  const shadow = ident(s.shadow);
  const sync = syncTrigger(s.table, s.from.name, s.shadow, s.toNew(`NEW.${from}`), s.toOld(`NEW.${shadow}`));
  const { trigger } = syncNames(s.table, s.from.name, s.shadow);
  const backfillName = `backfill_${s.table.name}_${s.shadow}`;
  const backfill = archiveName(s.table, backfillName);
  const contractName = `${s.name}_contract`;
  const dropped = archiveName(s.table, contractName);
  const notNull = !s.to.nullable ? setNotNull({ table: s.table, column: s.shadow }) : [];
  const [, , setStep] = notNull;
  const final = ident(s.to.name);
  const renamed = s.shadow !== s.to.name;
  const steps: PlanStep[] = [
    {
      name: `add_${s.table.name}_${s.shadow}`,
      release: 1,
      phase: 'expand',
      // Nullable and without a default while the trigger fills it: an INSERT by the old code leaves it NULL for the trigger.
      up: [`ALTER TABLE ${tbl} ADD COLUMN ${shadow} ${s.to.type.text};`, ...sync.up],
      down: [...sync.down, `ALTER TABLE ${tbl} DROP COLUMN ${shadow};`],
      transactional: true,
      note: `the trigger ${trigger} copies every write of ${s.from.name} to ${s.shadow} and back`,
    },
    {
      name: backfillName,
      release: 1,
      phase: 'data',
      up: [
        batched(
          archiveRows(tbl, pk, [s.shadow], backfill, `${shadow} IS DISTINCT FROM ${s.toNew(from)}`),
          updateBatches(tbl, `${shadow} = ${s.toNew(from)}`, pk, backfill),
        ),
      ],
      // The trigger would copy the restored values to the old column: it is off while they go back.
      down: [
        `ALTER TABLE ${tbl} DISABLE TRIGGER ${ident(trigger)};`,
        restoreValues(s.table, pk, [s.shadow], backfill),
        `ALTER TABLE ${tbl} ENABLE TRIGGER ${ident(trigger)};`,
        ...dropArchive(backfill),
      ],
      transactional: false,
      work: { table: s.table, does: 'backfill' },
      note: notNull.length ? undefined : s.switchNote,
    },
    ...notNull.slice(0, 2).map((step, i) => (i === 1 ? { ...step, note: s.switchNote } : step)),
  ];
  const checkDown = setStep ? setStep.down.slice(0, 2) : [];
  steps.push({
    name: contractName,
    release: 2,
    phase: 'contract',
    up: [
      createArchiveSchema,
      `CREATE TABLE ${table(dropped)} AS SELECT ${columnList([...pk, s.from.name])} FROM ${tbl};`,
      ...sync.down,
      `ALTER TABLE ${tbl} DROP COLUMN ${from};`,
      ...(setStep?.up ?? []),
      ...(renamed ? [`ALTER TABLE ${tbl} RENAME COLUMN ${shadow} TO ${final};`] : []),
      ...(s.to.default ? [`ALTER TABLE ${tbl} ALTER COLUMN ${final} SET DEFAULT ${s.to.default.text};`] : []),
    ],
    down: [
      ...(s.to.default ? [`ALTER TABLE ${tbl} ALTER COLUMN ${final} DROP DEFAULT;`] : []),
      ...(renamed ? [`ALTER TABLE ${tbl} RENAME COLUMN ${final} TO ${shadow};`] : []),
      ...(setStep ? [...checkDown, `ALTER TABLE ${tbl} ALTER COLUMN ${shadow} DROP NOT NULL;`] : []),
      `ALTER TABLE ${tbl} ADD COLUMN ${columnSql(s.from, { nullable: true })};`,
      // Rows written since the up have only the new column: their old value is converted back from it, then
      // the archived rows get their exact old values.
      `UPDATE ${tbl} SET ${from} = ${s.toOld(shadow)};`,
      restoreValues(s.table, pk, [s.from.name], dropped),
      ...(s.from.nullable ? [] : [`ALTER TABLE ${tbl} ALTER COLUMN ${from} SET NOT NULL;`]),
      ...sync.up,
      ...dropArchive(dropped),
    ],
    transactional: true,
    work: { table: s.table, does: 'copy' },
    note: `the archive ${qnameText(dropped)} keeps the old values until \`twoway plan --cleanup\` drops it`,
  });
  return {
    steps,
    stopUsing: s.stopUsing ? [{ table: s.table.name, columns: [s.from.name] }] : [],
    archives: [
      { table: qnameText(backfill), source: s.table, columns: [...pk, s.shadow], step: backfillName, someRows: true },
      { table: qnameText(dropped), source: s.table, columns: [...pk, s.from.name], step: contractName, someRows: false },
    ],
  };
}
