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

describe('golang-migrate refuses what its source driver refuses', () => {
  it('two files of one version and direction are an error naming both (001 and 1 are one version)', () => {
    const d = discoverTree({
      'migrations/001_a.up.sql': 'SELECT 1;',
      'migrations/1_b.up.sql': 'SELECT 2;',
      'migrations/1_b.down.sql': 'SELECT 3;',
    });
    expect(d.sets[0]?.migrations.map((m) => [m.path, m.down?.path])).toEqual([['migrations/001_a.up.sql', 'migrations/1_b.down.sql']]);
    expect(d.errors.map((e) => [e.path, e.message])).toEqual([
      ['migrations/1_b.up.sql', 'golang-migrate refuses two up migrations with version 1 (also migrations/001_a.up.sql): skipped'],
    ]);
  });

  it('a name without the underscore after the version is not golang-migrate’s, and is reported', () => {
    expect(parseFileName('1.up.sql')).toBeNull();
    const d = discoverTree({ 'migrations/1_a.up.sql': 'SELECT 1;', 'migrations/2.up.sql': 'SELECT 2;' });
    expect(d.sets[0]?.migrations.map((m) => m.id)).toEqual(['1']);
    expect(d.errors.map((e) => e.path)).toEqual(['migrations/2.up.sql']);
  });
});
