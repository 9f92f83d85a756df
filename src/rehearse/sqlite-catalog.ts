// The schema of an SQLite database as sqlite_schema and its pragmas say it is (table_xinfo,
// foreign_key_list, index_list, index_xinfo), in the shape catalog.ts gives PostgreSQL's (tables
// under `public`), and the synthetic rows in SQLite's SQL (native-rows.ts). A CHECK constraint lives
// only in the CREATE TABLE text, which a rebuilt table never repeats byte for byte: checks are not
// compared, everything the pragmas say is; the values a CHECK lists are read from that text for the rows.
import type { CreateTable } from '../ir.js';
import type { ColumnSnapshot, ForeignKeySnapshot, NamedDefinition, SchemaSnapshot, TableSnapshot } from './catalog.js';
import type { Engine, NativeCatalog } from './engine.js';
import { sqliteCheckAllowedValues } from './native-check-values.js';
import { type NativeDialect, nativeCatalog } from './native-rows.js';
import { sqliteAffinity, sqliteCategory, sqliteValue } from './native-values.js';

const SCHEMA = 'public';
type Row = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function quoteSqliteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function snapshotSchema(engine: Engine): Promise<SchemaSnapshot> {
  const objects = await engine.query<Row>(
    `SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name`,
  );
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const qualified = (...parts: string[]) => [SCHEMA, ...parts].join('.');
  const tables: TableSnapshot[] = [];
  const indexes: NamedDefinition[] = [];
  const constraints: NamedDefinition[] = [];
  for (const o of objects.filter((x) => x.type === 'table')) {
    const name = str(o.name);
    const columns = await engine.query<Row>('SELECT * FROM pragma_table_xinfo(?) ORDER BY cid', [name]);
    const fks = await engine.query<Row>('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq', [name]);
    const sql = str(o.sql).toUpperCase();
    const pk = columns.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
    const listed = sqliteCheckAllowedValues(str(o.sql));
    const rowidAlias = pk.length === 1 && str(pk[0]?.type).toUpperCase() === 'INTEGER' && !sql.includes('WITHOUT ROWID');
    const snapshotColumns: ColumnSnapshot[] = columns.map((c) => {
      const type = str(c.type);
      const hidden = Number(c.hidden);
      return {
        name: str(c.name),
        type,
        // A primary key column of a rowid table may hold NULL unless declared NOT NULL; SQLite says so.
        notNull: Number(c.notnull) === 1,
        default: c.dflt_value === null || c.dflt_value === undefined ? null : str(c.dflt_value),
        // INTEGER PRIMARY KEY is the rowid: SQLite numbers the rows itself.
        identity: rowidAlias && Number(c.pk) === 1 ? 'd' : '',
        generated: hidden === 2 ? 'v' : hidden === 3 ? 's' : '',
        // A CHECK listing the column's values makes them its labels.
        gen: { base: type, category: sqliteCategory(type), labels: listed.get(str(c.name)) ?? null, element: null, elementCategory: null },
      };
    });
    const foreignKeys = new Map<number, ForeignKeySnapshot & { rules: string }>();
    for (const f of fks) {
      const id = Number(f.id);
      const entry = foreignKeys.get(id) ?? {
        columns: [],
        refTable: `${SCHEMA}.${str(f.table)}`,
        refColumns: [],
        rules: `ON UPDATE ${str(f.on_update)} ON DELETE ${str(f.on_delete)}`,
      };
      entry.columns.push(str(f.from));
      // `to` is NULL when the reference names the parent's primary key implicitly.
      if (f.to !== null && f.to !== undefined) entry.refColumns.push(str(f.to));
      foreignKeys.set(id, entry);
    }
    for (const f of foreignKeys.values()) {
      constraints.push({
        name: qualified(name, `fk(${f.columns.join(',')})`),
        definition: `FOREIGN KEY (${f.columns.join(', ')}) REFERENCES ${f.refTable.slice(SCHEMA.length + 1)}(${f.refColumns.join(', ')}) ${f.rules}`,
      });
    }
    if (pk.length)
      constraints.push({ name: qualified(name, 'primary key'), definition: `PRIMARY KEY (${pk.map((c) => str(c.name)).join(', ')})` });
    tables.push({
      schema: SCHEMA,
      name,
      kind: sql.includes('WITHOUT ROWID') ? 'without rowid' : sql.includes('STRICT') ? 'table strict' : 'table',
      partition: false,
      columns: snapshotColumns,
      primaryKey: pk.length ? pk.map((c) => str(c.name)) : null,
      foreignKeys: [...foreignKeys.values()].map(({ rules: _, ...f }) => f),
    });
    for (const i of await engine.query<Row>('SELECT * FROM pragma_index_list(?)', [name])) {
      const parts = await engine.query<Row>('SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [str(i.name)]);
      const cols = parts.map((p) => `${p.name === null ? '<expression>' : str(p.name)}${Number(p.desc) ? ' DESC' : ''}`).join(', ');
      // Indexes SQLite makes for UNIQUE and PRIMARY KEY are named by position: name them by table and columns.
      const origin = str(i.origin);
      const indexName = origin === 'c' ? str(i.name) : `${name}.${origin === 'pk' ? 'primary key' : 'unique'}(${cols})`;
      indexes.push({
        name: qualified(indexName),
        definition: `${Number(i.unique) ? 'UNIQUE ' : ''}ON ${name} (${cols})${Number(i.partial) ? ' partial' : ''}`,
      });
    }
  }
  const named = (type: string) =>
    objects
      .filter((o) => o.type === type)
      .map((o) => ({ name: qualified(type === 'trigger' ? `${str(o.tbl_name)}.${str(o.name)}` : str(o.name)), definition: str(o.sql) }))
      .sort(byName);
  return {
    schemas: [SCHEMA],
    extensions: [],
    tables: tables.sort(byName),
    indexes: indexes.sort(byName),
    constraints: constraints.sort(byName),
    sequences: [],
    enums: [],
    views: named('view'),
    triggers: named('trigger'),
    functions: [],
  };
}

const SQLITE: Omit<NativeDialect, 'emptyTables'> = {
  quoteIdent: quoteSqliteIdent,
  value: sqliteValue,
  textOf(column) {
    const q = quoteSqliteIdent(column.name);
    return `CASE typeof(${q}) WHEN 'blob' THEN hex(${q}) ELSE CAST(${q} AS TEXT) END`;
  },
  stringLimit(t) {
    if (sqliteAffinity(t.base) !== 'TEXT') return null;
    const open = t.base.indexOf('(');
    return open < 0 ? null : Number.parseInt(t.base.slice(open + 1), 10) || null;
  },
  // One INTEGER storage class of 8 bytes whatever the declared type: no integer type is wider than another.
  intMax: () => null,
  defaultKeyword: false,
  insertDefaults: (table) => `INSERT INTO ${table} DEFAULT VALUES`,
};

export function sqliteStandIn(table: CreateTable): string {
  const q = quoteSqliteIdent;
  const columns = table.columns.map((c) => `${q(c.name)} ${c.type.text} NOT NULL${c.primaryKey ? ' PRIMARY KEY' : ''}`);
  const unique = table.constraints.filter((k) => k.type === 'unique').map((k) => `UNIQUE (${k.columns.map(q).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${q(table.table.name)} (${[...columns, ...unique].join(', ')})`;
}

export function sqliteCatalog(engine: Engine): NativeCatalog {
  return nativeCatalog(
    engine,
    {
      ...SQLITE,
      async emptyTables(tables) {
        if (!tables.length) return;
        // Children are in the set: with the checks off for the moment, each table empties on its own.
        await engine.exec('PRAGMA foreign_keys = OFF');
        try {
          for (const t of tables) await engine.exec(`DELETE FROM ${quoteSqliteIdent(t.name)}`);
        } finally {
          await engine.exec('PRAGMA foreign_keys = ON');
        }
      },
    },
    () => snapshotSchema(engine),
    sqliteStandIn,
  );
}
