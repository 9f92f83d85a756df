import { describe, expect, it } from 'vitest';
import { parsePlainName } from './sql.js';
import { discoverTree } from './testing.js';

describe('plain SQL', () => {
  it('takes a folder of .sql files no framework claims, in natural order, with no downs', () => {
    const d = discoverTree({
      'schema/v1.10/add_index.sql': 'SELECT 1;',
      'schema/10_orders.sql': 'SELECT 1;',
      'schema/2_users.sql': 'SELECT 1;',
      'schema/1_init.sql': 'SELECT 1;',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets.map((s) => [s.framework, s.root, s.migrations.map((m) => m.id)])).toEqual([
      ['sql', 'schema', ['1_init', '2_users', '10_orders']],
      ['sql', 'schema/v1.10', ['add_index']],
    ]);
    expect(d.sets[0]?.migrations.every((m) => m.down === null && m.downsUnsupported)).toBe(true);
  });

  it('leaves golang-migrate, goose and dbmate folders to their adapters', () => {
    const d = discoverTree({
      'a/1_x.up.sql': 'SELECT 1;',
      'b/1_x.sql': '-- +goose Up\nSELECT 1;',
      'c/1_x.sql': '-- migrate:up\nSELECT 1;',
      'd/0002_1.7.0_schema.up.sql': 'SELECT 1;',
    });
    expect(d.sets.map((s) => s.framework)).toEqual(['golang-migrate', 'goose', 'dbmate', 'golang-migrate']);
  });
});

describe('plain SQL as home-grown runners name their files', () => {
  it.each([
    ['V0013.Name.up.sql', { stem: 'V0013.Name', direction: 'up', marked: true }],
    ['V0013.Name.down.sql', { stem: 'V0013.Name', direction: 'down', marked: true }],
    ['0001_name_up.sql', { stem: '0001_name', direction: 'up', marked: true }],
    ['0001_name_DOWN.sql', { stem: '0001_name', direction: 'down', marked: true }],
    ['0002-x-down.sql', { stem: '0002-x', direction: 'down', marked: true }],
    ['0003_setup.sql', { stem: '0003_setup', direction: 'up', marked: false }],
    ['0004_shutdown.sql', { stem: '0004_shutdown', direction: 'up', marked: false }],
  ])('%s', (file, expected) => {
    expect(parsePlainName(file)).toEqual(expected);
  });

  it('pairs each down with its up, orders by the up, and reports a down without its up', () => {
    const d = discoverTree({
      'sql/V0013.Name.up.sql': 'ALTER TABLE t ADD COLUMN b int;',
      'sql/V0013.Name.down.sql': 'ALTER TABLE t DROP COLUMN b;',
      'sql/V0012.Init.up.sql': 'CREATE TABLE t (a int);',
      'sql/V0014.Orphan.down.sql': 'SELECT 1;',
    });
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.path, m.down?.path ?? null])).toEqual([
      ['V0012.Init', 'sql/V0012.Init.up.sql', null],
      ['V0013.Name', 'sql/V0013.Name.up.sql', 'sql/V0013.Name.down.sql'],
    ]);
    expect(d.sets[0]?.migrations.every((m) => m.downsUnsupported === false)).toBe(true);
    expect(d.errors.map((e) => [e.path, e.message])).toEqual([
      ['sql/V0014.Orphan.down.sql', 'down file without an up file of the same name: skipped'],
    ]);
  });

  it('pairs 0001_name_up.sql with 0001_name_down.sql, and files sharing a version prefix run by their full name', () => {
    const d = discoverTree({
      'sql/0001_users_down.sql': 'DROP TABLE users;',
      'sql/0001_users_up.sql': 'CREATE TABLE users (id int);',
      'sql/0047_b_messages.sql': 'SELECT 2;',
      'sql/0047_a_playlist.sql': 'SELECT 1;',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets[0]?.migrations.map((m) => [m.id, m.down?.path ?? null])).toEqual([
      ['0001_users', 'sql/0001_users_down.sql'],
      ['0047_a_playlist', null],
      ['0047_b_messages', null],
    ]);
  });

  it('runs sibling version folders as one history in natural order: v1.2 before v1.10', () => {
    const d = discoverTree({
      'schema/versioned/v1.10/b.sql': 'ALTER TABLE t ADD COLUMN c int;',
      'schema/versioned/v1.2/a.sql': 'ALTER TABLE t ADD COLUMN b int;',
      'schema/versioned/v1.0/schema.sql': 'CREATE TABLE t (a int);',
      'schema/schema.sql': 'CREATE TABLE t (a int, b int, c int);',
    });
    expect(d.errors).toEqual([]);
    expect(d.sets.map((s) => [s.root, s.migrations.map((m) => m.id)])).toEqual([
      ['schema', ['schema']],
      ['schema/versioned', ['v1.0/schema', 'v1.2/a', 'v1.10/b']],
    ]);
  });

  it('a version folder given alone is checked with its siblings’ history', () => {
    const d = discoverTree(
      {
        'versioned/v1.10/b.sql': 'ALTER TABLE t ADD COLUMN c int;',
        'versioned/v1.2/a.sql': 'ALTER TABLE t ADD COLUMN b int;',
        'versioned/v1.0/schema.sql': 'CREATE TABLE t (a int);',
      },
      ['versioned/v1.2'],
    );
    expect(d.sets.map((s) => [s.root, s.migrations.length, s.reportOnly])).toEqual([['versioned', 3, ['versioned/v1.2/a.sql']]]);
  });

  it('a version folder that another framework claims is left to it', () => {
    const d = discoverTree({ 'sql/2023/V1__a.sql': 'SELECT 1;', 'sql/2024/V2__b.sql': 'SELECT 1;' });
    expect(d.sets.map((s) => s.framework)).toEqual(['flyway', 'flyway']);
  });
});
