// A clone shares tables with its original until one of them changes a table: neither may see the other's change.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../ir.js';
import { loadSqlParsers, parseSql } from '../sql/index.js';
import { Schema } from './schema.js';

const ops = (sql: string): Operation[] => parseSql({ path: 'x.sql', text: sql, startLine: 1, language: 'sql' }, 'postgresql').ops;
function replay(schema: Schema, sql: string, id = 'm'): Schema {
  for (const op of ops(sql)) schema.apply(op, id);
  return schema;
}

describe('Schema.clone', () => {
  beforeAll(loadSqlParsers);
  const base = () =>
    replay(
      new Schema(),
      'CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, name text);\nCREATE INDEX users_email ON users (email);',
    );

  it.each([
    ['a new column', 'ALTER TABLE users ADD COLUMN age int;'],
    ['a dropped column', 'ALTER TABLE users DROP COLUMN name;'],
    ['a renamed column', 'ALTER TABLE users RENAME COLUMN email TO mail;'],
    ['a type change', 'ALTER TABLE users ALTER COLUMN name TYPE varchar(10);'],
    ['nullability', 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;'],
    ['a default', "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x';"],
    ['a constraint', 'ALTER TABLE users ADD CONSTRAINT name_len CHECK (length(name) < 9);'],
    ['a renamed table', 'ALTER TABLE users RENAME TO members;'],
  ])('%s in the clone leaves the original as it was, and the reverse', (_what, sql) => {
    const original = base();
    const snapshot = JSON.stringify(dump(base()));
    replay(original.clone(), sql);
    expect(JSON.stringify(dump(original))).toBe(snapshot);
    const clone = original.clone();
    replay(original, sql);
    expect(JSON.stringify(dump(clone))).toBe(snapshot);
    expect(JSON.stringify(dump(original))).not.toBe(snapshot);
  });
});

function dump(s: Schema) {
  return {
    tables: [...s.tables].map(([k, t]) => [k, [...t.columns.values()], [...t.constraints.entries()]]),
    indexes: [...s.indexes.entries()],
  };
}
