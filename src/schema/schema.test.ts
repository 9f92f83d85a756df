import { beforeAll, describe, expect, it } from 'vitest';
import { sqlSource } from '../frameworks/sql-files.js';
import { loadSqlParsers, parseSql } from '../sql/index.js';
import { Schema } from './schema.js';

beforeAll(loadSqlParsers);

function replay(schema: Schema, sql: string, id: string): Schema {
  for (const op of parseSql(sqlSource('m.sql', sql), 'postgresql').ops) schema.apply(op, id);
  return schema;
}

const history = `
CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50), name text);
CREATE INDEX users_email ON users (email);
CREATE TYPE mood AS ENUM ('ok', 'sad');`;

describe('Schema.clone (copy-on-write)', () => {
  it('a change to the copy leaves the original as it was', () => {
    const original = replay(new Schema(), history, '1');
    const copy = replay(
      original.clone(),
      `ALTER TABLE users ALTER COLUMN email TYPE text;
       ALTER TABLE users ALTER COLUMN name SET NOT NULL;
       ALTER TABLE users RENAME COLUMN email TO mail;
       ALTER TABLE users RENAME TO people;
       ALTER TYPE mood ADD VALUE 'glad';`,
      '2',
    );
    expect(original.column({ name: 'users' }, 'email')?.type.text).toBe('varchar(50)');
    expect(original.column({ name: 'users' }, 'name')?.nullable).toBe(true);
    expect(original.index({ name: 'users_email' })).toMatchObject({ table: 'users', columns: ['email'] });
    expect(original.enums.get('mood')).toEqual(['ok', 'sad']);
    expect(copy.column({ name: 'people' }, 'mail')?.type.text).toBe('text');
    expect(copy.index({ name: 'users_email' })).toMatchObject({ table: 'people', columns: ['mail'] });
    expect(copy.enums.get('mood')).toEqual(['ok', 'sad', 'glad']);
  });

  it('a change to the original after cloning leaves the copy as it was', () => {
    const original = replay(new Schema(), history, '1');
    const before = original.clone();
    replay(original, 'ALTER TABLE users DROP COLUMN email; ALTER TABLE users ADD COLUMN age int;', '2');
    expect(before.column({ name: 'users' }, 'email')).toBeDefined();
    expect(before.column({ name: 'users' }, 'age')).toBeUndefined();
    expect(before.index({ name: 'users_email' })).toBeDefined();
    expect(original.column({ name: 'users' }, 'email')).toBeUndefined();
    expect(original.index({ name: 'users_email' })).toBeUndefined();
  });
});

describe('a statement no reader could follow', () => {
  it('never takes a table out of the replay: a rebuild whose CREATE is unread still leaves the table, its columns unknown', () => {
    const schema = new Schema();
    const apply = (sql: string, id: string) => {
      for (const op of parseSql(sqlSource('m.sql', sql), 'sqlite').ops) schema.apply(op, id);
    };
    apply('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);', '1');
    apply(
      [
        'CREATE TABLE t_new (id INTEGER PRIMARY KEY, name TEXT, );', // a trailing comma: no parser reads it
        'INSERT INTO t_new SELECT * FROM t;',
        'DROP TABLE t;',
        'ALTER TABLE t_new RENAME TO t;',
      ].join('\n'),
      '2',
    );
    expect(schema.table({ name: 't' })).toMatchObject({ name: { name: 't' }, columnsUnknown: true, createdBy: '' });
    expect(schema.table({ name: 't_new' })).toBeUndefined();
  });

  it('a rename onto a table the replay knows leaves that table as it is', () => {
    const schema = replay(new Schema(), 'CREATE TABLE t (id int);', '1');
    replay(schema, 'ALTER TABLE unknown_elsewhere RENAME TO t;', '2');
    expect(schema.table({ name: 't' })?.columns.has('id')).toBe(true);
  });
});

describe('a renamed table', () => {
  it('is what the foreign keys of other tables reference afterwards, and the schema before the rename keeps the old target', () => {
    const original = replay(
      new Schema(),
      `CREATE TABLE account_app (id bigint PRIMARY KEY);
       CREATE TABLE perms (id bigint PRIMARY KEY, app_id bigint REFERENCES account_app (id));`,
      '1',
    );
    const renamed = replay(original.clone(), 'ALTER TABLE account_app RENAME TO app_app;', '2');
    const target = (s: Schema) =>
      [...(s.table({ name: 'perms' })?.constraints.values() ?? [])].flatMap((c) => (c.references ? [c.references.table.name] : []));
    expect(target(renamed)).toEqual(['app_app']);
    expect(target(original)).toEqual(['account_app']);
  });
});

describe('DROP CONSTRAINT of a unique key', () => {
  it('takes the index of that name with it (MySQL 8 and MariaDB drop the unique index)', () => {
    const schema = new Schema();
    const sql = 'CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE UNIQUE INDEX uk_a ON t (a);\nALTER TABLE t DROP CONSTRAINT uk_a;';
    const ops = parseSql(sqlSource('m.sql', sql), 'mysql').ops;
    for (const op of ops.slice(0, 2)) schema.apply(op, '1');
    expect(schema.index({ name: 'uk_a' })).toBeDefined();
    schema.apply(ops[2] as (typeof ops)[number], '2');
    expect(schema.index({ name: 'uk_a' })).toBeUndefined();
  });
});

describe('Schema: RENAME COLUMN', () => {
  it('constraints on the column and foreign keys that reference it follow the new name, as PostgreSQL keeps them', () => {
    const s = replay(
      new Schema(),
      `CREATE TABLE apps (id bigint PRIMARY KEY, code text UNIQUE);
       CREATE TABLE grants (id bigint PRIMARY KEY, account_id bigint REFERENCES apps (id), app_code text REFERENCES apps (code), UNIQUE (account_id, id));
       ALTER TABLE grants RENAME COLUMN account_id TO app_id;
       ALTER TABLE apps RENAME COLUMN code TO slug;`,
      '1',
    );
    const grants = [...(s.table({ name: 'grants' })?.constraints.values() ?? [])];
    const described = grants.filter((k) => k.type !== 'primary-key').map((k) => [k.type, k.columns, k.references?.columns ?? null]);
    expect(described.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      ['foreign-key', ['app_code'], ['slug']],
      ['foreign-key', ['app_id'], ['id']],
      ['unique', ['app_id', 'id'], null],
    ]);
    expect([...(s.table({ name: 'apps' })?.constraints.values() ?? [])].map((k) => k.columns)).toEqual([['id'], ['slug']]);
  });
});
