// Django model fields → PostgreSQL columns, as Django's schema editor creates them (django/db/backends/postgresql).
import { createHash } from 'node:crypto';
import type { DefaultValue, Dialect, TypeRef } from '../../ir.js';
import { argument, callArgs, callName, dottedName, lastName, type SyntaxNode } from './ast.js';
import { literal, type PyLiteral, qualifiedName, stringValue } from './values.js';

export interface DjangoField {
  /** The model attribute. */
  name: string;
  /** The built-in field class it acts as (CharField, ForeignKey…), or the class as written when twoway does not know it. */
  kind: string;
  /** The class is Django's own or one of a known package (judged by what it subclasses); false: its column is unknown. */
  known: boolean;
  /** Why the column is unknown, when it is. */
  unknownWhy: string | null;
  /** The field as Django's schema editor compares it (class path, arguments that reach the database). */
  signature: string;
  /** The arguments that decide the column's type (the signature without null, unique, indexes, defaults). */
  typeSignature: string;
  /** The database column: db_column, or the name (+ `_id` for relations). */
  column: string;
  type: TypeRef;
  null: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** An index of its own (ForeignKey and SlugField by default, db_index=True). */
  dbIndex: boolean;
  identity: boolean;
  /** Django's effective default: applied by Django, in the database only while the column is being added. */
  default: DefaultValue | null;
  /** `default=` is written (Django's has_default(); blank strings and auto_now fill rows without one). */
  hasDefault: boolean;
  /** `db_default=`: a real database default. */
  dbDefault: DefaultValue | null;
  /** ForeignKey / OneToOneField / ManyToManyField target, as `app.model` (lower case). */
  relation: { to: string; column: string; constraint: boolean } | null;
  manyToMany: boolean;
  /** ManyToManyField(through=...): the join table is that model's own; Django creates none. */
  through: string | null;
  /** ManyToManyField(db_table=...): the join table's name. */
  joinTable: string | null;
  /** Neither a column nor a table of its own (TaggableManager, GenericRelation): the relation lives in another model. */
  noColumn: boolean;
  /** Positive*Field: a check constraint `col >= 0`. */
  positive: boolean;
  /** GeneratedField: a column the database computes. */
  generated: boolean;
}

/** What a field is read against: its app (for `to='Model'`) and the project's AUTH_USER_MODEL. */
export interface FieldContext {
  app: string;
  /** `app.model`, lower case: settings.AUTH_USER_MODEL, or Django's default auth.user. */
  authUserModel: string;
  /** Literal values of the project's settings module (`max_length=settings.CURRENCY_LENGTH`). */
  settings?: ReadonlyMap<string, PyLiteral>;
  /** A field class of the project's own code (`myproject.core.fields.SanitizedJSONField`), judged by what it subclasses. */
  projectClass?: (path: string) => KnownField | null;
}

/** A literal, or a `settings.NAME` the project's settings module binds to one. */
function settingOrLiteral(node: SyntaxNode | undefined, ctx: FieldContext): PyLiteral | undefined {
  const v = literal(node);
  if (v !== undefined || !node) return v;
  const name = dottedName(node);
  return name && /(^|\.)settings\.\w+$/.test(name) ? ctx.settings?.get(name.split('.').at(-1) as string) : undefined;
}

const VARCHAR_LENGTHS: Record<string, number | null> = {
  CharField: null,
  SlugField: 50,
  EmailField: 254,
  URLField: 200,
  FileField: 100,
  ImageField: 100,
  FilePathField: 100,
  CommaSeparatedIntegerField: null,
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
  IntegerRangeField: 'int4range',
  BigIntegerRangeField: 'int8range',
  DecimalRangeField: 'numrange',
  FloatRangeField: 'numrange',
  DateRangeField: 'daterange',
  DateTimeRangeField: 'tstzrange',
  GeometryField: 'geometry',
  PointField: 'geometry',
  LineStringField: 'geometry',
  PolygonField: 'geometry',
  MultiPointField: 'geometry',
  MultiLineStringField: 'geometry',
  MultiPolygonField: 'geometry',
  GeometryCollectionField: 'geometry',
  RasterField: 'raster',
};

