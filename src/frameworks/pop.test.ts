import { describe, expect, it } from 'vitest';
import { parsePopFileName } from './pop.js';
import { checkTree, discoverTree } from './testing.js';

describe('pop', () => {
  it('reads the dialect, direction and type from the file name', () => {
    expect(parsePopFileName('20191100000001000000_identities.postgres.up.sql')).toEqual({
      version: '20191100000001000000',
      name: 'identities',
      popDialect: 'postgres',
      direction: 'up',
      type: 'sql',
      autocommit: false,
    });
    expect(parsePopFileName('20240101000000000000_index.postgres.autocommit.up.sql')).toMatchObject({
      popDialect: 'postgres',
      autocommit: true,
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

describe('pop rollback groups: versions sharing popx’s 14-digit legacy version roll back together', () => {
  // kratos' 20200607165100 settings change: each down undoes the other version's up (its downs are shifted).
  const settings = {
    'sql/20200101000000000000_requests.postgres.up.sql': 'CREATE TABLE requests (id int, update_successful bool NOT NULL DEFAULT false);',
    'sql/20200101000000000000_requests.postgres.down.sql': 'DROP TABLE requests;',
    'sql/20200607165100000000_settings.postgres.up.sql': "ALTER TABLE requests ADD COLUMN state varchar(255) NOT NULL DEFAULT 'show_form';",
    'sql/20200607165100000000_settings.postgres.down.sql': 'ALTER TABLE requests ADD COLUMN update_successful bool NOT NULL DEFAULT false;',
    'sql/20200607165100000001_settings.postgres.up.sql': 'ALTER TABLE requests DROP COLUMN update_successful;',
    'sql/20200607165100000001_settings.postgres.down.sql': 'ALTER TABLE requests DROP COLUMN state;',
  };
  const drift = (r: Awaited<ReturnType<typeof checkTree>>['reports'][number]) =>
    r.findings.filter((f) => f.rule === 'down-does-not-undo' && f.message.startsWith('After'));

  it('marks the versions of one legacy version, two or more, as one group', () => {
    const d = discoverTree(settings);
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.rollbackGroup ?? null])).toEqual([
      ['20200101000000000000', null],
      ['20200607165100000000', '20200607165100'],
      ['20200607165100000001', '20200607165100'],
    ]);
  });

  it('a group whose downs, newest first, undo its ups raises no down-does-not-undo', async () => {
    const result = await checkTree(settings);
    expect(result.reports.flatMap(drift)).toEqual([]);
  });

  it('a group whose downs leave drift is reported once, at its newest version', async () => {
    const result = await checkTree({
      ...settings,
      'sql/20200607165100000001_settings.postgres.down.sql': 'SELECT 1;',
    });
    const found = result.reports.flatMap((r) => drift(r).map((f) => [r.parsed.migration.id, f.message]));
    expect(found).toEqual([
      [
        '20200607165100000001',
        'After the ups of versions 20200607165100000000 to 20200607165100000001 and their downs, run newest first as a rollback of the group does, column requests.state remains: the down does not drop it.',
      ],
    ]);
  });

  // kratos' 20191100000011 courier_body_type on SQLite: a rebuild split over four versions, downs empty.
  const rebuild = (copy: string) => ({
    'sql/20191100000001000000_courier.sqlite3.up.sql':
      'CREATE TABLE courier_messages (id TEXT PRIMARY KEY, body TEXT NOT NULL, status INTEGER);',
    'sql/20191100000001000000_courier.sqlite3.down.sql': 'DROP TABLE courier_messages;',
    'sql/20191100000011000000_body.sqlite3.up.sql':
      'CREATE TABLE _courier_messages_tmp (id TEXT PRIMARY KEY, body TEXT NOT NULL, status INTEGER);',
    'sql/20191100000011000001_body.sqlite3.up.sql': copy,
    'sql/20191100000011000002_body.sqlite3.up.sql': 'DROP TABLE courier_messages;',
    'sql/20191100000011000003_body.sqlite3.up.sql': 'ALTER TABLE _courier_messages_tmp RENAME TO courier_messages;',
  });
  const verdicts = (reports: Awaited<ReturnType<typeof checkTree>>['reports']) =>
    reports.map((r) => [r.parsed.migration.id.slice(14), r.phase, r.codeRollback, r.dbRollback]);

  it('a rebuild split over a group: the drop keeps the rows its group copied, the rename back is old table against new', async () => {
    const result = await checkTree(
      rebuild('INSERT INTO _courier_messages_tmp (id, body, status) SELECT id, body, status FROM courier_messages;'),
    );
    expect(verdicts(result.reports.slice(1))).toEqual([
      ['000000', 'expand', 'compatible', 'no-down'],
      ['000001', 'expand', 'compatible', 'no-down'],
      ['000002', 'contract', 'compatible', 'no-down'],
      ['000003', 'expand', 'compatible', 'no-down'],
    ]);
  });

  it('a rebuild split over a group whose copy leaves out a column loses it at the drop, and removes it at the rename', async () => {
    const result = await checkTree({
      ...rebuild('INSERT INTO _courier_messages_tmp (id, body) SELECT id, body FROM courier_messages;'),
      'sql/20191100000011000000_body.sqlite3.up.sql': 'CREATE TABLE _courier_messages_tmp (id TEXT PRIMARY KEY, body TEXT NOT NULL);',
    });
    expect(verdicts(result.reports.slice(3))).toEqual([
      ['000002', 'contract', 'compatible', 'irreversible'],
      ['000003', 'contract', 'compatible', 'no-down'],
    ]);
    expect(result.reports[4]?.findings.map((f) => f.rule)).not.toContain('rename-table');
  });

  it('a column an earlier version of the group added holds no value of the previous release: filling or dropping it destroys nothing', async () => {
    const result = await checkTree({
      'sql/20200101000000000000_sessions.postgres.up.sql': 'CREATE TABLE sessions (id int PRIMARY KEY, token varchar(32) NOT NULL);',
      'sql/20210618103120000000_logout.postgres.up.sql': 'ALTER TABLE sessions ADD COLUMN logout_token varchar(32);',
      'sql/20210618103120000001_logout.postgres.up.sql': 'UPDATE sessions SET logout_token = token;',
      'sql/20210618103120000002_logout.postgres.up.sql': 'ALTER TABLE sessions DROP COLUMN logout_token;',
    });
    expect(verdicts(result.reports.slice(1))).toEqual([
      ['000000', 'expand', 'compatible', 'no-down'],
      ['000001', 'data', 'compatible', 'no-down'],
      ['000002', 'contract', 'compatible', 'no-down'],
    ]);
  });

  // kratos' 20220118104539 identity_fk_indexes: each down drops the index of another version (shifted downs).
  it('a down that drops an index only a later version of its group makes fails when run right after its own up: lossy', async () => {
    const result = await checkTree({
      'sql/20200101000000000000_tables.postgres.up.sql':
        'CREATE TABLE credentials (id int, nid int);\nCREATE TABLE addresses (id int, nid int);',
      'sql/20220118104539000000_fk.postgres.up.sql': 'CREATE INDEX credentials_nid_idx ON credentials (nid);',
      'sql/20220118104539000000_fk.postgres.down.sql': 'DROP INDEX addresses_nid_idx;',
      'sql/20220118104539000001_fk.postgres.up.sql': 'CREATE INDEX addresses_nid_idx ON addresses (nid);',
      'sql/20220118104539000001_fk.postgres.down.sql': 'DROP INDEX credentials_nid_idx;',
    });
    expect(verdicts(result.reports.slice(1))).toEqual([
      ['000000', 'expand', 'compatible', 'lossy'],
      // Its down drops the index 000000 made: that works alone (and leaves this one's index behind, losing nothing).
      ['000001', 'expand', 'compatible', 'reversible'],
    ]);
    expect(result.reports[1]?.findings.find((f) => f.rule === 'down-references-missing')?.message).toContain(
      'index addresses_nid_idx is made only by a later version of its group',
    );
  });

  it('an .autocommit. file runs outside a transaction', () => {
    const d = discoverTree({ 'sql/20240101000000_index.postgres.autocommit.up.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);' });
    expect(d.sets[0]?.migrations.map((m) => m.transactional)).toEqual([false]);
  });
});
