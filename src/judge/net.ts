// The net effect of one direction of a migration: what became of every table, column, index,
// constraint, enum, view and other object it touched, and where the data went. Built by walking
// the operations over an overlay of the schema before them, so it costs what the migration touches,
// not the size of the schema; objects the history never showed are assumed to exist (and hold rows).
import type { ColumnDef, ConstraintDef, ExistingColumn, Operation, QName, Span } from '../ir.js';
import { ARCHIVE_SCHEMA, qnameKey, recomputingUsing, tableConstraints } from '../ir.js';
import type { ColumnState, Schema } from '../schema/schema.js';

export interface NetColumn {
  /** The column's name before this direction ran; null for a column it added. */
  origin: string | null;
  /** Its state before, when the history knows it. */
  before?: ColumnState;
  /** Its name now; null once dropped. */
  name: string | null;
  /** Its state now, when known (a column the history never showed has only what this direction set). */
  state: Partial<ColumnState>;
  addedAt?: Span;
  droppedAt?: Span;
  /** Place of the drop among the direction's operations. */
  droppedSeq?: number;
  renamedAt?: Span;
  typeAt?: Span;
  /** A USING that computes new values (not only a cast of the column). */
  recomputedBy?: { using: string; span: Span };
  nullAt?: Span;
  defaultAt?: Span;
  /** An UPDATE (or a copy that computes) over values that existed before. */
  overwrittenAt?: Span;
  /** An UPDATE filling a column that had no old values (added here, or of a table made here). */
  filledAt?: Span;
  /** Where its values were copied while they still existed (INSERT … SELECT, UPDATE … FROM). */
  copies: Array<{ to: NetTable; column: string; into: NetColumn; exact: boolean; span: Span }>;
  /** Columns whose new values were computed from it or chosen by it (read in a value or a filter). */
  flows: Array<{ to: NetTable; column: NetColumn; span: Span }>;
}

export interface CopyIn {
  from: NetTable;
  span: Span;
  /** Target column ← source column (null: a constant or an expression of several columns). */
  mapping: Array<{ target: NetColumn; source: NetColumn | null; exact: boolean }>;
}

export interface NetTable {
  /** The table's key before this direction ran; null for a table it created. */
  origin: string | null;
  /** The history knows this table (its columns are listed). */
  known: boolean;
  /** Its name now; null once dropped. */
  name: QName | null;
  columnsUnknown: boolean;
  columns: NetColumn[];
  createdAt?: Span;
  /** CREATE TABLE … AS: its rows come from a query. */
  createdFromQuery?: boolean;
  droppedAt?: Span;
  /** Place of the drop among the direction's operations (spans of a derived down do not follow its order). */
  droppedSeq?: number;
  dropCascade?: boolean;
  renamedAt?: Span;
  /** DELETE or TRUNCATE of rows that existed before. */
  deletedAt?: Span;
  deleteKind?: 'delete' | 'truncate';
  /** INSERT into a table that existed before. */
  insertedAt?: Span;
  copiesIn: CopyIn[];
  /** A table of before that this one continues: rebuilt into it by a copy, or re-created under its name. */
  continues?: { table: NetTable; by: 'copy' | 'same-name' };
  continuedBy?: NetTable;
}

export interface IndexDef {
  columns: string[];
  unique: boolean;
  where: string | null;
  method: string;
}

export interface NetIndex {
  /** The index's name before; null for one created here. */
  origin: string | null;
  /** Its definition, with column names as the table had them when it was made; null when unknown. */
  def: IndexDef | null;
  table: NetTable | null;
  name: string;
  droppedAt?: Span;
  createdAt?: Span;
  alive: boolean;
}

export interface NetConstraint {
  origin: string | null;
  def: ConstraintDef | null;
  table: NetTable;
  name: string;
  droppedAt?: Span;
  droppedSeq?: number;
  createdAt?: Span;
  alive: boolean;
}

