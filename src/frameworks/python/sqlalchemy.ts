// SQLAlchemy column types, columns and defaults, as written in Alembic migrations, mapped to the IR.
import type { ColumnDef, DefaultValue, TypeRef } from '../../ir.js';
import { defaultFromText } from '../../sql/postgresql.js';
import { argument, callArgs, callName, dottedName, lastName, type SyntaxNode } from './ast.js';
import { literal, stringValue } from './values.js';

/** SQLAlchemy type class (generic or dialect-specific, any case) → PostgreSQL canonical name. */
const TYPE_NAMES: Record<string, string> = {
  string: 'varchar',
  varchar: 'varchar',
  unicode: 'varchar',
  nvarchar: 'varchar',
  text: 'text',
  unicodetext: 'text',
  citext: 'citext',
  char: 'bpchar',
  nchar: 'bpchar',
  integer: 'int4',
  int: 'int4',
  biginteger: 'int8',
  bigint: 'int8',
  smallinteger: 'int2',
  smallint: 'int2',
  numeric: 'numeric',
  decimal: 'numeric',
  float: 'float8',
  double: 'float8',
  double_precision: 'float8',
  real: 'float4',
  boolean: 'bool',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  date: 'date',
  time: 'time',
  interval: 'interval',
  largebinary: 'bytea',
  binary: 'bytea',
  bytea: 'bytea',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  tsvector: 'tsvector',
  money: 'money',
  hstore: 'hstore',
};

export interface SqlalchemyType {
  type: TypeRef;
  /** sa.Enum / postgresql.ENUM: the enum type a create_table creates with the table. */
  enum: { name: string; values: string[]; createType: boolean } | null;
}

/** `sa.String(50)`, `sa.Integer`, `postgresql.ARRAY(sa.Text())`, `sa.Enum('a', 'b', name='mood')`… */
export function sqlalchemyType(node: SyntaxNode): SqlalchemyType | null {
  const isCall = node.type === 'call';
  const written = isCall ? callName(node) : dottedName(node);
  const cls = lastName(written);
  if (!cls) return null;
  const args = isCall ? callArgs(node) : null;
  const lower = cls.toLowerCase();
  if (lower === 'array' && args) {
    const item = args.positional[0] ?? args.keywords.get('item_type');
    const inner = item ? sqlalchemyType(item) : null;
    if (!inner) return null;
    return { type: { ...inner.type, arrayDims: inner.type.arrayDims + 1, text: `${inner.type.text}[]` }, enum: inner.enum };
  }
  if (lower === 'enum') {
    const values = (args?.positional ?? []).map((n) => stringValue(n)).filter((v): v is string => v !== null);
    const firstClass = args?.positional[0] && stringValue(args.positional[0]) === null ? dottedName(args.positional[0]) : null;
    const name = stringValue(args?.keywords.get('name')) ?? lastName(firstClass)?.toLowerCase() ?? 'enum';
    const createType = literal(args?.keywords.get('create_type')) !== false;
    return { type: { name, args: [], arrayDims: 0, text: name }, enum: { name, values, createType } };
  }
  let name = TYPE_NAMES[lower] ?? lower;
  const timezone = literal(args?.keywords.get('timezone')) === true;
  if (timezone && name === 'timestamp') name = 'timestamptz';
  if (timezone && name === 'time') name = 'timetz';
  const typmods: number[] = [];
  if (args && ['varchar', 'bpchar', 'numeric'].includes(name)) {
    const first = literal(argument(args, 0, name === 'numeric' ? 'precision' : 'length'));
    const second = name === 'numeric' ? literal(argument(args, 1, 'scale')) : undefined;
    if (typeof first === 'number') typmods.push(first);
    if (typeof first === 'number' && typeof second === 'number') typmods.push(second);
  }
  const text = `${name}${typmods.length ? `(${typmods.join(',')})` : ''}`;
  return { type: { name, args: typmods, arrayDims: 0, text }, enum: null };
}

/** server_default: a string is a quoted literal, sa.text()/sa.func.*()/sa.true() are SQL. */
export function serverDefault(node: SyntaxNode | undefined): DefaultValue | null | undefined {
  if (!node) return undefined;
  if (node.type === 'none') return null;
  const s = stringValue(node);
  if (s !== null) return { text: `'${s.replaceAll("'", "''")}'`, volatile: false };
  const name = callName(node);
  if (name) {
    const last = lastName(name) ?? '';
    const args = callArgs(node);
    if (['text', 'literal_column'].includes(last)) {
      const sql = stringValue(args.positional[0]);
      return sql === null ? { text: node.text, volatile: false } : defaultFromText(sql);
    }
    if (last === 'true' || last === 'false') return { text: last, volatile: false };
    if (name.includes('func.')) return defaultFromText(`${name.slice(name.indexOf('func.') + 5)}()`);
  }
  return { text: node.text, volatile: false };
}

export interface ParsedColumn {
  column: ColumnDef;
  enum: SqlalchemyType['enum'];
  /** Column(index=True): create_table builds `ix_<table>_<column>`. */
  index: boolean;
}

/** `sa.Column('name', sa.String(50), sa.ForeignKey('users.id'), nullable=False, ...)`; null when not a Column call. */
export function sqlalchemyColumn(call: SyntaxNode): ParsedColumn | null {
  if (lastName(callName(call)) !== 'Column') return null;
  const args = callArgs(call);
  const name = stringValue(args.positional[0]) ?? stringValue(args.keywords.get('name'));
  if (!name) return null;
  const typeNode = args.keywords.get('type_') ?? args.positional.slice(1).find((n) => !isColumnArgument(n));
  const parsed = typeNode ? sqlalchemyType(typeNode) : null;
  const primaryKey = literal(args.keywords.get('primary_key')) === true;
  const nullableArg = literal(args.keywords.get('nullable'));
  const fk = args.positional.slice(1).find((n) => lastName(callName(n)) === 'ForeignKey');
  const target = fk ? stringValue(callArgs(fk).positional[0]) : null;
  const identity = args.positional.slice(1).some((n) => lastName(callName(n)) === 'Identity');
  return {
    column: {
      name,
      type: parsed?.type ?? { name: 'unknown', args: [], arrayDims: 0, text: typeNode?.text ?? 'unknown' },
      nullable: typeof nullableArg === 'boolean' ? nullableArg : !primaryKey,
      default: serverDefault(args.keywords.get('server_default')) ?? null,
      primaryKey,
      unique: literal(args.keywords.get('unique')) === true,
      generated: args.positional.slice(1).some((n) => lastName(callName(n)) === 'Computed'),
      identity,
      references: target ? foreignKeyTarget(target) : null,
    },
    enum: parsed?.enum ?? null,
    index: literal(args.keywords.get('index')) === true,
  };
}

function isColumnArgument(n: SyntaxNode): boolean {
  return ['ForeignKey', 'Identity', 'Computed', 'Sequence', 'CheckConstraint'].includes(lastName(callName(n)) ?? '');
}

/** 'users.id' or 'auth.users.id' → table and column. */
export function foreignKeyTarget(spec: string): ColumnDef['references'] {
  const parts = spec.split('.');
  const column = parts.pop() ?? 'id';
  const name = parts.pop() ?? spec;
  const schema = parts.pop();
  return { table: schema ? { schema, name } : { name }, columns: [column] };
}
