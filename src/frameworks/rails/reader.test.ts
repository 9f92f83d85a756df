// Code paths a person reading a Rails migration follows: guards, dialect branches, loops over literals,
// helper methods, begin bodies, literal interpolation. What stays unread is said, never skipped.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../analyze.js';
import type { Dialect, Operation } from '../../ir.js';
import { indexName } from './names.js';
import { loadRails, readRails } from './testing.js';

beforeAll(loadRails);

const summary = (ops: readonly Operation[] | null) =>
  (ops ?? []).map((o) => {
    if (o.kind === 'Raw') return o.notAnalyzed ? `unread: ${o.notAnalyzed.split(':')[0]}` : `Raw ${o.statement}`;
    if (o.kind === 'AddColumn') return `AddColumn ${o.table.name}.${o.column.name} ${o.column.type.text}`;
    if (o.kind === 'AddIndex') return `AddIndex ${o.name} (${o.columns.join(', ')})${o.unique ? ' unique' : ''}`;
    if (o.kind === 'DropIndex') return `DropIndex ${o.index.name}`;
    if (o.kind === 'DataChange') return `DataChange ${o.action} ${o.table.name}`;
    return o.kind;
  });
const up = (body: string, dialect: Dialect = 'postgresql') => {
  const p = readRails(body, { dialect });
  expect(p.errors).toEqual([]);
  return summary(p.up);
};

describe('branches', () => {
  it.each([
    ['unless column_exists?', '    add_column :users, :nick, :text unless column_exists?(:users, :nick)', ['AddColumn users.nick text']],
    [
      'if index_exists? … end (connection.)',
      '    if connection.index_exists?(:users, :email)\n      remove_index :users, :email\n    end',
      ['DropIndex index_users_on_email'],
    ],
    [
      'unless table_exists? && column_exists?',
      '    unless table_exists?(:a) && column_exists?(:a, :b)\n      add_column :a, :b, :text\n    end',
      ['AddColumn a.b text'],
    ],
    ['unless extension_enabled?', "    enable_extension 'pgcrypto' unless extension_enabled?('pgcrypto')", ['Raw enable_extension']],
    [
      'a precondition that only raises',
      '    if Message.where(short_id: nil).exists?\n      raise "nil short_id"\n    end\n    change_column_null :messages, :short_id, false',
      ['SetNotNull'],
    ],
  ])('a guard on the schema is read as if the guarded change happens: %s', (_name, body, expected) => {
    expect(up(body)).toEqual(expected);
  });

  it.each([
    ['postgresql', ['AddIndex index_t_on_a (a) unique']],
    ['mysql', ['AddColumn t.b text']],
    ['sqlite', []],
  ] as const)('a branch on the adapter takes the set dialect (%s)', (dialect, expected) => {
    const body = `    if ActiveRecord::Base.connection.adapter_name == "PostgreSQL"
      add_index :t, :a, unique: true
    elsif connection.adapter_name.downcase.include?("mysql")
      add_column :t, :b, :text
    end`;
    expect(up(body, dialect)).toEqual(expected);
  });

  it('case on the adapter name, with else', () => {
    const body = `    case connection.adapter_name
    when "SQLServer" then execute "CREATE NONCLUSTERED INDEX x ON t (a)"
    when /postgres/i then add_index :t, :a
    else add_column :t, :b, :text
    end`;
    expect(up(body)).toEqual(['AddIndex index_t_on_a (a)']);
    expect(up(body, 'mysql')).toEqual(['AddColumn t.b text']);
  });

  it('an adapter capability Rails reports (Active Storage: supports_datetime_with_precision?)', () => {
    const body = `    create_table :blobs do |t|
      if connection.supports_datetime_with_precision?
        t.datetime :created_at, precision: 6, null: false
      else
        t.datetime :created_at, null: false
      end
    end`;
    const p = readRails(body);
    expect(p.up[0]).toMatchObject({
      kind: 'CreateTable',
      columns: [{ name: 'id' }, { name: 'created_at', type: { text: 'timestamp(6)' } }],
    });
    expect(p.up.filter((o) => o.kind === 'Raw')).toEqual([]);
  });

  it('a condition on the application stays unread (it may or may not run), its body read as if it runs', () => {
    expect(up('    if Rails.env.production?\n      add_column :users, :a, :text\n    end')).toEqual([
      'unread: the condition `if Rails.env.production?` is decided at run time; what it guards is read as if it runs',
      'AddColumn users.a text',
    ]);
    expect(
      up('    if Rails.env.production?\n      add_column :users, :a, :text\n    else\n      add_column :users, :b, :text\n    end'),
    ).toEqual(['unread: conditional code']);
  });

  it('a condition on the application that guards only row changes is judged as if it runs, with no note, as in the JS readers', () => {
    // maybe-finance/maybe create_subscriptions: the copy into subscriptions runs in managed mode only.
    const copy = `    if Rails.application.config.app_mode.managed?
      execute <<~SQL
        INSERT INTO subscriptions (family_id, status) SELECT f.id, 'active' FROM families f
      SQL
      Family.where(kind: 'x').update_all(kind: 'y')
    end`;
    expect(up(copy)).toEqual(['DataChange insert subscriptions', 'DataChange update families']);
    // A schema change beside them keeps the note.
    expect(up(copy.replace('    end', '      add_column :families, :a, :text\n    end'))).toEqual([
      'unread: the condition `if Rails.application.config.app_mode.managed?` is decided at run time; what it guards is read as if it runs',
      'DataChange insert subscriptions',
      'DataChange update families',
      'AddColumn families.a text',
    ]);
  });
});

