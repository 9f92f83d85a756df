import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import { check } from '../check.js';
import type { Operation, OperationOf } from '../ir.js';
import { loadRails, readRails } from './rails/testing.js';
import { dialectOfDatabaseYml } from './rails.js';

beforeAll(loadRails);

const kinds = (ops: readonly Operation[] | null) => ops?.map((o) => o.kind) ?? null;
function only<K extends Operation['kind']>(ops: readonly Operation[] | null, kind: K): OperationOf<K> {
  const found = (ops ?? []).filter((o) => o.kind === kind);
  expect(found, `one ${kind}`).toHaveLength(1);
  return found[0] as OperationOf<K>;
}

describe('create_table', () => {
  it('maps column types to PostgreSQL and adds a bigint id', () => {
    const p = readRails(`    create_table :orders do |t|
      t.string :code, null: false
      t.string :label, limit: 50
      t.text :notes
      t.integer :qty
      t.integer :big_qty, limit: 8
      t.bigint :external_id
      t.decimal :total, precision: 10, scale: 2
      t.boolean :paid, default: false
      t.datetime :shipped_at
      t.date :due_on
      t.jsonb :data, default: {}
      t.uuid :token, default: -> { "gen_random_uuid()" }
      t.string :tags, array: true, default: []
      t.timestamps
    end`);
    expect(p.errors).toEqual([]);
    const create = only(p.up, 'CreateTable');
    const col = (name: string) => create.columns.find((c) => c.name === name);
    expect(create.table).toEqual({ name: 'orders' });
    expect(col('id')).toMatchObject({ primaryKey: true, nullable: false, type: { name: 'int8' } });
    expect(col('code')).toMatchObject({ nullable: false, type: { name: 'varchar', args: [] } });
    expect(col('label')?.type.text).toBe('varchar(50)');
    expect(col('notes')?.type.name).toBe('text');
    expect(col('qty')?.type.name).toBe('int4');
    expect(col('big_qty')?.type.name).toBe('int8');
    expect(col('external_id')?.type.name).toBe('int8');
    expect(col('total')?.type).toMatchObject({ name: 'numeric', args: [10, 2] });
    expect(col('paid')).toMatchObject({ type: { name: 'bool' }, default: { text: 'false', volatile: false } });
    expect(col('shipped_at')?.type.text).toBe('timestamp(6)');
    expect(col('due_on')?.type.name).toBe('date');
    expect(col('data')?.type.name).toBe('jsonb');
    expect(col('token')?.default).toEqual({ text: 'gen_random_uuid()', volatile: true });
    expect(col('tags')?.type).toMatchObject({ name: 'varchar', arrayDims: 1 });
    expect(col('created_at')).toMatchObject({ nullable: false, type: { text: 'timestamp(6)' } });
    expect(col('updated_at')).toMatchObject({ nullable: false });
    expect(create.span).toMatchObject({ path: 'db/migrate/20240101000000_test.rb', line: 3, column: 5, endLine: 18, endColumn: 8 });
    expect(p.downStatus).toBe('derived');
    expect(only(p.down, 'DropTable').table).toEqual({ name: 'orders' });
  });

  it('honours id: false, id: :uuid and a custom primary_key', () => {
    const none = only(readRails('create_table :tags_posts, id: false do |t|\n t.bigint :tag_id\nend').up, 'CreateTable');
    expect(none.columns.map((c) => c.name)).toEqual(['tag_id']);
    const uuid = only(readRails('create_table :events, id: :uuid, primary_key: :event_id do |t|\nend').up, 'CreateTable');
    expect(uuid.columns[0]).toMatchObject({ name: 'event_id', type: { name: 'uuid' }, primaryKey: true });
  });

  it('references add a bigint column, an index and, with foreign_key: true, a named foreign key', () => {
    const p = readRails(`    create_table :comments do |t|
      t.references :post, null: false, foreign_key: true
      t.references :author, foreign_key: { to_table: :users }, index: false
      t.references :subject, polymorphic: true
    end`);
    const create = only(p.up, 'CreateTable');
    expect(create.columns.map((c) => `${c.name}:${c.type.name}`)).toEqual([
      'id:int8',
      'post_id:int8',
      'author_id:int8',
      'subject_id:int8',
      'subject_type:varchar',
    ]);
    const indexes = p.up.filter((o): o is OperationOf<'AddIndex'> => o.kind === 'AddIndex');
    expect(indexes.map((i) => [i.name, i.columns])).toEqual([
      ['index_comments_on_post_id', ['post_id']],
      ['index_comments_on_subject_type_and_subject_id', ['subject_type', 'subject_id']],
    ]);
    const fks = p.up.filter((o): o is OperationOf<'AddConstraint'> => o.kind === 'AddConstraint');
    expect(fks.map((f) => [f.constraint.columns, f.constraint.references?.table.name])).toEqual([
      [['post_id'], 'posts'],
      [['author_id'], 'users'],
    ]);
    // ActiveRecord's name: "fk_rails_" + the first 10 hex digits of SHA-256("comments_post_id_fk").
    expect(fks[0]?.constraint.name).toMatch(/^fk_rails_[0-9a-f]{10}$/);
    expect(fks[0]?.span.line).toBe(4);
  });

  it('force: :cascade drops the table first, inline index: true adds an index', () => {
    const p = readRails('create_table :users, force: :cascade do |t|\n  t.string :email, index: { unique: true }\nend');
    expect(kinds(p.up)).toEqual(['DropTable', 'CreateTable', 'AddIndex']);
    expect(only(p.up, 'DropTable')).toMatchObject({ ifExists: true, cascade: true });
    expect(only(p.up, 'AddIndex')).toMatchObject({ name: 'index_users_on_email', unique: true });
  });
});

