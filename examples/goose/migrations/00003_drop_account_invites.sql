-- Invites moved to the identity service in release 2024.05; no code reads this table any more.
-- twoway: contract

-- +goose Up
DROP TABLE account_invites;

-- +goose Down
CREATE TABLE account_invites (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    email text NOT NULL,
    token text NOT NULL
);
