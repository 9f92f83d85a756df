// The schema as the catalog says it is: what a down must give back exactly. One query, one round trip.
import { loadPostgresParser } from '../sql/postgresql.js';
import { checkAllowedValues } from './check-values.js';
import type { Engine } from './engine.js';

export interface ColumnSnapshot {
  name: string;
  /** format_type(): `character varying(255)`, `integer`, `mood`… */
  type: string;
  notNull: boolean;
  default: string | null;
  /** '' | 'a' (ALWAYS) | 'd' (BY DEFAULT). */
  identity: string;
  /** '' | 's' (STORED) | 'v' (VIRTUAL). */
  generated: string;
  /** For synthetic values: the type once domains are unwrapped. */
  gen: ValueType;
}

/** What synthetic data needs to know about a column's type. */
export interface ValueType {
  /** format_type of the base type (domains unwrapped), with the column's modifier. */
  base: string;
  /** pg_type.typcategory: N numeric, S string, B boolean, D date/time, E enum, A array, U user… */
  category: string;
  /** Enum labels in order, for enums and arrays of enums; else the values the column's CHECK lists, if it lists them. */
  labels: string[] | null;
  /** Element type of an array (format_type), null otherwise. */
  element: string | null;
  elementCategory: string | null;
  /** The CHECK constraints on this column alone (pg_get_constraintdef); read into `labels` by snapshotSchema. */
  checks?: string[] | null;
}

export interface ForeignKeySnapshot {
  columns: string[];
  /** `schema.table` of the referenced table. */
  refTable: string;
  refColumns: string[];
}

export interface TableSnapshot {
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned table. */
  kind: string;
  partition: boolean;
  columns: ColumnSnapshot[];
  primaryKey: string[] | null;
  foreignKeys: ForeignKeySnapshot[];
}

export interface NamedDefinition {
  /** Qualified name (`public.users_email_idx`, `public.users.users_pkey` for constraints). */
  name: string;
  definition: string;
}

export interface SchemaSnapshot {
  schemas: string[];
  extensions: NamedDefinition[];
  tables: TableSnapshot[];
  indexes: NamedDefinition[];
  constraints: NamedDefinition[];
  sequences: NamedDefinition[];
  enums: Array<{ name: string; labels: string[] }>;
  views: NamedDefinition[];
  triggers: NamedDefinition[];
  functions: NamedDefinition[];
}

