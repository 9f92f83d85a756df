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
      'CREATE TABLE users (id bigint NOT NULL, email varchar(100) NOT NULL);\nCREATE INDEX users_email ON users (email);\n' +
        "CREATE TABLE orders (id bigint, total numeric(10,2));\nCREATE TYPE mood AS ENUM ('a', 'b');",
    );

  it('takes the tables, their indexes and the enums the history never creates', () => {
    const schema = seedSchema(structure(), [migration('1', 'ALTER TABLE users DROP COLUMN email;')]);
    expect(schema.column({ name: 'users' }, 'email')?.type.text).toBe('varchar(100)');
    expect(schema.index({ name: 'users_email' })?.table).toBe('users');
    expect(schema.enums.get('mood')).toEqual(['a', 'b']);
    expect(schema.table({ name: 'users' })?.createdBy).toBe('seed');
  });

  it('leaves the tables the history creates (or renames into) to the history', () => {
    const schema = seedSchema(structure(), [
      migration('1', 'CREATE TABLE legacy_orders (id bigint);\nALTER TABLE legacy_orders RENAME TO orders;'),
    ]);
    expect(schema.table({ name: 'orders' })).toBeUndefined();
    expect(schema.table({ name: 'users' })).toBeDefined();
  });
});
