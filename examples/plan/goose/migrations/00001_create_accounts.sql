-- +goose Up
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    plan text NOT NULL DEFAULT 'free',
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_invites (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    email text NOT NULL,
    token text NOT NULL
);

-- +goose Down
DROP TABLE account_invites;
DROP TABLE accounts;
