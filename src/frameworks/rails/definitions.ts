// Building blocks of the DSL commands: column definitions, indexes, keys, table blocks, in ActiveRecord's terms.
import {
  type ColumnDef,
  type ConstraintDef,
  constraintDef,
  type DefaultValue,
  type ForeignKeyAction,
  type ForeignKeyTarget,
  type Operation,
  type QName,
} from '../../ir.js';
import type { SyntaxNode } from '../tree-sitter.js';
import { checkConstraintName, foreignKeyColumn, foreignKeyName, indexName, pluralize } from './names.js';
import type { Args, RailsReader, Step } from './reader.js';
import { primaryKeyType, railsType } from './types.js';
import { isTrue, names, numberOf, type RubyValue, textOf } from './values.js';

/** Default expressions that give every row its own value (a table rewrite when added). */
const VOLATILE = ['gen_random_uuid', 'uuid_generate_v4', 'uuid_generate_v1', 'random', 'clock_timestamp', 'timeofday', 'nextval'];

export type Handler = (r: RailsReader, node: SyntaxNode, args: Args) => Step[];

export function blockBody(block: SyntaxNode | null): SyntaxNode | null {
  return block?.childForFieldName('body') ?? null;
}

export function needNames(r: RailsReader, node: SyntaxNode, values: Array<RubyValue | undefined>, what: string): string[] | Step {
  const out: string[] = [];
  for (const v of values) {
    const s = textOf(v);
    if (s === null) return r.notAnalyzed(node, `the ${what} is computed at run time`);
    out.push(s);
  }
  return out;
}

export function defaultOf(v: RubyValue | undefined): DefaultValue | null {
  if (!v || v.kind === 'nil' || v.kind === 'unknown' || v.kind === 'constant') return null;
  switch (v.kind) {
    case 'string':
    case 'symbol':
      return { text: `'${v.value.replaceAll("'", "''")}'`, volatile: false };
    case 'number':
      return { text: String(v.value), volatile: false };
    case 'bool':
      return { text: String(v.value), volatile: false };
    case 'array':
      return { text: `'{${v.items.map((i) => textOf(i) ?? (i.kind === 'number' ? String(i.value) : '')).join(',')}}'`, volatile: false };
    case 'hash':
      return { text: `'${v.node.text}'`, volatile: false };
    case 'lambda': {
      const text = textOf(v.body ?? undefined) ?? v.node.text;
      return { text, volatile: VOLATILE.some((f) => text.toLowerCase().includes(`${f}(`)) };
    }
  }
}

/** A column as `add_column` / `t.<type>` define it. */
export function columnDef(r: RailsReader, name: string, type: string, o: Map<string, RubyValue>): ColumnDef {
  const typeRef = railsType(
    type,
    {
      limit: numberOf(o.get('limit')),
      precision: o.get('precision')?.kind === 'nil' ? null : numberOf(o.get('precision')),
      scale: numberOf(o.get('scale')),
      array: isTrue(o.get('array')),
      enumType: textOf(o.get('enum_type')) ?? undefined,
      ...(r.migrationVersion !== null && r.migrationVersion < 7 ? { datetimePrecision: null } : {}),
    },
    r.dialect,
  );
  const nullOption = o.get('null');
  const primaryKey = isTrue(o.get('primary_key'));
  return {
    name,
    type: typeRef,
    nullable: !(nullOption?.kind === 'bool' && !nullOption.value) && !primaryKey,
    default: defaultOf(o.get('default')),
    primaryKey,
    unique: false,
    generated: o.has('as') && isTrue(o.get('stored')),
    identity: false,
    references: null,
  };
}

export function table(name: string): QName {
  const dot = name.indexOf('.');
  return dot > 0 ? { schema: name.slice(0, dot), name: name.slice(dot + 1) } : { name };
}

export function indexOp(r: RailsReader, node: SyntaxNode, tableName: string, columns: string[], o: Map<string, RubyValue>): Operation {
  return {
    kind: 'AddIndex',
    ...r.at(node),
    table: table(tableName),
    name: textOf(o.get('name')) ?? indexName(tableName, columns, r.migrationVersion),
    columns,
    unique: isTrue(o.get('unique')),
    concurrently: textOf(o.get('algorithm')) === 'concurrently',
    ifNotExists: isTrue(o.get('if_not_exists')),
    method: textOf(o.get('using')) ?? 'btree',
    where: textOf(o.get('where')),
  };
}

