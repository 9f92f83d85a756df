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
