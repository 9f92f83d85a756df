// The engine of `twoway plan`: a one-way operation becomes a list of steps, each its own migration that is
// two-way on its own (PostgreSQL). Writers (src/plan/write-*.ts) put the steps in a framework's files.
// Each kind of operation is planned in src/plan/kinds/<kind>.ts.
import type { Operation, QName } from '../ir.js';
import { qnameText } from '../ir.js';
import type { Schema } from '../schema/schema.js';
import { emitPostgres } from '../sql/emit-postgresql.js';
import { invertOperations } from './invert.js';
import { addColumnInSteps, addedInSteps } from './kinds/add-column.js';
import { concurrentIndex, notValidThenValidate, setNotNull } from './kinds/constraints.js';
import { dataChange } from './kinds/data-change.js';
import { dropColumn, dropTable } from './kinds/drop.js';
import { renameColumn, renameTable } from './kinds/rename.js';
import { ARCHIVE_SCHEMA, dropArchive, type KindPlan } from './kinds/sql.js';
import { changeColumnType } from './kinds/type-change.js';
import type { StopUsing } from './writer-options.js';

export interface PlanStep {
  /** Short snake_case name for the migration file. */
  name: string;
  /** Release the step ships in, counted from the first (1); code may switch between releases. */
  release: number;
  /** `data` for a backfill: rows rewritten, archived first so its down restores them. */
  phase: 'expand' | 'data' | 'contract';
  up: string[];
  down: string[];
  /** False for CONCURRENTLY statements and batched loops (COMMIT per batch), which PostgreSQL refuses inside a transaction. */
  transactional: boolean;
  /** What to do between this step and the next, in words. */
  note?: string;
  /** Why `down` is empty, said in the down the writers write; default: the up only validates what an earlier step added. */
  emptyDown?: string;
  /** The table the step goes through row by row, and how: what its duration depends on (sizes.ts estimates it). */
  work?: StepWork;
}

/**
 * How a step goes through a table: `index` builds an index CONCURRENTLY, `scan` validates a constraint (SHARE UPDATE
 * EXCLUSIVE, writes go on), `backfill` updates or deletes rows in batches, `copy` copies columns into an archive
 * before a drop.
 */
export interface StepWork {
  table: QName;
  does: 'index' | 'scan' | 'backfill' | 'copy';
}

/** A table a step copies destroyed values into, so its down can restore them. */
export interface Archive {
  /** The archive table, schema-qualified (`twoway_archive.users__drop_users_legacy`). */
  table: string;
  /** The table the values come from. */
  source: QName;
  /** The columns archived: the primary key, then the values the step destroys. */
  columns: string[];
  /** The name of the step that creates it. */
  step: string;
  /** True when the step archives only the rows it changes (a backfill, an UPDATE or DELETE), false for every row (a drop). */
  someRows: boolean;
}

export interface StepPlan {
  steps: PlanStep[];
  /** Operations the engine has no safe sequence for, with why. */
  unplanned: string[];
  /** What the release before the first contract step must stop using. */
  stopUsing: StopUsing[];
  /** Archive tables the steps create; `cleanupSteps` drops them once no one needs to roll back. */
  archives: Archive[];
}

/**
 * Plans the one-way operations of a migration applied to `before` (the schema the migrations before it leave).
 * Releases count on across operations: the first release of one operation is the last of the one before.
 */
/** What the plan knows beyond the migrations: the live database's user triggers (`--database-url`), by table key. */
export interface PlanContext {
  liveTriggers?: ReadonlyMap<string, readonly string[]>;
}

export function planSteps(ops: readonly Operation[], before: Schema, context: PlanContext = {}): StepPlan {
  const plan: StepPlan = { steps: [], unplanned: [], stopUsing: [], archives: [] };
  const schema = before.clone();
  let base = 0;
  for (const op of ops) {
    if (op.kind === 'Transaction') continue;
    const planned = planOne(op, schema, context);
    schema.apply(op, PLANNED);
    if ('unplanned' in planned) {
      plan.unplanned.push(`${op.span.path}:${op.span.line}: ${planned.unplanned}`);
      continue;
    }
    const last = plan.steps.at(-1);
    const [only] = planned.steps;
    // Two-way operations in a row share one step: the first's up first, its down last.
    if (only?.name === TWO_WAY && last?.name === TWO_WAY && last.release === base + 1) {
      last.up.push(...only.up);
      last.down.unshift(...only.down);
      continue;
    }
    for (const s of planned.steps) plan.steps.push({ ...s, release: base + s.release });
    base = Math.max(base, ...plan.steps.map((s) => s.release)) - 1;
    plan.stopUsing.push(...(planned.stopUsing ?? []));
    plan.archives.push(...(planned.archives ?? []));
  }
  return plan;
}

