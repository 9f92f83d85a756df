// The schema as migrations leave it: replayed op by op so every rule knows the state it meets.
import type { ColumnDef, ConstraintDef, DefaultValue, Operation, QName, TypeRef } from '../ir.js';
import { constraintDef, qnameKey, tableConstraints } from '../ir.js';
import { CowMap } from './cow-map.js';

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
  /** Partial index predicate, as written. */
  where: string | null;
  method: string;
  createdBy: string;
  /** MySQL: the unique index is the table's UNIQUE constraint of its name (see AddIndex.uniqueKey). */
  uniqueKey?: boolean;
}

/** The schema's collections: forks share them until one of them writes (CowMap). */
interface Collections {
  tables: CowMap<string, TableState>;
  indexes: CowMap<string, IndexState>;
  /** Index keys by table key, so table and column changes find their indexes without a scan of all of them. */
  indexesByTable: CowMap<string, readonly string[]>;
  /**
   * Table keys that have held a foreign key to a table key, as the key is written (a superset: a dropped key stays
   * listed), so a check for referrers of one table does not scan every table.
   */
  referrers: CowMap<string, readonly string[]>;
  enums: CowMap<string, string[]>;
  views: CowMap<string, { materialized: boolean }>;
  objects: CowMap<string, string>;
  seenTables: CowMap<string, true>;
  seenIndexes: CowMap<string, true>;
}

type CollectionValue<K extends keyof Collections> = Collections[K] extends CowMap<string, infer V> ? V : never;

export class Schema {
  private maps: Collections;

  constructor(from?: Schema) {
    const m = from?.maps;
    // Replay clones the schema several times per migration and changes a few entries of one copy: a clone forks
    // each collection in O(1) (the replay stays linear).
    this.maps = {
      tables: m ? m.tables.fork() : new CowMap(),
      indexes: m ? m.indexes.fork() : new CowMap(),
      indexesByTable: m ? m.indexesByTable.fork() : new CowMap(),
      referrers: m ? m.referrers.fork() : new CowMap(),
      enums: m ? m.enums.fork() : new CowMap(),
      views: m ? m.views.fork() : new CowMap(),
      objects: m ? m.objects.fork() : new CowMap(),
      seenTables: m ? m.seenTables.fork() : new CowMap(),
      seenIndexes: m ? m.seenIndexes.fork() : new CowMap(),
    };
  }

  get tables(): ReadonlyMap<string, TableState> {
    return this.maps.tables;
  }
  get indexes(): ReadonlyMap<string, IndexState> {
    return this.maps.indexes;
  }
  get enums(): ReadonlyMap<string, string[]> {
    return this.maps.enums;
  }
  get views(): ReadonlyMap<string, { materialized: boolean }> {
    return this.maps.views;
  }
  /** Functions, triggers, sequences… by `<type> <name>`: the definition that made each (to tell a redefinition). */
  get objects(): ReadonlyMap<string, string> {
    return this.maps.objects;
  }
  /** Every table key the replay has seen created, so a missing table can be told from one made outside migrations. */
  get seenTables(): { has(key: string): boolean } {
    return this.maps.seenTables;
  }
  /** Every index key the replay has seen created: one not there now was dropped (or went with its table). */
  get seenIndexes(): { has(key: string): boolean } {
    return this.maps.seenIndexes;
  }

  /** Tables with a foreign key to `table` (a table key, matched to qnameKey of the reference), in table order. */
  referencing(table: string): Array<[string, TableState]> {
    const candidates = this.maps.referrers.get(table);
    if (!candidates) return [];
    return this.maps.tables
      .entriesOf(new Set(candidates))
      .filter(([, t]) =>
        [...t.constraints.values()].some((k) => k.type === 'foreign-key' && k.references && qnameKey(k.references.table) === table),
      );
  }

  /** Lists `table` as a referrer of what its foreign keys in `constraints` reference. */
  private noteReferences(table: string, constraints: Iterable<ConstraintDef>): void {
    for (const k of constraints) {
      if (k.type !== 'foreign-key' || !k.references) continue;
      const target = qnameKey(k.references.table);
      const listed = this.maps.referrers.get(target) ?? [];
      if (!listed.includes(table)) this.maps.referrers.set(target, [...listed, table]);
    }
  }

