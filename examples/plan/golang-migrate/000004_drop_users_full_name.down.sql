ALTER TABLE users ADD COLUMN full_name text;
UPDATE users SET full_name = a.full_name FROM twoway_archive.users__drop_users_full_name a WHERE users.id = a.id;
ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;
DROP TABLE twoway_archive.users__drop_users_full_name;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;