function planOne(op: Operation, schema: Schema, context: PlanContext): KindPlan {
  switch (op.kind) {
    case 'SetNotNull':
      return { steps: setNotNull(op) };
    case 'AddIndex':
      if (op.concurrently) return { unplanned: 'the index is already built concurrently' };
      if (!op.name) return { unplanned: 'an index without a name cannot be dropped by its down' };
      return { steps: [concurrentIndex({ ...op, name: op.name })] };
    case 'AddConstraint':
      if ((op.constraint.type === 'foreign-key' || op.constraint.type === 'check') && !op.constraint.notValid && op.constraint.name)
        return { steps: notValidThenValidate(op) };
      return { unplanned: `${op.constraint.type} constraints are not planned yet` };
    case 'DropColumn':
      return dropColumn(op, schema);
    case 'DropTable':
      return dropTable(op, schema);
    case 'RenameColumn':
      return renameColumn(op, schema);
    case 'RenameTable':
      return renameTable(op, schema);
    case 'AlterColumnType':
      return changeColumnType(op, schema);
    case 'DataChange':
      return dataChange(op, schema, context.liveTriggers);
    case 'AddColumn':
      // A table the migration itself created is empty: its columns are added as written.
      if (addedInSteps(op.column) && schema.table(op.table)?.createdBy !== PLANNED) return addColumnInSteps(op, schema);
      return twoWayStep(op, schema);
    default:
      return twoWayStep(op, schema);
  }
}

/** The migration id the plan replays its operations under: a table with it was created by the migration planned. */
const PLANNED = 'plan';

/**
 * An operation that is two-way on its own (a new table, a nullable column, a default) in a one-way migration:
 * kept as an expand step with the down twoway derives for it. Consecutive ones share a step.
 */
function twoWayStep(op: Operation, schema: Schema): KindPlan {
  const inverse = invertOperations([op], schema);
  if (!inverse.ok) return { unplanned: `${op.kind} is not planned yet (${inverse.reason})` };
  const sql = (ops: readonly Operation[]): string[] | null => {
    const out: string[] = [];
    for (const o of ops) {
      const e = emitPostgres(o);
      if (!e.ok) return null;
      if (e.sql) out.push(`${e.sql};`);
    }
    return out;
  };
  const up = sql([op]);
  const down = sql(inverse.ops);
  if (!up?.length || !down) return { unplanned: `${op.kind} is not planned yet (its SQL cannot be written from the migration)` };
  return { steps: [{ name: TWO_WAY, release: 1, phase: 'expand', up, down, transactional: true }] };
}

const TWO_WAY = 'two_way_changes';

/**
 * `twoway plan --cleanup`: one contract step dropping the archives, once the team no longer needs to roll back
 * past the steps that made them. It has no down: the values in the archives are what it destroys, on purpose.
 */
export function cleanupSteps(archives: readonly Pick<Archive, 'table' | 'source'>[]): PlanStep[] {
  if (!archives.length) return [];
  // IF EXISTS: a down cannot bring the archives back, so the clean-up applied again (a down then an up) finds them gone.
  const drops = archives.map((a) => dropArchive(archiveQName(a), { ifExists: true })[0] as string);
  return [
    {
      name: 'drop_twoway_archives',
      release: 1,
      phase: 'contract',
      up: [...drops, ...dropArchive({ schema: ARCHIVE_SCHEMA, name: '' }, { ifExists: true }).slice(1)],
      down: [],
      emptyDown: 'the archives are dropped for good; their rows do not come back',
      transactional: true,
      note: `from here, rolling back past the steps that archived ${archives.map((a) => qnameText(a.source)).join(', ')} no longer restores their values`,
    },
  ];
}

function archiveQName(a: Pick<Archive, 'table'>): QName {
  const dot = a.table.indexOf('.');
  return { schema: a.table.slice(0, dot), name: a.table.slice(dot + 1) };
}
