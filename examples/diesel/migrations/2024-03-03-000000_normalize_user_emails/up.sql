-- Logins compare emails case-insensitively from now on.
UPDATE users SET email = lower(email) WHERE email <> lower(email);
