import rule from './down-does-not-undo.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100) NOT NULL);';

ruleTests(rule, {
  valid: [
    {
      name: 'a down that drops the added column',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN nickname text;',
      down: 'ALTER TABLE users DROP COLUMN nickname;',
    },
    {
      name: 'a down that restores type, nullability and index',
      history: [users, 'CREATE INDEX users_email ON users (email);'],
      up: 'DROP INDEX users_email;\nALTER TABLE users ALTER COLUMN email TYPE text;\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
      down: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users ALTER COLUMN email TYPE varchar(100);\nCREATE INDEX users_email ON users (email);',
    },
    {
      name: 'DEFAULT NULL taken away by the up and not put back: no default reads NULL the same',
      history: ['CREATE TABLE monitor (id int, push_token varchar(20) DEFAULT NULL);'],
      up: 'ALTER TABLE monitor ALTER COLUMN push_token TYPE varchar(32);\nALTER TABLE monitor ALTER COLUMN push_token DROP DEFAULT;',
      down: 'ALTER TABLE monitor ALTER COLUMN push_token TYPE varchar(20);',
    },
    { name: 'a new table dropped again', up: 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);', down: 'DROP TABLE t;' },
    { name: 'no down at all is missing-down, not this rule', history: [users], up: 'ALTER TABLE users ADD COLUMN a int;' },
    { name: 'an empty down is no down', history: [users], up: 'ALTER TABLE users ADD COLUMN a int;', down: '-- nothing\n' },
    {
      name: 'an unnamed constraint: PostgreSQL names it, the replay cannot compare it',
      history: [users],
      up: 'ALTER TABLE users ADD CHECK (id > 0);',
      down: 'ALTER TABLE users DROP CONSTRAINT users_id_check;',
    },
    {
      name: 'a down running procedural code is not second-guessed',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a int;',
      down: "DO $$ BEGIN EXECUTE 'ALTER TABLE users DROP COLUMN a'; END $$;",
    },
    {
      name: 'objects PostgreSQL named, dropped by the up and re-created by the down',
      history: ['CREATE TABLE api_tokens (id int, token text UNIQUE);', 'CREATE INDEX ON api_tokens (token);'],
      up: 'ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_token_key;\nDROP INDEX api_tokens_token_idx;',
      down: 'CREATE INDEX api_tokens_token_idx ON api_tokens (token);\nALTER TABLE api_tokens ADD CONSTRAINT api_tokens_token_key UNIQUE (token);',
    },
    {
      name: 'a down naming an inline primary key the history left unnamed',
      history: ['CREATE TABLE authors (id serial PRIMARY KEY, name text);'],
      up: 'DROP TABLE authors;',
      down: 'CREATE TABLE authors (id serial CONSTRAINT authors_pkey PRIMARY KEY, name text);',
    },
    {
      name: 'a NOT NULL table constraint (PostgreSQL 18) restores NOT NULL',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
      down: 'ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email;',
    },
  ],
  invalid: [
    {
      name: 'a column the up added remains after the down',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE users ADD COLUMN bio text;',
      down: 'ALTER TABLE users DROP COLUMN bio;',
      message: 'column users.nickname remains',
      line: 1,
    },
    {
      name: 'the down does not rebuild the dropped index',
      history: [users, 'CREATE INDEX users_email ON users (email);'],
      up: 'DROP INDEX users_email;',
      down: "COMMENT ON TABLE users IS 'accounts';",
      message: 'index users_email on users is missing',
    },
    {
      name: 'each difference is named, in one finding for the line',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN email TYPE text;\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
      down: 'ALTER TABLE users ALTER COLUMN email TYPE varchar(50);',
      message: 'column users.email is varchar(50), was varchar(100)',
    },
    {
      name: 'a named constraint the down does not restore',
      history: [users, 'ALTER TABLE users ADD CONSTRAINT email_lower CHECK (email = lower(email));'],
      up: 'ALTER TABLE users DROP CONSTRAINT email_lower;',
      down: "COMMENT ON TABLE users IS 'accounts';",
      message: 'constraint email_lower on users (CHECK (email = lower(email))) is missing',
    },
    {
      name: 'a type the up created remains after an empty-handed down',
      history: ["CREATE TYPE mood AS ENUM ('ok', 'sad');"],
      up: "CREATE TYPE mood2 AS ENUM ('x');",
      down: "COMMENT ON TABLE users IS 'accounts';",
      message: 'type mood2 remains',
    },
  ],
});