// NOT NULL constraints (contype 'n', PostgreSQL 18+) are left out: nullability is compared per column,
// and a server without them must report the same schema.
const SNAPSHOT_SQL = `
WITH ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
), rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relispartition, ns.nspname FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
), labels AS (
  SELECT enumtypid, json_agg(enumlabel ORDER BY enumsortorder) AS labels FROM pg_enum GROUP BY enumtypid
), col AS (
  SELECT a.attrelid, json_agg(json_build_object(
      'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull,
      'default', pg_get_expr(d.adbin, d.adrelid), 'identity', a.attidentity::text, 'generated', a.attgenerated::text,
      'gen', json_build_object(
        'base', format_type(bt.oid, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END),
        'category', bt.typcategory,
        'labels', l.labels,
        'element', CASE WHEN bt.typcategory = 'A' THEN format_type(bt.typelem, NULL) END,
        'elementCategory', et.typcategory,
        'checks', (SELECT json_agg(pg_get_constraintdef(k.oid)) FROM pg_constraint k
          WHERE k.conrelid = a.attrelid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]))
    ) ORDER BY a.attnum) AS columns
  FROM pg_attribute a
  JOIN rel ON rel.oid = a.attrelid AND rel.relkind IN ('r', 'p')
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
  LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
  LEFT JOIN labels l ON l.enumtypid = CASE WHEN bt.typcategory = 'A' THEN bt.typelem ELSE bt.oid END
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
  GROUP BY a.attrelid
), keycols AS (
  SELECT k.oid, k.conrelid, k.contype, k.confrelid,
    (SELECT json_agg(a.attname ORDER BY x.i) FROM unnest(k.conkey) WITH ORDINALITY AS x(attnum, i)
       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum) AS columns,
    (SELECT json_agg(a.attname ORDER BY x.i) FROM unnest(k.confkey) WITH ORDINALITY AS x(attnum, i)
       JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum) AS ref_columns
  FROM pg_constraint k JOIN rel ON rel.oid = k.conrelid WHERE k.contype IN ('p', 'f')
), fks AS (
  SELECT f.conrelid, json_agg(json_build_object('columns', f.columns, 'refTable', r.nspname || '.' || r.relname,
    'refColumns', f.ref_columns) ORDER BY f.oid) AS foreign_keys
  FROM keycols f JOIN rel r ON r.oid = f.confrelid WHERE f.contype = 'f' GROUP BY f.conrelid
)
SELECT json_build_object(
  'schemas', (SELECT coalesce(json_agg(nspname ORDER BY nspname), '[]') FROM ns),
  'extensions', (SELECT coalesce(json_agg(json_build_object('name', extname, 'definition', extversion) ORDER BY extname), '[]')
    FROM pg_extension WHERE extname <> 'plpgsql'),
  'tables', (SELECT coalesce(json_agg(json_build_object(
      'schema', rel.nspname, 'name', rel.relname, 'kind', rel.relkind, 'partition', rel.relispartition,
      'columns', coalesce(col.columns, '[]'), 'primaryKey', pk.columns, 'foreignKeys', coalesce(fks.foreign_keys, '[]')
    ) ORDER BY rel.nspname, rel.relname), '[]')
    FROM rel
    LEFT JOIN col ON col.attrelid = rel.oid
    LEFT JOIN keycols pk ON pk.conrelid = rel.oid AND pk.contype = 'p'
    LEFT JOIN fks ON fks.conrelid = rel.oid
    WHERE rel.relkind IN ('r', 'p')),
  'indexes', (SELECT coalesce(json_agg(json_build_object('name', rel.nspname || '.' || rel.relname,
      'definition', pg_get_indexdef(rel.oid)) ORDER BY rel.nspname, rel.relname), '[]') FROM rel WHERE rel.relkind IN ('i', 'I')),
  'constraints', (SELECT coalesce(json_agg(json_build_object('name', rel.nspname || '.' || rel.relname || '.' || k.conname,
      'definition', pg_get_constraintdef(k.oid) || CASE WHEN k.condeferrable THEN ' DEFERRABLE' ELSE '' END)
      ORDER BY rel.nspname, rel.relname, k.conname), '[]')
    FROM pg_constraint k JOIN rel ON rel.oid = k.conrelid WHERE k.contype <> 'n'),
  'sequences', (SELECT coalesce(json_agg(json_build_object('name', rel.nspname || '.' || rel.relname,
      'definition', format_type(s.seqtypid, NULL) || ' start ' || s.seqstart || ' increment ' || s.seqincrement
        || ' min ' || s.seqmin || ' max ' || s.seqmax || ' cache ' || s.seqcache || CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END
        || coalesce((SELECT ' owned by ' || d.refobjid::regclass::text || '.' || a.attname FROM pg_depend d
             JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.objid = rel.oid AND d.refclassid = 'pg_class'::regclass
               AND d.deptype IN ('a', 'i') LIMIT 1), ''))
      ORDER BY rel.nspname, rel.relname), '[]')
    FROM pg_sequence s JOIN rel ON rel.oid = s.seqrelid),
  'enums', (SELECT coalesce(json_agg(json_build_object('name', ns.nspname || '.' || t.typname,
      'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
      ORDER BY ns.nspname, t.typname), '[]')
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace WHERE t.typtype = 'e'),
  'views', (SELECT coalesce(json_agg(json_build_object('name', rel.nspname || '.' || rel.relname,
      'definition', CASE rel.relkind WHEN 'm' THEN 'materialized: ' ELSE '' END || pg_get_viewdef(rel.oid))
      ORDER BY rel.nspname, rel.relname), '[]') FROM rel WHERE rel.relkind IN ('v', 'm')),
  'triggers', (SELECT coalesce(json_agg(json_build_object('name', rel.nspname || '.' || rel.relname || '.' || g.tgname,
      'definition', pg_get_triggerdef(g.oid)) ORDER BY rel.nspname, rel.relname, g.tgname), '[]')
    FROM pg_trigger g JOIN rel ON rel.oid = g.tgrelid WHERE NOT g.tgisinternal),
  'functions', (SELECT coalesce(json_agg(json_build_object(
      'name', ns.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
      'definition', md5(p.prosrc) || ' returns ' || pg_get_function_result(p.oid))
      ORDER BY ns.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), '[]')
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'))
) AS snapshot`;

export async function snapshotSchema(engine: Engine): Promise<SchemaSnapshot> {
  if (engine.native) return engine.native.snapshotSchema();
  const rows = await engine.query<{ snapshot: SchemaSnapshot | string }>(SNAPSHOT_SQL);
  const value = rows[0]?.snapshot;
  if (!value) throw new Error('the catalog query returned nothing');
  const snapshot = typeof value === 'string' ? (JSON.parse(value) as SchemaSnapshot) : value;
  await loadPostgresParser();
  for (const t of snapshot.tables) for (const c of t.columns) checkLabels(c);
  return snapshot;
}

/** A column whose CHECK lists its values takes them as an enum's labels (every list the column has, intersected). */
function checkLabels(c: ColumnSnapshot): void {
  const checks = c.gen.checks ?? [];
  delete c.gen.checks;
  if (c.gen.labels || c.gen.category === 'A') return;
  let labels: string[] | null = null;
  for (const definition of checks) {
    const values = checkAllowedValues(definition, c.name);
    if (values) labels = labels ? labels.filter((v) => values.includes(v)) : values;
  }
  if (labels?.length) c.gen.labels = labels;
}

export function tableKey(t: Pick<TableSnapshot, 'schema' | 'name'>): string {
  return `${t.schema}.${t.name}`;
}

/** `public.users` reads as `users`; other schemas stay qualified. */
export function displayName(qualified: string): string {
  return qualified.startsWith('public.') ? qualified.slice('public.'.length) : qualified;
}

/**
 * Tables a framework keeps its own rows in, which twoway neither fills nor empties: lemmy's
 * 2025-08-01-000017 puts a trigger on diesel's that refuses every write its own runner did not make.
 */
const BOOKKEEPING_TABLES = new Set(['__diesel_schema_migrations']);

/** Tables that hold their own rows: partitions are reached through their parent; frameworks' bookkeeping is theirs. */
export function fillableTables(schema: SchemaSnapshot): TableSnapshot[] {
  return schema.tables.filter((t) => !t.partition && !BOOKKEEPING_TABLES.has(t.name));
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteTable(t: Pick<TableSnapshot, 'schema' | 'name'>): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
