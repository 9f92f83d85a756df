import { describe, expect, it } from 'vitest';
import { type DataSnapshot, diffData, type TableData } from './data.js';
import { stringLimit, valueText } from './values.js';

const table = (columns: string[], rows: Array<Array<string | null>>, primaryKey: string[] | null = ['id']): TableData => ({
  columns,
  primaryKey,
  rows,
});
const snapshot = (entries: Record<string, TableData>): DataSnapshot => new Map(Object.entries(entries));

describe('diffData', () => {
  it('nothing lost when every old row keeps its values, whatever rows were added', () => {
    const before = snapshot({
      'public.t': table(
        ['id', 'a'],
        [
          ['1', 'x'],
          ['2', null],
        ],
      ),
    });
    const after = snapshot({
      'public.t': table(
        ['id', 'a', 'b'],
        [
          ['2', null, 'new'],
          ['1', 'x', null],
          ['3', 'y', 'z'],
        ],
      ),
    });
    expect(diffData(before, after)).toEqual([]);
  });

  it('counts changed values per column by primary key, and vanished rows as *', () => {
    const before = snapshot({
      'public.t': table(
        ['id', 'a', 'b'],
        [
          ['1', 'x', 'p'],
          ['2', 'y', 'q'],
          ['3', 'z', 'r'],
        ],
      ),
    });
    const after = snapshot({
      'public.t': table(
        ['id', 'b', 'a'],
        [
          ['1', 'p', ''],
          ['2', 'CHANGED', ''],
        ],
      ),
    });
    expect(diffData(before, after)).toEqual([
      { table: 'public.t', column: '*', rows: 1 },
      { table: 'public.t', column: 'a', rows: 2 },
      { table: 'public.t', column: 'b', rows: 1 },
    ]);
  });

  it('a column gone after the down loses every row that held a value', () => {
    const before = snapshot({
      'public.t': table(
        ['id', 'gone'],
        [
          ['1', 'x'],
          ['2', 'y'],
        ],
      ),
    });
    const after = snapshot({ 'public.t': table(['id'], [['1'], ['2']]) });
    expect(diffData(before, after)).toEqual([{ table: 'public.t', column: 'gone', rows: 2 }]);
  });

  it('a table without a primary key is compared as multisets of column values', () => {
    const before = snapshot({ 'public.log': table(['msg'], [['a'], ['a'], ['b']], null) });
    const after = snapshot({ 'public.log': table(['msg'], [['a'], ['b'], ['c']], null) });
    expect(diffData(before, after)).toEqual([{ table: 'public.log', column: 'msg', rows: 1 }]);
  });

  it('a table gone after the down loses all its rows; an empty one loses nothing', () => {
    const before = snapshot({ 'public.t': table(['id'], [['1'], ['2']]), 'public.empty': table(['id'], []) });
    expect(diffData(before, new Map())).toEqual([{ table: 'public.t', column: '*', rows: 2 }]);
  });
});

describe('synthetic values', () => {
  const type = (base: string, category: string, labels: string[] | null = null) => ({
    base,
    category,
    labels,
    element: null,
    elementCategory: null,
  });

  it('bounded strings fill their limit at the edge and stay distinct per row', () => {
    const t = type('character varying(3)', 'S');
    expect(stringLimit(t)).toBe(3);
    expect(valueText(t, 3, 'max', 'name')).toHaveLength(3);
    const rows = [0, 1, 7, 40].map((row) => valueText(t, row, 'typical', 'name'));
    expect(new Set(rows).size).toBe(4);
    for (const v of rows) expect(v?.length).toBeLessThanOrEqual(3);
  });

  it('numbers reach the edges of their type', () => {
    expect(valueText(type('smallint', 'N'), 0, 'max', 'n')).toBe('32767');
    expect(valueText(type('bigint', 'N'), 0, 'min', 'n')).toBe('-9223372036854775808');
    expect(valueText(type('numeric(5,2)', 'N'), 0, 'max', 'n')).toBe('999.99');
  });

  it('enums cycle through their labels', () => {
    const t = type('mood', 'E', ['sad', 'ok', 'happy']);
    expect([0, 1, 2, 3].map((row) => valueText(t, row, 'typical', 'm'))).toEqual(['sad', 'ok', 'happy', 'sad']);
    expect(valueText(t, 0, 'max', 'm')).toBe('happy');
  });
});
