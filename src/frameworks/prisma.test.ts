import { describe, expect, it } from 'vitest';
import { checkTree, discoverTree } from './testing.js';

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

  it("reads a down.sql beside migration.sql as the down (Prisma's documented down migrations)", () => {
    const d = discoverTree({
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/1_init/migration.sql': 'CREATE TABLE t (id int);',
      'prisma/migrations/2_col/migration.sql': 'ALTER TABLE t ADD COLUMN c int;',
      'prisma/migrations/2_col/down.sql': 'ALTER TABLE t DROP COLUMN c;',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.down?.path ?? null])).toEqual([
      ['1_init', null],
      ['2_col', 'prisma/migrations/2_col/down.sql'],
    ]);
  });

  it('runs a lone CONCURRENTLY statement outside a transaction, not one among others (one query, as Prisma sends it)', async () => {
    const r = await checkTree({
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/1_init/migration.sql': 'CREATE TABLE t (id int, c int);',
      'prisma/migrations/2_alone/migration.sql': 'CREATE INDEX CONCURRENTLY t_c_idx ON t (c);',
      'prisma/migrations/3_mixed/migration.sql': 'SET lock_timeout = 1000;\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);',
    });
    const inTransaction = (id: string) =>
      r.reports.find((x) => x.parsed.migration.id === id)?.findings.filter((f) => f.rule === 'concurrently-in-transaction').length;
    expect([inTransaction('2_alone'), inTransaction('3_mixed')]).toEqual([0, 1]);
  });
});