  /** Sets an index, keeping the by-table lookup in step. */
  private putIndex(key: string, index: IndexState): void {
    const old = this.maps.indexes.get(key);
    if (old && old.table !== index.table) this.unlistIndex(old.table, key);
    this.maps.indexes.set(key, index);
    const keys = this.maps.indexesByTable.get(index.table) ?? [];
    if (!keys.includes(key)) this.maps.indexesByTable.set(index.table, [...keys, key]);
  }

  private dropIndex(key: string): void {
    const old = this.maps.indexes.get(key);
    if (!old) return;
    this.maps.indexes.delete(key);
    this.unlistIndex(old.table, key);
  }

  private unlistIndex(table: string, key: string): void {
    const keys = this.maps.indexesByTable.get(table)?.filter((k) => k !== key);
    if (keys?.length) this.maps.indexesByTable.set(table, keys);
    else this.maps.indexesByTable.delete(table);
  }

  /** Indexes on a table key, with their keys. */
  private indexEntries(table: string): Array<[string, IndexState]> {
    return (this.maps.indexesByTable.get(table) ?? []).map((k) => [k, this.maps.indexes.get(k) as IndexState]);
  }

  /**
   * Entries of one collection in this schema and in `other` that may differ, each in its schema's order: every
   * entry when they share nothing. A diff of a migration's schemas then costs what the migration changed, not the
   * size of the schema.
   */
  differing<K extends 'tables' | 'indexes' | 'enums' | 'views'>(
    other: Schema,
    k: K,
  ): [Iterable<[string, CollectionValue<K>]>, Iterable<[string, CollectionValue<K>]>] {
    const mine = this.maps[k] as CowMap<string, CollectionValue<K>>;
    const theirs = other.maps[k] as CowMap<string, CollectionValue<K>>;
    const keys = mine.differingKeys(theirs);
    return keys ? [mine.entriesOf(keys), theirs.entriesOf(keys)] : [mine, theirs];
  }

