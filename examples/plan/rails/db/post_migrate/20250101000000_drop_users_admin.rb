# twoway plan: step 1 of 1, release 2, contract.
# twoway: contract
# Ship first, in the release before this migration:
#   app/models/user.rb, class User: self.ignored_columns += ["admin"]
# Between this step and the next: the archive twoway_archive.users__drop_users_admin keeps the values until `twoway plan --cleanup` drops it.
class DropUsersAdmin < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      CREATE SCHEMA IF NOT EXISTS twoway_archive;
      CREATE TABLE twoway_archive.users__drop_users_admin AS SELECT id, admin FROM users;
      ALTER TABLE users DROP COLUMN admin;
    SQL
  end

  def down
    execute <<~SQL
      ALTER TABLE users ADD COLUMN admin bool DEFAULT false;
      UPDATE users SET admin = a.admin FROM twoway_archive.users__drop_users_admin a WHERE users.id = a.id;
      ALTER TABLE users ALTER COLUMN admin SET NOT NULL;
      DROP TABLE twoway_archive.users__drop_users_admin;
      DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;
    SQL
  end
end
