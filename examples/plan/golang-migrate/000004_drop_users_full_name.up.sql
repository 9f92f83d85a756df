-- twoway: contract
CREATE SCHEMA IF NOT EXISTS twoway_archive;
CREATE TABLE twoway_archive.users__drop_users_full_name AS SELECT id, full_name FROM users;
ALTER TABLE users DROP COLUMN full_name;
