ALTER TABLE products RENAME COLUMN unit_price TO price;
