import { describe, expect, it } from 'vitest';
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