export interface NetEnum {
  /** The name before; null for a type created here. */
  origin: string | null;
  /** Labels before, when known. */
  beforeValues: readonly string[] | null;
  values: string[] | null;
  name: string | null;
  createdAt?: Span;
  droppedAt?: Span;
  dropCascade?: boolean;
  renamedAt?: Span;
  valueRenames: Array<{ from: string; to: string; span: Span }>;
  lastChange?: Span;
}

export interface NetObject {
  type: string;
  name: string;
  existedBefore: boolean;
  /** The statement that made it before this migration, when the history knows it. */
  beforeDefinition?: string;
  /** The statement that made it in this migration. */
  definition?: string;
  createdAt?: Span;
  droppedAt?: Span;
  alive: boolean;
}

export interface NetEffect {
  tables: NetTable[];
  indexes: NetIndex[];
  constraints: NetConstraint[];
  enums: NetEnum[];
  views: NetObject[];
  objects: NetObject[];
  /** Writes into system catalogs (DELETE FROM pg_enum…): not table data, but they change the schema. */
  catalogChanges: Array<{ span: Span; table: string; action: string }>;
  /** Renames of objects the IR has no operation for (views, sequences, functions, schemas; SET SCHEMA). */
  otherRenames: Array<{ span: Span; statement: string }>;
  /** The live table now known by this name, if this direction touched it. */
  tableNamed(name: QName): NetTable | undefined;
}

/** Walks `ops` over the schema they start from and returns their net effect. */
export function netEffect(start: Schema, ops: readonly Operation[]): NetEffect {
  const b = new NetBuilder(start);
  for (const op of ops) b.apply(op);
  b.finish();
  return b.result();
}

class NetBuilder {
  private readonly live = new Map<string, NetTable>();
  private readonly all: NetTable[] = [];
  private readonly indexes = new Map<string, NetIndex>();
  private readonly allIndexes: NetIndex[] = [];
  private readonly touchedKeys = new Set<string>();
  private readonly byOrigin = new Map<string, NetTable>();
  private readonly owners = new WeakMap<NetColumn, NetTable>();
  private readonly columnNames = new WeakMap<NetTable, Map<string, NetColumn>>();
  private readonly constraints: NetConstraint[] = [];
  private readonly enums = new Map<string, NetEnum>();
  private readonly allEnums: NetEnum[] = [];
  /** Type names dropped or renamed away in this direction: they do not exist any more. */
  private readonly goneEnums = new Set<string>();
  private readonly views = new Map<string, NetObject>();
  private readonly objects = new Map<string, NetObject>();
  private readonly catalogChanges: NetEffect['catalogChanges'] = [];
  private readonly otherRenames: NetEffect['otherRenames'] = [];

  constructor(private readonly start: Schema) {}

  result(): NetEffect {
    const live = this.live;
    return {
      tables: this.all,
      indexes: this.allIndexes,
      constraints: this.constraints,
      enums: this.allEnums,
      views: [...this.views.values()],
      objects: [...this.objects.values()],
      catalogChanges: this.catalogChanges,
      otherRenames: this.otherRenames,
      tableNamed: (name) => live.get(qnameKey(name)),
    };
  }

  /** The live table of that name, brought into the overlay from the schema (or assumed) on first use. */
  private table(name: QName): NetTable {
    const key = qnameKey(name);
    const found = this.live.get(key);
    if (found) return found;
    const state = this.touched(key) ? undefined : this.start.table(name);
    const t: NetTable = {
      origin: key,
      known: Boolean(state),
      name,
      columnsUnknown: !state || state.columnsUnknown,
      columns: [...(state?.columns.values() ?? [])].map((c) => ({
        origin: c.name,
        before: c,
        name: c.name,
        state: { ...c },
        copies: [],
        flows: [],
      })),
      copiesIn: [],
    };
    this.register(t, key);
    // Its constraints come along, so a drop of one is seen as a drop of a known definition.
    for (const [cname, def] of state?.constraints ?? []) {
      this.constraints.push({ origin: cname, def, table: t, name: cname, alive: true });
    }
    return t;
  }