const RELATIONS = new Set(['ForeignKey', 'OneToOneField', 'ManyToManyField']);
/** Relations kept in another model (a through table or generic relation): no column here. */
const NO_COLUMN = new Set(['GenericRelation', 'TaggableManager', 'ForeignObject']);
const BUILT_IN = new Set([
  ...Object.keys(VARCHAR_LENGTHS),
  ...Object.keys(SIMPLE_TYPES),
  ...RELATIONS,
  'DecimalField',
  'ArrayField',
  'GeneratedField',
  'GenericRelation',
]);

/** Django's own modules that define fields. */
const DJANGO_MODULES =
  /^django\.(db\.models(\.fields(\.related|\.json|\.files|\.proxy)?)?|contrib\.postgres\.(fields(\.\w+)?|search)|contrib\.gis\.db\.models(\.fields)?|contrib\.contenttypes\.fields)$/;

/** A field class of a known package, judged by the built-in field it subclasses (and the defaults it gives). */
export interface KnownField {
  as: string;
  defaults?: Record<string, number>;
}

const PACKAGE_FIELDS: Record<string, KnownField> = {
  'timezone_field.fields.TimeZoneField': { as: 'CharField', defaults: { max_length: 63 } },
  'timezone_field.TimeZoneField': { as: 'CharField', defaults: { max_length: 63 } },
  'djmoney.models.fields.MoneyField': { as: 'DecimalField' },
  'djmoney.models.fields.CurrencyField': { as: 'CharField', defaults: { max_length: 3 } },
  'django_prices.models.MoneyField': { as: 'DecimalField' },
  'django_countries.fields.CountryField': { as: 'CharField', defaults: { max_length: 2 } },
  'phonenumber_field.modelfields.PhoneNumberField': { as: 'CharField', defaults: { max_length: 128 } },
  'jsonfield.fields.JSONField': { as: 'TextField' },
  'jsonfield.JSONField': { as: 'TextField' },
  'django_extensions.db.fields.json.JSONField': { as: 'TextField' },
  'django_extensions.db.fields.AutoSlugField': { as: 'SlugField' },
  'django_extensions.db.fields.CreationDateTimeField': { as: 'DateTimeField' },
  'django_extensions.db.fields.ModificationDateTimeField': { as: 'DateTimeField' },
  'django_extensions.db.fields.RandomCharField': { as: 'CharField' },
  'django_extensions.db.fields.ShortUUIDField': { as: 'CharField', defaults: { max_length: 22 } },
  'django_mysql.models.JSONField': { as: 'JSONField' },
  'django_measurement.models.MeasurementField': { as: 'FloatField' },
  'versatileimagefield.fields.VersatileImageField': { as: 'ImageField' },
  'versatileimagefield.fields.PPOIField': { as: 'CharField', defaults: { max_length: 20 } },
  'model_utils.fields.AutoCreatedField': { as: 'DateTimeField' },
  'model_utils.fields.AutoLastModifiedField': { as: 'DateTimeField' },
  'model_utils.fields.MonitorField': { as: 'DateTimeField' },
  'model_utils.fields.StatusField': { as: 'CharField', defaults: { max_length: 100 } },
  'model_utils.fields.UUIDField': { as: 'UUIDField' },
  'autoslug.fields.AutoSlugField': { as: 'SlugField' },
  'colorfield.fields.ColorField': { as: 'CharField', defaults: { max_length: 18 } },
  'ckeditor.fields.RichTextField': { as: 'TextField' },
  'ckeditor_uploader.fields.RichTextUploadingField': { as: 'TextField' },
  'tinymce.models.HTMLField': { as: 'TextField' },
  'markdownx.models.MarkdownxField': { as: 'TextField' },
  'easy_thumbnails.fields.ThumbnailerImageField': { as: 'ImageField' },
  'sorl.thumbnail.fields.ImageField': { as: 'ImageField' },
  'wagtail.fields.RichTextField': { as: 'TextField' },
  'wagtail.core.fields.RichTextField': { as: 'TextField' },
  'mptt.fields.TreeForeignKey': { as: 'ForeignKey' },
  'mptt.fields.TreeOneToOneField': { as: 'OneToOneField' },
  'mptt.fields.TreeManyToManyField': { as: 'ManyToManyField' },
  'modelcluster.fields.ParentalKey': { as: 'ForeignKey' },
  'modelcluster.fields.ParentalManyToManyField': { as: 'ManyToManyField' },
  'sortedm2m.fields.SortedManyToManyField': { as: 'ManyToManyField' },
  'taggit.managers.TaggableManager': { as: 'TaggableManager' },
  'modelcluster.contrib.taggit.ClusterTaggableManager': { as: 'TaggableManager' },
};

