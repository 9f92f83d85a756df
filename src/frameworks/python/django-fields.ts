// Django model fields → PostgreSQL columns, as Django's schema editor creates them (django/db/backends/postgresql).
import { createHash } from 'node:crypto';
import type { DefaultValue, TypeRef } from '../../ir.js';
import { argument, callArgs, callName, dottedName, lastName, literal, type SyntaxNode, stringValue } from './ast.js';

export interface DjangoField {
  /** The model attribute. */
  name: string;
  /** Field class: CharField, ForeignKey… */
  kind: string;
  /** The database column: db_column, or the name (+ `_id` for relations). */
  column: string;
  type: TypeRef;
  null: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** An index of its own (ForeignKey and SlugField by default, db_index=True). */
  dbIndex: boolean;
  identity: boolean;
  /** Django's `default=`: applied by Django, in the database only while the column is being added. */
  default: DefaultValue | null;
  /** `db_default=`: a real database default. */
  dbDefault: DefaultValue | null;
  /** ForeignKey / OneToOneField / ManyToManyField target, as `app.model` (lower case). */
  relation: { to: string; column: string; constraint: boolean } | null;
  manyToMany: boolean;
  /** Positive*Field: a check constraint `col >= 0`. */
  positive: boolean;
}

const VARCHAR_LENGTHS: Record<string, number | null> = {
  CharField: null,
  SlugField: 50,
  EmailField: 254,
  URLField: 200,
  FileField: 100,
  ImageField: 100,
  FilePathField: 100,
  CICharField: null,
};

const SIMPLE_TYPES: Record<string, string> = {
  AutoField: 'int4',
  BigAutoField: 'int8',
  SmallAutoField: 'int2',
  TextField: 'text',
  IntegerField: 'int4',
  BigIntegerField: 'int8',
  SmallIntegerField: 'int2',
  PositiveIntegerField: 'int4',
  PositiveBigIntegerField: 'int8',
  PositiveSmallIntegerField: 'int2',
  BooleanField: 'bool',
  NullBooleanField: 'bool',
  DateField: 'date',
  DateTimeField: 'timestamptz',
  TimeField: 'time',
  DurationField: 'interval',
  FloatField: 'float8',
  BinaryField: 'bytea',
  UUIDField: 'uuid',
  JSONField: 'jsonb',
  GenericIPAddressField: 'inet',
  IPAddressField: 'inet',
  HStoreField: 'hstore',
  CITextField: 'citext',
  CIEmailField: 'citext',
  SearchVectorField: 'tsvector',
};

const RELATIONS = new Set(['ForeignKey', 'OneToOneField', 'ManyToManyField', 'ParentalKey']);

function typeRef(name: string, args: number[] = []): TypeRef {
  return { name, args, arrayDims: 0, text: `${name}${args.length ? `(${args.join(',')})` : ''}` };
}

/** The column type of a field call (ArrayField nests its base field). */
function fieldType(kind: string, call: SyntaxNode): TypeRef {
  const args = callArgs(call);
  if (kind in VARCHAR_LENGTHS) {
    const length = literal(args.keywords.get('max_length')) ?? VARCHAR_LENGTHS[kind];
    return kind === 'CICharField' ? typeRef('citext') : typeRef('varchar', typeof length === 'number' ? [length] : []);
  }
  if (kind === 'DecimalField') {
    const digits = literal(args.keywords.get('max_digits'));
    const places = literal(args.keywords.get('decimal_places'));
    return typeRef('numeric', typeof digits === 'number' && typeof places === 'number' ? [digits, places] : []);
  }
  if (kind === 'ArrayField') {
    const base = argument(args, 0, 'base_field');
    const inner = base?.type === 'call' ? fieldType(lastName(callName(base)) ?? '', base) : typeRef('unknown');
    return { ...inner, arrayDims: inner.arrayDims + 1, text: `${inner.text}[]` };
  }
  return typeRef(SIMPLE_TYPES[kind] ?? kind.replace(/Field$/, '').toLowerCase());
}

/** `to='billing.Customer'` / `'Customer'` / `settings.AUTH_USER_MODEL` → 'billing.customer'. */
function modelKey(to: SyntaxNode | undefined, app: string): string | null {
  if (!to) return null;
  const s = stringValue(to);
  if (s === null) return dottedName(to)?.endsWith('AUTH_USER_MODEL') ? 'auth.user' : null;
  const [a, m] = s.includes('.') ? s.split('.') : [app, s];
  return `${a}.${(m ?? '').toLowerCase()}`;
}

