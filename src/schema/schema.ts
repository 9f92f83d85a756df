// The schema as migrations leave it: replayed op by op so every rule knows the state it meets.
import type { ColumnDef, ConstraintDef, DefaultValue, Operation, QName, TypeRef } from '../ir.js';
import { qnameKey } from '../ir.js';

export interface ColumnState {
  name: string;
  type: TypeRef;
  nullable: boolean;
  default: DefaultValue | null;
  generated: boolean;
  identity: boolean;
}

export interface TableState {
  name: QName;
  columns: Map<string, ColumnState>;
  constraints: Map<string, ConstraintDef>;
  /** Id of the migration that created the table: in that migration it is empty. */
  createdBy: string;
  /** Columns are unknown (CREATE TABLE AS, LIKE, partitions): rules must not assume a column is missing. */
  columnsUnknown: boolean;
}

export interface IndexState {
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
  createdBy: string;
}

export class Schema {
  readonly tables = new Map<string, TableState>();
  readonly indexes = new Map<string, IndexState>();
  readonly enums = new Map<string, string[]>();
  readonly views = new Map<string, { materialized: boolean }>();
  /** Every table key the replay has seen created, so a missing table can be told from one made outside migrations. */
  readonly seenTables = new Set<string>();
  /**
   * Tables this schema may change in place. A clone shares every table with its original
   * (a replay clones twice per migration: copying thousands of tables each time costs minutes
   * on a long history); whichever side changes a shared table first copies it.
   */
  private readonly owned = new Set<TableState>();

  table(name: QName): TableState | undefined {
    return this.tables.get(qnameKey(name));
  }

  column(table: QName, column: string): ColumnState | undefined {
    return this.table(table)?.columns.get(column);
  }

  index(name: QName): IndexState | undefined {
    return this.indexes.get(qnameKey(name));
  }

  /** Indexes on a table, for a down that must rebuild what a drop removed. */
  indexesOf(table: QName): IndexState[] {
    const key = qnameKey(table);
    return [...this.indexes.values()].filter((i) => i.table === key);
  }

  clone(): Schema {
    const copy = new Schema();
    for (const [key, t] of this.tables) copy.tables.set(key, t);
    this.owned.clear();
    // Index states are replaced, never changed in place: sharing them is safe.
    for (const [key, i] of this.indexes) copy.indexes.set(key, i);
    for (const [key, e] of this.enums) copy.enums.set(key, [...e]);
    for (const [key, v] of this.views) copy.views.set(key, { ...v });
    for (const key of this.seenTables) copy.seenTables.add(key);
    return copy;
  }

  /** The table to change in place: copied first when a clone shares it. */
  private writable(name: QName): TableState | undefined {
    const key = qnameKey(name);
    const t = this.tables.get(key);
    if (!t || this.owned.has(t)) return t;
    const copy: TableState = {
      ...t,
      columns: new Map([...t.columns].map(([k, c]) => [k, { ...c }])),
      constraints: new Map(t.constraints),
    };
    this.tables.set(key, copy);
    this.owned.add(copy);
    return copy;
  }