describe('loops over literal collections and bound values', () => {
  it('an array of arrays destructured into several block parameters, with **options', () => {
    const text = `class AddUniqueIndexesToLinks < ActiveRecord::Migration[8.0]
  INDEXES = [
    [:links, [:url, :from_id], {unique: true, name: "index_links_on_url_and_from_id"}],
    [:links, [:to_id, :from_id], {unique: true, name: "idx_links_to_from"}]
  ]

  def up
    INDEXES.each do |table, columns, options|
      add_index(table, columns, **options) unless index_exists?(table, columns)
    end
  end
end
`;
    expect(summary(readRails(text).up)).toEqual([
      'AddIndex index_links_on_url_and_from_id (url, from_id) unique',
      'AddIndex idx_links_to_from (to_id, from_id) unique',
    ]);
  });

  it('%i[].each, a hash constant with |key, value|, each_with_index and for … in', () => {
    expect(up('    %i[a b].each { |c| add_column :users, c, :text }')).toEqual(['AddColumn users.a text', 'AddColumn users.b text']);
    expect(up('    { users: :text, posts: :jsonb }.each do |t, type|\n      add_column t, :meta, type\n    end')).toEqual([
      'AddColumn users.meta text',
      'AddColumn posts.meta jsonb',
    ]);
    expect(up('    %w[x y].each_with_index { |c, i| add_column :t, "#{c}_#{i}", :text }')).toEqual([
      'AddColumn t.x_0 text',
      'AddColumn t.y_1 text',
    ]);
    expect(up('    for c in [:a, :b]\n      add_column :t, c, :text\n    end')).toEqual(['AddColumn t.a text', 'AddColumn t.b text']);
  });

  it('constants and locals followed into interpolation and concatenation', () => {
    const text = `class M < ActiveRecord::Migration[7.1]
  TABLE = "accounts"
  def change
    column = :balance
    add_index TABLE, column, name: "index_" + TABLE + "_on_#{column}"
  end
end
`;
    expect(summary(readRails(text).up)).toEqual(['AddIndex index_accounts_on_balance (balance)']);
  });

  it('a loop over rows of the database stays unread, said as application code (like RunPython)', () => {
    expect(up('    User.find_each { |u| u.update!(name: u.name.strip) }')).toEqual([
      'unread: application code (`User.find_each`) runs at migration time, once per record',
    ]);
    expect(up('    Account.all.each do |a|\n      a.update!(kind: 1)\n    end')).toEqual([
      'unread: application code (`Account.all.each`) runs at migration time, once per record',
    ]);
    expect(up('    Merchant.where("kind = 1").pluck(:id).each { |id| execute "delete from merchants where id = #{id}" }')).toEqual([
      'unread: application code (`Merchant.where("kind = 1").pluck(',
    ]);
    // A constant of the file bound to a literal is unrolled; one of another file, or a local, is a run-time loop.
    expect(up('    TABLES = %i[a b]\n    TABLES.each { |t| add_column t, :x, :text }')).toEqual([
      'AddColumn a.x text',
      'AddColumn b.x text',
    ]);
    expect(up('    TABLES.each { |t| add_column t, :x, :text }')).toEqual(['unread: a loop (`each`)']);
    expect(up('    tables.map(&:to_s).each { |t| add_column t, :x, :text }')).toEqual(['unread: a loop (`each`)']);
    // The database's own tables are no records: a loop decided at run time.
    expect(up('    ActiveRecord::Base.connection.tables.each { |t| add_column t, :x, :text }')).toEqual(['unread: a loop (`each`)']);
    expect(up('    ApplicationRecord.connection.tables.each { |t| add_column t, :x, :text }')).toEqual(['unread: a loop (`each`)']);
  });
});

