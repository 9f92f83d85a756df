-- twoway plan: step 1 of 1, release 1, data.
-- Runs outside a transaction: its DO block COMMITs after each batch, which PostgreSQL refuses inside one.
-- Between this step and the next: the archive twoway_archive.products__delete_from_products keeps the deleted rows until `twoway plan --cleanup` drops it.
DO $$
BEGIN
  CREATE SCHEMA IF NOT EXISTS twoway_archive;
  CREATE TABLE twoway_archive.products__delete_from_products AS SELECT id, sku, name, unit_price, created_at, discontinued, false AS twoway_done FROM products WHERE discontinued;
  COMMIT;
  LOOP
    DELETE FROM products WHERE id IN (SELECT id FROM twoway_archive.products__delete_from_products WHERE NOT twoway_done ORDER BY id LIMIT 1000);
    UPDATE twoway_archive.products__delete_from_products SET twoway_done = true WHERE id IN (SELECT id FROM twoway_archive.products__delete_from_products WHERE NOT twoway_done ORDER BY id LIMIT 1000);
    EXIT WHEN NOT FOUND;
    COMMIT;
  END LOOP;
END $$;
