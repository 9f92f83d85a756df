// Which tables a migration can change the rows of: only those are refilled and compared. The others
// keep the rows an earlier migration wrote. Anything twoway cannot attribute (unmodelled statements,
// enum changes that reach every column of the type) widens the scope to every table.
import type { Operation, QName } from '../ir.js';
import { fillableTables, type SchemaSnapshot, type TableSnapshot, tableKey } from './catalog.js';

/** `schema.table` keys the operations name, or null when they may reach any table. */
export function tablesTouched(ops: readonly Operation[]): Set<string> | null {
  const keys = new Set<string>();
  const add = (q: QName) => keys.add(`${q.schema ?? 'public'}.${q.name}`);
  for (const op of ops) {
    switch (op.kind) {
      case 'RenameTable':
        add(op.table);
        add({ ...op.table, name: op.newName });
        break;
      case 'CreateTable':
      case 'DropTable':
      case 'AddColumn':
      case 'DropColumn':
      case 'RenameColumn':
      case 'AlterColumnType':
      case 'SetNotNull':
      case 'DropNotNull':
      case 'SetDefault':
      case 'AddIndex':
      case 'AddConstraint':
      case 'ValidateConstraint':
      case 'DropConstraint':
      case 'RenameConstraint':
      case 'DataChange':
        add(op.table);
        break;
      case 'DropIndex':
      case 'RenameIndex':
      case 'CreateView':
      case 'DropView':
      case 'CreateEnum':
      case 'SetSetting':
      case 'Transaction':
        break;
      case 'AlterEnum':
      case 'DropEnum':
      case 'Raw':
        return null;
    }
  }
  return keys;
}

/**
 * The tables to empty and refill before the up: those touched, the tables referencing them (a TRUNCATE
 * … CASCADE or a cascading drop reaches them), and referenced tables that were never filled (their
 * rows are what foreign keys point at).
 */
export function fillScope(schema: SchemaSnapshot, touched: Set<string> | null, filled: ReadonlySet<string>): TableSnapshot[] {
  const tables = fillableTables(schema);
  if (!touched) return tables;
  const byKey = new Map(tables.map((t) => [tableKey(t), t]));
  const children = new Map<string, string[]>();
  for (const t of tables) for (const fk of t.foreignKeys) children.set(fk.refTable, [...(children.get(fk.refTable) ?? []), tableKey(t)]);
  const scope = new Set([...touched].filter((k) => byKey.has(k)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const key of [...scope]) {
      const t = byKey.get(key);
      const related = [...(children.get(key) ?? []), ...(t?.foreignKeys.map((fk) => fk.refTable).filter((p) => !filled.has(p)) ?? [])];
      for (const k of related) {
        if (byKey.has(k) && !scope.has(k)) {
          scope.add(k);
          grew = true;
        }
      }
    }
  }
  return tables.filter((t) => scope.has(tableKey(t)));
}
