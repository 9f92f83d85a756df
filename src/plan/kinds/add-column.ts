// A new column on a table that holds rows, when adding it as written would be one-way or rewrite the table: a NOT
// NULL column, or one whose value PostgreSQL computes per row as it is added (a volatile default such as
// gen_random_uuid() or clock_timestamp(), nextval). It is added nullable without the default (catalog only), then
// SET DEFAULT gives new rows their value (catalog only too), existing rows are backfilled in batches (their NULLs
// archived, so the down can put them back) with the default evaluated per row, and a NOT NULL column gets NOT NULL
// through a validated check. Serial, identity and generated columns fill every row as they are added, whatever
// the statement: refused, with what to write instead.
import type { AddColumn, ColumnDef } from '../../ir.js';
import { defaultIsNull, qnameText } from '../../ir.js';
import { rewriteReason } from '../../rules/add-column-rewrite.js';
import { isSerial } from '../../rules/new-columns.js';
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

/** The plan's steps need PostgreSQL 12 (SET NOT NULL from a validated check): no version before 11's catalog-only defaults. */
const PLANNED_ON = 12;

/**
 * The column is planned in steps rather than added as written: NOT NULL (adding it with a down is two-way only
 * while the table is empty of NULLs to put back), or its value computed for every existing row as it is added.
 * `check` (src/plan/hint.ts) and `plan` decide through this, so a hint never names a plan that would not be made.
 */
export function addedInSteps(c: ColumnDef): boolean {
  return !c.nullable || rewriteReason(c, PLANNED_ON) !== null;
}

/** Why a column that fills every row as it is added cannot be planned in steps, with what to write instead; null when it can. */
export function cannotAddInSteps(c: ColumnDef): string | null {
  if (c.generated)
    return `${c.name} is a stored generated column: PostgreSQL computes it for every existing row as it is added (a rewrite) and it cannot be added empty and backfilled; add a plain column kept by a trigger, and plan that`;
  if (c.identity)
    return `${c.name} is an identity column: PostgreSQL numbers every existing row as it is added (a rewrite); add a plain bigint column with DEFAULT nextval('<a sequence you create first>'), and plan that`;
  if (isSerial(c))
    return `${c.name} is ${c.type.text}: PostgreSQL numbers every existing row as it is added (a rewrite); create the sequence first and add the column as ${c.type.text.toLowerCase().startsWith('big') ? 'bigint' : 'integer'} DEFAULT nextval('<that sequence>'), and plan that`;
  return null;
}

export function addColumnInSteps(op: AddColumn, schema: Schema): KindPlan {
  const t = schema.table(op.table);
  const c = op.column;
  if (!t) return { unplanned: `the table ${qnameText(op.table)} is not in the schema the migrations before it leave` };
  const refused = cannotAddInSteps(c);
  if (refused) return { unplanned: refused };
  if (!c.default || defaultIsNull(c.default))
    return { unplanned: `${c.name} is NOT NULL without a default: the plan needs the value existing rows get` };
  if (c.primaryKey || c.unique || c.references) return { unplanned: `${c.name} is a key, unique or a reference: not planned yet` };
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
      note: `new rows get ${c.name} = ${c.default.text}; existing rows are filled by the next step${c.default.volatile ? ', each with its own value' : ''}`,
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
    ...(c.nullable ? [] : setNotNull({ table: op.table, column: c.name })),
  ];
  return {
    steps,
    archives: [{ table: qnameText(archive), source: op.table, columns: [...pk, c.name], step: backfillName, someRows: true }],
  };
}