export function dropIndexOp(r: RailsReader, node: SyntaxNode, tableName: string, name: string, o: Map<string, RubyValue>): Operation {
  const t = table(tableName);
  return {
    kind: 'DropIndex',
    ...r.at(node),
    index: t.schema ? { schema: t.schema, name } : { name },
    concurrently: textOf(o.get('algorithm')) === 'concurrently',
    ifExists: isTrue(o.get('if_exists')),
  };
}

/** `on_delete:` / `on_update:` of add_foreign_key (ForeignKeyDefinition: :nullify, :cascade, :restrict). */
const FOREIGN_KEY_ACTIONS: Record<string, ForeignKeyAction> = { nullify: 'set null', cascade: 'cascade', restrict: 'restrict' };

export function foreignKey(r: RailsReader, node: SyntaxNode, from: string, to: string, o: Map<string, RubyValue>): Operation {
  const column = textOf(o.get('column')) ?? foreignKeyColumn(to);
  const references: ForeignKeyTarget = { table: table(to), columns: [textOf(o.get('primary_key')) ?? 'id'] };
  const onDelete = FOREIGN_KEY_ACTIONS[textOf(o.get('on_delete')) ?? ''];
  const onUpdate = FOREIGN_KEY_ACTIONS[textOf(o.get('on_update')) ?? ''];
  if (onDelete) references.onDelete = onDelete;
  if (onUpdate) references.onUpdate = onUpdate;
  const constraint = constraintDef('foreign-key', [column], {
    name: textOf(o.get('name')) ?? foreignKeyName(from, column),
    references,
    notValid: o.get('validate')?.kind === 'bool' && !isTrue(o.get('validate')),
  });
  return { kind: 'AddConstraint', ...r.at(node), table: table(from), constraint };
}

/** `t.references :user, foreign_key: true, polymorphic: true, index: {unique: true}` and `add_reference`. */
export function reference(r: RailsReader, node: SyntaxNode, tableName: string, ref: string, o: Map<string, RubyValue>) {
  const polymorphic = isTrue(o.get('polymorphic'));
  const idType = textOf(o.get('type')) ?? (writtenFor(r, 5.0) ? 'integer' : 'bigint');
  const columns = [columnDef(r, `${ref}_id`, idType, o)];
  if (polymorphic) columns.push(columnDef(r, `${ref}_type`, 'string', o));
  const indexOption = o.get('index');
  const indexed = indexOption === undefined ? !writtenFor(r, 4.2) : isTrue(indexOption);
  const indexColumns = polymorphic ? [`${ref}_type`, `${ref}_id`] : [`${ref}_id`];
  const indexOptions = new Map(indexOption?.kind === 'hash' ? indexOption.entries : []);
  const index = indexed ? indexOp(r, node, tableName, indexColumns, indexOptions) : null;
  const fkOption = o.get('foreign_key');
  let fk: Operation | null = null;
  if (isTrue(fkOption) && !polymorphic) {
    const fkOptions = new Map(fkOption?.kind === 'hash' ? fkOption.entries : []);
    const to = textOf(fkOptions.get('to_table')) ?? pluralize(ref);
    fkOptions.set('column', { kind: 'string', value: `${ref}_id`, node });
    fk = foreignKey(r, node, tableName, to, fkOptions);
  }
  return { columns, index, fk };
}

/**
 * Whether the migration runs with the compatibility layer of this Rails version or an older one
 * (Migration::Compatibility): 4.2 timestamps allow NULL and references have no index, 5.0 ids and
 * references are integer, 6.1 datetimes have no default precision, 7.0 index names are not shortened.
 */
export function writtenFor(r: RailsReader, version: number): boolean {
  return r.migrationVersion !== null && r.migrationVersion <= version;
}

export function timestamps(r: RailsReader, o: Map<string, RubyValue>): ColumnDef[] {
  const options = new Map(o);
  if (!options.has('null')) options.set('null', { kind: 'bool', value: writtenFor(r, 4.2), node: r.root });
  return ['created_at', 'updated_at'].map((c) => columnDef(r, c, 'datetime', options));
}

