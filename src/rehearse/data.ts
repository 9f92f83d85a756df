// Synthetic rows in, per-row values out: what a down must give back of the data the old schema held.

import {
  type ColumnSnapshot,
  fillableTables,
  quoteIdent,
  quoteLiteral,
  quoteTable,
  type SchemaSnapshot,
  type TableSnapshot,
  tableKey,
} from './catalog.js';
import type { Engine } from './engine.js';
import { type FittedType, piecedText } from './fitted-values.js';
import { ROW_VARIANTS, stringLimit, typeArgs, typeName, type Variant, valueText } from './values.js';

/** A value to insert: its text, an SQL expression, or the keywords NULL / DEFAULT. */
type Cell = { text: string } | { sql: string } | 'NULL' | 'DEFAULT';
type SyntheticRow = Map<string, Cell>;

export interface TableData {
  columns: string[];
  primaryKey: string[] | null;
  rows: Array<Array<string | null>>;
}
export type DataSnapshot = Map<string, TableData>;

/** Why PostgreSQL refused synthetic rows, per table (the last refusal). */
export type FillErrors = Map<string, string>;

/**
 * Empties the tables, then writes the synthetic rows, parents before the children that reference them.
 * One message: a DO block tries each table's rows together, then one by one, keeping the rows that fit
 * (check constraints and unique keys twoway cannot predict), so a refused row costs no round trip.
 */
export async function fillTables(
  engine: Engine,
  tables: readonly TableSnapshot[],
  variants: readonly Variant[] = ROW_VARIANTS,
  fitted: Fitted = new Map(),
): Promise<FillErrors> {
  if (engine.native) return engine.native.fillTables(tables, variants);
  if (!tables.length) return new Map();
  const blocks = parentsFirst(tables).map((table) =>
    insertBlock(
      table,
      variants.map((variant, i) => syntheticRow(table, i, variant, fitted)),
    ),
  );
  return runBlocks(engine, `TRUNCATE ${tables.map(quoteTable).join(', ')} RESTART IDENTITY CASCADE;`, blocks);
}

/**
 * Columns written with another type's text (`public.versions.num` → integer): the up reads them as
 * that type, and the application keeps such text there (fitted-values.ts).
 */
export type Fitted = ReadonlyMap<string, FittedType>;

/** The simpler rows an up is retried on when it fails on the extremes: two ordinary rows per table. */
export const ORDINARY_VARIANTS: readonly Variant[] = ['typical', 'typical'];

/** Every row out of the given tables (and those referencing them). */
export async function emptyTables(engine: Engine, tables: readonly TableSnapshot[]): Promise<void> {
  if (engine.native) return engine.native.emptyTables(tables);
  if (tables.length) await engine.exec(`TRUNCATE ${tables.map(quoteTable).join(', ')} RESTART IDENTITY CASCADE;`);
}

/**
 * Rows that use what the new schema allows and the old did not: longer strings after a widening,
 * wider numbers, NULLs where NOT NULL was dropped, new enum labels, values in new columns.
 * Written after the up, so the down meets them as the previous release's data would.
 */
export interface NewShapeValue {
  table: TableSnapshot;
  column: string;
  /** The value as text, as written (NULL cells are not followed: a NOT NULL down refuses them loudly). */
  text: string;
}

export async function writeNewShapeRows(
  engine: Engine,
  before: SchemaSnapshot,
  after: SchemaSnapshot,
  fitted: Fitted = new Map(),
): Promise<{ refused: FillErrors; written: NewShapeValue[] }> {
  if (engine.native) return engine.native.writeNewShapeRows(before, after);
  const old = new Map(before.tables.map((t) => [tableKey(t), t]));
  const blocks: string[] = [];
  const written: NewShapeValue[] = [];
  for (const table of parentsFirst(fillableTables(after))) {
    const previous = old.get(tableKey(table));
    if (!previous) continue;
    const novelties = table.columns.flatMap((c) =>
      novelValues(
        c,
        previous.columns.find((p) => p.name === c.name),
      ),
    );
    // One row per novelty: a value the down refuses must not keep the others out.
    for (const [i, novelty] of novelties.entries()) {
      const row = syntheticRow(table, ROW_VARIANTS.length + i, 'typical', fitted);
      row.set(novelty.column, novelty.cell);
      blocks.push(insertBlock(table, [row]));
      if (typeof novelty.cell === 'object' && 'text' in novelty.cell)
        written.push({ table, column: novelty.column, text: novelty.cell.text });
    }
  }
  const refused = blocks.length ? await runBlocks(engine, '', blocks) : new Map();
  return { refused, written: written.filter((w) => !refused.has(tableKey(w.table))) };
}

