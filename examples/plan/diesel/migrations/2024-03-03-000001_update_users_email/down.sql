DO $$
BEGIN
  ALTER TABLE users DISABLE TRIGGER USER;
  UPDATE users SET email = a.email, display_name = a.display_name, updated_at = a.updated_at, email_verified_at = a.email_verified_at FROM twoway_archive.users__update_users_email a WHERE users.id = a.id;
  ALTER TABLE users ENABLE TRIGGER USER;
END $$;
DROP TABLE twoway_archive.users__update_users_email;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;