describe('column commands', () => {
  it('add_column with options, reverted by remove_column', () => {
    const p = readRails('    add_column :users, :age, :integer, null: false, default: 0');
    const add = only(p.up, 'AddColumn');
    expect(add.column).toMatchObject({ name: 'age', nullable: false, default: { text: '0' }, type: { name: 'int4' } });
    expect(add.span).toMatchObject({ line: 3, column: 5, endColumn: 63 });
    expect(add.text).toBe('add_column :users, :age, :integer, null: false, default: 0');
    expect(only(p.down, 'DropColumn')).toMatchObject({ table: { name: 'users' }, column: 'age' });
  });

  it('remove_column with a type reverts to add_column', () => {
    const p = readRails('    remove_column :users, :nickname, :string, limit: 40');
    expect(only(p.up, 'DropColumn').column).toBe('nickname');
    expect(only(p.down, 'AddColumn').column).toMatchObject({ name: 'nickname', type: { text: 'varchar(40)' } });
  });

  it('remove_column without a type: Rails cannot revert it, said at the call', () => {
    const p = readRails('    add_column :users, :x, :text\n    remove_column :users, :nickname');
    expect(p.downStatus).toBe('irreversible');
    expect(p.down).toBeNull();
    expect(p.notes).toHaveLength(1);
    expect(p.notes?.[0]).toMatchObject({ rule: 'framework-cannot-reverse', span: { line: 4, column: 5 } });
    expect(p.notes?.[0]?.message).toContain('remove_column` without a type');
    expect(p.notes?.[0]?.fix).toContain('remove_column :users, :nickname, :<type>');
  });

  it('rename_column reverts by renaming back', () => {
    const p = readRails('    rename_column :orders, :total, :amount');
    expect(only(p.up, 'RenameColumn')).toMatchObject({ column: 'total', newName: 'amount' });
    expect(only(p.down, 'RenameColumn')).toMatchObject({ column: 'amount', newName: 'total' });
  });

  it('change_column: type, default and null in the up; irreversible inside change', () => {
    const p = readRails('    change_column :orders, :status, :string, limit: 20, null: false, default: "new"');
    expect(kinds(p.up)).toEqual(['AlterColumnType', 'SetDefault', 'SetNotNull']);
    expect(only(p.up, 'AlterColumnType').type.text).toBe('varchar(20)');
    expect(p.downStatus).toBe('irreversible');
    expect(p.notes?.[0]?.message).toContain('change_column');
  });

  it('change_column_default is reversible only with from:/to:', () => {
    const p = readRails('    change_column_default :users, :admin, from: nil, to: false');
    expect(only(p.up, 'SetDefault').default).toEqual({ text: 'false', volatile: false });
    expect(only(p.down, 'SetDefault').default).toBeNull();
    const bare = readRails('    change_column_default :users, :admin, false');
    expect(bare.downStatus).toBe('irreversible');
    expect(bare.notes?.[0]?.fix).toContain('from: <old>, to: <new>');
  });

  it('change_column_null flips on the way down; a fill value is an UPDATE first', () => {
    const p = readRails('    change_column_null :users, :email, false, ""');
    expect(kinds(p.up)).toEqual(['DataChange', 'SetNotNull']);
    expect(kinds(p.down)).toEqual(['DropNotNull']);
  });

  it('add_reference and add_timestamps on an existing table', () => {
    const p = readRails(
      '    add_reference :orders, :coupon, foreign_key: { validate: false }, index: { algorithm: :concurrently }\n    add_timestamps :orders, null: true',
    );
    expect(kinds(p.up)).toEqual(['AddColumn', 'AddIndex', 'AddConstraint', 'AddColumn', 'AddColumn']);
    expect(only(p.up, 'AddIndex').concurrently).toBe(true);
    expect(only(p.up, 'AddConstraint').constraint).toMatchObject({ notValid: true, references: { table: { name: 'coupons' } } });
    expect(p.up.filter((o) => o.kind === 'AddColumn').map((o) => (o as OperationOf<'AddColumn'>).column.nullable)).toEqual([
      true,
      true,
      true,
    ]);
    expect(kinds(p.down)).toEqual(['DropColumn', 'DropColumn', 'DropColumn']);
  });
});

