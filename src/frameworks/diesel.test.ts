import { describe, expect, it } from 'vitest';
import { parseDieselFolderName } from './diesel.js';
import { checkTree, discoverTree } from './testing.js';

describe('diesel', () => {
  it('reads the version as Diesel does: the part before the first underscore, without dashes', () => {
    expect(parseDieselFolderName('2019-02-26-002946_create_user')).toEqual({ version: '20190226002946', name: 'create_user' });
    expect(parseDieselFolderName('00000000000000_diesel_initial_setup')).toEqual({
      version: '00000000000000',
      name: 'diesel_initial_setup',
    });
    expect(parseDieselFolderName('notes')).toBeNull();
  });

  it('reads a folder per migration in version order, with up.sql and down.sql', () => {
    const d = discoverTree({
      'migrations/2024-01-02-000000_orders/up.sql': 'CREATE TABLE orders (id int);',
      'migrations/2024-01-02-000000_orders/down.sql': 'DROP TABLE orders;',
      'migrations/00000000000000_diesel_initial_setup/up.sql': 'SELECT 1;',
      'migrations/00000000000000_diesel_initial_setup/down.sql': 'SELECT 1;',
      'migrations/20231231000000_users/up.sql': 'CREATE TABLE users (id int);',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.files])).toEqual([
      [
        '00000000000000',
        ['migrations/00000000000000_diesel_initial_setup/up.sql', 'migrations/00000000000000_diesel_initial_setup/down.sql'],
      ],
      ['20231231000000', ['migrations/20231231000000_users/up.sql']],
      ['20240102000000', ['migrations/2024-01-02-000000_orders/up.sql', 'migrations/2024-01-02-000000_orders/down.sql']],
    ]);
  });

  it('follows diesel.toml to another folder and reads run_in_transaction from metadata.toml', () => {
    const d = discoverTree({
      'diesel.toml': '[migrations_directory]\ndir = "db/diesel"\n',
      'db/diesel/2024-01-01-000000_index/up.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);',
      'db/diesel/2024-01-01-000000_index/down.sql': 'DROP INDEX i;',
      'db/diesel/2024-01-01-000000_index/metadata.toml': 'run_in_transaction = false\n',
    });
    expect(d.sets).toHaveLength(1);
    expect(d.sets[0]?.migrations[0]).toMatchObject({
      framework: 'diesel',
      path: 'db/diesel/2024-01-01-000000_index/up.sql',
      transactional: false,
    });
  });

  it('reports .sql files in the migrations folder that belong to no migration', () => {
    const d = discoverTree({
      'migrations/2024-01-01-000000_a/up.sql': 'SELECT 1;',
      'migrations/2024-01-02-000000_b/down.sql': 'SELECT 1;',
      'migrations/seed.sql': 'SELECT 1;',
    });
    expect(d.sets.map((s) => s.framework)).toEqual(['diesel']);
    expect(d.errors.map((e) => e.path)).toEqual(['migrations/seed.sql', 'migrations/2024-01-02-000000_b/down.sql']);
    expect(d.errors[0]?.message).toBe("not a diesel migration (its name or place does not follow diesel's layout): skipped");
  });
});

describe('diesel refusals', () => {
  it('two folders of one version: Diesel runs only one, an error names both', async () => {
    const result = await checkTree({
      'migrations/2024-01-02-000000_a/up.sql': 'CREATE TABLE a (id int);',
      'migrations/2024-01-02-000000_a/down.sql': 'DROP TABLE a;',
      'migrations/20240102000000_b/up.sql': 'CREATE TABLE b (id int);',
      'migrations/20240102000000_b/down.sql': 'DROP TABLE b;',
    });
    expect(result.reports.map((r) => r.parsed.migration.path)).toEqual(['migrations/2024-01-02-000000_a/up.sql']);
    expect(result.errors.map((e) => e.path).sort()).toEqual(['migrations/20240102000000_b/down.sql', 'migrations/20240102000000_b/up.sql']);
    expect(result.errors[0]?.message).toContain('migrations/2024-01-02-000000_a/up.sql has version 20240102000000 too');
  });

  it('an empty up.sql is refused by Diesel', () => {
    const d = discoverTree({ 'migrations/2024-01-02-000000_a/up.sql': '', 'migrations/2024-01-02-000000_a/down.sql': 'SELECT 1;' });
    expect(d.errors.map((e) => [e.path, e.message])).toEqual([
      ['migrations/2024-01-02-000000_a/up.sql', 'empty up.sql: Diesel refuses to run it ("Attempted to run an empty migration")'],
    ]);
  });
});
