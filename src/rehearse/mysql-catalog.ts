// The schema of the scratch database as MySQL/MariaDB's information_schema says it is, in the shape
// catalog.ts gives PostgreSQL's (tables under the schema `public`, so names read as they do there),
// and the synthetic rows in MySQL's SQL (native-rows.ts).
import type { CreateTable } from '../ir.js';
import type { ColumnSnapshot, ForeignKeySnapshot, NamedDefinition, SchemaSnapshot, TableSnapshot, ValueType } from './catalog.js';
import type { Engine, NativeCatalog } from './engine.js';
import { mysqlCheckAllowedValues } from './native-check-values.js';
import { type NativeDialect, nativeCatalog } from './native-rows.js';
import { mysqlCategory, mysqlValue, parseMysqlType } from './native-values.js';

/** Every table of the scratch database sits in this schema of the snapshot, as PostgreSQL's in `public`. */
const SCHEMA = 'public';

type Row = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const nullable = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function quoteMysqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** `enum('a','b')` → ['a', 'b'] (a doubled quote stands for one). */
export function enumLabels(columnType: string): string[] | null {
  const lower = columnType.toLowerCase();
  if (!lower.startsWith('enum(') && !lower.startsWith('set(')) return null;
  const labels: string[] = [];
  let i = columnType.indexOf('(') + 1;
  while (i < columnType.length && columnType[i] === "'") {
    let j = i + 1;
    let label = '';
    while (j < columnType.length) {
      if (columnType[j] === "'" && columnType[j + 1] === "'") {
        label += "'";
        j += 2;
      } else if (columnType[j] === "'") break;
      else label += columnType[j++];
    }
    labels.push(label);
    i = j + 2;
  }
  return labels;
}

function checkLabels(clauses: readonly string[], column: string): string[] | null {
  let labels: string[] | null = null;
  for (const clause of clauses) {
    const values = mysqlCheckAllowedValues(clause, column);
    if (values) labels = labels ? labels.filter((v) => values.includes(v)) : values;
  }
  return labels?.length ? labels : null;
}

