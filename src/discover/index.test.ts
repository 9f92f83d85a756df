import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverTree, tree } from '../frameworks/testing.js';
import { discover } from './index.js';

describe('discover', () => {
  it('finds every migration set below a repo root', () => {
    const d = discoverTree({
      'services/a/db/migrations/20240101_a.sql': '-- migrate:up\nSELECT 1;',
      'services/b/migrations/1_init.up.sql': 'SELECT 1;',
      'node_modules/pkg/migrations/1_x.up.sql': 'SELECT 1;',
    });
    expect(d.sets.map((s) => [s.framework, s.root])).toEqual([
      ['dbmate', 'services/a/db/migrations'],
      ['golang-migrate', 'services/b/migrations'],
    ]);
  });

  it('says in one line that a path is missing, a folder is empty or holds no migrations', () => {
    const root = tree({ 'docs/README.md': '# hi' });
    mkdirSync(join(root, 'empty'));
    const d = discover(['missing', 'empty', 'docs'], { cwd: root });
    expect(d.sets).toEqual([]);
    expect(d.errors.map((e) => [e.path, e.message])).toEqual([
      ['missing', 'no such file or folder'],
      ['empty', 'empty folder: no migrations to check'],
      ['docs', 'no migrations found in this folder'],
    ]);
  });

  it('checks a single file with the history of its set replayed', () => {
    const d = discoverTree(
      {
        'migrations/2024-01-01-000000_users/up.sql': 'CREATE TABLE users (id int);',
        'migrations/2024-01-02-000000_drop/up.sql': 'ALTER TABLE users DROP COLUMN id;',
        'migrations/2024-01-02-000000_drop/down.sql': 'ALTER TABLE users ADD COLUMN id int;',
      },
      ['migrations/2024-01-02-000000_drop/up.sql'],
    );
    expect(d.errors).toEqual([]);
    expect(d.sets).toHaveLength(1);
    expect(d.sets[0]?.framework).toBe('diesel');
    expect(d.sets[0]?.migrations).toHaveLength(2);
    expect(d.sets[0]?.reportOnly).toEqual(['migrations/2024-01-02-000000_drop/up.sql']);
  });

  it('reports a single file that is no migration', () => {
    const d = discoverTree({ 'notes/todo.txt': 'x' }, ['notes/todo.txt']);
    expect(d.errors.map((e) => e.message)).toEqual(['not a migration of any supported framework (todo.txt)']);
    const stray = discoverTree({ 'migrations/2024-01-01-000000_a/up.sql': 'SELECT 1;', 'migrations/seed.sql': 'SELECT 1;' }, [
      'migrations/seed.sql',
    ]);
    expect(stray.sets).toEqual([]);
    expect(stray.errors.map((e) => e.message)).toEqual([
      "not a diesel migration (its name or place does not follow diesel's layout): skipped",
    ]);
  });

  it('reports binary and huge files in one line each, their answers unknown, and goes on with the others', async () => {
    const { checkTree } = await import('../frameworks/testing.js');
    const result = await checkTree({
      'sql/1_ok.sql': 'CREATE TABLE t (a int);',
      'sql/2_binary.sql': Buffer.from([0x43, 0x00, 0x01, 0x02]),
      'sql/3_huge.sql': Buffer.alloc(6 * 1024 * 1024, 0x20),
    });
    expect(result.reports.map((r) => [r.parsed.migration.id, r.phase])).toEqual([
      ['1_ok', 'expand'],
      ['2_binary', 'unknown'],
      ['3_huge', 'unknown'],
    ]);
    expect(result.errors.map((e) => [e.path, e.message])).toEqual([
      ['sql/2_binary.sql', 'binary file (contains NUL bytes): not read'],
      ['sql/3_huge.sql', 'file is 6.0 MB, over the 5 MB limit: not read'],
    ]);
  });

  it('a down file that cannot be read leaves the rollback unknown, not no-down', async () => {
    const { checkTree } = await import('../frameworks/testing.js');
    const result = await checkTree({
      'migrations/1_users.up.sql': 'CREATE TABLE users (id int);',
      'migrations/1_users.down.sql': Buffer.from([0x44, 0x00]),
    });
    expect(result.reports.map((r) => [r.phase, r.dbRollback, r.parsed.downStatus])).toEqual([['expand', 'unknown', 'unreadable']]);
    expect(result.errors.map((e) => e.path)).toEqual(['migrations/1_users.down.sql']);
  });
});

describe('a folder that is one migration of its parent’s set', () => {
  it.each<{ name: string; files: Record<string, string>; arg: string; framework: string; reported: string[] }>([
    {
      name: 'a Diesel migration folder is read as Diesel with its history, the down not run before the up',
      files: {
        'migrations/2024-01-01-000000_users/up.sql': 'CREATE TABLE users (id int, email text);',
        'migrations/2024-01-01-000000_users/down.sql': 'DROP TABLE users;',
        'migrations/2024-03-02-000000_x/up.sql': 'ALTER TABLE users DROP COLUMN email;',
        'migrations/2024-03-02-000000_x/down.sql': 'ALTER TABLE users ADD COLUMN email text;',
      },
      arg: 'migrations/2024-03-02-000000_x',
      framework: 'diesel',
      reported: ['migrations/2024-03-02-000000_x/up.sql', 'migrations/2024-03-02-000000_x/down.sql'],
    },
    {
      name: 'a Prisma migration folder is read as Prisma with the lock file’s provider',
      files: {
        'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE users (id int);',
        'prisma/migrations/20240102000000_email/migration.sql': 'ALTER TABLE users ADD COLUMN email text;',
      },
      arg: 'prisma/migrations/20240102000000_email',
      framework: 'prisma',
      reported: ['prisma/migrations/20240102000000_email/migration.sql'],
    },
  ])('$name', ({ files, arg, framework, reported }) => {
    const d = discoverTree(files, [arg]);
    expect(d.errors).toEqual([]);
    expect(d.sets.map((s) => s.framework)).toEqual([framework]);
    expect(d.sets[0]?.migrations.length).toBe(2);
    expect(d.sets[0]?.reportOnly).toEqual(reported);
  });

  it('reports only the answers of that migration, judged with its history', async () => {
    const { checkTree } = await import('../frameworks/testing.js');
    const result = await checkTree(
      {
        'migrations/2024-01-01-000000_users/up.sql': 'CREATE TABLE users (id int, email text);',
        'migrations/2024-01-01-000000_users/down.sql': 'DROP TABLE users;',
        'migrations/2024-03-02-000000_x/up.sql': 'ALTER TABLE users DROP COLUMN email;',
        'migrations/2024-03-02-000000_x/down.sql': 'ALTER TABLE users ADD COLUMN email text;',
      },
      ['migrations/2024-03-02-000000_x'],
    );
    expect(result.reports.map((r) => [r.parsed.migration.framework, r.parsed.migration.path, r.phase, r.dbRollback])).toEqual([
      ['diesel', 'migrations/2024-03-02-000000_x/up.sql', 'contract', 'irreversible'],
    ]);
  });
});