  /** The table that had this key before, wherever it is now (renamed, dropped), or the live one of that name. */
  private tableByOrigin(key: string): NetTable {
    const found = this.byOrigin.get(key);
    if (found) return found;
    const [schema, name] = key.includes('.') ? (key.split('.') as [string, string]) : [undefined, key];
    return this.table(schema ? { schema, name } : { name });
  }

  /** A key this direction already created, renamed away or dropped. */
  private touched(key: string): boolean {
    return this.touchedKeys.has(key);
  }

  /** Every table enters the overlay here: indexes by origin and by key, for lookups that stay cheap on long migrations. */
  private register(t: NetTable, key: string): void {
    this.live.set(key, t);
    this.all.push(t);
    this.touchedKeys.add(key);
    if (t.origin !== null) this.byOrigin.set(t.origin, t);
    for (const c of t.columns) this.owners.set(c, t);
  }

  /** The column a table has under this name now. */
  private findColumn(t: NetTable, name: string): NetColumn | undefined {
    let names = this.columnNames.get(t);
    if (!names) {
      names = new Map(t.columns.filter((c) => c.name !== null).map((c) => [c.name as string, c]));
      this.columnNames.set(t, names);
    }
    return names.get(name);
  }

  private pushColumn(t: NetTable, c: NetColumn): NetColumn {
    t.columns.push(c);
    this.owners.set(c, t);
    if (c.name !== null) this.columnNames.get(t)?.set(c.name, c);
    return c;
  }

  private nameColumn(t: NetTable, c: NetColumn, name: string | null): void {
    const names = this.columnNames.get(t);
    if (c.name !== null && names?.get(c.name) === c) names.delete(c.name);
    c.name = name;
    if (name !== null) names?.set(name, c);
  }

  /** Whether a table of that key exists at this point: a table never seen is assumed to (a partial history). */
  private exists(key: string): boolean {
    if (this.live.has(key)) return true;
    if (this.touched(key)) return false;
    if (this.start.tables.has(key)) return true;
    return !this.start.seenTables.has(key);
  }

  private column(t: NetTable, name: string, existing?: ExistingColumn): NetColumn {
    const found = this.findColumn(t, name);
    if (found) return found;
    // A column the history never showed: it existed before, its state unknown unless the migration states it.
    const c: NetColumn = { origin: t.origin === null ? null : name, name, state: {}, copies: [], flows: [] };
    if (existing && c.origin !== null) c.before = stated(name, existing);
    return this.pushColumn(t, c);
  }

  private addTable(name: QName, columns: ColumnDef[], span: Span, derived: boolean): NetTable {
    const key = qnameKey(name);
    const t: NetTable = {
      origin: null,
      known: true,
      name,
      columnsUnknown: derived,
      columns: columns.map((c) => ({ origin: null, name: c.name, state: columnState(c), addedAt: span, copies: [], flows: [] })),
      createdAt: span,
      copiesIn: [],
    };
    this.register(t, key);
    return t;
  }

  /** Operations applied so far. */
  private seq = 0;

