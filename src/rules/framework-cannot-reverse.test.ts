import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import { loadRails, readRails } from '../frameworks/rails/testing.js';
import rule from './framework-cannot-reverse.js';

describe('framework-cannot-reverse', () => {
  beforeAll(loadRails);
  const findings = (code: string) => {
    const [report] = analyzeHistory([readRails(code)]);
    return { report, found: report?.findings.filter((f) => f.rule === rule.id) ?? [] };
  };

  it('has metadata and docs', () => {
    expect(rule.summary.length).toBeGreaterThan(10);
    expect(rule.docs).toContain('Rails');
  });

  it('valid: a change Rails can revert', () => {
    expect(findings('    add_column :users, :a, :text\n    remove_column :users, :b, :string').found).toEqual([]);
  });

  it('valid: an author who declares the down irreversible knows it', () => {
    const code =
      'class A < ActiveRecord::Migration[7.1]\n  def up\n    execute "DELETE FROM t"\n  end\n\n  def down\n    raise ActiveRecord::IrreversibleMigration\n  end\nend\n';
    expect(findings(code).found).toEqual([]);
  });

  it('invalid: execute in change — warned at the call, and the migration has no down', () => {
    const { report, found } = findings(
      '    add_column :users, :a, :text\n    execute "ALTER TABLE users ADD CONSTRAINT a_short CHECK (length(a) < 100) NOT VALID"',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', category: 'rollback', line: 4, column: 5 });
    expect(found[0]?.fix).toContain('reversible do |dir|');
    expect(report?.dbRollback).toBe('no-down');
  });

  it('invalid: every command Rails cannot revert is named', () => {
    const { found } = findings(
      '    change_column :users, :a, :text\n    remove_index :users, name: "x"\n    change_column_default :users, :b, 1\n    remove_foreign_key :users, column: :org_id',
    );
    expect(found.map((f) => f.line)).toEqual([3, 4, 5, 6]);
  });
});
