INSERT INTO products (id, sku, name, unit_price, created_at, discontinued) SELECT id, sku, name, unit_price, created_at, discontinued FROM twoway_archive.products__delete_from_products;
DROP TABLE twoway_archive.products__delete_from_products;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;
