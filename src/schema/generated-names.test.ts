// The names PostgreSQL gives unnamed indexes, as the replay predicts them, against a real PostgreSQL (PGlite).
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlSource } from '../frameworks/sql-files.js';
import { loadSqlParsers, parseSql } from '../sql/index.js';
import { chooseName, Schema } from './schema.js';

const db = new PGlite();
beforeAll(loadSqlParsers);
afterAll(() => db.close());

const ddl = `CREATE TABLE t (id int, name text, a int, b int);
CREATE INDEX ON t (lower(name));
CREATE INDEX ON t (a, (b + 1));
CREATE INDEX ON t ((name::varchar));
CREATE INDEX ON t (a);
CREATE INDEX ON t (a);
CREATE UNIQUE INDEX ON t (a, b);
CREATE INDEX ON t ((a::text || b::text));
CREATE INDEX ON t (coalesce(a, 0));
CREATE INDEX ON t (greatest(a, b));
CREATE TABLE a_table_whose_name_is_long_enough_to_need_cutting (column_with_a_long_name_too int);
CREATE INDEX ON a_table_whose_name_is_long_enough_to_need_cutting (column_with_a_long_name_too);`;

describe('unnamed indexes get the names PostgreSQL gives them', () => {
  it('columns, function names, casts, "expr", numbering and the 63-byte cut', async () => {
    await db.exec(ddl);
    const real = await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
    const schema = new Schema();
    for (const op of parseSql(sqlSource('m.sql', ddl), 'postgresql').ops) schema.apply(op, '1');
    const predicted = [
      ...schema.indexesOf({ name: 't' }),
      ...schema.indexesOf({ name: 'a_table_whose_name_is_long_enough_to_need_cutting' }),
    ]
      .map((i) => i.name)
      .sort();
    expect(predicted).toEqual(real.rows.map((r) => r.indexname).sort());
  });

  it('a DROP INDEX by the generated name finds the index', () => {
    const schema = new Schema();
    const sql = 'CREATE TABLE r (name text);\nCREATE UNIQUE INDEX ON r (lower(name));\nDROP INDEX r_lower_idx;';
    for (const op of parseSql(sqlSource('m.sql', sql), 'postgresql').ops) schema.apply(op, '1');
    expect(schema.indexesOf({ name: 'r' })).toEqual([]);
  });

  it('makeObjectName cuts the longer part first', () => {
    expect(chooseName('x'.repeat(70), 'id', 'key', () => false)).toBe(`${'x'.repeat(56)}_id_key`);
  });
});
