// Structural differences between two replayed schemas: what a down left different from the
// schema before its up. Tolerant where the replay cannot know: tables with unknown columns,
// unnamed constraints (PostgreSQL names them, the replay does not), default expressions.
import { type ConstraintDef, defaultIsNull, qnameKey, type TypeRef } from '../ir.js';
import type { ColumnState, IndexState, Schema, TableState } from './schema.js';

export interface SchemaDifference {
  /** The object that differs, as a user would name it: `users.email`, `index users_email`. */
  object: string;
  /** What differs, in words: "is missing", "remains", "is varchar(50), was text". */
  message: string;
}

/**
 * Objects the expected schema may hold without the replay knowing them: the up dropped them by name
 * although the replay never saw them made (an inline constraint PostgreSQL named, a table made
 * outside migrations). A down that re-creates them is right, not drift.
 */
export interface AssumedObjects {
  /** A type was renamed by a statement the replay does not model (ALTER TYPE … RENAME): column type names cannot be compared. */
  typesRenamed?: boolean;
  tables: ReadonlySet<string>;
  indexes: ReadonlySet<string>;
  /** `table key` → constraint names. */
  constraints: ReadonlyMap<string, ReadonlySet<string>>;
}

const NOTHING_ASSUMED: AssumedObjects = { tables: new Set(), indexes: new Set(), constraints: new Map() };

/** Differences of `actual` from `expected`. */
export function diffSchemas(expected: Schema, actual: Schema, assumed: AssumedObjects = NOTHING_ASSUMED): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  const add = (object: string, message: string) => out.push({ object, message });
  // Only what either schema changed since they forked can differ (Schema.differing).
  const [expectedTables, actualTables] = expected.differing(actual, 'tables');
  const [expectedIndexes, actualIndexes] = expected.differing(actual, 'indexes');
  const [expectedEnums, actualEnums] = expected.differing(actual, 'enums');
  const [expectedViews, actualViews] = expected.differing(actual, 'views');
  for (const [key, table] of expectedTables) {
    const other = actual.tables.get(key);
    if (!other) add(`table ${key}`, 'is missing: the down does not restore it');
    // Copy-on-write clones share every table neither side changed: those are equal by identity.
    else if (other !== table) diffTables(key, table, other, assumed, add, { expected, actual });
  }
  for (const [key] of actualTables) {
    if (!expected.tables.has(key) && !assumed.tables.has(key)) add(`table ${key}`, 'remains: the down does not drop it');
  }
  for (const [key, index] of expectedIndexes) {
    const other = actual.indexes.get(key);
    if (other === index) continue;
    if (!other) {
      const table = actual.tables.get(index.table);
      if (table && !uniqueKeyAsConstraint(index, table)) add(`index ${key}`, `on ${index.table} is missing: the down does not rebuild it`);
    } else if (other.unique !== index.unique || other.columns.join(',') !== index.columns.join(',')) {
      add(`index ${key}`, `is ${indexText(other)}, was ${indexText(index)}`);
    }
  }
  for (const [key, index] of actualIndexes) {
    const table = expected.tables.get(index.table);
    if (!expected.indexes.has(key) && !assumed.indexes.has(key) && table && !uniqueKeyAsConstraint(index, table))
      add(`index ${key}`, `on ${index.table} remains: the down does not drop it`);
  }
  for (const [key, values] of expectedEnums) {
    const other = actual.enums.get(key);
    if (!other) add(`type ${key}`, 'is missing: the down does not restore it');
    else if (other.join(',') !== values.join(',')) add(`type ${key}`, `has values (${other.join(', ')}), was (${values.join(', ')})`);
  }
  for (const [key] of actualEnums) if (!expected.enums.has(key)) add(`type ${key}`, 'remains: the down does not drop it');
  for (const [key] of expectedViews) if (!actual.views.has(key)) add(`view ${key}`, 'is missing: the down does not restore it');
  for (const [key] of actualViews) if (!expected.views.has(key)) add(`view ${key}`, 'remains: the down does not drop it');
  return out;
}