describe('helpers, begin bodies, heredocs', () => {
  it('a helper method with parameters (and a trailing hash argument) is read in place with them bound', () => {
    const text = `class M < ActiveRecord::Migration[7.1]
  def up
    add_text :users, :bio
    add_text :users, :motto, default: "hi"
    rename_types("Account::Loan" => "Loan", "Account::Card" => "Card")
  end

  private

  def add_text(table, name, default: nil)
    add_column table, name, :text, default: default
  end

  def rename_types(mapping)
    mapping.each do |from, to|
      Account.where(kind: from).update_all(kind: to)
    end
  end
end
`;
    const p = readRails(text);
    expect(summary(p.up)).toEqual([
      'AddColumn users.bio text',
      'AddColumn users.motto text',
      'DataChange update accounts',
      'DataChange update accounts',
    ]);
    expect(p.up[1]).toMatchObject({ column: { default: { text: "'hi'" } } });
    // The literals of where(...).update_all(...) say which value becomes which: the judge pairs them with the down's.
    expect(p.up[2]).toMatchObject({ literals: ['Loan'], matches: [{ column: 'kind', value: 'Account::Loan' }] });
  });

  it('a helper that returns a literal is its value', () => {
    const text =
      'class M < ActiveRecord::Migration[7.1]\n  def change\n    add_column table, :a, :text\n  end\n\n  def table = :users\nend\n';
    expect(summary(readRails(text).up)).toEqual(['AddColumn users.a text']);
  });

  it('begin bodies and ensure are read; rescue (the error path) is not', () => {
    const body =
      '    begin\n      add_index :t, :a\n    rescue ActiveRecord::StatementInvalid\n      add_index :t, :b\n    ensure\n      add_index :t, :c\n    end';
    expect(up(body)).toEqual(['AddIndex index_t_on_a (a)', 'AddIndex index_t_on_c (c)']);
  });

  it("ActiveRecord::Base.transaction do … end is read like Rails' transaction", () => {
    expect(up('    ActiveRecord::Base.transaction do\n      Merchant.update_all(kind: "family")\n    end')).toEqual([
      'DataChange update merchants',
    ]);
  });

  it("heredoc SQL whose interpolations are literals (#{' '}, a constant, a loop item) is SQL", () => {
    const text = `class M < ActiveRecord::Migration[7.2]
  ZONES = { "Europe/Kiev" => "Europe/Kyiv" }.freeze
  def up
    execute <<-SQL
      DELETE FROM holdings#{' '}
      WHERE qty IS NULL;
    SQL
    ZONES.each do |old_tz, new_tz|
      execute <<-SQL
        UPDATE families#{' '}
        SET timezone = '#{new_tz}'
        WHERE timezone = '#{old_tz}'
      SQL
    end
  end
end
`;
    const p = readRails(text);
    expect(p.errors).toEqual([]);
    expect(summary(p.up)).toEqual(['DataChange delete holdings', 'DataChange update families']);
    expect(p.up[1]?.span.line).toBe(10);
  });
});