  /** An enum's values, replaced (seed.ts undoes an ALTER TYPE … ADD VALUE). */
  setEnum(key: string, values: string[]): void {
    this.maps.enums.set(key, values);
  }

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
    return this.indexEntries(qnameKey(table)).map(([, i]) => i);
  }

  /**
   * Copy-on-write: the copy shares every table, index and enum with this schema; whichever schema changes one
   * first copies it (`mutableTable`). Replay clones the schema before every migration, so a clone must cost
   * no more than its maps.
   */
  clone(): Schema {
    this.owned.clear();
    return new Schema(this);
  }

  /** Tables this schema may change in place: created or copied by it since it was last cloned. */
  private owned = new Set<TableState>();

  private mutableTable(name: QName): TableState | undefined {
    const t = this.table(name);
    if (!t || this.owned.has(t)) return t;
    const copy: TableState = {
      ...t,
      columns: new Map([...t.columns].map(([k, c]) => [k, { ...c }])),
      constraints: new Map(t.constraints),
    };
    this.maps.tables.set(qnameKey(name), copy);
    this.owned.add(copy);
    return copy;
  }

  /** The name PostgreSQL gives `CREATE INDEX ON t (...)`: table, column parts, `idx`, numbered while taken. */
  private generatedIndexName(table: QName, parts: readonly string[]): string {
    return chooseName(table.name, parts.join('_'), 'idx', (n) => this.indexes.has(qnameKey({ schema: table.schema, name: n })));
  }

  private mutableColumn(table: QName, column: string): ColumnState | undefined {
    return this.mutableTable(table)?.columns.get(column);
  }

  /**
   * Applies one operation. Unknown objects are tolerated: a partial history is normal.
   * Tables, columns, indexes and enum value lists may be shared with clones: change a table or column only
   * through `mutableTable` / `mutableColumn`, and replace index or enum values instead of editing them.
   */
  apply(op: Operation, migrationId: string): void {
    switch (op.kind) {
      case 'CreateTable': {
        const columns = new Map(op.columns.map((c) => [c.name, columnState(c)]));
        const constraints = new Map<string, ConstraintDef>();
        for (const c of tableConstraints(op)) constraints.set(c.name ?? generatedName(op.table.name, c, constraints), c);
        if (op.ifNotExists && this.table(op.table)) return;
        this.maps.seenTables.set(qnameKey(op.table), true);
        const table: TableState = { name: op.table, columns, constraints, createdBy: migrationId, columnsUnknown: op.derived };
        this.maps.tables.set(qnameKey(op.table), table);
        this.owned.add(table);
        this.noteReferences(qnameKey(op.table), constraints.values());
        for (const c of op.columns) {
          if (c.primaryKey) for (const col of [c.name]) markNotNull(columns, col);
        }
        for (const c of op.constraints) if (c.type === 'primary-key') for (const col of c.columns) markNotNull(columns, col);
        return;
      }
      case 'DropTable': {
        const key = qnameKey(op.table);
        this.maps.tables.delete(key);
        for (const [k] of this.indexEntries(key)) this.dropIndex(k);
        return;
      }
      case 'RenameTable': {
        const key = qnameKey(op.table);
        const t = this.mutableTable(op.table);
        const renamed = { ...op.table, name: op.newName };
        if (!t) {
          // A table the replay does not know (made by a statement no reader could follow, or before the history)
          // exists under its new name afterwards, with columns unknown: a rebuild's unread CREATE must not leave
          // the schema without the table it rebuilt.
          const newKey = qnameKey(renamed);
          if (this.tables.has(newKey)) return;
          const assumed: TableState = { name: renamed, columns: new Map(), constraints: new Map(), createdBy: '', columnsUnknown: true };
          this.maps.tables.set(newKey, assumed);
          this.owned.add(assumed);
          this.maps.seenTables.set(newKey, true);
          return;
        }
        this.maps.tables.delete(key);
        const newKey = qnameKey(renamed);
        this.maps.seenTables.set(newKey, true);
        const moved = { ...t, name: renamed };
        this.maps.tables.set(newKey, moved);
        this.owned.add(moved);
        this.noteReferences(newKey, moved.constraints.values());
        for (const [k, i] of this.indexEntries(key)) this.putIndex(k, { ...i, table: newKey });
        // Foreign keys follow the table they reference (PostgreSQL, MySQL and SQLite >= 3.26 all rename the target).
        for (const [, other] of this.referencing(key)) {
          const writable = this.mutableTable(other.name) as TableState;
          for (const [name, c] of writable.constraints)
            if (c.references && qnameKey(c.references.table) === key)
              writable.constraints.set(name, { ...c, references: { ...c.references, table: renamed } });
          this.noteReferences(qnameKey(other.name), writable.constraints.values());
        }
        return;
      }
      case 'AddColumn': {
        const t = this.mutableTable(op.table);
        if (!t || (op.ifNotExists && t.columns.has(op.column.name))) return;
        t.columns.set(op.column.name, columnState(op.column));
        // ADD COLUMN … REFERENCES makes a foreign key, as PostgreSQL names it.
        if (op.column.references) {
          const fk = constraintDef('foreign-key', [op.column.name], { references: op.column.references, columnLevel: true });
          t.constraints.set(generatedName(op.table.name, fk, t.constraints), fk);
          this.noteReferences(qnameKey(op.table), [fk]);
        }
        return;
      }
      case 'DropColumn': {
        const t = this.mutableTable(op.table);
        if (!t) return;
        t.columns.delete(op.column);
        const key = qnameKey(op.table);
        for (const [k, i] of this.indexEntries(key)) if (i.columns.includes(op.column)) this.dropIndex(k);
        for (const [k, c] of t.constraints) if (c.columns.includes(op.column)) t.constraints.delete(k);
        return;
      }
      case 'RenameColumn': {
        const t = this.mutableTable(op.table);
        const c = t?.columns.get(op.column);
        if (!t || !c) return;
        t.columns = new Map([...t.columns].map(([k, v]) => (k === op.column ? [op.newName, { ...v, name: op.newName }] : [k, v])));
        const key = qnameKey(op.table);
        const rename = (col: string) => (col === op.column ? op.newName : col);
        for (const [k, i] of this.indexEntries(key)) this.putIndex(k, { ...i, columns: i.columns.map(rename) });
        // Constraints follow the column (PostgreSQL, MySQL and SQLite keep them by column), and so do foreign keys
        // of other tables that reference it.
        for (const [name, k] of t.constraints)
          if (k.columns.includes(op.column)) t.constraints.set(name, { ...k, columns: k.columns.map(rename) });
        for (const [, other] of this.referencing(key)) {
          const writable = this.mutableTable(other.name) as TableState;
          for (const [name, k] of writable.constraints)
            if (k.references && qnameKey(k.references.table) === key && k.references.columns?.includes(op.column))
              writable.constraints.set(name, { ...k, references: { ...k.references, columns: k.references.columns.map(rename) } });
        }
        return;
      }
      case 'AlterColumnType': {
        const c = this.mutableColumn(op.table, op.column);
        if (c) c.type = op.type;
        return;
      }
      case 'SetNotNull':
      case 'DropNotNull': {
        const c = this.mutableColumn(op.table, op.column);
        if (c) c.nullable = op.kind === 'DropNotNull';
        return;
      }
      case 'SetDefault': {
        const c = this.mutableColumn(op.table, op.column);
        if (c) c.default = op.default;
        return;
      }
      case 'AddIndex': {
        const name = op.name ?? (op.nameParts ? this.generatedIndexName(op.table, op.nameParts) : null);
        if (!name) return;
        const key = qnameKey({ schema: op.table.schema, name });
        if (op.ifNotExists && this.indexes.has(key)) return;
        this.maps.seenIndexes.set(key, true);
        this.putIndex(key, {
          name,
          table: qnameKey(op.table),
          columns: op.columns,
          unique: op.unique,
          where: op.where,
          method: op.method,
          createdBy: migrationId,
          ...(op.uniqueKey ? { uniqueKey: true } : {}),
        });
        return;
      }
      case 'DropIndex': {
        this.dropIndex(qnameKey(op.index));
        // MySQL: a UNIQUE constraint is the index of its name, and goes with it.
        if (op.onTable && this.table(op.onTable)?.constraints.get(op.index.name)?.type === 'unique')
          this.mutableTable(op.onTable)?.constraints.delete(op.index.name);
        return;
      }
      case 'RenameIndex': {
        const key = qnameKey(op.index);
        const i = this.indexes.get(key);
        if (!i) return;
        this.dropIndex(key);
        this.putIndex(qnameKey({ schema: op.index.schema, name: op.newName }), { ...i, name: op.newName });
        return;
      }
      case 'AddConstraint': {
        const t = this.mutableTable(op.table);
        if (!t) return;
        let constraint = op.constraint;
        // ADD CONSTRAINT … USING INDEX takes the index over: PostgreSQL renames it to the constraint's name, and it
        // goes when the constraint does.
        if (constraint.usingIndex) {
          const key = qnameKey({ schema: op.table.schema, name: constraint.usingIndex });
          const index = this.indexes.get(key);
          if (index) {
            this.dropIndex(key);
            if (!constraint.columns.length) constraint = { ...constraint, columns: index.columns };
          }
        }
        const name = constraint.name ?? generatedName(op.table.name, constraint, t.constraints);
        t.constraints.set(name, constraint);
        this.noteReferences(qnameKey(op.table), [constraint]);
        if (constraint.type === 'primary-key') for (const col of constraint.columns) markNotNull(t.columns, col);
        return;
      }
      case 'ValidateConstraint': {
        const c = this.table(op.table)?.constraints.get(op.name);
        if (c) this.mutableTable(op.table)?.constraints.set(op.name, { ...c, notValid: false });
        return;
      }
      case 'DropConstraint': {
        if (this.table(op.table)?.constraints.has(op.name)) this.mutableTable(op.table)?.constraints.delete(op.name);
        // The index of a UNIQUE or PRIMARY KEY constraint has its name and goes with it (PostgreSQL, and MySQL's
        // DROP CONSTRAINT of a unique key).
        const indexKey = qnameKey({ schema: op.table.schema, name: op.name });
        if (this.indexes.get(indexKey)?.table === qnameKey(op.table)) this.dropIndex(indexKey);
        return;
      }
      case 'RenameConstraint': {
        const t = this.mutableTable(op.table);
        const c = t?.constraints.get(op.name);
        if (!t || !c) return;
        t.constraints.delete(op.name);
        t.constraints.set(op.newName, { ...c, name: op.newName });
        return;
      }
      case 'CreateEnum':
        this.maps.enums.set(qnameKey(op.name), [...op.values]);
        return;
      case 'AlterEnum': {
        const shared = this.enums.get(qnameKey(op.name));
        if (!shared) return;
        const values = [...shared];
        this.maps.enums.set(qnameKey(op.name), values);
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
        this.maps.enums.delete(qnameKey(op.name));
        return;
      case 'RenameType': {
        const key = qnameKey(op.name);
        const values = this.enums.get(key);
        const renamed = qnameKey({ ...op.name, name: op.newName });
        if (values) {
          this.maps.enums.delete(key);
          this.maps.enums.set(renamed, values);
        }
        // Columns of the type now show its new name.
        for (const t of [...this.tables.values()]) {
          if (![...t.columns.values()].some((c) => c.type.name === op.name.name)) continue;
          for (const c of this.mutableTable(t.name)?.columns.values() ?? []) {
            if (c.type.name === op.name.name) c.type = { ...c.type, name: op.newName, text: c.type.text.replace(op.name.name, op.newName) };
          }
        }
        return;
      }
      case 'CreateView':
        this.maps.views.set(qnameKey(op.name), { materialized: op.materialized });
        return;
      case 'DropView': {
        const key = qnameKey(op.name);
        this.maps.views.delete(key);
        // A materialized view's indexes go with it.
        for (const [k] of this.indexEntries(key)) this.dropIndex(k);
        return;
      }
      case 'Raw': {
        if (!op.object) return;
        const key = `${op.object.type} ${op.object.name}`;
        if (op.object.action === 'create') this.maps.objects.set(key, op.object.definition ?? op.text);
        else this.maps.objects.delete(key);
        return;
      }
      case 'DataChange':
      case 'SetSetting':
      case 'Transaction':
        return;
    }
  }
}

