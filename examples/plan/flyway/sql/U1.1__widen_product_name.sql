-- Fails (or would need truncation) as soon as one product has a name longer than 100 characters.
ALTER TABLE products ALTER COLUMN name TYPE varchar(100);
