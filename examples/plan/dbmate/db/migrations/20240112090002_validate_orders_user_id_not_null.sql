-- migrate:up
-- twoway plan: step 2 of 3, release 1, expand.
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_not_null;

-- migrate:down
ALTER TABLE orders DROP CONSTRAINT orders_user_id_not_null;
ALTER TABLE orders ADD CONSTRAINT orders_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;
