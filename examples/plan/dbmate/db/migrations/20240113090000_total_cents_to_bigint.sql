-- migrate:up
ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint;

-- migrate:down
-- Fails once an order total exceeds the integer range.
ALTER TABLE orders ALTER COLUMN total_cents TYPE integer;