  /** Applies one operation. Unknown objects are tolerated: a partial history is normal. */
  apply(op: Operation, migrationId: string): void {
    switch (op.kind) {
      case 'CreateTable': {
        const columns = new Map(op.columns.map((c) => [c.name, columnState(c)]));
        const constraints = new Map<string, ConstraintDef>();
        for (const c of op.constraints) constraints.set(c.name ?? `${op.table.name}_${c.type}_${constraints.size}`, c);
        if (op.ifNotExists && this.table(op.table)) return;
        this.seenTables.add(qnameKey(op.table));
        const created: TableState = { name: op.table, columns, constraints, createdBy: migrationId, columnsUnknown: op.derived };
        this.tables.set(qnameKey(op.table), created);
        this.owned.add(created);
        for (const c of op.columns) {
          if (c.primaryKey) for (const col of [c.name]) markNotNull(columns, col);
        }
        for (const c of op.constraints) if (c.type === 'primary-key') for (const col of c.columns) markNotNull(columns, col);
        return;
      }
      case 'DropTable': {
        const key = qnameKey(op.table);
        this.tables.delete(key);
        for (const [k, i] of this.indexes) if (i.table === key) this.indexes.delete(k);
        return;
      }
      case 'RenameTable': {
        const key = qnameKey(op.table);
        const t = this.tables.get(key);
        if (!t) return;
        this.tables.delete(key);
        const renamed = { ...op.table, name: op.newName };
        const newKey = qnameKey(renamed);
        this.seenTables.add(newKey);
        this.tables.set(newKey, { ...t, name: renamed });
        for (const [k, i] of this.indexes) if (i.table === key) this.indexes.set(k, { ...i, table: newKey });
        return;
      }
      case 'AddColumn': {
        const t = this.writable(op.table);
        if (!t || (op.ifNotExists && t.columns.has(op.column.name))) return;
        t.columns.set(op.column.name, columnState(op.column));
        return;
      }
      case 'DropColumn': {
        const t = this.writable(op.table);
        if (!t) return;
        t.columns.delete(op.column);
        const key = qnameKey(op.table);
        for (const [k, i] of this.indexes) if (i.table === key && i.columns.includes(op.column)) this.indexes.delete(k);
        for (const [k, c] of t.constraints) if (c.columns.includes(op.column)) t.constraints.delete(k);
        return;
      }
      case 'RenameColumn': {
        if (!this.column(op.table, op.column)) return;
        const t = this.writable(op.table);
        if (!t) return;
        t.columns = new Map([...t.columns].map(([k, v]) => (k === op.column ? [op.newName, { ...v, name: op.newName }] : [k, v])));
        const key = qnameKey(op.table);
        for (const [k, i] of this.indexes) {
          if (i.table === key && i.columns.includes(op.column)) {
            this.indexes.set(k, { ...i, columns: i.columns.map((col) => (col === op.column ? op.newName : col)) });
          }
        }
        return;
      }
      case 'AlterColumnType': {
        const c = this.column(op.table, op.column) && this.writable(op.table)?.columns.get(op.column);
        if (c) c.type = op.type;
        return;
      }
      case 'SetNotNull':
      case 'DropNotNull': {
        const c = this.column(op.table, op.column) && this.writable(op.table)?.columns.get(op.column);
        if (c) c.nullable = op.kind === 'DropNotNull';
        return;
      }
      case 'SetDefault': {
        const c = this.column(op.table, op.column) && this.writable(op.table)?.columns.get(op.column);
        if (c) c.default = op.default;
        return;
      }
      case 'AddIndex': {
        if (!op.name) return;
        const key = qnameKey({ schema: op.table.schema, name: op.name });
        if (op.ifNotExists && this.indexes.has(key)) return;
        this.indexes.set(key, {
          name: op.name,
          table: qnameKey(op.table),
          columns: op.columns,
          unique: op.unique,
          createdBy: migrationId,
        });
        return;
      }
      case 'DropIndex': {
        this.indexes.delete(qnameKey(op.index));
        return;
      }
      case 'RenameIndex': {
        const key = qnameKey(op.index);
        const i = this.indexes.get(key);
        if (!i) return;
        this.indexes.delete(key);
        this.indexes.set(qnameKey({ schema: op.index.schema, name: op.newName }), { ...i, name: op.newName });
        return;
      }
      case 'AddConstraint': {
        const t = this.writable(op.table);
        if (!t) return;
        const name = op.constraint.name ?? `${op.table.name}_${op.constraint.columns.join('_')}_${op.constraint.type}`;
        t.constraints.set(name, op.constraint);
        if (op.constraint.type === 'primary-key') for (const col of op.constraint.columns) markNotNull(t.columns, col);
        return;
      }
      case 'ValidateConstraint': {
        const c = this.table(op.table)?.constraints.get(op.name);
        if (c) this.writable(op.table)?.constraints.set(op.name, { ...c, notValid: false });
        return;
      }
      case 'DropConstraint': {
        if (this.table(op.table)?.constraints.has(op.name)) this.writable(op.table)?.constraints.delete(op.name);
        return;
      }
      case 'RenameConstraint': {
        const c = this.table(op.table)?.constraints.get(op.name);
        const t = c ? this.writable(op.table) : undefined;
        if (!t || !c) return;
        t.constraints.delete(op.name);
        t.constraints.set(op.newName, { ...c, name: op.newName });
        return;
      }
      case 'CreateEnum':
        this.enums.set(qnameKey(op.name), [...op.values]);
        return;
      case 'AlterEnum': {
        const values = this.enums.get(qnameKey(op.name));
        if (!values) return;
        const a = op.action;
        if (a.type === 'rename') {
          const i = values.indexOf(a.from);
          if (i >= 0) values[i] = a.to;
        } else if (!values.includes(a.value)) {
          const anchor = a.before ?? a.after;
          const at = anchor ? values.indexOf(anchor) : -1;
          if (at < 0) values.push(a.value);
          else values.splice(a.before ? at : at + 1, 0, a.value);
        }
        return;
      }
      case 'DropEnum':
        this.enums.delete(qnameKey(op.name));
        return;
      case 'CreateView':
        this.views.set(qnameKey(op.name), { materialized: op.materialized });
        return;
      case 'DropView':
        this.views.delete(qnameKey(op.name));
        return;
      case 'DataChange':
      case 'SetSetting':
      case 'Transaction':
      case 'Raw':
        return;
    }
  }
}

function columnState(c: ColumnDef): ColumnState {
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable && !c.primaryKey,
    default: c.default,
    generated: c.generated,
    identity: c.identity,
  };
}

function markNotNull(columns: Map<string, ColumnState>, name: string): void {
  const c = columns.get(name);
  if (c) c.nullable = false;
}