/** Field arguments that never reach the database (Django's Field.non_db_attrs), and `default`, which Django applies itself. */
const NON_DB_ATTRS = new Set([
  'blank',
  'choices',
  'db_column',
  'editable',
  'error_messages',
  'help_text',
  'limit_choices_to',
  'on_delete',
  'related_name',
  'related_query_name',
  'validators',
  'verbose_name',
  'default',
  'db_comment',
]);

function typeRef(name: string, args: number[] = []): TypeRef {
  return { name, args, arrayDims: 0, text: `${name}${args.length ? `(${args.join(',')})` : ''}` };
}

/** The built-in field a class path stands for, with the defaults its package gives; null when twoway does not know it. */
export function fieldClass(path: string | null): KnownField | null {
  if (!path) return null;
  const known = PACKAGE_FIELDS[path];
  if (known) return known;
  const dot = path.lastIndexOf('.');
  const module = dot > 0 ? path.slice(0, dot) : '';
  const cls = path.slice(dot + 1);
  if (DJANGO_MODULES.test(module) && BUILT_IN.has(cls)) return { as: cls };
  return null;
}

/** The column type of a field call (ArrayField nests its base field; GeneratedField takes its output_field's). */
function fieldType(kind: string, call: SyntaxNode, ctx: FieldContext, defaults: Record<string, number> = {}): TypeRef | null {
  const args = callArgs(call);
  const number = (key: string): number | undefined => {
    const v = settingOrLiteral(args.keywords.get(key), ctx);
    return typeof v === 'number' ? v : args.keywords.has(key) ? undefined : defaults[key];
  };
  if (kind in VARCHAR_LENGTHS) {
    if (kind === 'CICharField') return typeRef('citext');
    const length = args.keywords.has('max_length') ? number('max_length') : (defaults.max_length ?? VARCHAR_LENGTHS[kind]);
    if (args.keywords.has('max_length') && length === undefined) return null;
    return typeRef('varchar', typeof length === 'number' ? [length] : []);
  }
  if (kind === 'DecimalField') {
    const digits = number('max_digits');
    const places = number('decimal_places');
    if ((args.keywords.has('max_digits') && digits === undefined) || (args.keywords.has('decimal_places') && places === undefined))
      return null;
    return typeRef('numeric', typeof digits === 'number' && typeof places === 'number' ? [digits, places] : []);
  }
  if (kind === 'ArrayField' || kind === 'GeneratedField') {
    const base = kind === 'ArrayField' ? argument(args, 0, 'base_field') : args.keywords.get('output_field');
    const inner = base?.type === 'call' ? callType(base, ctx) : null;
    if (!inner) return null;
    return kind === 'GeneratedField' ? inner : { ...inner, arrayDims: inner.arrayDims + 1, text: `${inner.text}[]` };
  }
  const simple = SIMPLE_TYPES[kind];
  return simple ? typeRef(simple) : null;
}

/** The type of a nested field call (an ArrayField's base), when its class is known. */
function callType(call: SyntaxNode, ctx: FieldContext): TypeRef | null {
  const cls = fieldClass(qualifiedName(call.childForFieldName('function')));
  return cls ? fieldType(cls.as, call, ctx, cls.defaults) : null;
}

