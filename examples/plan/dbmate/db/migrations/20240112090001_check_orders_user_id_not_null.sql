-- migrate:up
-- twoway plan: step 1 of 3, release 1, expand.
-- Between this step and the next: new rows must now have user_id; backfill existing NULLs before the next step.
ALTER TABLE orders ADD CONSTRAINT orders_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;

-- migrate:down
ALTER TABLE orders DROP CONSTRAINT orders_user_id_not_null;