describe('indexes, constraints, enums', () => {
  it('add_index with algorithm: :concurrently under disable_ddl_transaction!', () => {
    const p = readRails(`class AddIndex < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_index :orders, [:status, :created_at], algorithm: :concurrently, where: "status <> 'done'", if_not_exists: true
  end
end
`);
    expect(p.migration.transactional).toBe(false);
    const add = only(p.up, 'AddIndex');
    expect(add).toMatchObject({
      name: 'index_orders_on_status_and_created_at',
      columns: ['status', 'created_at'],
      concurrently: true,
      ifNotExists: true,
      where: "status <> 'done'",
    });
    expect(only(p.down, 'DropIndex')).toMatchObject({ index: { name: 'index_orders_on_status_and_created_at' }, concurrently: true });
  });

  it('remove_index is reversible with a column, not with only a name', () => {
    expect(only(readRails('    remove_index :users, :email').down, 'AddIndex').columns).toEqual(['email']);
    const p = readRails('    remove_index :users, name: "index_users_on_lower_email", if_exists: true');
    expect(only(p.up, 'DropIndex')).toMatchObject({ index: { name: 'index_users_on_lower_email' }, ifExists: true });
    expect(p.downStatus).toBe('irreversible');
  });

  it('foreign keys and check constraints, with ActiveRecord names', () => {
    const p = readRails(
      '    add_foreign_key :orders, :users, validate: false\n    add_check_constraint :orders, "total >= 0", name: "orders_total_positive"',
    );
    const [fk, chk] = p.up as [OperationOf<'AddConstraint'>, OperationOf<'AddConstraint'>];
    expect(fk.constraint).toMatchObject({ type: 'foreign-key', columns: ['user_id'], notValid: true });
    expect(chk.constraint).toMatchObject({ type: 'check', name: 'orders_total_positive', expression: 'total >= 0' });
    expect(kinds(p.down)).toEqual(['DropConstraint', 'DropConstraint']);
  });

  it('create_enum and add_enum_value (which Rails cannot revert)', () => {
    const p = readRails('    create_enum :mood, ["happy", "sad"]\n    add_enum_value :mood, "meh", after: "happy"');
    expect(only(p.up, 'CreateEnum').values).toEqual(['happy', 'sad']);
    expect(only(p.up, 'AlterEnum').action).toMatchObject({ type: 'add', value: 'meh', after: 'happy' });
    expect(p.downStatus).toBe('irreversible');
  });
});

describe('change, up/down, reversible, revert', () => {
  it('up and down methods are read as written', () => {
    const p = readRails(`class Widen < ActiveRecord::Migration[7.1]
  def up
    change_column :orders, :status, :text
  end

  def down
    change_column :orders, :status, :string, limit: 20
  end
end
`);
    expect(p.downStatus).toBe('written');
    expect(only(p.up, 'AlterColumnType').type.name).toBe('text');
    expect(only(p.down, 'AlterColumnType')).toMatchObject({ type: { text: 'varchar(20)' }, span: { line: 7 } });
    expect(p.notes).toEqual([]);
  });

  it('raise ActiveRecord::IrreversibleMigration in down is a declared one-way door: no note', () => {
    const p = readRails(`class Drop < ActiveRecord::Migration[7.1]
  def up
    drop_table :legacy
  end

  def down
    raise ActiveRecord::IrreversibleMigration
  end
end
`);
    expect(p.downStatus).toBe('irreversible');
    expect(p.down).toBeNull();
    expect(p.notes).toEqual([]);
  });

  it('an up without a down has none', () => {
    const p = readRails('class A < ActiveRecord::Migration[7.1]\n  def up\n    add_column :t, :c, :text\n  end\nend\n');
    expect(p.downStatus).toBe('none');
    expect(p.down).toBeNull();
  });

  it('reversible: dir.up runs on the way up, dir.down on the way down, in its place', () => {
    const p = readRails(`    add_column :users, :role, :string
    reversible do |dir|
      dir.up { execute "UPDATE users SET role = 'member'" }
      dir.down { execute "UPDATE users SET role = NULL" }
    end`);
    expect(p.downStatus).toBe('derived');
    expect(kinds(p.up)).toEqual(['AddColumn', 'DataChange']);
    expect(kinds(p.down)).toEqual(['DataChange', 'DropColumn']);
    expect(p.down?.[0]?.span).toMatchObject({ line: 6, column: 27 });
  });

  it('reversible whose dir.down raises is declared irreversible', () => {
    const p = readRails(
      '    reversible do |dir|\n      dir.up { execute "DELETE FROM sessions" }\n      dir.down { raise ActiveRecord::IrreversibleMigration }\n    end',
    );
    expect(p.downStatus).toBe('irreversible');
    expect(p.notes).toEqual([]);
  });

  it('revert runs the block backwards on the way up', () => {
    const p = readRails('    revert do\n      add_column :users, :legacy, :string\n    end');
    expect(kinds(p.up)).toEqual(['DropColumn']);
    expect(kinds(p.down)).toEqual(['AddColumn']);
  });

  it('change_table: each t. call is a command of its own', () => {
    const p = readRails(`    change_table :users, bulk: true do |t|
      t.string :nickname, :title
      t.remove :legacy, type: :text
      t.rename :name, :full_name
      t.index :nickname
      t.timestamps null: true
    end`);
    expect(kinds(p.up)).toEqual(['AddColumn', 'AddColumn', 'DropColumn', 'RenameColumn', 'AddIndex', 'AddColumn', 'AddColumn']);
    expect(p.up[2]?.span.line).toBe(5);
    expect(p.downStatus).toBe('derived');
    expect(kinds(p.down)).toEqual(['DropColumn', 'DropColumn', 'DropIndex', 'RenameColumn', 'AddColumn', 'DropColumn', 'DropColumn']);
  });

  it('drop_table is reversible only with a block or options', () => {
    expect(readRails('    drop_table :legacy').downStatus).toBe('irreversible');
    const p = readRails('    drop_table :legacy do |t|\n      t.string :name\n    end');
    expect(only(p.down, 'CreateTable').columns.map((c) => c.name)).toEqual(['id', 'name']);
  });
});

