ALTER TABLE "User" ADD COLUMN bio text;
UPDATE "User" SET bio = a.bio FROM twoway_archive."User__drop_User_bio" a WHERE "User".id = a.id;
DROP TABLE twoway_archive."User__drop_User_bio";
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;
