// Tables a history references but never creates: made outside these migrations (Django's auth_user,
// a table of another service). check assumes they exist; rehearsal creates a minimal stand-in so the
// history can run at all.
import type { ColumnDef, CreateTable, ForeignKeyTarget, Operation, QName, TypeRef } from '../ir.js';
import { constraintDef, qnameKey } from '../ir.js';
import type { ParsedMigration } from '../migration.js';

const BIGINT: TypeRef = { name: 'int8', args: [], arrayDims: 0, text: 'bigint' };

/** One CREATE TABLE per referenced-but-never-created table, keyed by the referenced columns. */
export function externalTableStandIns(history: readonly ParsedMigration[]): CreateTable[] {
  const created = new Set<string>();
  const wanted = new Map<string, { table: QName; columns: Map<string, TypeRef> }>();
  const want = (target: ForeignKeyTarget, localType: TypeRef | undefined) => {
    const key = qnameKey(target.table);
    if (created.has(key)) return;
    const entry = wanted.get(key) ?? { table: target.table, columns: new Map<string, TypeRef>() };
    for (const c of target.columns.length ? target.columns : ['id']) if (!entry.columns.has(c)) entry.columns.set(c, localType ?? BIGINT);
    wanted.set(key, entry);
  };
  const visit = (op: Operation) => {
    if (op.kind === 'CreateTable') {
      created.add(qnameKey(op.table));
      for (const c of op.columns) if (c.references) want(c.references, c.type);
      for (const k of op.constraints) {
        if (k.references) want(k.references, op.columns.find((c) => c.name === k.columns[0])?.type);
      }
    } else if (op.kind === 'RenameTable') created.add(qnameKey({ ...op.table, name: op.newName }));
    else if (op.kind === 'AddColumn' && op.column.references) want(op.column.references, op.column.type);
    else if (op.kind === 'AddConstraint' && op.constraint.references) want(op.constraint.references, undefined);
  };
  for (const parsed of history) parsed.up.forEach(visit);
  return [...wanted.values()]
    .filter(({ table }) => !created.has(qnameKey(table)))
    .map(({ table, columns }) => {
      const single = columns.size === 1;
      const defs: ColumnDef[] = [...columns].map(([name, type]) => ({
        name,
        type: type.name === 'int4' && type.text.toLowerCase().includes('serial') ? { ...type, text: 'integer' } : type,
        nullable: false,
        default: null,
        primaryKey: single,
        unique: false,
        generated: false,
        identity: false,
        references: null,
      }));
      return {
        kind: 'CreateTable',
        table,
        columns: defs,
        constraints: single ? [] : [constraintDef('unique', [...columns.keys()])],
        ifNotExists: true,
        derived: false,
        span: { path: '', line: 0, column: 0, endLine: 0, endColumn: 0 },
        text: '',
      };
    });
}