describe('execute: SQL inside Ruby goes through the SQL parser at its place in the file', () => {
  it('single-quoted, double-quoted and %q strings keep file columns', () => {
    const p = readRails(`    execute "UPDATE users SET a = 1"; execute %q{DELETE FROM users WHERE id = 1}
    execute 'ALTER TABLE "ü" ADD COLUMN b int'`);
    expect(kinds(p.up)).toEqual(['DataChange', 'DataChange', 'AddColumn']);
    expect(p.up.map((o) => [o.span.line, o.span.column])).toEqual([
      [3, 14],
      [3, 50],
      [4, 14],
    ]);
  });

  it('heredocs (<<~SQL, <<-SQL.squish) with several statements', () => {
    const p = readRails(`    execute <<~SQL.squish
      UPDATE users
         SET b = 2;
      DROP TABLE foo
    SQL`);
    expect(kinds(p.up)).toEqual(['DataChange', 'DropTable']);
    expect(p.up[0]?.span).toMatchObject({ line: 4, column: 7, endLine: 5, endColumn: 19 });
    expect(p.up[1]?.text).toBe('DROP TABLE foo');
  });

  it('connection.execute is execute', () => {
    expect(kinds(readRails('    ActiveRecord::Base.connection.execute("TRUNCATE events")').up)).toEqual(['DataChange']);
  });

  it('interpolated SQL is not analyzed, at the call', () => {
    const p = readRails('    execute "UPDATE #{table} SET a = 1"');
    const raw = only(p.up, 'Raw');
    expect(raw.notAnalyzed).toContain('SQL built at run time');
    expect(raw.span).toMatchObject({ line: 3, column: 5 });
  });

  it('a syntax error in the SQL names the file line', () => {
    const p = readRails('    execute <<~SQL\n      UPDATE users SET;\n    SQL');
    expect(p.errors[0]).toMatchObject({ path: 'db/migrate/20240101000000_test.rb', line: 4 });
  });
});

