// Synthetic rows in and per-row values out for the engines that are not PostgreSQL (MySQL/MariaDB,
// SQLite): what data.ts does with PL/pgSQL there, here with plain INSERTs and SELECTs in the
// dialect's own SQL. The rows are the same variants; foreign keys take the values the parent's rows
// really have (parents are filled first); rows a table refuses (a CHECK, a unique key) are tried one
// by one and the refusal is kept.
import type { ColumnSnapshot, SchemaSnapshot, TableSnapshot, ValueType } from './catalog.js';
import { fillableTables, tableKey } from './catalog.js';
import { type DataSnapshot, type FillErrors, type LostData, type NewShapeValue, parentsFirst } from './data.js';
import { type Engine, errorMessage, type NativeCatalog } from './engine.js';
import type { NativeValue } from './native-values.js';
import { ROW_VARIANTS, type Variant } from './values.js';

export interface NativeDialect {
  quoteIdent(name: string): string;
  value(t: ValueType, row: number, variant: Variant, label: string): NativeValue | null;
  /** An expression giving the column's value as text, as snapshots compare it. */
  textOf(column: ColumnSnapshot): string;
  /** Every row out of the tables, whatever references them (the set to empty includes those that do). */
  emptyTables(tables: readonly TableSnapshot[]): Promise<void>;
  /** A bounded string type's limit, in characters, for values a widening allows; null when unbounded or not a string. */
  stringLimit(t: ValueType): number | null;
  /** The largest integer of an integer type, null when not an integer type. */
  intMax(t: ValueType): bigint | null;
  /** Whether VALUES takes the DEFAULT keyword (MySQL does, SQLite does not: there a default is a column left out). */
  defaultKeyword: boolean;
  /** An INSERT of one row of defaults only. */
  insertDefaults(table: string): string;
}

type Cell = NativeValue | 'NULL' | 'DEFAULT';

