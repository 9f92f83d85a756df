// The one shared vocabulary. Adapters produce it, schema replay and rules consume it.
// A new framework never touches a rule: it only has to emit these operations.

export type Dialect = 'postgresql' | 'mysql' | 'sqlite';

/** Where a statement or construct lives in a user's file. Lines and columns are 1-based. */
export interface Span {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A table, view, index, type… name, optionally schema-qualified. `name` is already case-folded. */
export interface QName {
  schema?: string;
  name: string;
}

export interface TypeRef {
  /** Canonical lower-case name: int2, int4, int8, numeric, varchar, bpchar, text, timestamp, timestamptz, date, bool, jsonb, uuid… or the user's own type name. */
  name: string;
  /** Type modifiers: varchar(50) → [50], numeric(10,2) → [10, 2]. */
  args: number[];
  /** Array dimensions (int[] → 1). */
  arrayDims: number;
  /** The type as written, for messages. */
  text: string;
  /** MySQL's COLLATE of a string column (lower case), when the statement names one. */
  collation?: string;
  /** The members of a MySQL ENUM or SET, in order, as the statement lists them. */
  values?: string[];
}

export interface DefaultValue {
  /** The expression as written. */
  text: string;
  /** Volatile defaults (random(), gen_random_uuid(), clock_timestamp(), nextval is fine) force a table rewrite when added. */
  volatile: boolean;
}

/** No default and DEFAULT NULL are the same to an INSERT that omits the column. */
export function defaultIsNull(d: DefaultValue | null | undefined): boolean {
  return !d || d.text.trim().toLowerCase() === 'null';
}

export interface ColumnDef {
  name: string;
  type: TypeRef;
  nullable: boolean;
  default: DefaultValue | null;
  primaryKey: boolean;
  unique: boolean;
  /** GENERATED … STORED columns rewrite the table when added. */
  generated: boolean;
  identity: boolean;
  references: ForeignKeyTarget | null;
}

export interface ForeignKeyTarget {
  table: QName;
  columns: string[];
  /** ON DELETE / ON UPDATE when not NO ACTION: what the database does to referencing rows. */
  onDelete?: ForeignKeyAction;
  onUpdate?: ForeignKeyAction;
}

export type ForeignKeyAction = 'restrict' | 'cascade' | 'set null' | 'set default';

export type ConstraintType = 'primary-key' | 'unique' | 'check' | 'foreign-key' | 'exclude' | 'not-null';

export interface ConstraintDef {
  name: string | null;
  type: ConstraintType;
  columns: string[];
  references: ForeignKeyTarget | null;
  /** NOT VALID: skips the scan of existing rows. */
  notValid: boolean;
  /** ADD CONSTRAINT … USING INDEX: promotes an existing index, no scan. */
  usingIndex: string | null;
  /** The check expression or other body, as written. */
  expression: string | null;
  /** A `CHECK (col IS NOT NULL)`: the column it proves non-null (once valid, PostgreSQL 12+ SET NOT NULL skips its scan). */
  notNullColumn?: string;
  /** Written in the column's own definition (`col int REFERENCES p`): SQLite's DROP COLUMN takes it along. */
  columnLevel?: boolean;
}

interface OpBase {
  /** The statement or DSL call this operation came from. */
  span: Span;
  /** The source text of that statement, for code frames and rehearsal. */
  text: string;
  /**
   * Inside a check on the current schema (`if (!hasColumn(...))`): judged as if the check passes, so a
   * column it adds is new even where the replayed history already has one of that name.
   */
  guarded?: boolean;
}

export interface CreateTable extends OpBase {
  kind: 'CreateTable';
  table: QName;
  columns: ColumnDef[];
  constraints: ConstraintDef[];
  ifNotExists: boolean;
  /** CREATE TABLE … AS SELECT / LIKE / PARTITION OF: columns may be unknown. */
  derived: boolean;
}
export interface DropTable extends OpBase {
  kind: 'DropTable';
  table: QName;
  ifExists: boolean;
  cascade: boolean;
}
export interface RenameTable extends OpBase {
  kind: 'RenameTable';
  table: QName;
  newName: string;
}
export interface AddColumn extends OpBase {
  kind: 'AddColumn';
  table: QName;
  column: ColumnDef;
  ifNotExists: boolean;
}
export interface DropColumn extends OpBase {
  kind: 'DropColumn';
  table: QName;
  column: string;
  ifExists: boolean;
  cascade: boolean;
}
export interface RenameColumn extends OpBase {
  kind: 'RenameColumn';
  table: QName;
  column: string;
  newName: string;
}
/**
 * What a migration states about a column it alters (Alembic's `existing_type`, `existing_nullable`,
 * `existing_server_default`): the column's state before, for where the replayed history does not know it.
 */
export interface ExistingColumn {
  type?: TypeRef;
  nullable?: boolean;
  default?: DefaultValue | null;
}

export interface AlterColumnType extends OpBase {
  kind: 'AlterColumnType';
  existing?: ExistingColumn;
  table: QName;
  column: string;
  type: TypeRef;
  /** USING expression, when given. */
  using: string | null;
  /** USING only casts the column itself (`col::text::status`): the values are converted, not recomputed. */
  usingExact?: boolean;
  /** MySQL/MariaDB: the statement's ALGORITHM= clause (COPY, INPLACE, NOCOPY, INSTANT), upper-cased. */
  algorithm?: string;
}
export interface SetNotNull extends OpBase {
  kind: 'SetNotNull';
  existing?: ExistingColumn;
  table: QName;
  column: string;
}
export interface DropNotNull extends OpBase {
  kind: 'DropNotNull';
  existing?: ExistingColumn;
  table: QName;
  column: string;
}
export interface SetDefault extends OpBase {
  kind: 'SetDefault';
  existing?: ExistingColumn;
  table: QName;
  column: string;
  /** null: DROP DEFAULT. */
  default: DefaultValue | null;
}
export interface AddIndex extends OpBase {
  kind: 'AddIndex';
  table: QName;
  name: string | null;
  columns: string[];
  unique: boolean;
  concurrently: boolean;
  ifNotExists: boolean;
  method: string;
  where: string | null;
  /** PostgreSQL, unnamed: the column parts of the name the server gives it (`t_lower_idx` for lower(name)). */
  nameParts?: string[];
  /**
   * MySQL: a unique index is the table's UNIQUE constraint of that name (information_schema lists it as one), so it
   * restores a UNIQUE constraint of that name and columns.
   */
  uniqueKey?: boolean;
}
export interface DropIndex extends OpBase {
  kind: 'DropIndex';
  index: QName;
  /**
   * MySQL: the table it is dropped from. There a UNIQUE constraint is an index of its name, and this drops it too.
   * (Not `table`: rules take an operation with a `table` as one that always names it.)
   */
  onTable?: QName;
  concurrently: boolean;
  ifExists: boolean;
}
export interface RenameIndex extends OpBase {
  kind: 'RenameIndex';
  index: QName;
  newName: string;
}
export interface AddConstraint extends OpBase {
  kind: 'AddConstraint';
  table: QName;
  constraint: ConstraintDef;
}
export interface ValidateConstraint extends OpBase {
  kind: 'ValidateConstraint';
  table: QName;
  name: string;
}
export interface DropConstraint extends OpBase {
  kind: 'DropConstraint';
  table: QName;
  name: string;
  ifExists: boolean;
}
export interface RenameConstraint extends OpBase {
  kind: 'RenameConstraint';
  table: QName;
  name: string;
  newName: string;
}
export interface CreateEnum extends OpBase {
  kind: 'CreateEnum';
  name: QName;
  values: string[];
}
export interface AlterEnum extends OpBase {
  kind: 'AlterEnum';
  name: QName;
  /** ADD VALUE (with its position) or RENAME VALUE. */
  action:
    | { type: 'add'; value: string; before: string | null; after: string | null; ifNotExists: boolean }
    | { type: 'rename'; from: string; to: string };
}
export interface DropEnum extends OpBase {
  kind: 'DropEnum';
  name: QName;
  ifExists: boolean;
  /** DROP TYPE … CASCADE: also drops the columns of that type. */
  cascade?: boolean;
}
export interface CreateView extends OpBase {
  kind: 'CreateView';
  name: QName;
  materialized: boolean;
  orReplace: boolean;
  /**
   * A plain view PostgreSQL writes through (one table, no WHERE, DISTINCT, GROUP BY, LIMIT, set operation or
   * computed column): the table, and the columns it shows under their own names (null for `SELECT *`).
   * Queries on the view read and write that table's rows as they are.
   */
  passThrough?: { table: QName; columns: string[] | null };
}
export interface DropView extends OpBase {
  kind: 'DropView';
  name: QName;
  materialized: boolean;
  ifExists: boolean;
}
export interface DataChange extends OpBase {
  kind: 'DataChange';
  action: 'update' | 'delete' | 'insert' | 'truncate';
  table: QName;
  /** UPDATE/DELETE with a WHERE clause (or INSERT … SELECT): touches some rows, not necessarily all. */
  hasWhere: boolean;
  /** Columns an UPDATE assigns, or an INSERT names (empty for an INSERT without a column list: every column, in table order). */
  columns: string[];
  /** TRUNCATE … CASCADE: also empties every table that references this one. */
  cascade?: boolean;
  /**
   * Run in batches by a DO block's loop that COMMITs after each: each batch its own transaction, and PostgreSQL
   * refuses the block inside a transaction block ("invalid transaction termination").
   */
  batched?: boolean;
  /**
   * Where each assigned value comes from, aligned with `columns` (or with the table's columns when `columns`
   * is empty): a column of a table the statement reads, or null for a constant or an expression of no single
   * column. Absent when the parser cannot tell (a UNION, VALUES, a subquery).
   */
  sources?: Array<ValueSource | null>;
  /** INSERT … SELECT * FROM t: every column of t, in its order. */
  selectAll?: QName;
  /** Every column each assigned value reads (aligned like `sources`): where the new values come from. */
  valueReads?: ColumnRef[][];
  /** Tables each assigned value reads rows of through a subquery (aligned like `sources`): `(SELECT count(*) FROM t)`. */
  valueTables?: QName[][];
  /** Columns the statement's filters read (WHERE, JOIN … ON): which rows get which value. */
  filterReads?: ColumnRef[];
  /** The literal each assigned value is (aligned with `columns`; null for anything else): `SET kind = 'b'`. */
  literals?: Array<string | null>;
  /** Filters `column = literal` the WHERE requires (ANDed at its top): `WHERE kind = 'a'`. */
  matches?: Array<{ column: string; value: string }>;
  /** Columns of the updated table the WHERE requires to be NULL (`col IS NULL`, ANDed at its top). */
  nullRequired?: string[];
}

/** A column of a table, as a statement refers to it. */
export interface ColumnRef {
  table: QName;
  column: string;
}

/** A value an UPDATE or INSERT … SELECT copies from a column. */
export interface ValueSource {
  table: QName;
  column: string;
  /** The value is the column itself or a cast of it; false when computed from it (lower(c), COALESCE(c, 0)). */
  exact: boolean;
}
/** SET lock_timeout / statement_timeout and friends. */
export interface SetSetting extends OpBase {
  kind: 'SetSetting';
  name: string;
  value: string;
  /** SET LOCAL lasts to the end of the transaction only. */
  local: boolean;
}
/** BEGIN / COMMIT / ROLLBACK written in the migration itself. */
export interface Transaction extends OpBase {
  kind: 'Transaction';
  action: 'begin' | 'commit' | 'rollback';
  /** Ended or begun by the framework's own documented call (Alembic's autocommit_block), not written in the migration. */
  managed?: true;
}
/** A statement twoway does not model (functions, grants, comments…), kept with its text. */
export interface Raw extends OpBase {
  kind: 'Raw';
  /** The parser's statement type (CreateFunctionStmt…) or the DSL call. */
  statement: string;
  /** Why it is not modelled; when set, the statement may change the schema and rules report it as not analyzed. */
  notAnalyzed: string | null;
  /** The table, index, view or domain the statement acts on, when the parser names one (locking rules need it). */
  target?: QName;
  /** Options written on the statement that change how it locks: 'concurrently', 'full', 'not-valid'. */
  options?: string[];
  /** A schema object the IR has no operation for, that the statement creates or drops (functions, triggers, sequences…). */
  object?: { type: string; name: string; action: 'create' | 'drop'; definition?: string };
}
/** ALTER TYPE … RENAME TO (enums and other user types); columns of the type follow it. */
export interface RenameType extends OpBase {
  kind: 'RenameType';
  name: QName;
  newName: string;
}

export type Operation =
  | CreateTable
  | DropTable
  | RenameTable
  | AddColumn
  | DropColumn
  | RenameColumn
  | AlterColumnType
  | SetNotNull
  | DropNotNull
  | SetDefault
  | AddIndex
  | DropIndex
  | RenameIndex
  | AddConstraint
  | ValidateConstraint
  | DropConstraint
  | RenameConstraint
  | CreateEnum
  | AlterEnum
  | DropEnum
  | RenameType
  | CreateView
  | DropView
  | DataChange
  | SetSetting
  | Transaction
  | Raw;

export type OperationKind = Operation['kind'];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** A constraint with the defaults of a plain ADD CONSTRAINT: unnamed, validated, no index, no expression. */
export function constraintDef(
  type: ConstraintType,
  columns: string[],
  o: Partial<Omit<ConstraintDef, 'type' | 'columns'>> = {},
): ConstraintDef {
  return {
    name: o.name ?? null,
    type,
    columns,
    references: o.references ?? null,
    notValid: o.notValid ?? false,
    usingIndex: o.usingIndex ?? null,
    expression: o.expression ?? null,
    ...(o.columnLevel ? { columnLevel: true } : {}),
  };
}

/** A table's constraints, with the foreign keys its columns declare inline (`REFERENCES`, an ORM's `.references()`). */
export function tableConstraints(op: CreateTable): ConstraintDef[] {
  const inline = op.columns
    .filter(
      (c) => c.references && !op.constraints.some((k) => k.type === 'foreign-key' && k.columns.length === 1 && k.columns[0] === c.name),
    )
    .map(
      (c): ConstraintDef => ({
        name: null,
        type: 'foreign-key',
        columns: [c.name],
        references: c.references,
        notValid: false,
        usingIndex: null,
        expression: null,
        columnLevel: true,
      }),
    );
  // A primary key written on its columns (`t.primary_key`, `primary_key=True`, Rails' implicit id): the table's key.
  const keyed = op.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const pk: ConstraintDef[] =
    keyed.length && !op.constraints.some((k) => k.type === 'primary-key')
      ? [
          {
            name: null,
            type: 'primary-key',
            columns: keyed,
            references: null,
            notValid: false,
            usingIndex: null,
            expression: null,
            columnLevel: true,
          },
        ]
      : [];
  return [...op.constraints, ...pk, ...inline];
}

/** The USING expression of a type change when it computes new values; null when it only converts the column (or is absent). */
export function recomputingUsing(op: AlterColumnType): string | null {
  if (op.using === null || op.usingExact) return null;
  // `USING col` (quoted or not) converts the column as it is, like no USING at all.
  return op.using.replace(/"/g, '') === op.column ? null : op.using;
}

/**
 * The view a migration creates under a renamed table's old name that keeps the old name working for the release
 * still running: a pass-through view of the renamed table showing every column it had (`columns`), under its own
 * name. Null when there is none, or the view hides rows or columns (old code would read less than it wrote).
 */
export function oldNameView(ops: readonly Operation[], from: QName, to: QName, columns: readonly string[]): CreateView | null {
  let view: CreateView | null = null;
  for (const op of ops) {
    if (op.kind === 'CreateView' && qnameKey(op.name) === qnameKey(from)) view = op;
    // A view dropped (or the old name taken back) after it no longer keeps the name.
    else if (
      (op.kind === 'DropView' && qnameKey(op.name) === qnameKey(from)) ||
      (op.kind === 'RenameTable' && qnameKey({ ...op.table, name: op.newName }) === qnameKey(from))
    )
      view = null;
  }
  const p = view?.passThrough;
  if (!view || view.materialized || !p || qnameKey(p.table) !== qnameKey(to)) return null;
  return p.columns === null || columns.every((c) => p.columns?.includes(c)) ? view : null;
}

/** The schema `twoway plan` copies destroyed values into, so a down can restore them: twoway's own, no code names it. */
export const ARCHIVE_SCHEMA = 'twoway_archive';

/** The suffix of the column `twoway plan` adds beside one whose type changes: twoway's own, no code names it. */
export const SHADOW_SUFFIX = '__twoway_new';

/**
 * `twoway plan`'s type-change swap: the shadow column renamed into the name of the column dropped just before
 * it. The release still running names the old column, which is there again (the new type); none names the shadow.
 */
export function shadowSwap(ops: readonly Operation[], index: number): boolean {
  const op = ops[index];
  if (op?.kind !== 'RenameColumn' || !op.column.endsWith(SHADOW_SUFFIX)) return false;
  return ops.slice(0, index).some((o) => o.kind === 'DropColumn' && qnameKey(o.table) === qnameKey(op.table) && o.column === op.newName);
}

export function qnameText(q: QName): string {
  return q.schema ? `${q.schema}.${q.name}` : q.name;
}

/** Key used by the schema replay: unqualified and `public.` names are the same table. */
export function qnameKey(q: QName): string {
  return q.schema && q.schema !== 'public' ? `${q.schema}.${q.name}` : q.name;
}