describe('constructs twoway cannot follow are said, never passed silently', () => {
  it('loops, conditionals and application code', () => {
    const p = readRails(`    columns.each do |c|
      add_column :users, c, :string
    end
    if ENV["X"]
      add_column :users, :y, :string
    end
    User.find_each { |u| u.touch }
    add_column table_name, :z, :text`);
    const raws = p.up.filter((o): o is OperationOf<'Raw'> => o.kind === 'Raw');
    expect(raws.map((r) => [r.span.line, r.notAnalyzed?.split(':')[0]])).toEqual([
      [3, 'a loop (`each`)'],
      [6, 'the condition `if ENV["X"]` is decided at run time; what it guards is read as if it runs'],
      [9, 'application code (`User.find_each`) runs at migration time, once per record'],
      [10, 'the table name is computed at run time'],
    ]);
    // The guarded add_column is read (the safe assumption), after the note.
    expect(kinds(p.up)).toEqual(['Raw', 'Raw', 'AddColumn', 'Raw', 'Raw']);
  });

  it('an if/else is not analyzed; a guard return and model queries are no effect', () => {
    const p = readRails(`    return unless Gitlab.com?
    admin = Role.find_by(name: 'admin')
    if admin
      add_column :users, :a, :text
    else
      add_column :users, :b, :text
    end`);
    expect(kinds(p.up)).toEqual(['Raw']);
    expect((p.up[0] as OperationOf<'Raw'>).notAnalyzed).toContain('which branch runs');
  });

  it('constants and locals bound to literals are followed; helper methods are read in place', () => {
    const p = readRails(`class AddIdx < Gitlab::Database::Migration[2.2]
  TABLE = :users
  INDEX = 'index_users_on_lower_email'

  def change
    index_name = INDEX
    add_index TABLE, :email, name: index_name
    add_flag
  end

  def add_flag
    add_column TABLE, :flag, :boolean
  end
end
`);
    expect(only(p.up, 'AddIndex')).toMatchObject({ table: { name: 'users' }, name: 'index_users_on_lower_email' });
    expect(only(p.up, 'AddColumn').column.name).toBe('flag');
  });

  it('update_all through a model is a data change of its table', () => {
    const p = readRails(`class Backfill < ActiveRecord::Migration[7.1]
  class Account < ActiveRecord::Base
    self.table_name = 'billing_accounts'
  end

  def up
    Account.where(plan: nil).update_all(plan: 'free')
    User.update_all(admin: false)
  end
end
`);
    const changes = p.up as OperationOf<'DataChange'>[];
    expect(changes.map((c) => [c.table.name, c.hasWhere, c.columns])).toEqual([
      ['billing_accounts', true, ['plan']],
      ['users', false, ['admin']],
    ]);
  });
});

describe('loops over literal collections are read once per item', () => {
  it('an array, with interpolation of the bound item', () => {
    const p = readRails('    %w[a b].each do |c|\n      add_column :users, "#{c}_at", :datetime\n    end');
    expect(p.up.map((o) => (o as OperationOf<'AddColumn'>).column.name)).toEqual(['a_at', 'b_at']);
    expect(p.up.map((o) => o.span.line)).toEqual([4, 4]);
    expect(kinds(p.down)).toEqual(['DropColumn', 'DropColumn']);
  });

  it("Discourse's post-deploy column dropper over a hash constant", () => {
    const p = readRails(`class DropTokenFromEmailTokens < ActiveRecord::Migration[6.1]
  DROPPED_COLUMNS ||= { email_tokens: %i[token token_hash], users: %i[legacy] }

  def up
    DROPPED_COLUMNS.each { |table, columns| Migration::ColumnDropper.execute_drop(table, columns) }
    Migration::TableDropper.execute_drop(:old_sessions)
    DB.exec("DELETE FROM user_options WHERE user_id IS NULL")
  end

  def down
    raise ActiveRecord::IrreversibleMigration
  end
end
`);
    expect(p.up.map((o) => (o.kind === 'DropColumn' ? `${o.table.name}.${o.column}` : o.kind))).toEqual([
      'email_tokens.token',
      'email_tokens.token_hash',
      'users.legacy',
      'DropTable',
      'DataChange',
    ]);
    expect(p.downStatus).toBe('irreversible');
  });
});