  apply(op: Operation): void {
    this.seq++;
    const span = op.span;
    switch (op.kind) {
      case 'CreateTable': {
        const key = qnameKey(op.table);
        if (this.live.has(key) || (this.start.tables.has(key) && !this.touched(key))) {
          return;
        }
        const t = this.addTable(op.table, op.columns, span, op.derived);
        if (op.derived) t.createdFromQuery = true;
        for (const c of op.columns) if (c.primaryKey) this.setNotNull(t, c.name);
        for (const c of tableConstraints(op)) {
          this.addConstraint(t, c, span);
          if (c.type === 'primary-key') for (const col of c.columns) this.setNotNull(t, col);
        }
        for (const c of op.columns) {
          if (c.unique) this.addIndex(t, null, { columns: [c.name], unique: true, where: null, method: 'btree' }, span);
        }
        return;
      }
      case 'DropTable': {
        const key = qnameKey(op.table);
        if (op.ifExists && !this.exists(key)) return;
        const t = this.table(op.table);
        this.live.delete(key);
        t.name = null;
        t.droppedAt = span;
        t.droppedSeq = this.seq;
        if (op.cascade) t.dropCascade = true;
        // Its indexes go with it, also those of before that nothing touched yet (a later CREATE INDEX IF NOT EXISTS makes them anew).
        if (t.origin !== null) {
          const [schema, name] = t.origin.includes('.') ? (t.origin.split('.') as [string, string]) : [undefined, t.origin];
          for (const i of this.start.indexesOf(schema ? { schema, name } : { name })) this.indexByName(schema, i.name);
        }
        for (const i of this.indexes.values()) if (i.table === t) this.dropIndexEntry(i, null);
        return;
      }
      case 'RenameTable': {
        const t = this.table(op.table);
        this.live.delete(qnameKey(op.table));
        t.name = { ...op.table, name: op.newName };
        t.renamedAt = span;
        this.live.set(qnameKey(t.name), t);
        return;
      }
      case 'AddColumn': {
        const t = this.table(op.table);
        const existing = this.findColumn(t, op.column.name);
        if (existing && op.guarded && existing.origin !== null && !existing.addedAt) {
          // Judged as if the guard passes: the column the check looked for was not there, so it is new here.
          existing.origin = null;
          existing.addedAt = span;
          existing.state = columnState(op.column);
          return;
        }
        if (existing) return;
        this.pushColumn(t, { origin: null, name: op.column.name, state: columnState(op.column), addedAt: span, copies: [], flows: [] });
        if (op.column.unique) this.addIndex(t, null, { columns: [op.column.name], unique: true, where: null, method: 'btree' }, span);
        if (op.column.references) {
          this.addConstraint(
            t,
            {
              name: null,
              type: 'foreign-key',
              columns: [op.column.name],
              references: op.column.references,
              notValid: false,
              usingIndex: null,
              expression: null,
            },
            span,
          );
        }
        return;
      }
      case 'DropColumn': {
        const t = this.table(op.table);
        const known = this.findColumn(t, op.column);
        if (!known && op.ifExists && !t.columnsUnknown) return;
        const c = known ?? this.column(t, op.column);
        this.nameColumn(t, c, null);
        c.droppedAt = span;
        c.droppedSeq = this.seq;
        return;
      }
      case 'RenameColumn': {
        const t = this.table(op.table);
        const c = this.column(t, op.column);
        this.nameColumn(t, c, op.newName);
        c.renamedAt = span;
        if (c.state.name !== undefined) c.state.name = op.newName;
        return;
      }
      case 'AlterColumnType': {
        const c = this.column(this.table(op.table), op.column, op.existing);
        c.state.type = op.type;
        c.typeAt = span;
        const using = recomputingUsing(op);
        if (using && c.origin !== null) c.recomputedBy = { using, span };
        return;
      }
      case 'SetNotNull':
      case 'DropNotNull': {
        const c = this.column(this.table(op.table), op.column, op.existing);
        c.state.nullable = op.kind === 'DropNotNull';
        c.nullAt = span;
        return;
      }
      case 'SetDefault': {
        const c = this.column(this.table(op.table), op.column, op.existing);
        c.state.default = op.default && op.default.text.trim().toLowerCase() !== 'null' ? op.default : null;
        c.defaultAt = span;
        return;
      }
      case 'AddIndex': {
        const t = this.table(op.table);
        const def = { columns: op.columns, unique: op.unique, where: op.where, method: op.method };
        if (op.name && op.ifNotExists && this.indexByName(op.table.schema, op.name)) return;
        this.addIndex(t, op.name, def, span);
        return;
      }
      case 'DropIndex': {
        const i = this.indexByName(op.index.schema, op.index.name);
        if (i) this.dropIndexEntry(i, span);
        else if (op.onTable && this.dropUniqueKey(op.onTable, op.index.name, span)) return;
        // IF EXISTS of an index the history made and dropped again changes nothing (outline's removeIndex of an
        // index paranoia-indeces dropped earlier).
        else if (op.ifExists && this.start.seenIndexes.has(qnameKey(op.index))) return;
        else if (!op.ifExists || !this.createdHere(qnameKey(op.index))) {
          // An index the history never showed: it existed, its definition is unknown.
          const entry: NetIndex = {
            origin: op.index.name,
            def: null,
            table: null,
            name: op.index.name,
            droppedAt: span,
            alive: false,
          };
          this.allIndexes.push(entry);
        }
        return;
      }
      case 'RenameIndex': {
        const i = this.indexByName(op.index.schema, op.index.name);
        if (!i) return;
        this.indexes.delete(qnameKey({ schema: op.index.schema, name: i.name }));
        i.name = op.newName;
        this.indexes.set(qnameKey({ schema: op.index.schema, name: op.newName }), i);
        return;
      }
      case 'AddConstraint': {
        const t = this.table(op.table);
        this.addConstraint(t, op.constraint, span);
        if (op.constraint.type === 'primary-key' || op.constraint.type === 'not-null')
          for (const col of op.constraint.columns) this.setNotNull(t, col, span);
        return;
      }
      case 'DropConstraint': {
        const t = this.table(op.table);
        const c = this.constraints.find((x) => x.table === t && x.alive && x.name === op.name);
        if (c) {
          c.alive = false;
          c.droppedAt = span;
          c.droppedSeq = this.seq;
        } else if (!this.constraints.some((x) => x.table === t && x.name === op.name)) {
          // A constraint the history never showed (PostgreSQL named it, or it was made outside): it existed.
          this.constraints.push({ origin: op.name, def: null, table: t, name: op.name, droppedAt: span, alive: false });
        }
        return;
      }
      case 'RenameConstraint': {
        const t = this.table(op.table);
        const c = this.constraints.find((x) => x.table === t && x.alive && x.name === op.name);
        if (c) c.name = op.newName;
        return;
      }
      case 'ValidateConstraint':
        return;
      case 'CreateEnum': {
        const key = qnameKey(op.name);
        this.goneEnums.delete(key);
        const e: NetEnum = {
          origin: null,
          beforeValues: null,
          values: [...op.values],
          name: key,
          createdAt: span,
          valueRenames: [],
          lastChange: span,
        };
        this.enums.set(key, e);
        this.allEnums.push(e);
        return;
      }
      case 'AlterEnum': {
        const e = this.enumNamed(op.name);
        e.lastChange = span;
        const a = op.action;
        if (a.type === 'rename') {
          e.valueRenames.push({ from: a.from, to: a.to, span });
          if (e.values) e.values = e.values.map((v) => (v === a.from ? a.to : v));
        } else if (e.values && !e.values.includes(a.value)) {
          e.values.push(a.value);
        }
        return;
      }
      case 'DropEnum': {
        const key = qnameKey(op.name);
        if (op.ifExists && !this.enums.has(key) && this.goneEnums.has(key)) return;
        const e = this.enumNamed(op.name);
        this.enums.delete(key);
        this.goneEnums.add(key);
        e.name = null;
        e.droppedAt = span;
        if (op.cascade) e.dropCascade = true;
        return;
      }
      case 'RenameType': {
        const key = qnameKey(op.name);
        if (!this.enums.has(key) && !this.start.enums.has(key)) return;
        const e = this.enumNamed(op.name);
        this.enums.delete(key);
        this.goneEnums.add(key);
        e.name = qnameKey({ ...op.name, name: op.newName });
        e.renamedAt = span;
        this.enums.set(e.name, e);
        // Columns of the type show its new name, as in PostgreSQL.
        for (const t of this.live.values()) {
          for (const c of t.columns) {
            if (c.state.type?.name === op.name.name) c.state.type = { ...c.state.type, name: op.newName };
          }
        }
        return;
      }
      case 'CreateView':
        this.createObject(this.views, 'view', qnameKey(op.name), span, this.start.views.has(qnameKey(op.name)));
        return;
      case 'DropView':
        this.dropObject(this.views, 'view', qnameKey(op.name), span, true);
        return;
      case 'DataChange':
        this.dataChange(op);
        return;
      case 'Raw': {
        if (OTHER_RENAMES.has(op.statement)) this.otherRenames.push({ span, statement: op.statement });
        if (!op.object) return;
        const key = `${op.object.type} ${op.object.name}`;
        if (op.object.action === 'create') {
          this.createObject(this.objects, op.object.type, key, span, this.start.objects.has(key));
          const o = this.objects.get(key) as NetObject;
          o.definition = op.object.definition ?? op.text;
          o.beforeDefinition ??= this.start.objects.get(key);
        } else {
          this.dropObject(this.objects, op.object.type, key, span, true);
          const o = this.objects.get(key) as NetObject;
          o.beforeDefinition ??= this.start.objects.get(key);
        }
        return;
      }
      case 'SetSetting':
      case 'Transaction':
        return;
    }
  }

