import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParsers } from '../sql/index.js';
import { dbmate } from './dbmate.js';
import { discoverTree } from './testing.js';

beforeAll(loadSqlParsers);

const file = `-- orders belong to users
-- migrate:up
CREATE TABLE orders (id bigserial PRIMARY KEY);
ALTER TABLE orders ADD COLUMN total numeric(10,2);

-- migrate:down
DROP TABLE orders;
`;

describe('dbmate', () => {
  it('splits the file into up and down sections that keep their real lines', () => {
    const d = discoverTree({ 'db/migrations/20240101120000_create_orders.sql': file });
    expect(d.errors).toEqual([]);
    const m = d.sets[0]?.migrations[0];
    expect(m).toMatchObject({ framework: 'dbmate', id: '20240101120000', name: 'create_orders', transactional: true });
    expect(m?.up.startLine).toBe(3);
    expect(m?.down?.startLine).toBe(7);
    const parsed = dbmate.parse(m as NonNullable<typeof m>);
    expect(parsed.up.map((op) => [op.kind, op.span.line])).toEqual([
      ['CreateTable', 3],
      ['AddColumn', 4],
    ]);
    expect(parsed.down?.map((op) => [op.kind, op.span.line])).toEqual([['DropTable', 7]]);
  });

  it('orders by file name and reads transaction:false on each marker', () => {
    const d = discoverTree({
      'db/migrations/20240102_b.sql':
        '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;\n',
      'db/migrations/20240103_c.sql':
        '-- migrate:up\nCREATE INDEX j ON t (a);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY j;\n',
      'db/migrations/20240101_a.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.transactional, m.downTransactional ?? m.transactional])).toEqual([
      ['20240101', true, true],
      ['20240102', false, true],
      ['20240103', true, false],
    ]);
  });

  it('sorts as dbmate does, by file name byte by byte: 10_ before 2_', () => {
    const d = discoverTree({
      'db/migrations/2_b.sql': '-- migrate:up\nSELECT 2;\n-- migrate:down\n',
      'db/migrations/10_a.sql': '-- migrate:up\nSELECT 10;\n-- migrate:down\n',
    });
    expect(d.sets[0]?.migrations.map((m) => m.id)).toEqual(['10', '2']);
  });

  it('reports a file without an up section or without a version', () => {
    const d = discoverTree({
      'db/migrations/20240101_a.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n',
      'db/migrations/20240102_b.sql': 'SELECT 1;\n',
      'db/migrations/seed.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n',
    });
    expect(d.sets[0]?.migrations).toHaveLength(1);
    expect(d.errors.map((e) => [e.path, e.message]).sort()).toEqual([
      ['db/migrations/20240102_b.sql', 'dbmate migration without a "-- migrate:up" section: skipped'],
      ['db/migrations/seed.sql', 'dbmate reads only files whose name starts with a version number: skipped'],
    ]);
  });

  it.each([
    ['no down section', '-- migrate:up\nSELECT 1;\n', 1, 'dbmate requires each migration to define a down block'],
    ['the down before the up', '-- migrate:down\nSELECT 2;\n-- migrate:up\nSELECT 1;\n', 1, 'to appear before "-- migrate:down"'],
    ['a statement before the up', 'SELECT 0;\n-- migrate:up\nSELECT 1;\n-- migrate:down\n', 1, 'statements preceding'],
  ])('what dbmate refuses is an error at its line, and the migration is still replayed: %s', (_, text, line, message) => {
    const d = discoverTree({ 'db/migrations/20240101_a.sql': text });
    expect(d.sets[0]?.migrations.map((m) => m.id)).toEqual(['20240101']);
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ path: 'db/migrations/20240101_a.sql', line });
    expect(d.errors[0]?.message).toContain(message);
    expect(d.errors[0]?.message).toContain('dbmate refuses to run it');
  });

  it('two files of one version are an error naming both', () => {
    const d = discoverTree({
      'db/migrations/20240101_a.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n',
      'db/migrations/20240101_b.sql': '-- migrate:up\nSELECT 2;\n-- migrate:down\n',
    });
    expect(d.errors.map((e) => e.path)).toEqual(['db/migrations/20240101_b.sql']);
    expect(d.errors[0]?.message).toContain('version 20240101 (also db/migrations/20240101_a.sql)');
  });
});