/** `to='billing.Customer'` / `'Customer'` / `settings.AUTH_USER_MODEL` → 'billing.customer'. */
function modelKey(to: SyntaxNode | undefined, ctx: FieldContext): string | null {
  if (!to) return null;
  const s = stringValue(to);
  if (s === null) return dottedName(to)?.endsWith('AUTH_USER_MODEL') ? ctx.authUserModel : null;
  const [a, m] = s.includes('.') ? s.split('.') : [ctx.app, s];
  return `${a}.${(m ?? '').toLowerCase()}`;
}

/** A Python value as the SQL literal Django would send for it; callables give a value fixed when the migration runs. */
function djangoDefault(node: SyntaxNode | undefined, ctx: FieldContext): DefaultValue | null {
  if (!node) return null;
  const v = settingOrLiteral(node, ctx);
  if (v === null) return null;
  if (typeof v === 'string') return { text: `'${v.replaceAll("'", "''")}'`, volatile: false };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), volatile: false };
  if (v !== undefined) return { text: `'${JSON.stringify(v).replaceAll("'", "''")}'`, volatile: false };
  // A callable (uuid.uuid4) is called once per migration run; an expression (os.environ.get(...)) is evaluated once.
  const call = node.type === 'call' ? node.text : `${node.text}()`;
  return { text: `<value of ${call} when the migration runs>`, volatile: false };
}

/** Django's `effective_default`: the value it writes into existing rows when it adds the column. */
function effectiveDefault(kind: string, keywords: Map<string, SyntaxNode>, nullable: boolean, ctx: FieldContext): DefaultValue | null {
  const written = keywords.get('default');
  if (written) return djangoDefault(written, ctx);
  const flag = (key: string) => literal(keywords.get(key)) === true;
  if (flag('auto_now') || flag('auto_now_add')) return { text: '<value of timezone.now() when the migration runs>', volatile: false };
  // blank=True on a string field that allows no NULL: Django fills existing rows with ''.
  const stringField = kind in VARCHAR_LENGTHS || kind === 'TextField';
  if (!nullable && flag('blank') && stringField) return { text: "''", volatile: false };
  return null;
}

/** Arguments that change the column but not its type. */
const NOT_TYPE_ATTRS = new Set(['null', 'unique', 'db_index', 'db_default', 'db_constraint', 'db_tablespace', 'primary_key']);

/** The field as Django's `_field_should_be_altered` compares two of them: class and database-relevant arguments. */
function signatureOf(path: string, call: SyntaxNode, to: string | null, skip: ReadonlySet<string> = new Set()): string {
  const args = callArgs(call);
  // A relation's target as Django deconstructs it: the lower-case `app.model` label, however it was written.
  const text = (n: SyntaxNode, key?: string) =>
    to && (key === 'to' || (key === undefined && n === args.positional[0])) ? `'${to}'` : n.text;
  const keywords = [...args.keywords]
    .filter(([k]) => !NON_DB_ATTRS.has(k) && !skip.has(k))
    .map(([k, v]) => `${k}=${text(v, k)}`)
    .sort();
  const positional = args.positional.map((n) => text(n));
  return `${path}(${[...positional, ...keywords].join(', ')})`;
}

