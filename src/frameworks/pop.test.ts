import { describe, expect, it } from 'vitest';
import { parsePopFileName } from './pop.js';
import { discoverTree } from './testing.js';

describe('pop', () => {
  it('reads the dialect, direction and type from the file name', () => {
    expect(parsePopFileName('20191100000001000000_identities.postgres.up.sql')).toEqual({
      version: '20191100000001000000',
      name: 'identities',
      popDialect: 'postgres',
      direction: 'up',
      type: 'sql',
    });
    expect(parsePopFileName('20200101_users.down.fizz')).toMatchObject({ popDialect: null, direction: 'down', type: 'fizz' });
    expect(parsePopFileName('20200101_users.oracle.up.sql')).toBeNull();
    expect(parsePopFileName('20230705_cookie.sqlite.down.sql')).toMatchObject({ popDialect: 'sqlite3' });
  });

  it('yields one set per dialect; generic files join every set unless the dialect has its own', () => {
    const d = discoverTree({
      'migrations/001_users.up.sql': 'CREATE TABLE users (id int);',
      'migrations/002_index.postgres.up.sql': 'CREATE INDEX CONCURRENTLY users_id ON users (id);',
      'migrations/002_index.postgres.down.sql': 'DROP INDEX users_id;',
      'migrations/002_index.mysql.up.sql': 'CREATE INDEX users_id ON users (id);',
      'migrations/003_generic.up.sql': 'ALTER TABLE users ADD COLUMN email text;',
      'migrations/003_generic.sqlite3.up.sql': 'ALTER TABLE users ADD email text;',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets.map((s) => [s.framework, s.dialect, s.migrations.map((m) => m.path.replace('migrations/', ''))])).toEqual([
      ['pop', 'mysql', ['001_users.up.sql', '002_index.mysql.up.sql', '003_generic.up.sql']],
      ['pop', 'postgresql', ['001_users.up.sql', '002_index.postgres.up.sql', '003_generic.up.sql']],
      ['pop', 'sqlite', ['001_users.up.sql', '003_generic.sqlite3.up.sql']],
    ]);
    expect(d.sets[1]?.migrations[1]?.files).toEqual(['migrations/002_index.postgres.up.sql', 'migrations/002_index.postgres.down.sql']);
  });

  it('reports each fizz file in one clear line instead of skipping it', () => {
    const d = discoverTree({
      'migrations/001_users.up.fizz': 'create_table("users") {}',
      'migrations/001_users.down.fizz': 'drop_table("users")',
      'migrations/002_email.up.sql': 'ALTER TABLE users ADD COLUMN email text;',
    });
    expect(d.sets[0]?.migrations.map((m) => m.id)).toEqual(['002']);
    expect(d.errors.map((e) => e.path)).toEqual(['migrations/001_users.down.fizz', 'migrations/001_users.up.fizz']);
    expect(d.errors[0]?.message).toContain('fizz files are not analyzed');
  });
});
