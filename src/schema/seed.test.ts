import { beforeAll, describe, expect, it } from 'vitest';
import { parseSqlMigration } from '../frameworks/sql-files.js';
import type { ParsedMigration } from '../migration.js';
import { loadSqlParsers, parseSql } from '../sql/index.js';
import { seedSchema } from './seed.js';

const dump = (sql: string) => parseSql({ path: 'db/structure.sql', text: sql, startLine: 1, language: 'sql' }, 'postgresql').ops;
const migration = (id: string, sql: string): ParsedMigration =>
  parseSqlMigration({
    id,
    name: id,
    framework: 'sql',
    dialect: 'postgresql',
    path: `${id}.sql`,
    files: [`${id}.sql`],
    up: { path: `${id}.sql`, text: sql, startLine: 1, language: 'sql' },
    down: null,
    transactional: true,
  });

describe('seedSchema', () => {
  beforeAll(loadSqlParsers);
  const structure = () =>
    dump(
      'CREATE TABLE users (id bigint NOT NULL, email varchar(100) NOT NULL, nickname text);\nCREATE INDEX users_email ON users (email);\n' +
        "CREATE TABLE orders (id bigint, total numeric(10,2));\nCREATE TYPE mood AS ENUM ('a', 'b', 'c');",
    );

  it('takes the tables, their indexes and the enums the history never creates', () => {
    const schema = seedSchema(structure(), [migration('1', 'ALTER TABLE orders ADD COLUMN note text;')]);
    expect(schema.column({ name: 'users' }, 'email')?.type.text).toBe('varchar(100)');
    expect(schema.index({ name: 'users_email' })?.table).toBe('users');
    expect(schema.enums.get('mood')).toEqual(['a', 'b', 'c']);
    expect(schema.table({ name: 'users' })?.createdBy).toBe('seed');
  });

  it('leaves the tables the history creates (or renames into) to the history', () => {
    const schema = seedSchema(structure(), [
      migration('1', 'CREATE TABLE legacy_orders (id bigint);\nALTER TABLE legacy_orders RENAME TO orders;'),
    ]);
    expect(schema.table({ name: 'orders' })).toBeUndefined();
    expect(schema.table({ name: 'users' })).toBeDefined();
  });

  // A squashed history: the dump is its end, so what the live migrations change is walked back.
  it.each([
    [
      'a NOT NULL the history sets was not there before',
      'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      (s: ReturnType<typeof seedSchema>) => s.column({ name: 'users' }, 'email')?.nullable,
      true,
    ],
    [
      'a NOT NULL the history drops was there before',
      'ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL;',
      (s: ReturnType<typeof seedSchema>) => s.column({ name: 'users' }, 'nickname')?.nullable,
      false,
    ],
    [
      'a column the history adds did not exist',
      'ALTER TABLE users ADD COLUMN nickname text;',
      (s: ReturnType<typeof seedSchema>) => s.column({ name: 'users' }, 'nickname'),
      undefined,
    ],
    [
      'an index the history adds did not exist',
      'CREATE INDEX users_email ON users (email);',
      (s: ReturnType<typeof seedSchema>) => s.index({ name: 'users_email' }),
      undefined,
    ],
    [
      'a column the history renames had its old name',
      'ALTER TABLE users RENAME COLUMN mail TO email;',
      (s: ReturnType<typeof seedSchema>) => s.column({ name: 'users' }, 'mail')?.type.text,
      'varchar(100)',
    ],
    [
      'a table the history renames had its old name',
      'ALTER TABLE purchases RENAME TO orders;',
      (s: ReturnType<typeof seedSchema>) => s.column({ name: 'purchases' }, 'total')?.type.text,
      'numeric(10,2)',
    ],
    [
      'an enum value the history adds did not exist',
      "ALTER TYPE mood ADD VALUE 'c';",
      (s: ReturnType<typeof seedSchema>) => s.enums.get('mood'),
      ['a', 'b'],
    ],
    [
      'the type before a type change is unknown',
      'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);',
      (s: ReturnType<typeof seedSchema>) => [s.column({ name: 'orders' }, 'total'), s.table({ name: 'orders' })?.columnsUnknown],
      [undefined, true],
    ],
    [
      'a column the history drops may have existed',
      'ALTER TABLE orders DROP COLUMN legacy;',
      (s: ReturnType<typeof seedSchema>) => s.table({ name: 'orders' })?.columnsUnknown,
      true,
    ],
    [
      'a default the history sets was not there before',
      "ALTER TABLE users ALTER COLUMN nickname SET DEFAULT 'x';",
      (s: ReturnType<typeof seedSchema>) => s.column({ name: 'users' }, 'nickname')?.default,
      null,
    ],
  ])('%s', (_case, sql, read, expected) => {
    expect(read(seedSchema(structure(), [migration('1', sql)]))).toEqual(expected);
  });

  it('walks back the history in reverse: a column added then renamed did not exist under either name', () => {
    const schema = seedSchema(structure(), [
      migration('1', 'ALTER TABLE users ADD COLUMN nick text;'),
      migration('2', 'ALTER TABLE users RENAME COLUMN nick TO nickname;'),
    ]);
    expect(schema.column({ name: 'users' }, 'nickname')).toBeUndefined();
    expect(schema.column({ name: 'users' }, 'nick')).toBeUndefined();
    expect(schema.column({ name: 'users' }, 'email')?.nullable).toBe(false);
  });
});
