-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY accounts_plan_idx ON accounts (plan);

-- +goose Down
DROP INDEX CONCURRENTLY accounts_plan_idx;
