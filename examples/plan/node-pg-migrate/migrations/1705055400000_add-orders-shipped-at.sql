-- Up Migration
-- No Down Migration section: node-pg-migrate cannot roll this file back.
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
