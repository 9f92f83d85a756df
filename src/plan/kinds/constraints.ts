// Constraints on an existing table without the long lock: SET NOT NULL through a validated check, indexes built
// CONCURRENTLY, foreign keys and checks NOT VALID then VALIDATE.
import type { AddConstraint, AddIndex, QName } from '../../ir.js';
import type { PlanStep } from '../steps.js';
import { ident, table } from './sql.js';

export function setNotNull(op: { table: QName; column: string }): PlanStep[] {
  const t = table(op.table);
  const check = ident(`${op.table.name}_${op.column}_not_null`);
  const col = ident(op.column);
  return [
    {
      name: `check_${op.table.name}_${op.column}_not_null`,
      release: 1,
      phase: 'expand',
      up: [`ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;`],
      down: [`ALTER TABLE ${t} DROP CONSTRAINT ${check};`],
      transactional: true,
      note: `new rows must now have ${op.column}; backfill existing NULLs before the next step`,
    },
    {
      name: `validate_${op.table.name}_${op.column}_not_null`,
      release: 1,
      phase: 'expand',
      // VALIDATE takes SHARE UPDATE EXCLUSIVE: writes go on while existing rows are scanned.
      up: [`ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`],
      work: { table: op.table, does: 'scan' },
      // PostgreSQL cannot un-validate: the down puts the check back NOT VALID, as it was (catalog only).
      down: [
        `ALTER TABLE ${t} DROP CONSTRAINT ${check};`,
        `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;`,
      ],
      transactional: true,
    },
    {
      name: `set_${op.table.name}_${op.column}_not_null`,
      release: 1,
      // The analyzer judges SET NOT NULL a contract (old code writing NULL breaks); the plan declares it so.
      phase: 'contract',
      // PostgreSQL >= 12 proves SET NOT NULL from the validated check without a scan.
      up: [`ALTER TABLE ${t} ALTER COLUMN ${col} SET NOT NULL;`, `ALTER TABLE ${t} DROP CONSTRAINT ${check};`],
      down: [
        // Back to the state before this step: the check validated, as the previous step left it.
        `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${col} IS NOT NULL) NOT VALID;`,
        `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};`,
        `ALTER TABLE ${t} ALTER COLUMN ${col} DROP NOT NULL;`,
      ],
      transactional: true,
    },
  ];
}

export function concurrentIndex(op: AddIndex & { name: string }): PlanStep {
  const columns = op.columns.map(ident).join(', ');
  const index = op.table.schema ? `${ident(op.table.schema)}.${ident(op.name)}` : ident(op.name);
  const using = op.method && op.method !== 'btree' ? ` USING ${op.method}` : '';
  const where = op.where ? ` WHERE ${op.where}` : '';
  return {
    name: `add_${op.name}_concurrently`,
    release: 1,
    phase: 'expand',
    up: [`CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${ident(op.name)} ON ${table(op.table)}${using} (${columns})${where};`],
    // No IF [NOT] EXISTS: an index already holding the name must stop the step, not be dropped by its down.
    down: [`DROP INDEX CONCURRENTLY ${index};`],
    transactional: false,
    work: { table: op.table, does: 'index' },
  };
}

export function notValidThenValidate(op: AddConstraint): PlanStep[] {
  const t = table(op.table);
  const c = op.constraint;
  const name = ident(c.name ?? '');
  const body =
    c.type === 'check'
      ? `CHECK (${c.expression})`
      : `FOREIGN KEY (${c.columns.map(ident).join(', ')}) REFERENCES ${table(c.references?.table ?? { name: '?' })} (${(c.references?.columns ?? []).map(ident).join(', ')})${actions(c.references)}`;
  return [
    {
      name: `add_${c.name}_not_valid`,
      release: 1,
      phase: 'expand',
      up: [`ALTER TABLE ${t} ADD CONSTRAINT ${name} ${body} NOT VALID;`],
      down: [`ALTER TABLE ${t} DROP CONSTRAINT ${name};`],
      transactional: true,
      note: 'new rows are checked from here; fix violating existing rows before the next step',
    },
    {
      name: `validate_${c.name}`,
      release: 1,
      phase: 'expand',
      up: [`ALTER TABLE ${t} VALIDATE CONSTRAINT ${name};`],
      // PostgreSQL cannot un-validate: the down puts the constraint back NOT VALID, as it was (catalog only).
      down: [`ALTER TABLE ${t} DROP CONSTRAINT ${name};`, `ALTER TABLE ${t} ADD CONSTRAINT ${name} ${body} NOT VALID;`],
      work: { table: op.table, does: 'scan' },
      transactional: true,
    },
  ];
}

/** A foreign key's ON DELETE / ON UPDATE as written (NO ACTION, the default, is not). */
function actions(r: { onDelete?: string; onUpdate?: string } | null | undefined): string {
  return `${r?.onDelete ? ` ON DELETE ${r.onDelete.toUpperCase()}` : ''}${r?.onUpdate ? ` ON UPDATE ${r.onUpdate.toUpperCase()}` : ''}`;
}