/** The column calls of a `create_table` / `change_table` block: `t.string :a, :b, null: false`. */
export const COLUMN_TYPES = new Set([
  'string',
  'text',
  'integer',
  'bigint',
  'float',
  'decimal',
  'numeric',
  'datetime',
  'timestamp',
  'timestamptz',
  'time',
  'date',
  'binary',
  'blob',
  'boolean',
  'json',
  'jsonb',
  'uuid',
  'xml',
  'hstore',
  'citext',
  'ltree',
  'inet',
  'cidr',
  'macaddr',
  'money',
  'interval',
  'point',
  'bit',
  'bit_varying',
  'tsvector',
  'oid',
  'daterange',
  'numrange',
  'tsrange',
  'tstzrange',
  'int4range',
  'int8range',
  'enum',
  'virtual',
  'serial',
  'bigserial',
]);

export interface TableBlock {
  columns: ColumnDef[];
  constraints: ConstraintDef[];
  /** Indexes and foreign keys created after the table. */
  after: Operation[];
}

/** The body of `create_table … do |t|`, read as a table definition. */
export function tableDefinition(r: RailsReader, tableName: string, block: SyntaxNode | null, param: string | null): TableBlock {
  const def: TableBlock = { columns: [], constraints: [], after: [] };
  const after = (...ops: Operation[]): Step[] => [{ up: ops, inverse: [] }];
  const steps = r.inTableBlock(param, blockBody(block), (stmt) => {
    const method = stmt.childForFieldName('method')?.text ?? '';
    const a = r.args(stmt);
    const o = a.options;
    if (COLUMN_TYPES.has(method) || method === 'column') {
      const type = method === 'column' ? textOf(a.positional[1]) : method === 'virtual' ? (textOf(o.get('type')) ?? 'virtual') : method;
      const cols = method === 'column' ? a.positional.slice(0, 1) : a.positional;
      if (!type || cols.some((c) => textOf(c) === null))
        return [r.notAnalyzed(stmt, 'a column whose name or type is computed at run time')];
      const out: Step[] = [];
      for (const c of cols) {
        const column = columnDef(r, textOf(c) as string, type, o);
        def.columns.push(column);
        const index = o.get('index');
        if (isTrue(index))
          out.push(...after(indexOp(r, stmt, tableName, [column.name], new Map(index?.kind === 'hash' ? index.entries : []))));
      }
      return out;
    }
    if (method === 'references' || method === 'belongs_to') {
      const out: Step[] = [];
      for (const refValue of a.positional) {
        const ref = textOf(refValue);
        if (!ref) {
          out.push(r.notAnalyzed(stmt, 'a reference whose name is computed at run time'));
          continue;
        }
        const made = reference(r, stmt, tableName, ref, o);
        def.columns.push(...made.columns);
        if (made.index) out.push(...after(made.index));
        if (made.fk) out.push(...after(made.fk));
      }
      return out;
    }
    if (method === 'timestamps') {
      def.columns.push(...timestamps(r, o));
      return [];
    }
    if (method === 'index') {
      const cols = names(a.positional[0]);
      return cols ? after(indexOp(r, stmt, tableName, cols, o)) : [r.notAnalyzed(stmt, 'index columns computed at run time')];
    }
    if (method === 'check_constraint') {
      const expression = textOf(a.positional[0]);
      if (!expression) return [r.notAnalyzed(stmt, 'a check expression computed at run time')];
      def.constraints.push(checkConstraint(tableName, expression, o));
      return [];
    }
    if (method === 'foreign_key') {
      const to = textOf(a.positional[0]);
      return to ? after(foreignKey(r, stmt, tableName, to, o)) : [r.notAnalyzed(stmt, 'a target table computed at run time')];
    }
    if (method === 'primary_key') {
      const name = textOf(a.positional[0]);
      const type = textOf(a.positional[1]) ?? 'primary_key';
      if (!name) return [r.notAnalyzed(stmt, 'a primary key named at run time')];
      const pkType = type === 'primary_key' ? (writtenFor(r, 5.0) ? 'integer' : 'bigint') : type;
      def.columns.push({ ...columnDef(r, name, pkType, o), primaryKey: true, nullable: false });
      return [];
    }
    return [r.notAnalyzed(stmt, `\`${param}.${method}\` in a table definition is not followed`)];
  });
  def.after.push(...steps.flatMap((s) => s.up));
  return def;
}

