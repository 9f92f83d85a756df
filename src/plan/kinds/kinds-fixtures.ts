// The one-way migration of each kind the plan engine knows, shared by the tests that plan them end to end
// (kinds.test.ts: golang-migrate and Rails histories; writers.test.ts: every framework's writer).

/** The one-way migration of each kind, for a framework whose example history it follows. */
export interface Kind {
  kind: string;
  /** golang-migrate, after examples/golang-migrate (users: id bigserial, email varchar(255) NOT NULL, created_at, last_login_at). */
  sql: string;
  /** Rails, after examples/rails (users: email unique, first_name, last_name; orders: status indexed): `change`'s body, or methods. */
  rails?: string;
  /** Rails: `change`'s body of a migration before the one-way one. */
  railsBefore?: string;
  /** golang-migrate: a migration before the one-way one (which is then 000005). */
  sqlBefore?: string;
  /** The step names and phases the plan must be (golang-migrate). */
  steps: string[];
}

export const KINDS: Kind[] = [
  {
    kind: 'rename column',
    sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;',
    rails: 'rename_column :users, :first_name, :given_name',
    steps: [
      'add_users_email_address:expand',
      'backfill_users_email_address:data',
      'check_users_email_address_not_null:expand',
      'validate_users_email_address_not_null:expand',
      'rename_users_email_contract:contract',
    ],
  },
  {
    kind: 'rename table',
    sql: 'ALTER TABLE users RENAME TO accounts;',
    rails: 'rename_table :orders, :purchases',
    steps: ['rename_users_to_accounts:expand', 'drop_users_view:contract'],
  },
  {
    kind: 'type change (narrowing)',
    sql: 'ALTER TABLE users ALTER COLUMN email TYPE varchar(100);',
    rails: 'change_column :users, :last_name, :string, limit: 100',
    steps: [
      'add_users_email__twoway_new:expand',
      'backfill_users_email__twoway_new:data',
      'check_users_email__twoway_new_not_null:expand',
      'validate_users_email__twoway_new_not_null:expand',
      'retype_users_email_contract:contract',
    ],
  },
  {
    kind: 'new NOT NULL column',
    sql: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
    // Without a down (as the golang-migrate one): a reversible `change` adding it is a two-way door already.
    rails: 'def up\n    add_column :users, :plan, :string, null: false, default: "free"\n  end',
    steps: [
      'add_users_plan:expand',
      'backfill_users_plan:data',
      'check_users_plan_not_null:expand',
      'validate_users_plan_not_null:expand',
      'set_users_plan_not_null:contract',
    ],
  },
  {
    kind: 'new NOT NULL column with a default computed per row',
    sql: 'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();',
    rails: 'def up\n    add_column :users, :token, :uuid, null: false, default: -> { "gen_random_uuid()" }\n  end',
    steps: [
      'add_users_token:expand',
      'backfill_users_token:data',
      'check_users_token_not_null:expand',
      'validate_users_token_not_null:expand',
      'set_users_token_not_null:contract',
    ],
  },
  {
    kind: 'new nullable column with a volatile default (a rewrite as written)',
    sql: 'ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();',
    rails: 'add_column :users, :seen_at, :timestamptz, default: -> { "clock_timestamp()" }',
    steps: ['add_users_seen_at:expand', 'backfill_users_seen_at:data'],
  },
  {
    kind: 'drop table (a serial key)',
    sql: 'DROP TABLE users;',
    // orders.status's default was written while it was a string: made again on text, PostgreSQL shows it cast
    // to text, not varchar (the replayed schema keeps the default's text, not its type). A table of its own instead.
    railsBefore: 'create_table :teams do |t|\n      t.string :name, null: false\n    end',
    rails: 'def up\n    drop_table :teams\n  end',
    steps: ['drop_users:contract'],
  },
  {
    kind: 'UPDATE of existing rows',
    sql: 'UPDATE users SET email = lower(email) WHERE email <> lower(email);',
    rails: 'def up\n    execute "UPDATE users SET first_name = upper(first_name)"\n  end',
    steps: ['update_users_email:data'],
  },
  {
    // The trigger moves another column as the UPDATE runs: the down puts that one back too, without firing it again.
    kind: 'UPDATE of rows a trigger also changes',
    sqlBefore:
      'CREATE FUNCTION touch_login() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.last_login_at := clock_timestamp(); RETURN NEW; END $$;\nCREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_login();',
    sql: 'UPDATE users SET email = lower(email) WHERE email <> lower(email);',
    // Not for Rails: the one-way migration here shares its version with examples/rails' post_migrate dropping
    // users.full_name, so the steps planned from the schema before it run after that drop.
    steps: ['update_users_email:data'],
  },
  {
    kind: 'DELETE of existing rows',
    sql: "DELETE FROM users WHERE last_login_at < now() - interval '1 year';",
    rails: 'def up\n    execute "DELETE FROM orders WHERE status = \'cancelled\'"\n  end',
    steps: ['delete_from_users:data'],
  },
  {
    kind: 'two-way operations of a one-way migration',
    sql: 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE TABLE teams (id bigint PRIMARY KEY);\nALTER TABLE users DROP COLUMN created_at;',
    rails: 'add_column :users, :nickname, :string\n    create_table :teams\n    remove_column :users, :last_name',
    steps: ['two_way_changes:expand', 'drop_users_created_at:contract'],
  },
];
