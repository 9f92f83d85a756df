// The columns a CREATE TABLE or ADD COLUMN introduces, for the rules about column types.
import type { ColumnDef, OperationOf } from '../ir.js';

export function newColumns(op: OperationOf<'CreateTable' | 'AddColumn'>): ColumnDef[] {
  return op.kind === 'CreateTable' ? op.columns : [op.column];
}

export function tableName(op: OperationOf<'CreateTable' | 'AddColumn'>): string {
  return op.table.schema ? `${op.table.schema}.${op.table.name}` : op.table.name;
}

const SERIALS = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);

/** Declared as serial/bigserial: an integer with a nextval default on a sequence of its own. */
export function isSerial(c: ColumnDef): boolean {
  return SERIALS.has(c.type.text.toLowerCase());
}
