import { describe, expect, it } from 'vitest';
import { parseFileName } from './golang-migrate.js';
import { discoverTree } from './testing.js';

describe('golang-migrate', () => {
  it('reads version, title and direction; titles may hold dots', () => {
    expect(parseFileName('0002_1.7.0_schema.up.sql')).toEqual({ version: 2n, id: '0002', name: '1.7.0_schema', direction: 'up' });
    expect(parseFileName('1_init.down.sql')).toMatchObject({ version: 1n, direction: 'down' });
    expect(parseFileName('init.up.sql')).toBeNull();
    expect(parseFileName('1_init.sql')).toBeNull();
  });

  it('orders by numeric version, pairs downs, and reports a down without its up', () => {
    const d = discoverTree({
      'migrations/10_ten.up.sql': 'SELECT 1;',
      'migrations/9_nine.up.sql': 'SELECT 1;',
      'migrations/9_nine.down.sql': 'SELECT 1;',
      'migrations/11_orphan.down.sql': 'SELECT 1;',
    });
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.down?.path ?? null])).toEqual([
      ['9', 'migrations/9_nine.down.sql'],
      ['10', null],
    ]);
    expect(d.errors.map((e) => [e.path, e.message])).toEqual([
      ['migrations/11_orphan.down.sql', 'down migration without a matching .up.sql: skipped'],
    ]);
  });
});