/** The catalog.ts/data.ts operations for a dialect, given its catalog query and its SQL. */
export function nativeCatalog(
  engine: Engine,
  dialect: NativeDialect,
  snapshotSchema: () => Promise<SchemaSnapshot>,
  standInSql: NativeCatalog['standInSql'],
): NativeCatalog {
  const q = dialect.quoteIdent;
  const table = (t: Pick<TableSnapshot, 'name'>) => q(t.name);

  /** INSERTs the rows together, else one by one; returns the last refusal, if any row was refused. */
  const insertRows = async (t: TableSnapshot, rows: Array<Map<string, Cell>>): Promise<string | null> => {
    const insert = async (batch: Array<Map<string, Cell>>) => {
      const given = (r: Map<string, Cell>) => [...r.keys()].filter((c) => dialect.defaultKeyword || r.get(c) !== 'DEFAULT');
      const columns = [...new Set(batch.flatMap(given))];
      const params: unknown[] = [];
      const cell = (c: Cell) => {
        if (c === 'NULL' || c === 'DEFAULT') return c;
        if ('sql' in c) return c.sql;
        params.push(c.text);
        return '?';
      };
      const sql = columns.length
        ? `INSERT INTO ${table(t)} (${columns.map(q).join(', ')}) VALUES ${batch
            .map((r) => `(${columns.map((c) => cell(r.get(c) ?? 'DEFAULT')).join(', ')})`)
            .join(', ')}`
        : dialect.insertDefaults(table(t));
      await engine.query(sql, params);
    };
    // Without a DEFAULT keyword, rows leaving out different columns cannot share one INSERT.
    if (!dialect.defaultKeyword && rows.length > 1) {
      let refused: string | null = null;
      for (const row of rows) await insert([row]).catch((e) => (refused = errorMessage(e)));
      return refused;
    }
    try {
      await insert(rows);
      return null;
    } catch (e) {
      if (rows.length === 1) return errorMessage(e);
    }
    let refused: string | null = null;
    for (const row of rows) {
      try {
        await insert([row]);
      } catch (e) {
        refused = errorMessage(e);
      }
    }
    return refused;
  };

  /** Values of the parent's referenced columns, from its first two rows: what a child's foreign key may hold. */
  const parentValues = async (t: TableSnapshot): Promise<Map<number, Array<Array<string | null>>>> => {
    const out = new Map<number, Array<Array<string | null>>>();
    for (const [i, fk] of t.foreignKeys.entries()) {
      const parent = fk.refTable.slice(fk.refTable.indexOf('.') + 1);
      const columns = fk.columns.map((c, j) => fk.refColumns[j] ?? c);
      try {
        const rows = await engine.query<Record<string, unknown>>(
          `SELECT ${columns.map((c, j) => `${q(c)} AS ${q(`v${j}`)}`).join(', ')} FROM ${q(parent)} LIMIT 2`,
        );
        out.set(
          i,
          rows.map((r) => columns.map((_, j) => text(r[`v${j}`]))),
        );
      } catch {
        out.set(i, []);
      }
    }
    return out;
  };

  const syntheticRow = (t: TableSnapshot, row: number, variant: Variant, parents: Map<number, Array<Array<string | null>>>) => {
    const cells = new Map<string, Cell>();
    const fkColumns = new Set(t.foreignKeys.flatMap((f) => f.columns));
    for (const c of t.columns) {
      if (c.generated || c.identity || fkColumns.has(c.name)) continue;
      if (variant === 'nulls' && !c.notNull) cells.set(c.name, 'NULL');
      else if (variant === 'nulls' && c.default !== null) cells.set(c.name, 'DEFAULT');
      else {
        const value = dialect.value(c.gen, row, variant, c.name);
        cells.set(c.name, value ?? (c.default !== null ? 'DEFAULT' : c.notNull ? { text: '1' } : 'NULL'));
      }
    }
    for (const [i, fk] of t.foreignKeys.entries()) {
      const nullable = fk.columns.every((col) => !t.columns.find((c) => c.name === col)?.notNull);
      const candidates = parents.get(i) ?? [];
      const pick = candidates[row % Math.max(1, candidates.length)];
      fk.columns.forEach((col, j) => {
        const v = pick?.[j];
        cells.set(col, (variant === 'nulls' && nullable) || v === undefined || v === null ? 'NULL' : { text: v });
      });
    }
    return cells;
  };

  const fill = async (tables: readonly TableSnapshot[], variants: readonly Variant[], first: number): Promise<FillErrors> => {
    const refused: FillErrors = new Map();
    for (const t of parentsFirst(tables)) {
      const parents = await parentValues(t);
      const why = await insertRows(
        t,
        variants.map((v, i) => syntheticRow(t, first + i, v, parents)),
      );
      if (why) refused.set(tableKey(t), why);
    }
    return refused;
  };

  return {
    snapshotSchema,
    standInSql,
    async fillTables(tables, variants) {
      if (!tables.length) return new Map();
      await dialect.emptyTables(tables);
      return fill(tables, variants, 0);
    },
    emptyTables: (tables) => dialect.emptyTables(tables),
    async snapshotData(schema, only) {
      const snapshot: DataSnapshot = new Map();
      for (const t of fillableTables(schema)) {
        if (!t.columns.length || (only && !only.has(tableKey(t)))) continue;
        const rows = await engine.query<Record<string, unknown>>(
          `SELECT ${t.columns.map((c, i) => `${dialect.textOf(c)} AS ${q(`c${i}`)}`).join(', ')} FROM ${table(t)}`,
        );
        snapshot.set(tableKey(t), {
          columns: t.columns.map((c) => c.name),
          primaryKey: t.primaryKey,
          rows: rows.map((r) => t.columns.map((_, i) => text(r[`c${i}`]))),
        });
      }
      return snapshot;
    },
    async writeNewShapeRows(before, after) {
      const old = new Map(before.tables.map((t) => [tableKey(t), t]));
      const refused: FillErrors = new Map();
      const written: NewShapeValue[] = [];
      let row = ROW_VARIANTS.length;
      for (const t of parentsFirst(fillableTables(after))) {
        const previous = old.get(tableKey(t));
        if (!previous) continue;
        const parents = await parentValues(t);
        for (const c of t.columns) {
          for (const novelty of novelValues(
            dialect,
            c,
            previous.columns.find((p) => p.name === c.name),
            row,
          )) {
            const cells = syntheticRow(t, row++, 'typical', parents);
            cells.set(c.name, novelty);
            const why = await insertRows(t, [cells]);
            if (why) refused.set(tableKey(t), why);
            else if (novelty !== 'NULL' && novelty !== 'DEFAULT' && 'text' in novelty)
              written.push({ table: t, column: c.name, text: novelty.text });
          }
        }
      }
      return { refused, written };
    },
    async lostNewShapeValues(written, afterDown) {
      const lost = new Map<string, LostData>();
      for (const w of written) {
        const t = afterDown.tables.find((x) => tableKey(x) === tableKey(w.table));
        const column = t?.columns.find((c) => c.name === w.column);
        if (!t || !column) continue;
        const [found] = await engine.query<{ n: number | string }>(
          `SELECT count(*) AS n FROM ${table(t)} WHERE ${dialect.textOf(column)} = ?`,
          [w.text],
        );
        if (Number(found?.n ?? 0) > 0) continue;
        const key = `${tableKey(t)}.${w.column}`;
        const entry = lost.get(key) ?? { table: tableKey(t), column: w.column, rows: 0 };
        entry.rows++;
        lost.set(key, entry);
      }
      return [...lost.values()];
    },
  };
}

/** Values the new column shape allows and the old did not: a new column's value, NULL, a new label, a longer string, a bigger integer. */
function novelValues(dialect: NativeDialect, now: ColumnSnapshot, was: ColumnSnapshot | undefined, row: number): Cell[] {
  if (now.generated) return [];
  if (!was) {
    const value = dialect.value(now.gen, row, 'typical', now.name);
    return value ? [value] : [];
  }
  const out: Cell[] = [];
  if (!now.notNull && was.notNull) out.push('NULL');
  for (const label of (now.gen.labels ?? []).filter((l) => !(was.gen.labels ?? []).includes(l))) out.push({ text: label });
  if (now.type !== was.type && !out.length) {
    const oldLimit = dialect.stringLimit(was.gen);
    const newLimit = dialect.stringLimit(now.gen);
    if (oldLimit !== null && (newLimit === null || newLimit > oldLimit))
      out.push({ text: 'w'.repeat(Math.min(newLimit ?? oldLimit + 10, oldLimit + 10)) });
    const oldMax = dialect.intMax(was.gen);
    const newMax = dialect.intMax(now.gen);
    if (oldMax !== null && newMax !== null && newMax > oldMax) out.push({ text: String(oldMax + 1n) });
  }
  return out;
}

/** A driver's value as the text snapshots compare. */
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return String(v);
}
