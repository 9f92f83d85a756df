-- Marketing wants longer product names.
ALTER TABLE products ALTER COLUMN name TYPE varchar(255);