const SUFFIX: Record<ConstraintDef['type'], string> = {
  'primary-key': 'pkey',
  unique: 'key',
  'foreign-key': 'fkey',
  check: 'check',
  exclude: 'excl',
  'not-null': 'not_null',
};

/**
 * The name PostgreSQL gives an unnamed constraint (ChooseConstraintName: table, columns, suffix, cut to 63 bytes, a
 * number when taken), so a later DROP CONSTRAINT by that name finds it.
 */
function generatedName(table: string, c: ConstraintDef, taken: ReadonlyMap<string, unknown>): string {
  const columns = c.type === 'primary-key' ? [] : c.columns.slice(0, c.type === 'check' ? 1 : c.columns.length);
  return chooseName(table, columns.join('_'), SUFFIX[c.type], (n) => taken.has(n));
}

/**
 * PostgreSQL's ChooseRelationName / makeObjectName: `<name1>_<name2>_<label>` in 63 bytes, cutting the longer of
 * the two names first, and a number after the label while the name is taken (`t_a_idx`, then `t_a_idx1`).
 */
export function chooseName(name1: string, name2: string, label: string, taken: (name: string) => boolean): string {
  for (let pass = 0; ; pass++) {
    const suffix = pass ? `${label}${pass}` : label;
    let n1 = name1.length;
    let n2 = name2.length;
    const avail = 63 - suffix.length - 1 - (name2 ? 1 : 0);
    while (n1 + n2 > avail) {
      if (n1 > n2) n1--;
      else n2--;
    }
    const name = [name1.slice(0, n1), ...(name2 ? [name2.slice(0, n2)] : []), suffix].join('_');
    if (!taken(name)) return name;
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