async function snapshotSchema(engine: Engine): Promise<SchemaSnapshot> {
  const rows = (sql: string) => engine.query<Row>(sql);
  const here = 'TABLE_SCHEMA = DATABASE()';
  const [tables, columns, statistics, constraints, keyColumns, referential, checks, views, triggers, routines] = [
    await rows(`SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION FROM information_schema.TABLES WHERE ${here}`),
    await rows(
      `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLLATION_NAME
       FROM information_schema.COLUMNS WHERE ${here} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    ),
    await rows(
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE, COLLATION
       FROM information_schema.STATISTICS WHERE ${here} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    ),
    await rows(
      `SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
    ),
    await rows(
      `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
       FROM information_schema.KEY_COLUMN_USAGE WHERE ${here} ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    ),
    await rows(
      `SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
    ),
    await rows(`SELECT * FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`),
    await rows(`SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE ${here}`),
    await rows(
      `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()`,
    ),
    await rows(
      `SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, MD5(ROUTINE_DEFINITION) AS body FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()`,
    ),
  ];
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const qualified = (...parts: string[]) => [SCHEMA, ...parts].join('.');

  // MariaDB's JSON is LONGTEXT with a CHECK (json_valid(`column`)) named after the column: values must be JSON.
  const jsonColumns = new Set(
    checks
      .filter((k) => str(k.CHECK_CLAUSE) === `json_valid(${quoteMysqlIdent(str(k.CONSTRAINT_NAME))})`)
      .map((k) => `${str(k.TABLE_NAME)}.${str(k.CONSTRAINT_NAME)}`),
  );
  const columnsOf = new Map<string, ColumnSnapshot[]>();
  for (const c of columns) {
    const json = jsonColumns.has(`${str(c.TABLE_NAME)}.${str(c.COLUMN_NAME)}`);
    const type = json ? 'json' : str(c.COLUMN_TYPE);
    const extra = str(c.EXTRA).toLowerCase();
    const generated = extra.includes('stored generated') || extra.includes('persistent') ? 's' : extra.includes('virtual') ? 'v' : '';
    const onUpdateAt = extra.indexOf('on update ');
    const onUpdate = onUpdateAt < 0 ? null : extra.slice(onUpdateAt);
    const collation = nullable(c.COLLATION_NAME);
    const gen: ValueType = { base: type, category: mysqlCategory(type), labels: enumLabels(type), element: null, elementCategory: null };
    const column: ColumnSnapshot = {
      name: str(c.COLUMN_NAME),
      type: json ? `json (${str(c.COLUMN_TYPE)})` : collation ? `${type} COLLATE ${collation}` : type,
      notNull: c.IS_NULLABLE === 'NO',
      // MariaDB says NULL for "no default" and 'NULL' for DEFAULT NULL: the same for a nullable column.
      default: generated
        ? null
        : (() => {
            const d = nullable(c.COLUMN_DEFAULT);
            const base = d === 'NULL' ? null : d;
            return onUpdate ? `${base ?? 'NULL'} ${onUpdate.toUpperCase()}` : base;
          })(),
      identity: extra.includes('auto_increment') ? 'd' : '',
      generated: generated ? `${generated} ${str(c.GENERATION_EXPRESSION)}` : '',
      gen,
    };
    const list = columnsOf.get(str(c.TABLE_NAME)) ?? [];
    list.push(column);
    columnsOf.set(str(c.TABLE_NAME), list);
  }

  // A column a CHECK restricts to a list of constants takes them as labels (every list it has, intersected).
  for (const [tableName, list] of columnsOf) {
    const clauses = checks.filter((k) => str(k.TABLE_NAME) === tableName).map((k) => str(k.CHECK_CLAUSE));
    for (const c of list) if (!c.gen.labels) c.gen.labels = checkLabels(clauses, c.name);
  }

  const keyColumnsOf = new Map<string, Row[]>();
  for (const k of keyColumns) {
    const key = `${str(k.TABLE_NAME)}.${str(k.CONSTRAINT_NAME)}`;
    keyColumnsOf.set(key, [...(keyColumnsOf.get(key) ?? []), k]);
  }
  const rules = new Map(referential.map((r) => [`${str(r.TABLE_NAME)}.${str(r.CONSTRAINT_NAME)}`, r]));

  const tableSnapshots: TableSnapshot[] = [];
  const sequences: NamedDefinition[] = [];
  const viewNames = new Set(views.map((v) => str(v.TABLE_NAME)));
  for (const t of tables) {
    const name = str(t.TABLE_NAME);
    if (t.TABLE_TYPE === 'SEQUENCE') {
      sequences.push({ name: qualified(name), definition: 'sequence' });
      continue;
    }
    if (viewNames.has(name) || t.TABLE_TYPE === 'VIEW' || t.TABLE_TYPE === 'SYSTEM VIEW') continue;
    const primary = keyColumnsOf.get(`${name}.PRIMARY`);
    const foreignKeys: ForeignKeySnapshot[] = [];
    for (const k of constraints) {
      if (str(k.TABLE_NAME) !== name || k.CONSTRAINT_TYPE !== 'FOREIGN KEY') continue;
      const parts = keyColumnsOf.get(`${name}.${str(k.CONSTRAINT_NAME)}`) ?? [];
      const first = parts[0];
      if (!first) continue;
      foreignKeys.push({
        columns: parts.map((p) => str(p.COLUMN_NAME)),
        // A reference into another database is refused by the guard before it runs: every parent is here.
        refTable: `${SCHEMA}.${str(first.REFERENCED_TABLE_NAME)}`,
        refColumns: parts.map((p) => str(p.REFERENCED_COLUMN_NAME)),
      });
    }
    tableSnapshots.push({
      schema: SCHEMA,
      name,
      // The storage engine and default collation: a down that changes them does not give the table back.
      kind: `${str(t.ENGINE)} ${str(t.TABLE_COLLATION)}`,
      partition: false,
      columns: columnsOf.get(name) ?? [],
      primaryKey: primary ? primary.map((p) => str(p.COLUMN_NAME)) : null,
      foreignKeys,
    });
  }

  const indexes = new Map<string, { unique: boolean; type: string; parts: string[] }>();
  for (const s of statistics) {
    const key = qualified(str(s.TABLE_NAME), str(s.INDEX_NAME));
    const entry = indexes.get(key) ?? { unique: Number(s.NON_UNIQUE) === 0, type: str(s.INDEX_TYPE), parts: [] };
    const sub = s.SUB_PART === null || s.SUB_PART === undefined ? '' : `(${str(s.SUB_PART)})`;
    entry.parts.push(`${str(s.COLUMN_NAME)}${sub}${s.COLLATION === 'D' ? ' DESC' : ''}`);
    indexes.set(key, entry);
  }

  const constraintDefs: NamedDefinition[] = [];
  for (const k of constraints) {
    const tableName = str(k.TABLE_NAME);
    const name = str(k.CONSTRAINT_NAME);
    const parts = keyColumnsOf.get(`${tableName}.${name}`) ?? [];
    const cols = parts.map((p) => str(p.COLUMN_NAME)).join(', ');
    let definition: string;
    if (k.CONSTRAINT_TYPE === 'FOREIGN KEY') {
      const rule = rules.get(`${tableName}.${name}`);
      definition =
        `FOREIGN KEY (${cols}) REFERENCES ${str(parts[0]?.REFERENCED_TABLE_NAME)}(${parts.map((p) => str(p.REFERENCED_COLUMN_NAME)).join(', ')})` +
        ` ON UPDATE ${str(rule?.UPDATE_RULE)} ON DELETE ${str(rule?.DELETE_RULE)}`;
    } else if (k.CONSTRAINT_TYPE === 'CHECK') {
      const check = checks.find((c) => str(c.CONSTRAINT_NAME) === name && (c.TABLE_NAME === undefined || str(c.TABLE_NAME) === tableName));
      definition = `CHECK (${str(check?.CHECK_CLAUSE)})`;
    } else definition = `${str(k.CONSTRAINT_TYPE)} (${cols})`;
    constraintDefs.push({ name: qualified(tableName, name), definition });
  }

  return {
    schemas: [SCHEMA],
    extensions: [],
    tables: tableSnapshots.sort(byName),
    indexes: [...indexes]
      .map(([name, i]) => ({ name, definition: `${i.unique ? 'UNIQUE ' : ''}${i.type} (${i.parts.join(', ')})` }))
      .sort(byName),
    constraints: constraintDefs.sort(byName),
    sequences: sequences.sort(byName),
    enums: [],
    views: views.map((v) => ({ name: qualified(str(v.TABLE_NAME)), definition: str(v.VIEW_DEFINITION) })).sort(byName),
    triggers: triggers
      .map((g) => ({
        name: qualified(str(g.EVENT_OBJECT_TABLE), str(g.TRIGGER_NAME)),
        definition: `${str(g.ACTION_TIMING)} ${str(g.EVENT_MANIPULATION)} ${str(g.ACTION_STATEMENT)}`,
      }))
      .sort(byName),
    functions: routines
      .map((r) => ({
        name: qualified(`${str(r.ROUTINE_NAME)}(${str(r.ROUTINE_TYPE).toLowerCase()})`),
        definition: `${str(r.body)} returns ${str(r.DTD_IDENTIFIER) || 'nothing'}`,
      }))
      .sort(byName),
  };
}

