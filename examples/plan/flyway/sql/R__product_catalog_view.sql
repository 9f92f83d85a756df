CREATE OR REPLACE VIEW product_catalog AS
SELECT id, sku, name, unit_price
FROM products
WHERE NOT discontinued;
