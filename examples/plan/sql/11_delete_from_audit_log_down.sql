INSERT INTO audit_log (id, actor, action, created_at, ip) SELECT id, actor, action, created_at, ip FROM twoway_archive.audit_log__delete_from_audit_log;
DROP TABLE twoway_archive.audit_log__delete_from_audit_log;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;
