// diffSchemas compares only what two schemas changed since they forked (Schema.differing): on a schema large
// enough that its collections fold, it must still find every difference, and in the schemas' order.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParsers, parseSql } from '../sql/index.js';
import { diffSchemas } from './diff.js';
import { Schema } from './schema.js';

function replay(schema: Schema, sql: string): Schema {
  for (const op of parseSql({ path: 'x.sql', text: sql, startLine: 1, language: 'sql' }, 'postgresql').ops) schema.apply(op, 'm');
  return schema;
}

describe('diffSchemas on a large schema', () => {
  beforeAll(loadSqlParsers);
  const tables = Array.from(
    { length: 600 },
    (_, i) => `CREATE TABLE t${i} (id int PRIMARY KEY, a text);\nCREATE INDEX t${i}_a ON t${i} (a);`,
  );
  const down = 'DROP TABLE t7;\nDROP INDEX t300_a;\nALTER TABLE t599 ADD COLUMN b int;\nCREATE TABLE extra (id int);';
  const expected = [
    'table t7: is missing: the down does not restore it',
    'column t599.b: remains: the down does not drop it',
    'table extra: remains: the down does not drop it',
    'index t300_a: on t300 is missing: the down does not rebuild it',
  ];
  const text = (s: Schema, t: Schema) => diffSchemas(s, t).map((d) => `${d.object}: ${d.message}`);

  it('finds the same differences between forks of one schema as between schemas replayed apart', () => {
    const before = replay(new Schema(), tables.join('\n'));
    const forked = replay(before.clone(), down);
    const apart = replay(replay(new Schema(), tables.join('\n')), down);
    expect(text(before, forked)).toEqual(expected);
    expect(text(before, apart)).toEqual(expected);
  });

  it('finds them after many forks and writes, as replay makes them', () => {
    let schema = new Schema();
    for (const t of tables) schema = replay(schema.clone(), t);
    expect(text(schema, replay(schema.clone(), down))).toEqual(expected);
  });
});