/**
 * Values written after the up that the down silently cut or changed (an explicit `USING col::varchar(50)`
 * truncates instead of failing): what the previous release would find changed after a rollback.
 */
export async function lostNewShapeValues(
  engine: Engine,
  written: readonly NewShapeValue[],
  afterDown: SchemaSnapshot,
): Promise<LostData[]> {
  if (engine.native) return engine.native.lostNewShapeValues(written, afterDown);
  const lost = new Map<string, LostData>();
  for (const w of written) {
    const table = afterDown.tables.find((t) => tableKey(t) === tableKey(w.table));
    if (!table?.columns.some((c) => c.name === w.column)) continue;
    const rows = await engine.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quoteTable(table)} WHERE ${quoteIdent(w.column)}::text = ${quoteLiteral(w.text)}`,
    );
    if ((rows[0]?.n ?? 0) > 0) continue;
    const key = `${tableKey(table)}.${w.column}`;
    const entry = lost.get(key) ?? { table: tableKey(table), column: w.column, rows: 0 };
    entry.rows++;
    lost.set(key, entry);
  }
  return [...lost.values()];
}

function novelValues(now: ColumnSnapshot, was: ColumnSnapshot | undefined): Array<{ column: string; cell: Cell }> {
  if (now.generated || now.identity === 'a') return [];
  const cell = (text: string | null): Array<{ column: string; cell: Cell }> =>
    text === null ? [] : [{ column: now.name, cell: { text } }];
  if (!was) return cell(valueText(now.gen, ROW_VARIANTS.length, 'typical', now.name));
  const out: Array<{ column: string; cell: Cell }> = [];
  if (!now.notNull && was.notNull) out.push({ column: now.name, cell: 'NULL' });
  const newLabels = (now.gen.labels ?? []).filter((l) => !(was.gen.labels ?? []).includes(l));
  for (const label of newLabels) out.push(...cell(now.gen.category === 'A' ? `{"${label}"}` : label));
  if (now.type !== was.type && !newLabels.length) out.push(...cell(widerValue(now, was)));
  return out;
}

/** A value of the new type the old type could not hold, when there is one. */
function widerValue(now: ColumnSnapshot, was: ColumnSnapshot): string | null {
  const newName = typeName(now.gen.base);
  const oldName = typeName(was.gen.base);
  if (now.gen.category === 'S') {
    const oldLimit = stringLimit(was.gen);
    const newLimit = stringLimit(now.gen);
    if (was.gen.category !== 'S') return 'not a value of the old type';
    if (oldLimit === null || (newLimit !== null && newLimit <= oldLimit)) return null;
    return 'w'.repeat(Math.min(newLimit ?? oldLimit + 10, oldLimit + 10));
  }
  const intMax: Record<string, string> = { smallint: '32768', integer: '2147483648' };
  if (newName === 'bigint' || newName === 'integer') return intMax[oldName] ?? null;
  if (newName === 'numeric') {
    const [p, s = 0] = typeArgs(now.gen.base);
    const [op, os = 0] = oldName === 'numeric' ? typeArgs(was.gen.base) : [19, 0];
    const intDigits = p === undefined ? 20 : p - s;
    const oldIntDigits = op === undefined ? Number.POSITIVE_INFINITY : op - os;
    if (intDigits > oldIntDigits) return `1${'0'.repeat(oldIntDigits)}`;
    if (p === undefined || s > os) return `0.${'1'.repeat(p === undefined ? os + 1 : s)}`;
    return null;
  }
  return valueText(now.gen, ROW_VARIANTS.length, 'max', now.name);
}

function syntheticRow(table: TableSnapshot, row: number, variant: Variant, fitted: Fitted): SyntheticRow {
  const cells: SyntheticRow = new Map();
  const fkColumns = new Set(table.foreignKeys.flatMap((f) => f.columns));
  for (const c of table.columns) {
    if (c.generated || c.identity || c.default?.startsWith('nextval(')) continue;
    if (fkColumns.has(c.name)) continue;
    if (variant === 'nulls' && !c.notNull) cells.set(c.name, 'NULL');
    else if (variant === 'nulls' && c.default !== null) cells.set(c.name, 'DEFAULT');
    else {
      const fit = fitted.get(`${tableKey(table)}.${c.name}`);
      const value = valueText(fit ?? c.gen, row, variant, c.name);
      const text = value === null ? null : piecedText(value, fit?.pieces);
      cells.set(c.name, text !== null ? { text } : c.default !== null ? 'DEFAULT' : c.notNull ? { text: '1' } : 'NULL');
    }
  }
  for (const fk of table.foreignKeys) {
    const nullable = fk.columns.every((col) => !table.columns.find((c) => c.name === col)?.notNull);
    const [schema = 'public', ...rest] = fk.refTable.split('.');
    const parent = quoteTable({ schema, name: rest.join('.') });
    // The parent's rows are in the database by now (parents are filled first): reference one of its first
    // two, or its only one (a singleton table holds one row).
    fk.columns.forEach((col, i) => {
      const pick = (offset: number) =>
        `(SELECT ${quoteIdent(fk.refColumns[i] ?? col)} FROM ${parent} ORDER BY ctid OFFSET ${offset} LIMIT 1)`;
      cells.set(col, variant === 'nulls' && nullable ? 'NULL' : { sql: row % 2 ? `coalesce(${pick(1)}, ${pick(0)})` : pick(0) });
    });
  }
  return cells;
}

/** PL/pgSQL that inserts the rows together, or else one by one, recording the refusals. */
function insertBlock(table: TableSnapshot, rows: SyntheticRow[]): string {
  const key = quoteLiteral(tableKey(table));
  const insert = (batch: SyntheticRow[]) => {
    const columns = [...new Set(batch.flatMap((r) => [...r.keys()]))];
    if (!columns.length) return batch.map(() => `INSERT INTO ${quoteTable(table)} DEFAULT VALUES;`).join(' ');
    const values = batch.map((r) => `(${columns.map((c) => cellSql(r.get(c) ?? 'DEFAULT')).join(', ')})`).join(', ');
    return `INSERT INTO ${quoteTable(table)} (${columns.map(quoteIdent).join(', ')}) VALUES ${values};`;
  };
  const guarded = (body: string, onError: string) => `BEGIN ${body} EXCEPTION WHEN others THEN ${onError} END;`;
  const record = `refused := refused || ${key} || chr(9) || replace(SQLERRM, chr(10), ' ') || chr(10);`;
  if (rows.length === 1) return guarded(insert(rows), record);
  return guarded(insert(rows), rows.map((r) => guarded(insert([r]), record)).join('\n'));
}

async function runBlocks(engine: Engine, prefix: string, blocks: string[]): Promise<FillErrors> {
  await engine.exec(
    `${prefix}\nDO $twoway_fill$\nDECLARE refused text := '';\nBEGIN\n${blocks.join('\n')}\nPERFORM set_config('twoway.refused', refused, false);\nEND\n$twoway_fill$;`,
  );
  const rows = await engine.query<{ refused: string | null }>(`SELECT current_setting('twoway.refused', true) AS refused`);
  const errors: FillErrors = new Map();
  for (const line of (rows[0]?.refused ?? '').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) errors.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return errors;
}

function cellSql(cell: Cell): string {
  if (cell === 'NULL' || cell === 'DEFAULT') return cell;
  return 'sql' in cell ? cell.sql : quoteLiteral(cell.text);
}

/** Tables in an order where every referenced table comes before the tables referencing it (cycles broken anywhere). */
export function parentsFirst(tables: readonly TableSnapshot[]): TableSnapshot[] {
  const byKey = new Map(tables.map((t) => [tableKey(t), t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: TableSnapshot[] = [];
  const visit = (t: TableSnapshot) => {
    const key = tableKey(t);
    if (done.has(key) || visiting.has(key)) return;
    visiting.add(key);
    for (const fk of t.foreignKeys) {
      const parent = byKey.get(fk.refTable);
      if (parent) visit(parent);
    }
    visiting.delete(key);
    done.add(key);
    order.push(t);
  };
  tables.forEach(visit);
  return order;
}

/** Every row of the given tables (of every table by default), as text, in one round trip. */
export async function snapshotData(engine: Engine, schema: SchemaSnapshot, only?: ReadonlySet<string>): Promise<DataSnapshot> {
  if (engine.native) return engine.native.snapshotData(schema, only);
  const tables = fillableTables(schema).filter((t) => t.columns.length && (!only || only.has(tableKey(t))));
  const snapshot: DataSnapshot = new Map();
  if (!tables.length) return snapshot;
  const sql = tables
    .map(
      (t, i) =>
        `SELECT ${i} AS i, (SELECT coalesce(json_agg(ARRAY[${t.columns.map((c) => `${quoteIdent(c.name)}::text`).join(', ')}]), '[]') FROM ${quoteTable(t)}) AS rows`,
    )
    .join('\nUNION ALL\n');
  for (const { i, rows } of await engine.query<{ i: number; rows: Array<Array<string | null>> | string }>(sql)) {
    const t = tables[i] as TableSnapshot;
    snapshot.set(tableKey(t), {
      columns: t.columns.map((c) => c.name),
      primaryKey: t.primaryKey,
      rows: typeof rows === 'string' ? JSON.parse(rows) : rows,
    });
  }
  return snapshot;
}

export interface LostData {
  /** `table` (or `schema.table` outside public). */
  table: string;
  /** The column whose values were lost or changed; `*` when whole rows are gone. */
  column: string;
  /** How many of the rows that existed before the up. */
  rows: number;
}

/**
 * Which values of the rows that existed before the up are gone or different after the down.
 * Rows are matched by primary key; a table without one is compared column by column as multisets.
 */
export function diffData(before: DataSnapshot, after: DataSnapshot): LostData[] {
  const lost: LostData[] = [];
  for (const [table, old] of before) {
    if (!old.rows.length) continue;
    const now = after.get(table);
    if (!now) {
      lost.push({ table, column: '*', rows: old.rows.length });
      continue;
    }
    const key = old.primaryKey?.every((c) => now.columns.includes(c)) ? old.primaryKey : null;
    const oldIndex = (c: string) => old.columns.indexOf(c);
    const newIndex = (c: string) => now.columns.indexOf(c);
    if (key) {
      const keyOf = (row: Array<string | null>, index: (c: string) => number) => JSON.stringify(key.map((c) => row[index(c)]));
      const current = new Map(now.rows.map((r) => [keyOf(r, newIndex), r]));
      let missing = 0;
      const changed = new Map<string, number>();
      for (const row of old.rows) {
        const match = current.get(keyOf(row, oldIndex));
        if (!match) {
          missing++;
          continue;
        }
        for (const c of old.columns) {
          const j = newIndex(c);
          if (j < 0 || match[j] !== row[oldIndex(c)]) changed.set(c, (changed.get(c) ?? 0) + 1);
        }
      }
      if (missing) lost.push({ table, column: '*', rows: missing });
      for (const [column, rows] of changed) lost.push({ table, column, rows });
      continue;
    }
    for (const c of old.columns) {
      const j = newIndex(c);
      const remaining = new Map<string | null, number>();
      if (j >= 0) for (const r of now.rows) remaining.set(r[j] ?? null, (remaining.get(r[j] ?? null) ?? 0) + 1);
      let rows = 0;
      for (const r of old.rows) {
        const v = r[oldIndex(c)] ?? null;
        const left = remaining.get(v) ?? 0;
        if (left > 0) remaining.set(v, left - 1);
        else rows++;
      }
      if (rows) lost.push({ table, column: c, rows });
    }
  }
  return lost;
}