  private dataChange(op: Extract<Operation, { kind: 'DataChange' }>): void {
    const span = op.span;
    if (isCatalog(op.table)) {
      this.catalogChanges.push({ span, table: op.table.name, action: op.action });
      return;
    }
    const t = this.table(op.table);
    const old = t.origin !== null;
    switch (op.action) {
      case 'update': {
        // WHERE c IS NULL on a column that is NOT NULL matches no row: the statement changes nothing.
        if (old && op.nullRequired?.some((name) => this.findColumn(t, name)?.state.nullable === false)) return;
        op.columns.forEach((name, i) => {
          const c = this.column(t, name);
          const source = this.sourceColumn(op.sources?.[i] ?? null);
          if (source && source.column === c && source.exact) return;
          if (old && c.origin !== null) c.overwrittenAt ??= span;
          else c.filledAt ??= span;
          if (source) source.column.copies.push({ to: t, column: name, into: c, exact: source.exact, span });
          this.flow(op, i, t, c);
        });
        return;
      }
      case 'delete':
      case 'truncate':
        if (old) {
          t.deletedAt ??= span;
          t.deleteKind ??= op.action;
        }
        return;
      case 'insert': {
        if (old) t.insertedAt ??= span;
        const targets = op.columns.length ? op.columns : t.columns.filter((c) => c.name !== null).map((c) => c.name as string);
        let sources: Array<{ column: NetColumn; exact: boolean } | null> = [];
        let from: NetTable | null = null;
        if (op.selectAll) {
          from = this.table(op.selectAll);
          sources = from.columns.filter((c) => c.name !== null).map((c) => ({ column: c, exact: true }));
        } else if (op.sources) {
          sources = op.sources.map((s) => this.sourceColumn(s));
          from = sources.find((s) => s)?.column ? this.owner(sources.find((s) => s)?.column as NetColumn) : null;
        }
        if (!from && !op.valueReads) return;
        const mapping: CopyIn['mapping'] = [];
        targets.forEach((name, i) => {
          const target = this.column(t, name);
          const s = sources[i] ?? null;
          mapping.push({ target, source: s?.column ?? null, exact: s?.exact ?? false });
          if (s) s.column.copies.push({ to: t, column: name, into: target, exact: s.exact, span });
          if (old && target.origin === null) target.filledAt ??= span;
          this.flow(op, i, t, target);
        });
        if (from) t.copiesIn.push({ from, span, mapping });
        return;
      }
    }
  }

