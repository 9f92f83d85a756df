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

  it('orders by version and reads transaction:false', () => {
    const d = discoverTree({
      'db/migrations/20240102_b.sql':
        '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;\n',
      'db/migrations/20240101_a.sql': '-- migrate:up\nSELECT 1;\n',
    });
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.transactional, m.down === null])).toEqual([
      ['20240101', true, true],
      ['20240102', false, false],
    ]);
  });

  it('reports a file without an up section or without a version', () => {
    const d = discoverTree({
      'db/migrations/20240101_a.sql': '-- migrate:up\nSELECT 1;\n',
      'db/migrations/20240102_b.sql': 'SELECT 1;\n',
      'db/migrations/seed.sql': '-- migrate:up\nSELECT 1;\n',
    });
    expect(d.sets[0]?.migrations).toHaveLength(1);
    expect(d.errors.map((e) => [e.path, e.message]).sort()).toEqual([
      ['db/migrations/20240102_b.sql', 'dbmate migration without a "-- migrate:up" section: skipped'],
      ['db/migrations/seed.sql', 'dbmate reads only files whose name starts with a version number: skipped'],
    ]);
  });
});
