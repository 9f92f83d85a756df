-- Sessions start recording when a user last logged in; nothing reads it yet.
ALTER TABLE users ADD COLUMN last_login_at timestamptz;
