-- twoway plan: step 1 of 1, release 1, data.
-- Runs outside a transaction: its DO block COMMITs after each batch, which PostgreSQL refuses inside one.
-- Between this step and the next: the archive twoway_archive.audit_log__delete_from_audit_log keeps the deleted rows until `twoway plan --cleanup` drops it.
DO $$
BEGIN
  CREATE SCHEMA IF NOT EXISTS twoway_archive;
  CREATE TABLE twoway_archive.audit_log__delete_from_audit_log AS SELECT id, actor, action, created_at, ip, false AS twoway_done FROM audit_log WHERE created_at < now() - interval '1 year';
  COMMIT;
  LOOP
    DELETE FROM audit_log WHERE id IN (SELECT id FROM twoway_archive.audit_log__delete_from_audit_log WHERE NOT twoway_done ORDER BY id LIMIT 1000);
    UPDATE twoway_archive.audit_log__delete_from_audit_log SET twoway_done = true WHERE id IN (SELECT id FROM twoway_archive.audit_log__delete_from_audit_log WHERE NOT twoway_done ORDER BY id LIMIT 1000);
    EXIT WHEN NOT FOUND;
    COMMIT;
  END LOOP;
END $$;
