// ActiveRecord column types → database types, as each Rails connection adapter maps them.
import type { DefaultValue, Dialect, TypeRef } from '../../ir.js';

/** The options of a column definition that decide its type. */
export interface TypeOptions {
  limit?: number;
  precision?: number | null;
  scale?: number;
  array?: boolean;
  /** `t.enum :status, enum_type: :status` */
  enumType?: string;
  /** null for migrations before Rails 7.0, whose datetime has no default precision. */
  datetimePrecision?: null;
}

// PostgreSQLAdapter::NATIVE_DATABASE_TYPES (Rails 7), named as the SQL parser names them.
const POSTGRES: Record<string, string> = {
  primary_key: 'int8',
  string: 'varchar',
  text: 'text',
  integer: 'int4',
  bigint: 'int8',
  float: 'float8',
  decimal: 'numeric',
  numeric: 'numeric',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  date: 'date',
  binary: 'bytea',
  boolean: 'bool',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  xml: 'xml',
  hstore: 'hstore',
  citext: 'citext',
  ltree: 'ltree',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  money: 'money',
  interval: 'interval',
  point: 'point',
  line: 'line',
  lseg: 'lseg',
  box: 'box',
  path: 'path',
  polygon: 'polygon',
  circle: 'circle',
  bit: 'bit',
  bit_varying: 'varbit',
  tsvector: 'tsvector',
  oid: 'oid',
  daterange: 'daterange',
  numrange: 'numrange',
  tsrange: 'tsrange',
  tstzrange: 'tstzrange',
  int4range: 'int4range',
  int8range: 'int8range',
};

// Abstract MySQL adapter: string is varchar(255), integer int, datetime datetime(6).
const MYSQL: Record<string, string> = {
  ...POSTGRES,
  string: 'varchar',
  float: 'float',
  datetime: 'datetime',
  timestamp: 'timestamp',
  binary: 'blob',
  boolean: 'bool',
  json: 'json',
};

/** Types that take a precision (fractional seconds). Only `datetime` defaults to 6 (Rails 7 migrations; `precision: nil` removes it). */
const WITH_PRECISION = new Set(['datetime', 'timestamp', 'timestamptz', 'time', 'interval']);
/** PostgreSQL's interval field mask for "no fields given": the SQL parser names interval(p) [32767, p]. */
const INTERVAL_FULL_RANGE = 32767;

/** The database type of `t.<type>` / `add_column … :<type>`; unknown types pass through as written. */
export function railsType(type: string, options: TypeOptions, dialect: Dialect): TypeRef {
  if (type === 'enum' && options.enumType) return finish(options.enumType, [], options);
  const table = dialect === 'mysql' ? MYSQL : POSTGRES;
  let name = table[type] ?? type;
  let args: number[] = [];
  const limit = options.limit;
  if (type === 'integer' && limit !== undefined) name = limit <= 2 ? 'int2' : limit <= 4 ? 'int4' : 'int8';
  else if (type === 'string') args = limit !== undefined ? [limit] : dialect === 'mysql' ? [255] : [];
  else if (type === 'binary' && dialect !== 'mysql' && limit !== undefined) args = [];
  else if ((type === 'bit' || type === 'bit_varying') && limit !== undefined) args = [limit];
  else if (type === 'decimal' || type === 'numeric') {
    if (options.precision != null) args = options.scale !== undefined ? [options.precision, options.scale] : [options.precision];
  } else if (WITH_PRECISION.has(type)) {
    const precision =
      options.precision === undefined ? (type === 'datetime' && options.datetimePrecision !== null ? 6 : null) : options.precision;
    if (precision !== null && type === 'interval' && dialect === 'postgresql')
      return finish(name, [INTERVAL_FULL_RANGE, precision], options, `interval(${precision})`);
    if (precision !== null) args = [precision];
  }
  return finish(name, args, options);
}

function finish(name: string, args: number[], options: TypeOptions, written?: string): TypeRef {
  const arrayDims = options.array ? 1 : 0;
  return { name, args, arrayDims, text: `${written ?? `${name}${args.length ? `(${args.join(',')})` : ''}`}${'[]'.repeat(arrayDims)}` };
}

/** The id column `create_table` adds: `id: :uuid`, `id: :integer`, bigint by default (Rails 5.1+). */
export function primaryKeyType(id: string, dialect: Dialect): { type: TypeRef; default: DefaultValue | null } {
  switch (id) {
    case 'uuid':
      return { type: railsType('uuid', {}, dialect), default: { text: 'gen_random_uuid()', volatile: true } };
    case 'integer':
    case 'serial':
      return {
        type: { name: 'int4', args: [], arrayDims: 0, text: 'serial' },
        default: { text: 'nextval(<serial sequence>)', volatile: true },
      };
    case 'string':
      return { type: railsType('string', {}, dialect), default: null };
    default:
      return {
        type: { name: 'int8', args: [], arrayDims: 0, text: 'bigserial' },
        default: { text: 'nextval(<bigserial sequence>)', volatile: true },
      };
  }
}
