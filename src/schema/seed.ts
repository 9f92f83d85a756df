// A schema dump (Rails db/structure.sql or db/schema.rb…) as the state a history starts from.
import { type Operation, type QName, qnameKey } from '../ir.js';
import type { ParsedMigration } from '../migration.js';
import { Schema } from './schema.js';

/**
 * The dump describes the schema after the latest migration, not before the first, so it is only
 * used for what the replayed history never creates: tables (and their indexes and enums) made by
 * migrations squashed away or outside migrations. Tables the history creates come from the history,
 * so a full history gives the same answers with or without a dump.
 */
export function seedSchema(dump: readonly Operation[], history: readonly ParsedMigration[]): Schema {
  const created = new Set<string>();
  for (const op of history.flatMap((p) => p.up)) {
    if (op.kind === 'CreateTable') created.add(qnameKey(op.table));
    else if (op.kind === 'RenameTable') created.add(qnameKey({ ...op.table, name: op.newName }));
    else if (op.kind === 'CreateEnum' || op.kind === 'CreateView') created.add(qnameKey(op.name));
  }
  const schema = new Schema();
  for (const op of dump) {
    const owner = objectOf(op);
    if (owner && created.has(qnameKey(owner))) continue;
    schema.apply(op, 'seed');
  }
  return schema;
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