  /** Records that the columns the i-th value reads (and the filters) decided the target column's new values. */
  private flow(op: Extract<Operation, { kind: 'DataChange' }>, i: number, to: NetTable, target: NetColumn): void {
    for (const ref of [...(op.valueReads?.[i] ?? []), ...(op.filterReads ?? [])]) {
      if (isCatalog(ref.table)) continue;
      const read = this.column(this.table(ref.table), ref.column);
      if (read !== target && !read.flows.some((f) => f.column === target)) read.flows.push({ to, column: target, span: op.span });
    }
  }

  private sourceColumn(s: { table: QName; column: string; exact: boolean } | null): { column: NetColumn; exact: boolean } | null {
    if (!s) return null;
    const t = this.table(s.table);
    return { column: this.column(t, s.column), exact: s.exact };
  }

  private owner(c: NetColumn): NetTable | null {
    return this.owners.get(c) ?? null;
  }

  private setNotNull(t: NetTable, column: string, span?: Span): void {
    const c = this.findColumn(t, column);
    if (!c) return;
    c.state.nullable = false;
    if (span && c.addedAt !== span) c.nullAt = span;
  }

  /**
   * An unqualified index name the default schema does not hold is found by the search path, which the history does
   * not show: the one index of that name in another schema (supabase's `{{ .Namespace }}.users` indexes).
   */
  private indexKey(schema: string | undefined, name: string): string {
    const key = qnameKey({ schema, name });
    if (schema || this.indexes.has(key) || this.start.indexes.has(key)) return key;
    const elsewhere = [...this.start.indexes.keys()].filter((k) => k.endsWith(`.${name}`));
    return elsewhere.length === 1 ? (elsewhere[0] as string) : key;
  }