/** A Python value as the SQL literal Django would send for it; callables give a value fixed when the migration runs. */
function djangoDefault(node: SyntaxNode | undefined): DefaultValue | null {
  if (!node) return null;
  const v = literal(node);
  if (v === null) return null;
  if (typeof v === 'string') return { text: `'${v.replaceAll("'", "''")}'`, volatile: false };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), volatile: false };
  if (v !== undefined) return { text: `'${JSON.stringify(v).replaceAll("'", "''")}'`, volatile: false };
  return { text: `<value of ${node.text}() when the migration runs>`, volatile: false };
}

/** Django's `effective_default`: the value it writes into existing rows when it adds the column. */
function effectiveDefault(kind: string, keywords: Map<string, SyntaxNode>, nullable: boolean): DefaultValue | null {
  const written = keywords.get('default');
  if (written) return djangoDefault(written);
  const flag = (key: string) => literal(keywords.get(key)) === true;
  if (flag('auto_now') || flag('auto_now_add')) return { text: '<value of timezone.now() when the migration runs>', volatile: false };
  // blank=True on a string field that allows no NULL: Django fills existing rows with ''.
  const stringField = kind in VARCHAR_LENGTHS || kind === 'TextField';
  if (!nullable && flag('blank') && stringField) return { text: "''", volatile: false };
  return null;
}

/** Reads `models.CharField(max_length=50, null=True, ...)` for attribute `name`; null when it is not a field call. */
export function djangoField(name: string, call: SyntaxNode, app: string): DjangoField | null {
  if (call.type !== 'call') return null;
  const kind = lastName(callName(call));
  if (!kind) return null;
  const args = callArgs(call);
  const flag = (key: string, fallback: boolean): boolean => {
    const v = literal(args.keywords.get(key));
    return typeof v === 'boolean' ? v : fallback;
  };
  const isRelation = RELATIONS.has(kind);
  const manyToMany = kind === 'ManyToManyField';
  const to = isRelation ? modelKey(argument(args, 0, 'to'), app) : null;
  const primaryKey = flag('primary_key', kind.endsWith('AutoField')) || (kind === 'OneToOneField' && flag('parent_link', false));
  const dbColumn = stringValue(args.keywords.get('db_column'));
  const relationType = isRelation && !manyToMany ? typeRef('int8') : null;
  return {
    name,
    kind,
    column: dbColumn ?? (isRelation && !manyToMany ? `${name}_id` : name),
    // The referenced primary key's type is only known from the target model; BigAutoField is Django's default.
    type: relationType ?? fieldType(kind, call),
    null: flag('null', kind === 'NullBooleanField') && !primaryKey,
    primaryKey,
    unique: flag('unique', kind === 'OneToOneField') || primaryKey,
    dbIndex: flag('db_index', kind === 'ForeignKey' || kind === 'SlugField' || kind === 'ParentalKey'),
    identity: kind.endsWith('AutoField'),
    default: effectiveDefault(kind, args.keywords, flag('null', false)),
    dbDefault: args.keywords.has('db_default') ? djangoDefault(args.keywords.get('db_default')) : null,
    relation: to ? { to, column: stringValue(args.keywords.get('to_field')) ?? 'id', constraint: flag('db_constraint', true) } : null,
    manyToMany,
    positive: kind.startsWith('Positive'),
  };
}

/** Django's `_create_index_name`: table_columns_<md5 8>suffix, shortened to PostgreSQL's 63 characters. */
export function djangoIndexName(table: string, columns: string[], suffix: string): string {
  const max = 63;
  const hash = createHash('md5')
    .update([table, ...columns].join(''))
    .digest('hex')
    .slice(0, 8);
  let hashSuffix = `${hash}${suffix}`;
  const name = `${table}_${columns.join('_')}_${hashSuffix}`;
  if (name.length <= max) return name;
  if (hashSuffix.length > max / 3) hashSuffix = hashSuffix.slice(0, Math.floor(max / 3));
  const other = Math.floor((max - hashSuffix.length) / 2) - 1;
  const short = `${table.slice(0, other)}_${columns.join('_').slice(0, other)}_${hashSuffix}`;
  return short[0] === '_' || /\d/.test(short[0] ?? '') ? `D${short.slice(0, -1)}` : short;
}
