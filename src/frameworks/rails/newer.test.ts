// Rails 7.1 to 8 schema statements: what they run and how `change` reverts them (CommandRecorder).
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../analyze.js';
import type { Operation } from '../../ir.js';
import { exclusionConstraintName, uniqueConstraintName } from './names.js';
import { loadRails, readRails } from './testing.js';

beforeAll(loadRails);

const kinds = (ops: readonly Operation[] | null) => ops?.map((o) => o.kind) ?? null;
const verdict = (body: string, dialect: 'postgresql' | 'sqlite' = 'postgresql') => {
  const [report] = analyzeHistory([readRails(body, { dialect })]);
  return { phase: report?.phase, codeRollback: report?.codeRollback, dbRollback: report?.dbRollback, findings: report?.findings ?? [] };
};

describe('Rails 7.1 to 8 helpers', () => {
  it.each([
    [
      'add_unique_constraint',
      '    add_unique_constraint :sections, [:position], deferrable: :deferred',
      ['AddConstraint'],
      ['DropConstraint'],
    ],
    ['remove_unique_constraint with columns', '    remove_unique_constraint :sections, [:position]', ['DropConstraint'], ['AddConstraint']],
    [
      'add_exclusion_constraint',
      '    add_exclusion_constraint :meetings, "room_id WITH =, during WITH &&", using: :gist',
      ['AddConstraint'],
      ['DropConstraint'],
    ],
    [
      'remove_exclusion_constraint with the expression',
      '    remove_exclusion_constraint :meetings, "during WITH &&", using: :gist, name: "no_overlap"',
      ['DropConstraint'],
      ['AddConstraint'],
    ],
    ['add_belongs_to (add_reference)', '    add_belongs_to :posts, :author', ['AddColumn', 'AddIndex'], ['DropColumn']],
    ['remove_belongs_to (remove_reference)', '    remove_belongs_to :posts, :author, index: false', ['DropColumn'], ['AddColumn']],
    ['create_schema', '    create_schema :reporting', ['Raw'], ['Raw']],
    ['drop_schema', '    drop_schema :reporting', ['Raw'], ['Raw']],
    ['rename_enum', '    rename_enum :mood, to: :feeling', ['RenameType'], ['RenameType']],
    ['rename_enum_value', '    rename_enum_value :mood, from: "ok", to: "fine"', ['AlterEnum'], ['AlterEnum']],
    ['create_enum', '    create_enum :mood, ["sad", "ok"]', ['CreateEnum'], ['DropEnum']],
    ['drop_enum with values', '    drop_enum :mood, ["sad", "ok"]', ['DropEnum'], ['CreateEnum']],
    [
      'validate_check_constraint (runs again on rollback: no schema change)',
      '    validate_check_constraint :orders, name: "total_positive"',
      ['ValidateConstraint'],
      [],
    ],
    ['validate_foreign_key', '    validate_foreign_key :orders, :users', ['ValidateConstraint'], []],
    [
      'create_virtual_table (SQLite)',
      '    create_virtual_table :posts_fts, :fts5, ["title", "body", "content=\'\'"]',
      ['CreateTable'],
      ['DropTable'],
    ],
  ])('%s: up %j, down %j', (_name, body, up, down) => {
    const p = readRails(body, { dialect: _name.includes('SQLite') ? 'sqlite' : 'postgresql' });
    expect(p.errors).toEqual([]);
    expect(p.up.filter((o) => o.kind === 'Raw' && o.notAnalyzed)).toEqual([]);
    expect(kinds(p.up)).toEqual(up);
    expect(p.downStatus).toBe('derived');
    expect(kinds(p.down)).toEqual(down);
  });

  it('ActiveRecord names unique and exclusion constraints uniq_rails_/excl_rails_<hash>', () => {
    const add = readRails('    add_unique_constraint :sections, [:position]').up[0];
    expect(add).toMatchObject({
      kind: 'AddConstraint',
      constraint: { type: 'unique', columns: ['position'], name: uniqueConstraintName('sections', ['position']) },
    });
    expect(uniqueConstraintName('sections', ['position'])).toMatch(/^uniq_rails_[0-9a-f]{10}$/);
    const excl = readRails('    add_exclusion_constraint :meetings, "during WITH &&", using: :gist').up[0];
    expect(excl).toMatchObject({
      kind: 'AddConstraint',
      constraint: { type: 'exclude', name: exclusionConstraintName('meetings', 'during WITH &&') },
    });
  });

  it.each([
    ['add_unique_constraint with using_index', '    add_unique_constraint :sections, using_index: "index_sections_on_position"'],
    ['remove_unique_constraint with only a name', '    remove_unique_constraint :sections, name: "unique_position"'],
    ['remove_exclusion_constraint with only a name', '    remove_exclusion_constraint :meetings, name: "no_overlap"'],
    ['drop_virtual_table without its values', '    drop_virtual_table :posts_fts'],
    ['add_enum_value', '    add_enum_value :mood, "happy"'],
    ['rename_schema (not recorded: it runs forwards again on rollback)', '    rename_schema :old_reports, :reports'],
  ])('%s cannot be reverted in change: Rails raises IrreversibleMigration', (_name, body) => {
    const p = readRails(body);
    expect(p.errors).toEqual([]);
    expect(p.downStatus).toBe('irreversible');
    expect(p.notes?.map((n) => n.rule)).toEqual(['framework-cannot-reverse']);
  });

  it('drop_schema drops everything in it (CASCADE): a contract step the re-created empty schema cannot undo', () => {
    const p = readRails('    drop_schema :reporting');
    expect(p.up[0]).toMatchObject({ kind: 'Raw', statement: 'DropStmt:OBJECT_SCHEMA', span: { line: 3 } });
    expect(verdict('    drop_schema :reporting').findings.map((f) => f.rule)).toContain('drop-schema');
  });

  it('a unique constraint on an existing table restricts the writes of the release still running', () => {
    const v = verdict('    add_unique_constraint :sections, [:position]');
    expect(v).toMatchObject({ phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' });
    expect(v.findings.map((f) => f.rule)).toContain('new-write-restriction');
  });

  it('add_check_constraint validate: false, then validate_check_constraint', () => {
    const p = readRails(
      '    add_check_constraint :orders, "total >= 0", name: "total_positive", validate: false\n    validate_check_constraint :orders, name: "total_positive"',
    );
    expect(p.up).toMatchObject([
      { kind: 'AddConstraint', constraint: { name: 'total_positive', notValid: true, expression: 'total >= 0' } },
      { kind: 'ValidateConstraint', name: 'total_positive' },
    ]);
    expect(kinds(p.down)).toEqual(['DropConstraint']);
  });

  it('change_column_null with a default fills the NULLs first: an UPDATE of existing values', () => {
    const p = readRails('    change_column_null :users, :role, false, "member"');
    expect(kinds(p.up)).toEqual(['DataChange', 'SetNotNull']);
    expect(kinds(p.down)).toEqual(['DropNotNull']);
    expect(verdict('    change_column_null :users, :role, false, "member"')).toMatchObject({
      phase: 'breaking',
      codeRollback: 'breaking',
      dbRollback: 'irreversible',
    });
  });

  it.each([
    [
      'datetime precision 6 to 3 rounds fractional seconds: a rewrite and a narrowing',
      ':datetime, precision: 3',
      'timestamp(3)',
      'breaking',
      'irreversible',
    ],
    ['time precision 6 to 0', ':time, precision: 0', 'time(0)', 'breaking', 'irreversible'],
    ['interval precision down', ':interval, precision: 2', 'interval(2)', 'breaking', 'irreversible'],
    ['timestamp to timestamptz is a widening', ':timestamptz', 'timestamptz', 'expand', 'no-down'],
    ['varchar to citext only changes how values compare', ':citext', 'citext', 'expand', 'no-down'],
  ])('change_column: %s', (_name, change, type, phase, dbRollback) => {
    const from = change.startsWith(':interval')
      ? ':interval, precision: 6'
      : change.startsWith(':time,')
        ? ':time'
        : change === ':citext'
          ? ':string'
          : ':datetime';
    const text = `class M < ActiveRecord::Migration[7.1]\n  def up\n    change_column :events, :at, ${change}\n  end\nend\n`;
    const create = readRails(`    create_table :events do |t|\n      t.column :at, ${from}\n    end`, { id: '20240101000000' });
    const p = readRails(text, { id: '20240102000000' });
    expect(p.up[0]).toMatchObject({ kind: 'AlterColumnType', type: { text: type } });
    const [, report] = analyzeHistory([create, p]);
    expect({ phase: report?.phase, dbRollback: report?.dbRollback }).toEqual({ phase, dbRollback });
  });
});

describe('foreign key actions', () => {
  it('on_delete: :nullify / :cascade and on_update are part of the key; re-made with another action it is a contract step', () => {
    const p = readRails('    add_foreign_key :posts, :users, on_delete: :nullify, on_update: :cascade');
    expect(p.up[0]).toMatchObject({ kind: 'AddConstraint', constraint: { references: { onDelete: 'set null', onUpdate: 'cascade' } } });
    const history = readRails(
      '    create_table :categories\n    create_table :transactions do |t|\n      t.references :category, foreign_key: true\n    end',
      { id: '20240101000000' },
    );
    const phase = (body: string) => analyzeHistory([history, readRails(body, { id: '20240102000000' })])[1]?.phase;
    const remove = '    remove_foreign_key :transactions, :categories, column: :category_id\n';
    expect(phase(`${remove}    add_foreign_key :transactions, :categories, column: :category_id, on_delete: :nullify`)).toBe('contract');
    expect(phase(`${remove}    add_foreign_key :transactions, :categories, column: :category_id`)).toBe('expand');
  });
});

describe('comments and connection methods', () => {
  it('change_column_comment and change_table_comment change no answer; change reverts them given from:/to:', () => {
    const p = readRails(
      '    change_column_comment :users, :email, from: nil, to: "login"\n    change_table_comment :users, from: nil, to: "people"',
    );
    expect(p.up.map((o) => (o.kind === 'Raw' ? [o.statement, o.notAnalyzed] : o.kind))).toEqual([
      ['change_column_comment', null],
      ['change_table_comment', null],
    ]);
    expect(p.downStatus).toBe('derived');
    expect(verdict('    change_column_comment :users, :email, "login"')).toMatchObject({
      phase: 'expand',
      codeRollback: 'compatible',
      dbRollback: 'no-down',
    });
  });

  it('exec_query and friends run SQL; in change a rollback runs them again (CommandRecorder does not record them)', () => {
    const p = readRails('    exec_update "UPDATE users SET plan = \'free\' WHERE plan IS NULL"\n    select_value "SELECT 1"');
    expect(kinds(p.up)).toEqual(['DataChange']);
    expect(p.downStatus).toBe('derived');
    expect(kinds(p.down)).toEqual(['DataChange']);
  });
});

describe('help text in Rails terms', () => {
  const fixes = (body: string) => {
    const [report] = analyzeHistory([readRails(body)]);
    return new Map((report?.findings ?? []).map((f) => [f.rule, f.fix]));
  };

  it('a foreign key without validate: false: add it with validate: false, validate_foreign_key in the next migration', () => {
    const fix = fixes('    add_foreign_key :orders, :users').get('constraint-missing-not-valid');
    expect(fix).toMatch(
      /add_foreign_key :orders, :users, column: :user_id, name: "fk_rails_[0-9a-f]{10}", validate: false\n# next migration:\nvalidate_foreign_key :orders, name: "fk_rails_/,
    );
  });

  it('a check constraint: add_check_constraint … validate: false, then validate_check_constraint', () => {
    const fix = fixes('    add_check_constraint :orders, "total >= 0", name: "total_positive"').get('constraint-missing-not-valid');
    expect(fix).toContain(
      'add_check_constraint :orders, "total >= 0", name: "total_positive", validate: false\n# next migration:\nvalidate_check_constraint :orders, name: "total_positive"',
    );
  });

  it('an index: disable_ddl_transaction! and algorithm: :concurrently; timeouts with execute', () => {
    const f = fixes('    add_index :users, [:org_id, :email], unique: true');
    expect(f.get('require-concurrent-index-creation')).toContain(
      'disable_ddl_transaction!\n\ndef change\n  add_index :users, [:org_id, :email], name: "index_users_on_org_id_and_email", unique: true, algorithm: :concurrently\nend',
    );
    // The index build's lock is said once, by the CONCURRENTLY rule (its fix takes no blocking lock, and a
    // statement_timeout around CONCURRENTLY would leave an INVALID index): no timeout finding on the build.
    expect(f.has('require-lock-timeout')).toBe(false);
    expect(f.has('require-statement-timeout')).toBe(false);
    expect(fixes('    add_column :users, :nickname, :string').get('require-lock-timeout')).toContain(`execute "SET lock_timeout = '5s'"`);
  });
});
