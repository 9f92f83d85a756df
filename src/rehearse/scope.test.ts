import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParsers } from '../sql/index.js';
import { parsePostgres } from '../sql/postgresql.js';
import type { SchemaSnapshot, TableSnapshot } from './catalog.js';
import { fillScope, tablesTouched } from './scope.js';

beforeAll(loadSqlParsers);
const ops = (sql: string) => parsePostgres({ path: 'm.sql', text: sql, startLine: 1, language: 'sql' }).ops;

const table = (name: string, parents: string[] = []): TableSnapshot => ({
  schema: 'public',
  name,
  kind: 'r',
  partition: false,
  columns: [],
  primaryKey: ['id'],
  foreignKeys: parents.map((p) => ({ columns: [`${p}_id`], refTable: `public.${p}`, refColumns: ['id'] })),
});
const schema = (...tables: TableSnapshot[]) => ({ tables }) as unknown as SchemaSnapshot;
const names = (tables: TableSnapshot[]) => tables.map((t) => t.name);

describe('tablesTouched', () => {
  it('names every table the statements change, renames under both names', () => {
    expect(tablesTouched(ops('ALTER TABLE a ADD COLUMN x int; ALTER TABLE b RENAME TO c; UPDATE s.d SET x = 1'))).toEqual(
      new Set(['public.a', 'public.b', 'public.c', 's.d']),
    );
  });

  it('statements twoway does not model reach every table', () => {
    expect(tablesTouched(ops('CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'))).toBeNull();
  });
});

describe('fillScope', () => {
  const s = schema(table('users'), table('orders', ['users']), table('items', ['orders']), table('tags'));

  it('adds the tables referencing a touched table, which a cascade reaches', () => {
    expect(names(fillScope(s, new Set(['public.users']), new Set(['public.users', 'public.orders', 'public.items'])))).toEqual([
      'users',
      'orders',
      'items',
    ]);
  });

  it('adds referenced tables that hold no rows yet', () => {
    expect(names(fillScope(s, new Set(['public.items']), new Set(['public.users'])))).toEqual(['orders', 'items']);
  });

  it('every table when the scope is unknown', () => {
    expect(names(fillScope(s, null, new Set()))).toEqual(['users', 'orders', 'items', 'tags']);
  });
});
