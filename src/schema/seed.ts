// A schema dump (Rails db/structure.sql or db/schema.rb…) as the state a history starts from.
import { type Operation, type QName, qnameKey } from '../ir.js';
import type { ParsedMigration } from '../migration.js';
import { Schema, type TableState } from './schema.js';

/**
 * A dump describes the schema after the latest migration, not before the first, so it is only
 * used for what the replayed history never creates: tables (and their indexes and enums) made by
 * migrations squashed away or outside migrations. Tables the history creates come from the history,
 * so a full history gives the same answers with or without a dump.
 *
 * Even a table the history never creates may be changed by it (a squashed Rails history adding a
 * column, making one NOT NULL). The dump holds the result of those changes, never the state before
 * them, so the history's ups are walked back from the dump: what they add is taken away, what they
 * rename gets its old name back, a NOT NULL they set was not there before, and what they change
 * without saying what it was (a type, a default, a dropped column) is left unknown.
 */
export function seedSchema(
  dump: readonly Operation[],
  history: readonly ParsedMigration[],
  describes: 'before' | 'after' = 'after',
): Schema {
  const created = createdByHistory(history);
  const schema = new Schema();
  for (const op of dump) {
    const owner = objectOf(op);
    if (owner && created.has(qnameKey(owner))) continue;
    schema.apply(op, 'seed');
  }
  // A base the history starts from is already the state before it: nothing to walk back.
  if (describes === 'before') return schema;
  const ups = history.flatMap((p) => p.up);
  for (let i = ups.length - 1; i >= 0; i--) windBack(schema, ups[i] as Operation);
  return schema;
}

/** Tables, types and views the history makes itself (a table renamed from one it made counts too). */
function createdByHistory(history: readonly ParsedMigration[]): Set<string> {
  const created = new Set<string>();
  for (const op of history.flatMap((p) => p.up)) {
    if (op.kind === 'CreateTable') created.add(qnameKey(op.table));
    else if (op.kind === 'RenameTable' && created.has(qnameKey(op.table))) created.add(qnameKey({ ...op.table, name: op.newName }));
    else if (op.kind === 'CreateEnum' || op.kind === 'CreateView') created.add(qnameKey(op.name));
  }
  return created;
}

/** The state before `op`, given the state after it: the inverse of what the op says, unknown where it does not say. */
function windBack(schema: Schema, op: Operation): void {
  const undo = (inverse: Operation) => schema.apply(inverse, 'seed');
  switch (op.kind) {
    case 'RenameTable': {
      const renamed = { ...op.table, name: op.newName };
      if (schema.table(renamed)) undo({ ...op, table: renamed, newName: op.table.name });
      return;
    }
    case 'AddColumn':
      // It did not exist before: its indexes and constraints go with it.
      if (schema.column(op.table, op.column.name))
        undo({
          kind: 'DropColumn',
          span: op.span,
          text: op.text,
          table: op.table,
          column: op.column.name,
          ifExists: false,
          cascade: false,
        });
      return;
    case 'DropColumn':
      forgetColumn(schema.table(op.table), op.column);
      return;
    case 'RenameColumn':
      if (schema.column(op.table, op.newName)) undo({ ...op, column: op.newName, newName: op.column });
      return;
    case 'AlterColumnType':
      forgetColumn(schema.table(op.table), op.column);
      return;
    case 'SetNotNull':
    case 'DropNotNull':
      // The change is the migration's premise: a column made NOT NULL allowed NULL before.
      if (schema.column(op.table, op.column)) undo({ ...op, kind: op.kind === 'SetNotNull' ? 'DropNotNull' : 'SetNotNull' });
      return;
    case 'SetDefault': {
      const column = schema.column(op.table, op.column);
      if (!column) return;
      const set = op.default !== null && op.default.text.trim().toLowerCase() !== 'null';
      // A default set was (for all the dump says) not there before; one dropped was.
      undo({ ...op, default: set ? null : { text: '(a default from before this history)', volatile: false } });
      return;
    }
    case 'AddIndex':
      if (op.name)
        undo({
          kind: 'DropIndex',
          span: op.span,
          text: op.text,
          index: { schema: op.table.schema, name: op.name },
          concurrently: false,
          ifExists: true,
        });
      return;
    case 'DropIndex':
      undo({ ...op, ifExists: true });
      return;
    case 'RenameIndex':
      undo({ ...op, index: { ...op.index, name: op.newName }, newName: op.index.name });
      return;
    case 'AddConstraint':
      if (op.constraint.name)
        undo({ kind: 'DropConstraint', span: op.span, text: op.text, table: op.table, name: op.constraint.name, ifExists: true });
      return;
    case 'DropConstraint':
      undo({ ...op, ifExists: true });
      return;
    case 'RenameConstraint':
      undo({ ...op, name: op.newName, newName: op.name });
      return;
    case 'ValidateConstraint': {
      const constraint = schema.table(op.table)?.constraints.get(op.name);
      if (constraint) schema.table(op.table)?.constraints.set(op.name, { ...constraint, notValid: true });
      return;
    }
    case 'AlterEnum': {
      const values = schema.enums.get(qnameKey(op.name));
      if (!values) return;
      const a = op.action;
      schema.setEnum(
        qnameKey(op.name),
        a.type === 'rename' ? values.map((v) => (v === a.to ? a.from : v)) : values.filter((v) => v !== a.value),
      );
      return;
    }
    case 'RenameType': {
      const renamed = qnameKey({ ...op.name, name: op.newName });
      if (schema.enums.has(renamed)) undo({ ...op, name: { ...op.name, name: op.newName }, newName: op.name.name });
      return;
    }
    default:
      return;
  }
}

/** A column whose state before this history the dump cannot tell: it may exist, as it may not. */
function forgetColumn(table: TableState | undefined, column: string): void {
  if (!table) return;
  table.columns.delete(column);
  table.columnsUnknown = true;
}

/** The table (or type, view) an operation belongs to; indexes by their table. */
function objectOf(op: Operation): QName | null {
  switch (op.kind) {
    case 'CreateEnum':
    case 'AlterEnum':
    case 'DropEnum':
    case 'CreateView':
    case 'DropView':
      return op.name;
    case 'DropIndex':
    case 'RenameIndex':
      return null;
    case 'SetSetting':
    case 'Transaction':
    case 'Raw':
      return null;
    default:
      return 'table' in op ? op.table : null;
  }
}
