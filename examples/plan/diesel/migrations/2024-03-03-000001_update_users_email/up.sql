-- twoway plan: step 1 of 1, release 1, data.
-- Runs outside a transaction: its DO block COMMITs after each batch, which PostgreSQL refuses inside one.
-- Between this step and the next: the archive twoway_archive.users__update_users_email keeps the old values until `twoway plan --cleanup` drops it.
DO $$
BEGIN
  CREATE SCHEMA IF NOT EXISTS twoway_archive;
  CREATE TABLE twoway_archive.users__update_users_email AS SELECT id, email, display_name, updated_at, email_verified_at, false AS twoway_done FROM users WHERE email <> lower(email);
  COMMIT;
  LOOP
    UPDATE users SET email = lower(email) WHERE id IN (SELECT id FROM twoway_archive.users__update_users_email WHERE NOT twoway_done ORDER BY id LIMIT 1000);
    UPDATE twoway_archive.users__update_users_email SET twoway_done = true WHERE id IN (SELECT id FROM twoway_archive.users__update_users_email WHERE NOT twoway_done ORDER BY id LIMIT 1000);
    EXIT WHEN NOT FOUND;
    COMMIT;
  END LOOP;
END $$;