/** Reads `models.CharField(max_length=50, null=True, ...)` for attribute `name`; null when it is not a field call. */
export function djangoField(name: string, call: SyntaxNode, ctx: FieldContext): DjangoField | null {
  if (call.type !== 'call') return null;
  const written = callName(call);
  if (!written) return null;
  const path = qualifiedName(call.childForFieldName('function')) ?? written;
  const cls = fieldClass(path) ?? ctx.projectClass?.(path) ?? null;
  const kind = cls?.as ?? (lastName(written) as string);
  const args = callArgs(call);
  const flag = (key: string, fallback: boolean): boolean => {
    const v = literal(args.keywords.get(key));
    return typeof v === 'boolean' ? v : fallback;
  };
  // A class twoway does not know gets no meaning from its name: it is neither a relation nor column-less.
  const isRelation = Boolean(cls) && RELATIONS.has(kind);
  const manyToMany = isRelation && kind === 'ManyToManyField';
  const noColumn = Boolean(cls) && NO_COLUMN.has(kind);
  const to = isRelation ? modelKey(argument(args, 0, 'to'), ctx) : null;
  const primaryKey = flag('primary_key', kind.endsWith('AutoField')) || (kind === 'OneToOneField' && flag('parent_link', false));
  const dbColumn = stringValue(args.keywords.get('db_column'));
  const column = isRelation && !manyToMany;
  const type = column ? typeRef('int8') : cls && !noColumn && !manyToMany ? fieldType(kind, call, ctx, cls.defaults) : null;
  const through = manyToMany ? args.keywords.get('through') : undefined;
  return {
    name,
    kind,
    known: Boolean(cls) && (type !== null || noColumn || manyToMany),
    unknownWhy: !cls
      ? `${path}, a field class twoway does not know`
      : type === null && !noColumn && !manyToMany
        ? `a ${kind} whose size is not a value twoway can read`
        : null,
    signature: signatureOf(path, call, to),
    typeSignature: signatureOf(path, call, to, NOT_TYPE_ATTRS),
    // A many-to-many field ignores db_column: it has no column.
    column: manyToMany || noColumn ? name : (dbColumn ?? (column ? `${name}_id` : name)),
    // The referenced primary key's type is only known from the target model; BigAutoField is Django's default.
    type: type ?? { name: 'unknown', args: [], arrayDims: 0, text: lastName(written) ?? written },
    null: flag('null', kind === 'NullBooleanField') && !primaryKey,
    primaryKey,
    unique: flag('unique', kind === 'OneToOneField') || primaryKey,
    dbIndex: flag('db_index', kind === 'ForeignKey' || kind === 'SlugField'),
    identity: kind.endsWith('AutoField'),
    default: effectiveDefault(kind, args.keywords, flag('null', false), ctx),
    hasDefault: args.keywords.has('default'),
    dbDefault: args.keywords.has('db_default') ? djangoDefault(args.keywords.get('db_default'), ctx) : null,
    relation: to ? { to, column: stringValue(args.keywords.get('to_field')) ?? 'id', constraint: flag('db_constraint', true) } : null,
    manyToMany,
    through: through ? (stringValue(through) ?? through.text) : null,
    joinTable: manyToMany ? stringValue(args.keywords.get('db_table')) : null,
    noColumn,
    positive: kind.startsWith('Positive'),
    generated: kind === 'GeneratedField',
  };
}

/** The longest name Django gives an object on each database (`connection.ops.max_name_length()`, 200 when it has none). */
export function maxNameLength(dialect: Dialect): number {
  return dialect === 'postgresql' ? 63 : dialect === 'mysql' ? 64 : 200;
}

const md5 = (...parts: string[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** Django's `_create_index_name`: table_columns_<md5 8>suffix, shortened to the database's longest name. */
export function djangoIndexName(table: string, columns: string[], suffix: string, max = 63): string {
  let hashSuffix = `${md5(table, ...columns).slice(0, 8)}${suffix}`;
  const name = `${table}_${columns.join('_')}_${hashSuffix}`;
  if (name.length <= max) return name;
  if (hashSuffix.length > max / 3) hashSuffix = hashSuffix.slice(0, Math.floor(max / 3));
  const other = Math.floor((max - hashSuffix.length) / 2) - 1;
  const short = `${table.slice(0, other)}_${columns.join('_').slice(0, other)}_${hashSuffix}`;
  return short[0] === '_' || /\d/.test(short[0] ?? '') ? `D${short.slice(0, -1)}` : short;
}

/** Django's `truncate_name`: a name longer than the database allows keeps its start and ends with 4 hex of its md5. */
export function truncateName(name: string, max = 63): string {
  return name.length <= max ? name : `${name.slice(0, max - 4)}${md5(name).slice(0, 4)}`;
}
