-- migrate:up
-- twoway plan: step 3 of 3, release 1, contract.
-- twoway: contract
ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_user_id_not_null;

-- migrate:down
ALTER TABLE orders ADD CONSTRAINT orders_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_not_null;
ALTER TABLE orders ALTER COLUMN user_id DROP NOT NULL;
