// The down an up implies, when the IR says enough to undo it: CreateTable → DropTable, AddColumn →
// DropColumn, renames back, a changed default or type back to what the schema replay says it was.
// Drops of data (tables, columns) and data changes have no derivable inverse.
import type { Operation } from '../ir.js';
import { qnameKey, qnameText } from '../ir.js';
import type { Schema } from '../schema/schema.js';

export type Inversion = { ok: true; ops: Operation[] } | { ok: false; reason: string };

/** Inverts `ops` applied to `before`; the result undoes them last-first. `before` is not changed. */
export function invertOperations(ops: readonly Operation[], before: Schema): Inversion {
  const schema = before.clone();
  const inverse: Operation[] = [];
  for (const op of ops) {
    const undo = invertOne(op, schema);
    if (!Array.isArray(undo)) return { ok: false, reason: `${undo.reason} (${op.span.path}:${op.span.line})` };
    inverse.unshift(...undo);
    schema.apply(op, 'invert');
  }
  return { ok: true, ops: inverse };
}

type Result = Operation[] | { reason: string };

function invertOne(op: Operation, schema: Schema): Result {
  const base = { span: op.span, text: op.text };
  switch (op.kind) {
    case 'CreateTable':
      if (op.ifNotExists && schema.table(op.table)) return [];
      return [{ kind: 'DropTable', ...base, table: op.table, ifExists: false, cascade: false }];
    case 'RenameTable':
      return [{ kind: 'RenameTable', ...base, table: { ...op.table, name: op.newName }, newName: op.table.name }];
    case 'AddColumn':
      if (op.ifNotExists && schema.column(op.table, op.column.name)) return [];
      return [{ kind: 'DropColumn', ...base, table: op.table, column: op.column.name, ifExists: false, cascade: false }];
    case 'RenameColumn':
      return [{ kind: 'RenameColumn', ...base, table: op.table, column: op.newName, newName: op.column }];
    case 'AlterColumnType': {
      const was = schema.column(op.table, op.column);
      if (!was) return { reason: `the type of ${qnameText(op.table)}.${op.column} before the change is unknown` };
      return [{ kind: 'AlterColumnType', ...base, table: op.table, column: op.column, type: was.type, using: null }];
    }
    case 'SetNotNull':
      return [{ kind: 'DropNotNull', ...base, table: op.table, column: op.column }];
    case 'DropNotNull':
      return [{ kind: 'SetNotNull', ...base, table: op.table, column: op.column }];
    case 'SetDefault': {
      const was = schema.column(op.table, op.column);
      if (!was) return { reason: `the default of ${qnameText(op.table)}.${op.column} before the change is unknown` };
      return [{ kind: 'SetDefault', ...base, table: op.table, column: op.column, default: was.default }];
    }
    case 'AddIndex':
      if (!op.name) return { reason: `an index on ${qnameText(op.table)} without a name cannot be dropped by name` };
      return [
        {
          kind: 'DropIndex',
          ...base,
          index: { schema: op.table.schema, name: op.name },
          concurrently: op.concurrently,
          ifExists: false,
        },
      ];
    case 'RenameIndex':
      return [{ kind: 'RenameIndex', ...base, index: { ...op.index, name: op.newName }, newName: op.index.name }];
    case 'AddConstraint':
      if (!op.constraint.name) return { reason: `a constraint on ${qnameText(op.table)} without a name cannot be dropped by name` };
      return [{ kind: 'DropConstraint', ...base, table: op.table, name: op.constraint.name, ifExists: false }];
    case 'RenameConstraint':
      return [{ kind: 'RenameConstraint', ...base, table: op.table, name: op.newName, newName: op.name }];
    case 'CreateEnum':
      return [{ kind: 'DropEnum', ...base, name: op.name, ifExists: false }];
    case 'AlterEnum':
      if (op.action.type === 'rename')
        return [{ kind: 'AlterEnum', ...base, name: op.name, action: { type: 'rename', from: op.action.to, to: op.action.from } }];
      return { reason: `PostgreSQL cannot remove the enum value '${op.action.value}' added to ${qnameText(op.name)}` };
    case 'RenameType':
      return [{ kind: 'RenameType', ...base, name: { ...op.name, name: op.newName }, newName: op.name.name }];
    case 'CreateView':
      if (op.orReplace && schema.views.has(qnameKey(op.name))) return { reason: `the view ${qnameText(op.name)} it replaces is not kept` };
      return [{ kind: 'DropView', ...base, name: op.name, materialized: op.materialized, ifExists: false }];
    case 'ValidateConstraint':
    case 'SetSetting':
    case 'Transaction':
      return [];
    case 'DropTable':
    case 'DropColumn':
    case 'DropIndex':
    case 'DropConstraint':
    case 'DropEnum':
    case 'DropView':
      return { reason: `${op.kind} removes what the IR does not fully describe` };
    case 'DataChange':
      return { reason: `a data change (${op.action}) cannot be undone from its statement` };
    case 'Raw':
      return { reason: `${op.statement} is not modelled` };
  }
}
