import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParsers } from '../sql/index.js';
import { goose } from './goose.js';
import { discoverTree } from './testing.js';

beforeAll(loadSqlParsers);

const withFunction = `-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
ALTER TABLE users ADD COLUMN updated_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN updated_at;
DROP FUNCTION touch();
`;

describe('goose', () => {
  it('reads Up and Down sections; StatementBegin/End blocks are still SQL', () => {
    const d = discoverTree({
      'migrations/00002_touch.sql': withFunction,
      'migrations/00001_users.sql': '-- +goose Up\nCREATE TABLE users (id int);\n',
    });
    expect(d.errors).toEqual([]);
    const [first, second] = d.sets[0]?.migrations ?? [];
    expect(first?.id).toBe('00001');
    expect(first?.down).toBeNull();
    const parsed = goose.parse(second as NonNullable<typeof second>);
    expect(parsed.errors).toEqual([]);
    expect(parsed.up.map((op) => [op.kind, op.span.line])).toEqual([
      ['Raw', 3],
      ['AddColumn', 10],
    ]);
    expect(parsed.down?.map((op) => [op.kind, op.span.line])).toEqual([
      ['DropColumn', 13],
      ['Raw', 14],
    ]);
  });

  it('orders numeric versions and timestamps as numbers, and reads NO TRANSACTION', () => {
    const d = discoverTree({
      'migrations/20240101120000_late.sql': '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n',
      'migrations/00009_nine.sql': '-- +goose Up\nSELECT 1;\n',
      'migrations/00010_ten.sql': '-- +goose Up\nSELECT 1;\n',
    });
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.transactional])).toEqual([
      ['00009', true],
      ['00010', true],
      ['20240101120000', false],
    ]);
  });

  it('reports Go migrations: code is not analyzed', () => {
    const d = discoverTree({ 'migrations/00001_a.sql': '-- +goose Up\nSELECT 1;\n', 'migrations/00002_b.go': 'package migrations\n' });
    expect(d.errors.map((e) => e.path)).toEqual(['migrations/00002_b.go']);
    expect(d.errors[0]?.message).toContain('Go migration');
  });
});

describe('goose annotations, as goose matches them', () => {
  it.each([
    ['a lower-case annotation is a comment to goose', '-- +goose up\nSELECT 1;\n', 'without a "-- +goose Up" annotation'],
    ['Down before Up', '-- +goose Down\nSELECT 2;\n-- +goose Up\nSELECT 1;\n', 'goose refuses to run it'],
  ])('%s: an error, not a migration', (_, text, message) => {
    const d = discoverTree({ 'migrations/00001_a.sql': '-- +goose Up\nSELECT 1;\n', 'migrations/00002_b.sql': text });
    expect(d.sets[0]?.migrations.map((m) => m.id)).toEqual(['00001']);
    expect(d.errors.map((e) => e.path)).toEqual(['migrations/00002_b.sql']);
    expect(d.errors[0]?.message).toContain(message);
  });

  it('NO TRANSACTION applies to the whole file, up and down', () => {
    const d = discoverTree({
      'migrations/00001_a.sql':
        '-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX CONCURRENTLY i;\n-- +goose NO TRANSACTION\n',
    });
    const m = d.sets[0]?.migrations[0];
    expect([m?.transactional, m?.downTransactional ?? m?.transactional]).toEqual([false, false]);
  });

  it('two files of one version are an error naming both', () => {
    const d = discoverTree({ 'migrations/00001_a.sql': '-- +goose Up\nSELECT 1;\n', 'migrations/0001_b.sql': '-- +goose Up\nSELECT 2;\n' });
    expect(d.errors.map((e) => [e.path, e.message])).toEqual([
      ['migrations/0001_b.sql', 'goose found two migrations with version 1 (also 00001_a.sql)'],
    ]);
  });
});
