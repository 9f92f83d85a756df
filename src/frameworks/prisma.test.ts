import { describe, expect, it } from 'vitest';
import { discoverTree } from './testing.js';

describe('prisma', () => {
  it('reads migration folders in name order, without downs, with the provider of migration_lock.toml', () => {
    const d = discoverTree({
      'prisma/migrations/migration_lock.toml': '# managed by Prisma\nprovider = "mysql"\n',
      'prisma/migrations/20240102000000_orders/migration.sql': 'CREATE TABLE orders (id int);',
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE users (id int);',
    });
    expect(d.errors).toEqual([]);
    const set = d.sets[0];
    expect(set).toMatchObject({ framework: 'prisma', dialect: 'mysql', root: 'prisma/migrations' });
    expect(set?.migrations.map((m) => [m.id, m.name, m.path, m.down, m.downsUnsupported])).toEqual([
      ['20240101000000_init', 'init', 'prisma/migrations/20240101000000_init/migration.sql', null, true],
      ['20240102000000_orders', 'orders', 'prisma/migrations/20240102000000_orders/migration.sql', null, true],
    ]);
  });

  it('reads cockroachdb as PostgreSQL and falls back to the configured dialect without a lock file', () => {
    const cockroach = discoverTree({
      'migrations/migration_lock.toml': 'provider = "cockroachdb"\n',
      'migrations/1_init/migration.sql': 'SELECT 1;',
    });
    expect(cockroach.sets[0]?.dialect).toBe('postgresql');
    const noLock = discoverTree({ 'migrations/1_init/migration.sql': 'SELECT 1;' }, ['.'], 'sqlite');
    expect(noLock.sets[0]).toMatchObject({ framework: 'prisma', dialect: 'sqlite' });
  });

  it('reports a provider twoway cannot read and a migration folder without migration.sql', () => {
    const d = discoverTree({
      'migrations/migration_lock.toml': 'provider = "sqlserver"\n',
      'migrations/1_init/migration.sql': 'SELECT 1;',
      'migrations/2_half/notes.sql': 'SELECT 1;',
    });
    expect(d.errors.map((e) => e.path)).toEqual(['migrations/migration_lock.toml', 'migrations/2_half/notes.sql']);
    expect(d.sets.map((s) => s.framework)).toEqual(['prisma']);
  });
});
