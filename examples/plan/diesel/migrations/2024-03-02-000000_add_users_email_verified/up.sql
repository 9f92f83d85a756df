ALTER TABLE users ADD COLUMN email_verified_at timestamp;