const INT_MAX: Record<string, [signed: bigint, unsigned: bigint]> = {
  tinyint: [127n, 255n],
  smallint: [32767n, 65535n],
  mediumint: [8388607n, 16777215n],
  int: [2147483647n, 4294967295n],
  bigint: [9223372036854775807n, 18446744073709551615n],
};

const MYSQL: Omit<NativeDialect, 'emptyTables'> = {
  quoteIdent: quoteMysqlIdent,
  value: mysqlValue,
  textOf(column) {
    const { name } = parseMysqlType(column.gen.base);
    const q = quoteMysqlIdent(column.name);
    return ['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit', 'geometry', 'point'].includes(name)
      ? `HEX(${q})`
      : `CAST(${q} AS CHAR)`;
  },
  stringLimit(t) {
    const { name, args } = parseMysqlType(t.base);
    return ['char', 'varchar', 'binary', 'varbinary'].includes(name) ? (args[0] ?? null) : null;
  },
  intMax(t) {
    const { name, args, unsigned } = parseMysqlType(t.base);
    const max = INT_MAX[name];
    return max && !(name === 'tinyint' && args[0] === 1) ? max[unsigned ? 1 : 0] : null;
  },
  defaultKeyword: true,
  insertDefaults: (table) => `INSERT INTO ${table} () VALUES ()`,
};

/** A referenced-but-never-created table, in MySQL's SQL. */
export function mysqlStandIn(table: CreateTable): string {
  const q = quoteMysqlIdent;
  const columns = table.columns.map((c) => `${q(c.name)} ${c.type.text} NOT NULL${c.primaryKey ? ' PRIMARY KEY' : ''}`);
  const unique = table.constraints.filter((k) => k.type === 'unique').map((k) => `UNIQUE (${k.columns.map(q).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${q(table.table.name)} (${[...columns, ...unique].join(', ')})`;
}

export function mysqlCatalog(engine: Engine): NativeCatalog {
  return nativeCatalog(
    engine,
    {
      ...MYSQL,
      // TRUNCATE … CASCADE does not exist; with the checks off, each table empties on its own (children are in the set).
      async emptyTables(tables) {
        if (!tables.length) return;
        await engine.exec('SET FOREIGN_KEY_CHECKS = 0');
        try {
          for (const t of tables) await engine.exec(`TRUNCATE TABLE ${quoteMysqlIdent(t.name)}`);
        } finally {
          await engine.exec('SET FOREIGN_KEY_CHECKS = 1');
        }
      },
    },
    () => snapshotSchema(engine),
    mysqlStandIn,
  );
}
