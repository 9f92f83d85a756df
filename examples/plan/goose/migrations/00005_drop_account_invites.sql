-- +goose Up
-- twoway plan: step 1 of 1, release 2, contract.
-- twoway: contract
-- Ship first, in the release before this migration: code that no longer reads or writes account_invites.id, account_invites.account_id, account_invites.email, account_invites.token.
-- Between this step and the next: the archive twoway_archive.account_invites__drop_account_invites keeps the rows until `twoway plan --cleanup` drops it.
CREATE SCHEMA IF NOT EXISTS twoway_archive;
CREATE TABLE twoway_archive.account_invites__drop_account_invites AS SELECT id, account_id, email, token FROM account_invites;
DROP TABLE account_invites;

-- +goose Down
-- +goose StatementBegin
CREATE TABLE account_invites (
  id bigserial NOT NULL,
  account_id int8 NOT NULL,
  email text NOT NULL,
  token text NOT NULL,
  CONSTRAINT account_invites_pkey PRIMARY KEY (id),
  CONSTRAINT account_invites_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id)
);
-- +goose StatementEnd
INSERT INTO account_invites (id, account_id, email, token) SELECT id, account_id, email, token FROM twoway_archive.account_invites__drop_account_invites;
SELECT setval(pg_get_serial_sequence('account_invites', 'id'), max(id)) FROM account_invites HAVING max(id) IS NOT NULL;
DROP TABLE twoway_archive.account_invites__drop_account_invites;
-- +goose StatementBegin
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'twoway_archive') THEN DROP SCHEMA twoway_archive; END IF; END $$;
-- +goose StatementEnd