  private indexByName(schema: string | undefined, name: string): NetIndex | undefined {
    const key = this.indexKey(schema, name);
    const found = this.indexes.get(key);
    if (found) return found;
    const state = this.start.indexes.get(key);
    if (!state || this.allIndexes.some((i) => i.origin === state.name && !i.alive)) return undefined;
    const table = this.tableByOrigin(state.table);
    const entry: NetIndex = {
      origin: state.name,
      def: { columns: state.columns, unique: state.unique, where: state.where ?? null, method: state.method ?? 'btree' },
      table,
      name: state.name,
      alive: true,
    };
    this.indexes.set(key, entry);
    this.allIndexes.push(entry);
    return entry;
  }

  private createdHere(indexKey: string): boolean {
    return this.allIndexes.some((i) => i.origin === null && qnameKey({ name: i.name }) === indexKey);
  }

  private addIndex(t: NetTable, name: string | null, def: IndexDef, span: Span): void {
    const entry: NetIndex = {
      origin: null,
      def,
      table: t,
      name: name ?? `(unnamed index on ${def.columns.join(', ')})`,
      createdAt: span,
      alive: true,
    };
    if (name) this.indexes.set(qnameKey({ schema: t.name?.schema, name }), entry);
    this.allIndexes.push(entry);
  }

  /** MySQL: DROP INDEX of a UNIQUE constraint's name drops that constraint (it is that index). */
  private dropUniqueKey(table: QName, name: string, span: Span): boolean {
    const t = this.table(table);
    const c = this.constraints.find((x) => x.table === t && x.alive && x.name === name && x.def?.type === 'unique');
    if (!c) return false;
    c.alive = false;
    c.droppedAt = span;
    c.droppedSeq = this.seq;
    return true;
  }

  private dropIndexEntry(i: NetIndex, span: Span | null): void {
    i.alive = false;
    if (span) i.droppedAt = span;
    for (const [k, v] of this.indexes) if (v === i) this.indexes.delete(k);
  }

  private addConstraint(t: NetTable, def: ConstraintDef, span: Span): void {
    this.constraints.push({ origin: null, def, table: t, name: def.name ?? `(unnamed ${def.type})`, createdAt: span, alive: true });
  }

  private enumNamed(name: QName): NetEnum {
    const key = qnameKey(name);
    const found = this.enums.get(key);
    if (found) return found;
    const values = this.start.enums.get(key) ?? null;
    const e: NetEnum = { origin: key, beforeValues: values, values: values ? [...values] : null, name: key, valueRenames: [] };
    this.enums.set(key, e);
    this.allEnums.push(e);
    return e;
  }

  private createObject(map: Map<string, NetObject>, type: string, key: string, span: Span, existedBefore: boolean): void {
    const found = map.get(key);
    if (found) {
      found.alive = true;
      found.createdAt = span;
      return;
    }
    map.set(key, { type, name: key, existedBefore, createdAt: span, alive: true });
  }

  private dropObject(map: Map<string, NetObject>, type: string, key: string, span: Span, assumeExisted: boolean): void {
    const found = map.get(key);
    if (found) {
      found.alive = false;
      found.droppedAt = span;
      return;
    }
    map.set(key, { type, name: key, existedBefore: assumeExisted, droppedAt: span, alive: false });
  }

