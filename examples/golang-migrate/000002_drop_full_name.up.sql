-- first_name/last_name replaced full_name in release 42
ALTER TABLE users DROP COLUMN full_name;