function diffTables(
  key: string,
  expected: TableState,
  actual: TableState,
  assumed: AssumedObjects,
  add: (object: string, message: string) => void,
  schemas: { expected: Schema; actual: Schema },
): void {
  const assumedConstraints = assumed.constraints.get(key) ?? new Set();
  if (expected.columnsUnknown || actual.columnsUnknown) return;
  for (const [name, column] of expected.columns) {
    const other = actual.columns.get(name);
    if (!other) add(`column ${key}.${name}`, 'is missing: the down does not restore it');
    else diffColumns(`column ${key}.${name}`, effective(expected, column), effective(actual, other), !assumed.typesRenamed, add);
  }
  for (const name of actual.columns.keys()) {
    if (!expected.columns.has(name)) add(`column ${key}.${name}`, 'remains: the down does not drop it');
  }
  // Constraints by name and kind: the replay does not follow column renames into constraints, and an
  // unnamed constraint on one side matches a named one of the same kind and columns on the other.
  const expectedConstraints = namedConstraints(expected);
  const actualConstraints = namedConstraints(actual);
  for (const [name, c] of expectedConstraints) {
    const other = actualConstraints.get(name);
    if (!other && !hasEquivalent(actual, c) && !constraintAsUniqueKey(schemas.actual, actual, name, c))
      add(`constraint ${name} on ${key}`, `(${constraintText(c)}) is missing: the down does not restore it`);
    else if (other && other.type !== c.type) add(`constraint ${name} on ${key}`, `is ${constraintText(other)}, was ${constraintText(c)}`);
  }
  for (const [name, c] of actualConstraints) {
    if (
      !expectedConstraints.has(name) &&
      !assumedConstraints.has(name) &&
      !hasEquivalent(expected, c) &&
      !constraintAsUniqueKey(schemas.expected, expected, name, c)
    ) {
      add(`constraint ${name} on ${key}`, `(${constraintText(c)}) remains: the down does not drop it`);
    }
  }
}

/** A column is NOT NULL by its own flag or by a NOT NULL table constraint (`ADD CONSTRAINT c NOT NULL col`, PostgreSQL 18). */
function effective(table: TableState, column: ColumnState): ColumnState {
  const constrained = [...table.constraints.values()].some((c) => c.type === 'not-null' && c.columns.includes(column.name));
  return constrained && column.nullable ? { ...column, nullable: false } : column;
}

/** MySQL: a UNIQUE constraint and a unique index (key) of one name and columns are one object. */
function constraintAsUniqueKey(schema: Schema, table: TableState, name: string, c: ConstraintDef): boolean {
  if (c.type !== 'unique') return false;
  const index = schema.indexes.get(qnameKey({ schema: table.name.schema, name }));
  return Boolean(index?.uniqueKey && index.table === qnameKey(table.name) && index.columns.join(',') === c.columns.join(','));
}

function uniqueKeyAsConstraint(index: IndexState, table: TableState): boolean {
  const c = index.uniqueKey ? table.constraints.get(index.name) : undefined;
  return c?.type === 'unique' && c.columns.join(',') === index.columns.join(',');
}

function hasEquivalent(table: TableState, c: ConstraintDef): boolean {
  return [...table.constraints.values()].some((o) => constraintText(o) === constraintText(c));
}

function diffColumns(
  object: string,
  expected: ColumnState,
  actual: ColumnState,
  compareTypeNames: boolean,
  add: (object: string, message: string) => void,
): void {
  if (!sameType(expected.type, actual.type, compareTypeNames)) add(object, `is ${actual.type.text}, was ${expected.type.text}`);
  if (expected.nullable !== actual.nullable) add(object, actual.nullable ? 'is nullable, was NOT NULL' : 'is NOT NULL, was nullable');
  // Default expressions are compared by presence: the same default is often written two ways ('x' and 'x'::text).
  // DEFAULT NULL is no default: a column without one reads NULL too.
  if (defaultIsNull(expected.default) !== defaultIsNull(actual.default)) {
    add(object, actual.default ? `has DEFAULT ${actual.default.text}, had none` : `has no default, had DEFAULT ${expected.default?.text}`);
  }
}

function sameType(a: TypeRef, b: TypeRef, compareNames: boolean): boolean {
  return (!compareNames || a.name === b.name) && a.arrayDims === b.arrayDims && a.args.join(',') === b.args.join(',');
}

/**
 * Constraints the migrations named themselves (unnamed ones get names from PostgreSQL that the replay
 * cannot know); NOT NULL constraints are compared as the columns' nullability.
 */
function namedConstraints(table: TableState): Map<string, ConstraintDef> {
  const named = [...table.constraints.values()].filter((c) => c.name !== null && c.type !== 'not-null');
  return new Map(named.map((c) => [c.name as string, c]));
}

function constraintText(c: ConstraintDef): string {
  if (c.type === 'check') return `CHECK (${c.expression ?? '…'})`;
  const target = c.references ? ` REFERENCES ${c.references.table.name}` : '';
  return `${c.type.toUpperCase().replace('-', ' ')} (${c.columns.join(', ')})${target}`;
}

function indexText(i: { unique: boolean; columns: string[] }): string {
  return `${i.unique ? 'UNIQUE ' : ''}(${i.columns.join(', ')})`;
}
