ALTER TABLE products ADD COLUMN discontinued boolean NOT NULL DEFAULT false;