describe('GitLab helpers map to what they run', () => {
  it('concurrent index and foreign key helpers', () => {
    const p = readRails(`class H < Gitlab::Database::Migration[2.2]
  disable_ddl_transaction!

  def up
    add_concurrent_index :issues, :project_id, name: 'index_issues_on_project_id'
    add_concurrent_foreign_key :issues, :projects, column: :project_id, on_delete: :cascade
    remove_concurrent_index :issues, :author_id
  end

  def down
    remove_concurrent_index_by_name :issues, 'index_issues_on_project_id'
  end
end
`);
    expect(kinds(p.up)).toEqual(['AddIndex', 'AddConstraint', 'ValidateConstraint', 'DropIndex']);
    expect(only(p.up, 'AddIndex')).toMatchObject({ concurrently: true, ifNotExists: true });
    expect(only(p.up, 'AddConstraint').constraint).toMatchObject({ notValid: true, columns: ['project_id'] });
    expect(only(p.up, 'AddConstraint').constraint.name).toMatch(/^fk_[0-9a-f]{10}$/);
    expect(only(p.up, 'DropIndex')).toMatchObject({ index: { name: 'index_issues_on_author_id' }, concurrently: true });
    expect(only(p.down, 'DropIndex').index.name).toBe('index_issues_on_project_id');
  });

  it('rename/type-change helpers: expand adds and copies, cleanup drops', () => {
    const p = readRails(`class H < Gitlab::Database::Migration[2.2]
  def up
    rename_column_concurrently :users, :name, :full_name
    update_column_in_batches(:users, :state, 'active') { |table, query| query.where(table[:state].eq(nil)) }
    cleanup_concurrent_column_rename :users, :name, :full_name
    change_column_type_concurrently :events, :target_id, :bigint
  end
end
`);
    expect(kinds(p.up)).toEqual(['AddColumn', 'Raw', 'DataChange', 'DataChange', 'Raw', 'DropColumn', 'AddColumn', 'Raw', 'DataChange']);
    const queued = readRails(
      'class Q < Gitlab::Database::Migration[2.2]\n  MIGRATION = "BackfillX"\n\n  def up\n    queue_batched_background_migration(MIGRATION, :issues, :id, batch_size: 1000)\n  end\nend\n',
    );
    expect(only(queued.up, 'DataChange')).toMatchObject({ table: { name: 'issues' }, action: 'update', span: { line: 5 } });
    expect((p.up[3] as OperationOf<'DataChange'>).hasWhere).toBe(true);
    expect((p.up[5] as OperationOf<'DropColumn'>).column).toBe('name');
    expect((p.up[6] as OperationOf<'AddColumn'>).column).toMatchObject({ name: 'target_id_for_type_change', type: { name: 'int8' } });
  });

  it('text limits and NOT NULL constraints are check constraints added NOT VALID, then validated', () => {
    const p = readRails(`class H < Gitlab::Database::Migration[2.2]
  def up
    add_text_limit :issues, :title, 255
    add_not_null_constraint :issues, :project_id, validate: false
  end

  def down
    remove_text_limit :issues, :title
  end
end
`);
    expect(kinds(p.up)).toEqual(['AddConstraint', 'ValidateConstraint', 'AddConstraint']);
    const [limit, , notNull] = p.up as [OperationOf<'AddConstraint'>, unknown, OperationOf<'AddConstraint'>];
    expect(limit.constraint).toMatchObject({ type: 'check', notValid: true, expression: 'char_length(title) <= 255' });
    expect(limit.constraint.name).toMatch(/^check_[0-9a-f]{10}$/);
    expect(notNull.constraint.expression).toBe('project_id IS NOT NULL');
    expect(only(p.down, 'DropConstraint').name).toBe(limit.constraint.name);
  });

  it('inside change Rails cannot revert them', () => {
    const p = readRails('    add_concurrent_index :issues, :project_id');
    expect(p.downStatus).toBe('irreversible');
    expect(p.notes?.[0]?.message).toContain('GitLab helper');
  });
});

describe('directives', () => {
  it('safety_assured acknowledges the findings inside its block', async () => {
    const p = readRails('    add_column :users, :x, :text\n    safety_assured do\n      remove_column :users, :legacy, :string\n    end');
    expect(p.directives).toEqual([
      { type: 'acknowledge', reason: 'safety_assured (strong_migrations)', path: p.migration.path, line: 4, column: 5, endLine: 6 },
    ]);
    const [report] = analyzeHistory([p]);
    const drop = report?.findings.find((f) => f.rule === 'drop-column');
    expect(drop?.suppressed).toEqual({ kind: 'ignore', reason: 'safety_assured (strong_migrations)' });
    expect(report?.dbRollback).toBe('irreversible');
  });

  it('twoway comments in Ruby', () => {
    const p = readRails('    # twoway-ignore drop-column: archived in 20240101\n    remove_column :users, :legacy, :string');
    const [report] = analyzeHistory([p]);
    expect(report?.findings.find((f) => f.rule === 'drop-column')?.suppressed?.reason).toBe('archived in 20240101');
  });
});