describe('the compatibility layer of the Rails version a migration is written for', () => {
  const create = (version: string) =>
    readRails(
      `class M < ${version}\n  def change\n    create_table :posts do |t|\n      t.references :user\n      t.datetime :published_at\n      t.timestamps\n    end\n  end\nend\n`,
    );
  const columns = (version: string) =>
    create(version).up.flatMap((o) =>
      o.kind === 'CreateTable' ? o.columns.map((c) => `${c.name} ${c.type.text}${c.nullable ? '' : ' NOT NULL'}`) : [`${o.kind}`],
    );
  it.each([
    [
      'ActiveRecord::Migration[7.1]',
      [
        'id bigserial NOT NULL',
        'user_id int8',
        'published_at timestamp(6)',
        'created_at timestamp(6) NOT NULL',
        'updated_at timestamp(6) NOT NULL',
        'AddIndex',
      ],
    ],
    [
      'ActiveRecord::Migration[6.1]',
      [
        'id bigserial NOT NULL',
        'user_id int8',
        'published_at timestamp',
        'created_at timestamp NOT NULL',
        'updated_at timestamp NOT NULL',
        'AddIndex',
      ],
    ],
    [
      'ActiveRecord::Migration[5.0]',
      [
        'id serial NOT NULL',
        'user_id int4',
        'published_at timestamp',
        'created_at timestamp NOT NULL',
        'updated_at timestamp NOT NULL',
        'AddIndex',
      ],
    ],
    [
      'ActiveRecord::Migration[4.2]',
      ['id serial NOT NULL', 'user_id int4', 'published_at timestamp', 'created_at timestamp', 'updated_at timestamp'],
    ],
    [
      'ActiveRecord::Migration',
      ['id serial NOT NULL', 'user_id int4', 'published_at timestamp', 'created_at timestamp', 'updated_at timestamp'],
    ],
    [
      'Gitlab::Database::Migration[2.2]',
      [
        'id bigserial NOT NULL',
        'user_id int8',
        'published_at timestamp(6)',
        'created_at timestamp(6) NOT NULL',
        'updated_at timestamp(6) NOT NULL',
        'AddIndex',
      ],
    ],
  ])('%s', (version, expected) => {
    expect(columns(version)).toEqual(expected);
  });
});

describe('raise', () => {
  it('a down that raises any error cannot run: the migration has no down, declared', () => {
    const p = readRails(
      'class M < ActiveRecord::Migration[7.1]\n  def up\n    remove_column :users, :legacy\n  end\n\n  def down\n    raise "Cannot bring legacy back"\n  end\nend\n',
    );
    expect(p.downStatus).toBe('irreversible');
    expect(p.down).toBeNull();
    expect(p.notes).toEqual([]);
  });
});

describe("ActiveRecord's index names", () => {
  it.each([
    [['email'], 7.1, 'index_users_on_email'],
    [['org_id', 'email'], 7.1, 'index_users_on_org_id_and_email'],
    [['lower(email)'], 7.1, 'index_users_on_lower_email'],
    [
      ['a_very_long_column_name_number_one', 'a_very_long_column_name_number_two'],
      7.0,
      'index_users_on_a_very_long_column_name_number_one_and_a_very_long_column_name_number_two',
    ],
  ])('%j in a Migration[%s]: %s', (columns, version, name) => {
    expect(indexName('users', columns, version)).toBe(name);
  });

  it('from Rails 7.1 a name over 62 bytes is idx_on_<columns>_<hash>', () => {
    const name = indexName('users', ['a_very_long_column_name_number_one', 'a_very_long_column_name_number_two'], 7.1);
    expect(name).toMatch(/^idx_on_a_very_long_column_name_number_one_a_very_lo_[0-9a-f]{10}$/);
    expect(Buffer.byteLength(name)).toBe(62);
    const text =
      'class M < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, [:a_very_long_column_name_number_one, :a_very_long_column_name_number_two]\n  end\nend\n';
    expect(readRails(text).up[0]).toMatchObject({ kind: 'AddIndex', name });
  });
});

describe('migrations whose change holds only no-ops are two-way doors', () => {
  it.each([
    ['an empty change', ''],
    ['only output and a cache reset', '    say "nothing to do"\n    User.reset_column_information'],
    ['a guarded change whose body prints', '    if column_exists?(:users, :x)\n      say "already there"\n    end'],
  ])('%s', (_name, body) => {
    const p = readRails(body);
    expect(p.up).toEqual([]);
    const [report] = analyzeHistory([p]);
    expect(report).toMatchObject({ phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' });
  });
});