  /** Tables of before that a table made here continues: a rebuild by copy, or a re-creation under the same name. */
  finish(): void {
    for (const old of this.all) {
      if (old.origin === null || old.name !== null) continue;
      // A copy into twoway plan's archive is a backup the down restores from, not the table under a new name.
      const copies = this.all.filter(
        (n) =>
          n.origin === null &&
          n.name !== null &&
          n.name.schema !== ARCHIVE_SCHEMA &&
          !n.continues &&
          n.copiesIn.some((c) => c.from === old),
      );
      const byCopy = copies.find((n) => qnameKey(n.name as QName) === old.origin) ?? copies[0];
      const sameName = this.live.get(old.origin);
      const next = byCopy ?? (sameName && sameName.origin === null && !sameName.continues ? sameName : undefined);
      if (!next) continue;
      next.continues = { table: old, by: byCopy ? 'copy' : 'same-name' };
      old.continuedBy = next;
    }
  }
}

/** Statements that give an object the code may name a new name or schema (tables, columns, indexes and types have IR operations). */
export const OTHER_RENAMES: ReadonlyMap<string, string> = new Map([
  ['RenameStmt:OBJECT_VIEW', 'a view'],
  ['RenameStmt:OBJECT_MATVIEW', 'a materialized view'],
  ['RenameStmt:OBJECT_SEQUENCE', 'a sequence'],
  ['RenameStmt:OBJECT_FUNCTION', 'a function'],
  ['RenameStmt:OBJECT_PROCEDURE', 'a procedure'],
  ['RenameStmt:OBJECT_SCHEMA', 'a schema'],
  ['AlterObjectSchemaStmt', 'the schema of an object'],
]);

/** PostgreSQL's and the SQL standard's catalogs hold no application rows. */
export function isCatalog(q: QName): boolean {
  const schema = q.schema?.toLowerCase();
  if (schema === 'pg_catalog' || schema === 'information_schema') return true;
  return !schema && q.name.toLowerCase().startsWith('pg_');
}

function columnState(c: ColumnDef): ColumnState {
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable && !c.primaryKey,
    // DEFAULT NULL is no default.
    default: c.default && c.default.text.trim().toLowerCase() !== 'null' ? c.default : null,
    generated: c.generated,
    identity: c.identity,
  };
}

/** Index definitions are equal when they index the same columns the same way (names do not matter to queries). */
export function sameIndexDef(a: IndexDef, b: IndexDef): boolean {
  return (
    a.unique === b.unique &&
    a.method === b.method &&
    normalise(a.where) === normalise(b.where) &&
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => normalise(c) === normalise(b.columns[i] ?? ''))
  );
}

/** Constraints are equal when they are of one kind, on the same columns, with the same target or expression. */
export function sameConstraintDef(a: ConstraintDef, b: ConstraintDef): boolean {
  return (
    a.type === b.type &&
    a.columns.join(',') === b.columns.join(',') &&
    (a.references?.table.name ?? '') === (b.references?.table.name ?? '') &&
    (a.references?.columns ?? []).join(',') === (b.references?.columns ?? []).join(',') &&
    a.references?.onDelete === b.references?.onDelete &&
    a.references?.onUpdate === b.references?.onUpdate &&
    normalise(a.expression) === normalise(b.expression)
  );
}

/** Expression text compared without quoting, case or spacing differences. */
function normalise(text: string | null): string {
  return (text ?? '').replace(/["`\s]/g, '').toLowerCase();
}

/** The state a migration says an unknown column had; what it leaves out takes the safe assumption (nullable, no default, type unknown). */
function stated(name: string, existing: ExistingColumn): ColumnState {
  return {
    name,
    type: existing.type ?? { name: 'unknown', args: [], arrayDims: 0, text: 'unknown' },
    nullable: existing.nullable ?? true,
    default: existing.default ?? null,
    generated: false,
    identity: false,
  };
}