describe('discovery', () => {
  function app(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'twoway-rails-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }
  const migration = (body: string) => `class M < ActiveRecord::Migration[7.1]\n  def change\n    ${body}\n  end\nend\n`;

  it('orders db/migrate and db/post_migrate by version, one history', async () => {
    const root = app({
      'db/migrate/20240101000000_create_users.rb': migration('create_table :users do |t|\n t.string :name\n end'),
      'db/post_migrate/20240102000000_drop_name.rb': migration('remove_column :users, :name, :string'),
      'db/migrate/20240103000000_add_email.rb': migration('add_column :users, :email, :string'),
      'db/migrate/README.md': 'not a migration',
    });
    const result = await check(['.'], { cwd: root });
    expect(result.errors).toEqual([]);
    const [set] = result.sets;
    expect(set?.set).toMatchObject({ framework: 'rails', dialect: 'postgresql', root: 'db' });
    expect(set?.reports.map((r) => r.parsed.migration.path)).toEqual([
      'db/migrate/20240101000000_create_users.rb',
      'db/post_migrate/20240102000000_drop_name.rb',
      'db/migrate/20240103000000_add_email.rb',
    ]);
    expect(set?.reports[1]?.findings.find((f) => f.rule === 'drop-column')?.message).toContain('users.name (varchar)');
  });

  it('a squashed history takes the tables it never creates from db/schema.rb', async () => {
    const root = app({
      'db/schema.rb': `ActiveRecord::Schema[7.1].define(version: 2024_01_02_000000) do
  create_table "users", force: :cascade do |t|
    t.string "email", null: false
  end
end
`,
      'db/migrate/20240102000000_drop_users.rb': migration('drop_table :users'),
    });
    const result = await check(['.'], { cwd: root });
    expect(result.errors).toEqual([]);
    const drop = result.sets[0]?.reports[0]?.findings.find((f) => f.rule === 'drop-table');
    expect(drop?.message).toContain('users (2 columns)');
  });

  it('db/schema.rb is the end of a squashed history, never the state before it: change_column_null false is no no-op', async () => {
    const root = app({
      'db/schema.rb': `ActiveRecord::Schema[8.0].define(version: 2024_01_03_000000) do
  create_table "messages", force: :cascade do |t|
    t.string "short_id", limit: 30, default: "", null: false
    t.string "subject"
    t.index ["subject"], name: "index_messages_on_subject"
  end
end
`,
      'db/migrate/20240102000000_short_id_not_null.rb': migration(
        'change_column_null :messages, :short_id, false\n    change_column_default :messages, :short_id, from: nil, to: ""',
      ),
      'db/migrate/20240103000000_index_subject.rb': migration('add_index :messages, :subject'),
    });
    const result = await check(['.'], { cwd: root });
    expect(result.errors).toEqual([]);
    const [notNull, index] = result.sets[0]?.reports ?? [];
    expect(notNull).toMatchObject({ phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' });
    expect(notNull?.findings.find((f) => f.rule === 'set-not-null')?.message).toContain('messages.short_id');
    // The dump's index is the one this migration adds: expand, and the down removes it.
    expect(index).toMatchObject({ phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' });
    expect(index?.findings.filter((f) => f.rule === 'down-does-not-undo')).toEqual([]);
  });

  it('db/structure.sql is read with the SQL parser', async () => {
    const root = app({
      'db/structure.sql': 'CREATE TABLE public.users (id bigint NOT NULL, email character varying(100) NOT NULL);\n',
      'db/migrate/20240102000000_drop_users.rb': migration('drop_table :users'),
    });
    const result = await check(['.'], { cwd: root });
    expect(result.errors).toEqual([]);
    const drop = result.sets[0]?.reports[0]?.findings.find((f) => f.rule === 'drop-table');
    expect(drop?.message).toContain('users (2 columns)');
  });

  it('each migration runs in a transaction on PostgreSQL, none on MySQL (no DDL transactions), none with disable_ddl_transaction!', async () => {
    const files = {
      'db/migrate/20240101000000_add_a.rb': migration('add_column :users, :a, :text'),
      'db/migrate/20240102000000_add_b.rb': `class M < ActiveRecord::Migration[7.1]\n  disable_ddl_transaction!\n  def change\n    add_index :users, :a, algorithm: :concurrently\n  end\nend\n`,
    };
    const transactional = async (root: string) =>
      (await check(['.'], { cwd: root })).sets[0]?.reports.map((r) => r.parsed.migration.transactional);
    expect(await transactional(app(files))).toEqual([true, false]);
    expect(await transactional(app({ ...files, 'config/database.yml': 'development:\n  adapter: mysql2\n' }))).toEqual([false, false]);
  });

  it('config/database.yml gives the dialect; ERB is blanked, never run', () => {
    const root = app({
      'config/database.yml':
        'default: &default\n  adapter: <%= ENV.fetch("DB_ADAPTER") { "mysql2" } %>\ndevelopment:\n  primary:\n    adapter: trilogy\n    pool: <%= 5 %>\n',
      'config/sqlite.yml': 'development:\n  adapter: sqlite3\n',
      'config/bad.yml': 'development: [unclosed\n',
    });
    expect(dialectOfDatabaseYml(join(root, 'config/database.yml'), 'config/database.yml').dialect).toBe('mysql');
    expect(dialectOfDatabaseYml(join(root, 'config/sqlite.yml'), 'config/sqlite.yml').dialect).toBe('sqlite');
    expect(dialectOfDatabaseYml(join(root, 'config/missing.yml'), 'x').dialect).toBeNull();
    expect(dialectOfDatabaseYml(join(root, 'config/bad.yml'), 'config/bad.yml').error?.path).toBe('config/bad.yml');
  });

  it('two migrations of one version are an error naming both, as Rails refuses them; the first is read', async () => {
    const root = app({
      'db/migrate/20240101000000_create_users.rb': migration('create_table :users do |t|\n t.string :name\n end'),
      'db/migrate/20240101000000_create_posts.rb': migration('create_table :posts'),
      'db/migrate/20240102000000_create_posts.rb': migration('add_column :posts, :title, :string'),
    });
    const result = await check(['.'], { cwd: root });
    expect(result.errors.map((e) => [e.path, e.message])).toEqual([
      [
        'db/migrate/20240101000000_create_users.rb',
        expect.stringContaining(
          'version number 20240101000000: db/migrate/20240101000000_create_posts.rb and db/migrate/20240101000000_create_users.rb',
        ),
      ],
      [
        'db/migrate/20240102000000_create_posts.rb',
        expect.stringContaining(
          'name create_posts: db/migrate/20240101000000_create_posts.rb and db/migrate/20240102000000_create_posts.rb',
        ),
      ],
    ]);
    expect(result.sets[0]?.reports.map((r) => r.parsed.migration.path)).toEqual([
      'db/migrate/20240101000000_create_posts.rb',
      'db/migrate/20240102000000_create_posts.rb',
    ]);
  });

  it('a file that is not Ruby a migration class says so with its path', async () => {
    const root = app({ 'db/migrate/20240101000000_broken.rb': 'def change\n  add_column :users, :x, :text\nend\n' });
    const result = await check(['.'], { cwd: root });
    expect(result.errors[0]).toMatchObject({
      path: 'db/migrate/20240101000000_broken.rb',
      message: expect.stringContaining('no migration class'),
    });
  });
});

describe('more of the DSL', () => {
  it('Rails 3 class methods (def self.up / def self.down)', () => {
    const p = readRails(
      'class Old < ActiveRecord::Migration\n  def self.up\n    add_column :users, :a, :string\n  end\n\n  def self.down\n    remove_column :users, :a\n  end\nend\n',
    );
    expect(p.downStatus).toBe('written');
    expect(kinds(p.up)).toEqual(['AddColumn']);
    expect(kinds(p.down)).toEqual(['DropColumn']);
  });

  it('create_join_table and drop_join_table', () => {
    const p = readRails('    create_join_table :users, :roles do |t|\n      t.index [:user_id, :role_id]\n    end');
    const create = only(p.up, 'CreateTable');
    expect(create.table.name).toBe('roles_users');
    expect(create.columns.map((c) => `${c.name}:${c.type.name}:${c.nullable}`)).toEqual(['user_id:int8:false', 'role_id:int8:false']);
    expect(kinds(p.down)).toEqual(['DropTable']);
    expect(kinds(readRails('    drop_join_table :users, :roles').down)).toEqual(['CreateTable']);
  });

  it('up_only runs on the way up only; transaction blocks revert as a whole', () => {
    const p = readRails(
      '    add_column :users, :a, :text\n    up_only { execute "UPDATE users SET a = \'x\'" }\n    transaction do\n      add_column :users, :b, :text\n    end',
    );
    expect(kinds(p.up)).toEqual(['AddColumn', 'DataChange', 'AddColumn']);
    expect(kinds(p.down)).toEqual(['DropColumn', 'DropColumn']);
  });

  it('revert of another migration class is not analyzed', () => {
    const p = readRails('    revert CreateLegacyWidgets');
    expect(only(p.up, 'Raw').notAnalyzed).toContain('revert');
  });

  it('a heredoc with interpolation is not analyzed', () => {
    const p = readRails('    execute <<~SQL\n      UPDATE #{table} SET a = 1\n    SQL');
    expect(only(p.up, 'Raw')).toMatchObject({ notAnalyzed: expect.stringContaining('SQL built at run time'), span: { line: 3 } });
  });

  it('MySQL: string is varchar(255)', () => {
    const p = readRails('    add_column :users, :name, :string', { dialect: 'mysql' });
    expect(only(p.up, 'AddColumn').column.type.text).toBe('varchar(255)');
  });

  it("a Ruby syntax error is reported at Ruby's own place with Ruby's message (Prism); what parses is still read", () => {
    const p = readRails('    add_column :users, :a, :text\n    add_column :users, :b, :text,,\n');
    expect(p.errors).toEqual([
      {
        path: 'db/migrate/20240101000000_test.rb',
        line: 4,
        column: 34,
        message: "Ruby syntax error: unexpected ','; expected an argument",
      },
    ]);
    expect(p.up.some((o) => o.kind === 'AddColumn')).toBe(true);
    // Every answer is unknown: the file is not what Ruby would run.
    const [report] = analyzeHistory([p]);
    expect(report).toMatchObject({ phase: 'unknown', codeRollback: 'unknown', dbRollback: 'unknown' });
  });

  it('an unclosed class is a syntax error, not "no migration class"', () => {
    const p = readRails('class M < ActiveRecord::Migration[7.1]\n  def change\n    remove_column(:users, :email\n  end\nend\n');
    expect(p.errors).toEqual([
      {
        path: 'db/migrate/20240101000000_test.rb',
        line: 4,
        column: 3,
        message: "Ruby syntax error: unexpected 'end'; expected a `)` to close the arguments",
      },
    ]);
  });
});
