-- The running release still selects products.price.
ALTER TABLE products RENAME COLUMN price TO unit_price;