export function checkConstraint(tableName: string, expression: string, o: Map<string, RubyValue>): ConstraintDef {
  return constraintDef('check', [], {
    name: textOf(o.get('name')) ?? checkConstraintName(tableName, expression),
    notValid: o.get('validate')?.kind === 'bool' && !isTrue(o.get('validate')),
    expression,
  });
}

export function createTable(r: RailsReader, node: SyntaxNode, tableName: string, args: Args): Operation[] {
  const o = args.options;
  const ops: Operation[] = [];
  const force = o.get('force');
  if (isTrue(force)) {
    ops.push({ kind: 'DropTable', ...r.at(node), table: table(tableName), ifExists: true, cascade: textOf(force) === 'cascade' });
  }
  const def = tableDefinition(r, tableName, args.block, args.blockParam);
  const id = o.get('id');
  const columns: ColumnDef[] = [];
  if (!(id?.kind === 'bool' && !id.value)) {
    // Since Rails 5.1 the id is bigserial; Migration[5.0] and older keep serial.
    const pk = primaryKeyType(textOf(id) ?? (writtenFor(r, 5.0) ? 'integer' : 'bigint'), r.dialect);
    const pkName = textOf(o.get('primary_key')) ?? 'id';
    columns.push({
      name: pkName,
      type: pk.type,
      nullable: false,
      default: pk.default,
      primaryKey: true,
      unique: false,
      generated: false,
      identity: false,
      references: null,
    });
  }
  columns.push(...def.columns);
  ops.push({
    kind: 'CreateTable',
    ...r.at(node),
    table: table(tableName),
    columns,
    constraints: def.constraints,
    ifNotExists: isTrue(o.get('if_not_exists')),
    derived: o.has('as'),
  });
  ops.push(...def.after);
  return ops;
}

export function dropTable(r: RailsReader, node: SyntaxNode, tableName: string, o: Map<string, RubyValue>): Operation {
  return {
    kind: 'DropTable',
    ...r.at(node),
    table: table(tableName),
    ifExists: isTrue(o.get('if_exists')),
    cascade: textOf(o.get('force')) === 'cascade',
  };
}

export function addColumns(
  r: RailsReader,
  node: SyntaxNode,
  tableName: string,
  columns: ColumnDef[],
  o: Map<string, RubyValue>,
): Operation[] {
  return columns.map((column) => ({
    kind: 'AddColumn',
    ...r.at(node),
    table: table(tableName),
    column,
    ifNotExists: isTrue(o.get('if_not_exists')),
  }));
}

export function dropColumns(
  r: RailsReader,
  node: SyntaxNode,
  tableName: string,
  columns: string[],
  o: Map<string, RubyValue>,
): Operation[] {
  return columns.map((column) => ({
    kind: 'DropColumn',
    ...r.at(node),
    table: table(tableName),
    column,
    ifExists: isTrue(o.get('if_exists')),
    cascade: false,
  }));
}

/** Reads a block whose commands revert together (transaction, safety_assured, change_table). */
export function nested(steps: Step[]): Step {
  const up = steps.flatMap((s) => s.up);
  const irreversible = steps.find((s) => !Array.isArray(s.inverse))?.inverse;
  const inverse =
    irreversible && !Array.isArray(irreversible) ? irreversible : [...steps].reverse().flatMap((s) => s.inverse as Operation[]);
  return { up, inverse };
}

export const oneTable =
  (fn: (r: RailsReader, node: SyntaxNode, tableName: string, a: Args) => Step[]): Handler =>
  (r, node, a) => {
    const t = needNames(r, node, [a.positional[0]], 'table name');
    return Array.isArray(t) ? fn(r, node, t[0] as string, a) : [t];
  };

export function raw(r: RailsReader, node: SyntaxNode, statement: string): Operation {
  return { kind: 'Raw', ...r.at(node), statement, notAnalyzed: null };
}
