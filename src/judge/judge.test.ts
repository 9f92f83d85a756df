// The judge on the patterns real histories are full of (issue: verdicts from the net effect), on
// small real SQL through the whole pipeline, and on the real files of shared/corpus where they exist.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { analyzeCase, type MigrationCase } from '../rules/testing.js';
import type { Verdict } from './judge.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name varchar(50), bracket text, admin boolean);';
const profiles = 'CREATE TABLE profiles (id bigint PRIMARY KEY, user_id bigint);';

type Case = MigrationCase & { verdict: Verdict; found?: string[]; absent?: string[] };

const cases: Case[] = [
  // A table renamed with a view under its old name: PostgreSQL writes through a simple view, so old code works.
  {
    name: 'a table renamed with a pass-through view under the old name is an expand step',
    history: [users],
    up: 'ALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts;',
    down: 'DROP VIEW users;\nALTER TABLE accounts RENAME TO users;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['rename-table'],
  },
  // twoway plan's type-change swap: the release still running names email, which is there again.
  {
    name: 'the shadow column of a planned type change renamed into the dropped column is a contract step',
    history: [users, 'ALTER TABLE users ADD COLUMN name__twoway_new text;'],
    up: 'ALTER TABLE users DROP COLUMN name;\nALTER TABLE users RENAME COLUMN name__twoway_new TO name;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
    absent: ['rename-column'],
  },
  {
    name: 'any other column renamed into a dropped one is still a rename the previous release names',
    history: [users, 'ALTER TABLE users ADD COLUMN name_v2 text;'],
    up: 'ALTER TABLE users DROP COLUMN name;\nALTER TABLE users RENAME COLUMN name_v2 TO name;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
    found: ['rename-column'],
  },
  {
    name: 'a view under the old name that hides rows leaves the rename breaking',
    history: [users],
    up: 'ALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts WHERE NOT admin;',
    down: 'DROP VIEW users;\nALTER TABLE accounts RENAME TO users;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
    found: ['rename-table'],
  },
  // A column dropped while a table made beside it references its table: what it held moves there (maybe's
  // create_sessions drops users.last_login_at as sessions, referencing users, is created).
  {
    name: 'a column dropped while a new table referencing its table is created is dropped with its replacement',
    history: [users],
    up: 'CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), ip text);\nALTER TABLE users DROP COLUMN name;',
    down: 'ALTER TABLE users ADD COLUMN name varchar(50);\nDROP TABLE sessions;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
    found: ['drop-column'],
  },
  {
    name: 'a column dropped beside a new table that does not reference its table is a plain contract step',
    history: [users],
    up: 'CREATE TABLE sessions (id bigint PRIMARY KEY, ip text);\nALTER TABLE users DROP COLUMN name;',
    down: 'ALTER TABLE users ADD COLUMN name varchar(50);\nDROP TABLE sessions;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  // A generated column holds nothing of its own: dropping it loses nothing, with or without a down (maybe's remove_search_vector).
  {
    name: 'a generated column dropped without a down destroys nothing: no-down, not irreversible',
    history: [
      "CREATE TABLE products (id bigint PRIMARY KEY, name text, search tsvector GENERATED ALWAYS AS (to_tsvector('simple', name)) STORED);",
    ],
    up: 'ALTER TABLE products DROP COLUMN search;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'no-down' },
    found: ['drop-column'],
  },
  // A down that adds a column back, fills it from a column the new release may leave NULL and makes it NOT NULL fails
  // on those rows (maybe's change_import_owner).
  {
    name: 'a down re-adding a column NOT NULL filled from a nullable column fails on rows written after the up',
    history: [users, 'CREATE TABLE imports (id bigint PRIMARY KEY, account_id bigint NOT NULL);'],
    up: 'ALTER TABLE imports ADD COLUMN original_account_id bigint;\nUPDATE imports SET original_account_id = account_id;\nALTER TABLE imports DROP COLUMN account_id;',
    down: 'ALTER TABLE imports ADD COLUMN account_id bigint;\nUPDATE imports SET account_id = original_account_id;\nALTER TABLE imports DROP COLUMN original_account_id;\nALTER TABLE imports ALTER COLUMN account_id SET NOT NULL;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'lossy' },
    found: ['down-readds-not-null'],
  },
  {
    name: 'a down re-adding a column NOT NULL filled from a NOT NULL column cannot fail',
    history: [users, 'CREATE TABLE imports (id bigint PRIMARY KEY, account_id bigint NOT NULL);'],
    up: 'ALTER TABLE imports ADD COLUMN original_account_id bigint;\nUPDATE imports SET original_account_id = account_id;\nALTER TABLE imports ALTER COLUMN original_account_id SET NOT NULL;\nALTER TABLE imports DROP COLUMN account_id;',
    down: 'ALTER TABLE imports ADD COLUMN account_id bigint;\nUPDATE imports SET account_id = original_account_id;\nALTER TABLE imports DROP COLUMN original_account_id;\nALTER TABLE imports ALTER COLUMN account_id SET NOT NULL;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
    absent: ['down-readds-not-null'],
  },
  // Indexes and constraints: re-created as they were is no change; otherwise the old one is gone.
  {
    name: 'an index dropped and re-created with the same definition is no change, even without a down',
    history: [users, 'CREATE INDEX users_email ON users (email);'],
    up: 'DROP INDEX users_email;\nCREATE INDEX users_email ON users (email);',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['drop-index'],
  },
  {
    name: 'DROP INDEX IF EXISTS of an index the history made and dropped again changes nothing (outline add-drafts)',
    history: [users, 'CREATE INDEX users_name ON users (name);', 'DROP INDEX users_name;'],
    up: 'DROP INDEX IF EXISTS users_name;\nCREATE INDEX users_name_email ON users (name, email);',
    down: 'DROP INDEX users_name_email;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['drop-index'],
  },
  {
    name: 'DROP INDEX IF EXISTS of an index the history never showed may drop one made outside migrations',
    history: [users],
    up: 'DROP INDEX IF EXISTS users_name;',
    down: 'CREATE INDEX users_name ON users (name);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
    found: ['drop-index'],
  },
  {
    name: 'a constraint dropped and re-added with the same definition is no change',
    history: [users, 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);'],
    up: 'ALTER TABLE users DROP CONSTRAINT users_email_key;\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    down: 'SELECT 1;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['drop-constraint'],
  },
  {
    name: 'a unique constraint re-added on other columns drops the old one: a contract step',
    history: [users, 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);'],
    up: 'ALTER TABLE users DROP CONSTRAINT users_email_key;\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email, name);',
    down: 'ALTER TABLE users DROP CONSTRAINT users_email_key;\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'lossy' },
    found: ['drop-constraint', 'down-readds-constraint'],
  },
  {
    name: 'a partial index with another predicate replaces the old one: a contract step, nothing restricted',
    history: [users, 'CREATE INDEX users_name ON users (name);'],
    up: 'DROP INDEX users_name;\nCREATE INDEX users_name ON users (name) WHERE admin;',
    down: 'DROP INDEX users_name;\nCREATE INDEX users_name ON users (name);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
    found: ['drop-index'],
  },
  // A table rebuild (SQLite's only way to alter) is old table against new.
  {
    name: 'a SQLite rebuild that makes NOT NULL a column added earlier in the same migration breaks old INSERTs (Flowise AddChatHistory)',
    dialect: 'sqlite',
    history: ['CREATE TABLE chat (id TEXT PRIMARY KEY, role TEXT NOT NULL);'],
    up: [
      'ALTER TABLE chat ADD COLUMN chat_id TEXT;',
      "UPDATE chat SET chat_id = id WHERE role = 'user';",
      'CREATE TABLE chat_new (id TEXT PRIMARY KEY, role TEXT NOT NULL, chat_id TEXT NOT NULL);',
      'INSERT INTO chat_new (id, role, chat_id) SELECT id, role, chat_id FROM chat;',
      'DROP TABLE chat;',
      'ALTER TABLE chat_new RENAME TO chat;',
    ].join('\n'),
    down: 'ALTER TABLE chat DROP COLUMN chat_id;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
    found: ['add-column-not-null'],
    absent: ['down-does-not-undo'],
  },
  {
    name: 'a SQLite rebuild drops the old indexes with the table, so CREATE INDEX IF NOT EXISTS afterwards makes them again',
    dialect: 'sqlite',
    history: ['CREATE TABLE chat (id TEXT PRIMARY KEY, flow TEXT NOT NULL);', 'CREATE INDEX chat_flow ON chat (flow);'],
    up: [
      'CREATE TABLE chat_new (id TEXT PRIMARY KEY, flow TEXT NOT NULL);',
      'INSERT INTO chat_new (id, flow) SELECT id, flow FROM chat;',
      'DROP TABLE chat;',
      'ALTER TABLE chat_new RENAME TO chat;',
      'CREATE INDEX IF NOT EXISTS chat_flow ON chat (flow);',
    ].join('\n'),
    down: 'SELECT 1;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['drop-index'],
  },
  {
    name: 'a SQLite rebuild that carries every column changes nothing but what the new table declares',
    dialect: 'sqlite',
    history: ['CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);'],
    up: [
      'CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, nickname TEXT);',
      'INSERT INTO users_new (id, email, name) SELECT id, email, name FROM users;',
      'DROP TABLE users;',
      'ALTER TABLE users_new RENAME TO users;',
    ].join('\n'),
    down: 'ALTER TABLE users DROP COLUMN nickname;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['drop-table', 'rename-table', 'drop-column'],
  },
  {
    name: 'a rebuild that leaves a column out drops it, and one that adds NOT NULL sets it',
    dialect: 'sqlite',
    history: ['CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, legacy TEXT);'],
    up: [
      'CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);',
      'INSERT INTO users_new (id, email) SELECT id, email FROM users;',
      'DROP TABLE users;',
      'ALTER TABLE users_new RENAME TO users;',
    ].join('\n'),
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
    found: ['drop-column', 'set-not-null'],
    absent: ['drop-table', 'rename-table'],
  },
  {
    name: 'a rebuild whose INSERT column list is out of step with its SELECT moves values between columns, renames nothing (Flowise AddFileUploadsToChatMessage)',
    dialect: 'sqlite',
    history: ['CREATE TABLE msg (id TEXT PRIMARY KEY, tools TEXT, notes TEXT);'],
    up: [
      'CREATE TABLE msg_new (id TEXT PRIMARY KEY, tools TEXT, notes TEXT, uploads TEXT);',
      'INSERT INTO msg_new (id, notes, tools) SELECT id, tools, notes FROM msg;',
      'DROP TABLE msg;',
      'ALTER TABLE msg_new RENAME TO msg;',
    ].join('\n'),
    down: 'ALTER TABLE msg DROP COLUMN uploads;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
    found: ['update-rows'],
    absent: ['rename-column'],
  },
  {
    name: 'a rebuild by renaming the old table aside is the same rebuild',
    dialect: 'sqlite',
    history: ['CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);'],
    up: [
      'ALTER TABLE users RENAME TO users_old;',
      'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, created_at TEXT);',
      'INSERT INTO users (id, email) SELECT id, email FROM users_old;',
      'DROP TABLE users_old;',
    ].join('\n'),
    down: 'ALTER TABLE users DROP COLUMN created_at;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['drop-table', 'rename-table'],
  },
  // crates.io's dumped_migration_8: the columns were added NOT NULL DEFAULT now(), so no row has a NULL to fill.
  {
    name: 'an UPDATE … WHERE c IS NULL of a NOT NULL column matches no row: it changes nothing',
    history: ['CREATE TABLE packages (id int PRIMARY KEY, updated_at timestamp NOT NULL DEFAULT now(), note text);'],
    up: 'UPDATE packages SET updated_at = now() WHERE updated_at IS NULL;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['update-rows'],
  },
  {
    name: 'an UPDATE … WHERE c IS NULL of a nullable column overwrites existing values',
    history: ['CREATE TABLE packages (id int PRIMARY KEY, updated_at timestamp, note text);'],
    up: 'UPDATE packages SET updated_at = now() WHERE packages.updated_at IS NULL;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
    found: ['update-rows'],
  },
  // kratos 20230705000000000001 on SQLite: the down swaps request_url back through substr(request_url, 1, 1024).
  {
    name: 'a down that swaps a column back through an expression that changes values loses what it changes: lossy',
    dialect: 'sqlite',
    history: ["CREATE TABLE flows (id text PRIMARY KEY, request_url varchar(1024) NOT NULL DEFAULT '');"],
    up: [
      "ALTER TABLE flows ADD COLUMN request_url_new TEXT NOT NULL DEFAULT '';",
      'UPDATE flows SET request_url_new = request_url;',
      'ALTER TABLE flows DROP COLUMN request_url;',
      'ALTER TABLE flows RENAME COLUMN request_url_new TO request_url;',
    ].join('\n'),
    down: [
      "ALTER TABLE flows ADD COLUMN request_url_new VARCHAR(1024) NOT NULL DEFAULT '';",
      'UPDATE flows SET request_url_new = substr(request_url, 1, 1024);',
      'ALTER TABLE flows DROP COLUMN request_url;',
      'ALTER TABLE flows RENAME COLUMN request_url_new TO request_url;',
    ].join('\n'),
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'lossy' },
  },
  {
    name: 'a down that swaps a column back by an exact copy loses nothing',
    dialect: 'sqlite',
    history: ["CREATE TABLE flows (id text PRIMARY KEY, request_url varchar(1024) NOT NULL DEFAULT '');"],
    up: [
      "ALTER TABLE flows ADD COLUMN request_url_new TEXT NOT NULL DEFAULT '';",
      'UPDATE flows SET request_url_new = request_url;',
      'ALTER TABLE flows DROP COLUMN request_url;',
      'ALTER TABLE flows RENAME COLUMN request_url_new TO request_url;',
    ].join('\n'),
    down: [
      "ALTER TABLE flows ADD COLUMN request_url_new VARCHAR(1024) NOT NULL DEFAULT '';",
      'UPDATE flows SET request_url_new = request_url;',
      'ALTER TABLE flows DROP COLUMN request_url;',
      'ALTER TABLE flows RENAME COLUMN request_url_new TO request_url;',
    ].join('\n'),
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  // kratos 20260413000000000000 on SQLite: the up relaxes NOT NULL by a rebuild, the down rebuilds it NOT NULL again.
  {
    name: 'a down that rebuilds a table with NOT NULL on a column the up made nullable is lossy',
    dialect: 'sqlite',
    history: ['CREATE TABLE tokens (id text PRIMARY KEY, address_id char(36) NOT NULL);'],
    up: [
      'CREATE TABLE _tokens_new (id text PRIMARY KEY, address_id char(36));',
      'INSERT INTO _tokens_new SELECT * FROM tokens;',
      'DROP TABLE tokens;',
      'ALTER TABLE _tokens_new RENAME TO tokens;',
    ].join('\n'),
    down: [
      'DELETE FROM tokens WHERE address_id IS NULL;',
      'ALTER TABLE tokens RENAME TO _tokens_old;',
      'CREATE TABLE tokens (id text PRIMARY KEY, address_id char(36) NOT NULL);',
      'INSERT INTO tokens SELECT * FROM _tokens_old;',
      'DROP TABLE _tokens_old;',
    ].join('\n'),
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'lossy' },
    found: ['down-readds-not-null'],
  },
  // lemmy 2025-08-01-000050: show_downvotes boolean → enum by a CASE, and back by the inverse CASE.
  {
    name: 'a type change whose USING CASE maps every old value to another, undone by the inverse CASE in the down, loses nothing',
    history: ['CREATE TABLE local_user (id int PRIMARY KEY, show_downvotes boolean NOT NULL DEFAULT true);'],
    up: [
      "CREATE TYPE vote_show AS ENUM ('Show', 'ShowForOthers', 'Hide');",
      'ALTER TABLE local_user ALTER COLUMN show_downvotes DROP DEFAULT;',
      "ALTER TABLE local_user ALTER COLUMN show_downvotes TYPE vote_show USING CASE show_downvotes WHEN FALSE THEN 'Hide' ELSE 'Show' END::vote_show;",
      "ALTER TABLE local_user ALTER COLUMN show_downvotes SET DEFAULT 'Show';",
    ].join('\n'),
    down: [
      'ALTER TABLE local_user ALTER COLUMN show_downvotes DROP DEFAULT;',
      "ALTER TABLE local_user ALTER COLUMN show_downvotes TYPE boolean USING CASE show_downvotes WHEN 'Hide' THEN FALSE ELSE TRUE END;",
      'ALTER TABLE local_user ALTER COLUMN show_downvotes SET DEFAULT TRUE;',
      'DROP TYPE vote_show;',
    ].join('\n'),
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
  },
  {
    name: 'a USING CASE whose down does not map the values back (every value to TRUE) destroys them',
    history: ['CREATE TABLE local_user (id int PRIMARY KEY, show_downvotes boolean NOT NULL DEFAULT true);'],
    up: [
      "CREATE TYPE vote_show AS ENUM ('Show', 'ShowForOthers', 'Hide');",
      'ALTER TABLE local_user ALTER COLUMN show_downvotes DROP DEFAULT;',
      "ALTER TABLE local_user ALTER COLUMN show_downvotes TYPE vote_show USING CASE show_downvotes WHEN FALSE THEN 'Hide' ELSE 'Show' END::vote_show;",
    ].join('\n'),
    down: [
      "ALTER TABLE local_user ALTER COLUMN show_downvotes TYPE boolean USING CASE show_downvotes WHEN 'ShowForOthers' THEN FALSE ELSE TRUE END;",
      'DROP TYPE vote_show;',
    ].join('\n'),
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
  },
  // crates.io dumped_migration_94: UNIQUE (canon_crate_name(name)) replaced UNIQUE (lower(name)); the down restores it.
  {
    name: 'a down re-adding a unique key that the key after the up computes from (a SQL function of lower(name)) cannot fail',
    history: [
      'CREATE TABLE crates (id int PRIMARY KEY, name text NOT NULL);',
      "CREATE FUNCTION canon_crate_name(text) RETURNS text AS $$ SELECT replace(lower($1), '-', '_') $$ LANGUAGE SQL;",
      'CREATE UNIQUE INDEX index_crates_name ON crates (lower(name));',
    ],
    up: 'DROP INDEX index_crates_name;\nCREATE UNIQUE INDEX index_crates_name ON crates (canon_crate_name(name));',
    down: 'DROP INDEX index_crates_name;\nCREATE UNIQUE INDEX index_crates_name ON crates (lower(name));',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['down-readds-constraint'],
  },
  {
    name: 'a down re-adding a unique key that the key after the up does not compute from alone (md5(name || id) for name) is lossy',
    history: ['CREATE TABLE crates (id int PRIMARY KEY, name text NOT NULL);', 'CREATE UNIQUE INDEX index_crates_name ON crates (name);'],
    up: 'DROP INDEX index_crates_name;\nCREATE UNIQUE INDEX index_crates_name ON crates (md5(name || id::text));',
    down: 'DROP INDEX index_crates_name;\nCREATE UNIQUE INDEX index_crates_name ON crates (name);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'lossy' },
    found: ['down-readds-constraint'],
  },
  // lemmy 2025-08-01-000068: a kept count recomputed from another table, and recomputed the old way by the down.
  {
    name: 'a count recomputed from the rows of another table, recomputed again the old way by the down, is restored',
    history: [
      'CREATE TABLE local_user (id int PRIMARY KEY, accepted boolean NOT NULL);',
      'CREATE TABLE local_site (id int PRIMARY KEY, users int NOT NULL);',
    ],
    up: 'UPDATE local_site SET users = (SELECT count(*) FROM local_user WHERE accepted);',
    down: 'UPDATE local_site SET users = (SELECT count(*) FROM local_user);',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'a count overwritten, with a down that sets a constant, is lost',
    history: [
      'CREATE TABLE local_user (id int PRIMARY KEY, accepted boolean NOT NULL);',
      'CREATE TABLE local_site (id int PRIMARY KEY, users int NOT NULL);',
    ],
    up: 'UPDATE local_site SET users = (SELECT count(*) FROM local_user WHERE accepted);',
    down: 'UPDATE local_site SET users = 0;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  // A drop together with its replacement.
  {
    name: 'a column dropped while its replacement is added (bracket → bracket_id) is breaking',
    history: [users],
    up: 'ALTER TABLE users ADD COLUMN bracket_id bigint;\nALTER TABLE users DROP COLUMN bracket;',
    down: 'ALTER TABLE users ADD COLUMN bracket text;\nALTER TABLE users DROP COLUMN bracket_id;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
    found: ['drop-column'],
  },
  {
    name: 'a column of another kind of value added beside a dropped one is not its replacement: a plain contract (lemmy activity.user_id)',
    history: [profiles],
    up: 'ALTER TABLE profiles DROP COLUMN user_id;\nALTER TABLE profiles ADD COLUMN sensitive boolean DEFAULT TRUE;',
    down: 'ALTER TABLE profiles ADD COLUMN user_id bigint;\nALTER TABLE profiles DROP COLUMN sensitive;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
    found: ['drop-column'],
  },
  {
    name: 'a new uuid key is no replacement for dropped text, but text can replace a dropped uuid key (maybe-finance)',
    history: ['CREATE TABLE categories (id uuid PRIMARY KEY, internal text, exchange_id uuid);'],
    up: 'ALTER TABLE categories ADD COLUMN parent_id uuid;\nALTER TABLE categories DROP COLUMN internal;',
    down: 'ALTER TABLE categories ADD COLUMN internal text;\nALTER TABLE categories DROP COLUMN parent_id;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'text added beside a dropped uuid key takes its place: breaking',
    history: ['CREATE TABLE securities (id uuid PRIMARY KEY, exchange_id uuid);'],
    up: 'ALTER TABLE securities ADD COLUMN mic text;\nALTER TABLE securities DROP COLUMN exchange_id;',
    down: 'ALTER TABLE securities ADD COLUMN exchange_id uuid;\nALTER TABLE securities DROP COLUMN mic;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
  },
  {
    name: 'a column whose values are copied into a table made here, then dropped, is replaced by it: breaking (umami share)',
    history: ['CREATE TABLE website (id uuid PRIMARY KEY, name text, share_id varchar(50));'],
    up: [
      'CREATE TABLE share (id uuid PRIMARY KEY, entity_id uuid NOT NULL, slug varchar(100) NOT NULL);',
      'INSERT INTO share (id, entity_id, slug) SELECT gen_random_uuid(), id, share_id FROM website WHERE share_id IS NOT NULL;',
      'ALTER TABLE website DROP COLUMN share_id;',
    ].join('\n'),
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'no-down' },
    found: ['drop-column'],
  },
  {
    name: 'a column copied into an archive table made here, then dropped, is a plain contract step',
    history: ['CREATE TABLE website (id uuid PRIMARY KEY, name text, share_id varchar(50));'],
    up: [
      'CREATE TABLE website_share_archive (id uuid PRIMARY KEY, share_id varchar(50));',
      'INSERT INTO website_share_archive (id, share_id) SELECT id, share_id FROM website;',
      'ALTER TABLE website DROP COLUMN share_id;',
    ].join('\n'),
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'no-down' },
    found: ['drop-column'],
  },
  {
    name: 'a link table dropped while a table it links gains its other key column is replaced by it: breaking (umami team_website)',
    history: [
      'CREATE TABLE website (website_id uuid PRIMARY KEY, name text);',
      'CREATE TABLE team_website (team_website_id uuid PRIMARY KEY, team_id uuid NOT NULL, website_id uuid NOT NULL);',
    ],
    up: 'ALTER TABLE website ADD COLUMN team_id uuid;\nDROP TABLE team_website;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
    found: ['drop-table'],
  },
  {
    name: 'a link table dropped while an unrelated table gains a key column is a plain contract step',
    history: [
      'CREATE TABLE website (website_id uuid PRIMARY KEY, name text);',
      'CREATE TABLE report (report_id uuid PRIMARY KEY);',
      'CREATE TABLE team_website (team_website_id uuid PRIMARY KEY, team_id uuid NOT NULL, website_id uuid NOT NULL);',
    ],
    up: 'ALTER TABLE report ADD COLUMN team_id uuid;\nDROP TABLE team_website;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
    found: ['drop-table'],
  },
  {
    name: 'a column dropped and re-added with another type is breaking',
    history: [users],
    up: 'ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ADD COLUMN name jsonb;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
  },
  {
    name: 'a column dropped and re-added with its own type keeps the shape: its values are reset',
    history: [users],
    up: 'ALTER TABLE users DROP COLUMN admin;\nALTER TABLE users ADD COLUMN admin boolean DEFAULT false;',
    down: 'SELECT 1;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'a nullable column dropped and re-added NOT NULL with a default: values reset, and old NULL writes fail',
    history: [users],
    up: "ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ADD COLUMN name varchar(50) NOT NULL DEFAULT '';",
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
    found: ['set-not-null'],
  },
  {
    name: 'a column swapped for a copy under its own name goes on: only what the copy declares changes',
    history: [users],
    up: [
      "ALTER TABLE users ADD COLUMN name_new text NOT NULL DEFAULT '';",
      'UPDATE users SET name_new = name;',
      'ALTER TABLE users DROP COLUMN name;',
      'ALTER TABLE users RENAME COLUMN name_new TO name;',
    ].join('\n'),
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'no-down' },
    found: ['set-not-null'],
    absent: ['drop-column', 'rename-column'],
  },
  {
    name: 'a column moved to a new column of another table is breaking; the down moving it back restores it',
    history: [users, profiles],
    up: [
      'ALTER TABLE profiles ADD COLUMN admin boolean NOT NULL DEFAULT false;',
      'UPDATE profiles SET admin = TRUE FROM users WHERE profiles.user_id = users.id AND users.admin;',
      'ALTER TABLE users DROP COLUMN admin;',
    ].join('\n'),
    down: [
      'ALTER TABLE users ADD COLUMN admin boolean;',
      'UPDATE users SET admin = TRUE FROM profiles WHERE profiles.user_id = users.id AND profiles.admin;',
      'ALTER TABLE profiles DROP COLUMN admin;',
    ].join('\n'),
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
  },
  {
    name: 'a table dropped while another is created in its place is breaking (its rows are lost too)',
    history: ['CREATE TABLE nexus_incoming_services (id bytea PRIMARY KEY, data bytea);'],
    up: 'DROP TABLE nexus_incoming_services;\nCREATE TABLE nexus_endpoints (id bytea PRIMARY KEY, data bytea, version bigint);',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
  },
  {
    name: 'DROP INDEX IF EXISTS of an index the history never showed, made again under its name: its old definition is unknown, a contract step',
    history: [users],
    up: 'DROP INDEX IF EXISTS users_email_key;\nCREATE UNIQUE INDEX users_email_key ON users (email);',
    down: 'DROP INDEX users_email_key;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
    found: ['drop-index'],
  },
  {
    name: 'an unqualified DROP INDEX finds the one index of that name in another schema (the search path is not in the history)',
    history: ['CREATE SCHEMA auth;\nCREATE TABLE auth.users (id int, email text);\nCREATE INDEX users_email_idx ON auth.users (email);'],
    up: 'DROP INDEX IF EXISTS users_email_idx;\nCREATE INDEX IF NOT EXISTS users_email_idx ON auth.users (email);',
    down: 'SELECT 1;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['drop-index'],
  },
  {
    name: 'a MySQL MODIFY that states the definition the column already has changes nothing: no down is needed',
    dialect: 'mysql',
    history: ['CREATE TABLE sessions (id int PRIMARY KEY);', 'ALTER TABLE sessions ADD COLUMN token VARCHAR (32);'],
    up: 'ALTER TABLE sessions MODIFY token VARCHAR(32);',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'values rewritten one literal to another and mapped back by the down: not proven, rows may have held a new value before',
    history: ['CREATE TABLE taggings (id int, taggable_type text);'],
    up: "UPDATE taggings SET taggable_type = 'Account::Transaction' WHERE taggable_type = 'Transaction';",
    down: "UPDATE taggings SET taggable_type = 'Transaction' WHERE taggable_type = 'Account::Transaction';",
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'a rewrite the down maps back only in part stays irreversible',
    history: ['CREATE TABLE taggings (id int, taggable_type text);'],
    up: "UPDATE taggings SET taggable_type = 'B' WHERE taggable_type = 'A';\nUPDATE taggings SET taggable_type = 'D' WHERE taggable_type = 'C';",
    down: "UPDATE taggings SET taggable_type = 'A' WHERE taggable_type = 'B';",
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'a down that fills a dropped column with one value for every row does not bring the old values back (lemmy local_site_id)',
    history: [
      'CREATE TABLE local_site (id int PRIMARY KEY, site_id int);',
      'CREATE TABLE tagline (id int PRIMARY KEY, local_site_id int NOT NULL);',
    ],
    up: 'ALTER TABLE tagline DROP COLUMN local_site_id;',
    down: 'ALTER TABLE tagline ADD COLUMN local_site_id int;\nUPDATE tagline SET local_site_id = (SELECT site_id FROM local_site LIMIT 1);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'a down that fills a dropped column row by row from a table that still holds it restores it (lemmy comment_like.post_id)',
    history: [
      'CREATE TABLE comment (id int PRIMARY KEY, post_id int);',
      'CREATE TABLE comment_like (id int PRIMARY KEY, comment_id int, post_id int);',
    ],
    up: 'ALTER TABLE comment_like DROP COLUMN post_id;',
    down: 'ALTER TABLE comment_like ADD COLUMN post_id int;\nUPDATE comment_like SET post_id = comment.post_id FROM comment WHERE comment_id = comment.id;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'a down re-adding UNIQUE (name) cannot fail after the up kept the stricter UNIQUE (lower(name)) (crates.io 91)',
    history: ['CREATE TABLE crates (id int PRIMARY KEY, name text, CONSTRAINT packages_name_key UNIQUE (name));'],
    up: 'ALTER TABLE crates DROP CONSTRAINT packages_name_key;\nCREATE UNIQUE INDEX index_crates_name ON crates (lower(name));',
    down: 'DROP INDEX index_crates_name;\nALTER TABLE crates ADD CONSTRAINT packages_name_key UNIQUE (name);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['down-readds-constraint'],
  },
  {
    name: 'a column folded into a new one and derived back from it by the down is restored (outline private → permission)',
    history: ['CREATE TABLE collections (id int PRIMARY KEY, private boolean NOT NULL DEFAULT false);'],
    up: "ALTER TABLE collections ADD COLUMN permission text;\nUPDATE collections SET permission = CASE WHEN private THEN NULL ELSE 'read_write' END;\nALTER TABLE collections DROP COLUMN private;",
    down: 'ALTER TABLE collections ADD COLUMN private boolean NOT NULL DEFAULT false;\nUPDATE collections SET private = (permission IS NULL) WHERE id IS NOT NULL;\nALTER TABLE collections DROP COLUMN permission;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
  },
  {
    name: 'MySQL: a down taking a key column back from utf8mb4_bin to the case-insensitive default fails on rows differing only in case (openfga 007)',
    dialect: 'mysql',
    history: ['CREATE TABLE tuple (store varchar(26) NOT NULL, object_id varchar(255) NOT NULL, PRIMARY KEY (store, object_id));'],
    up: 'ALTER TABLE tuple MODIFY COLUMN object_id VARCHAR(255) COLLATE utf8mb4_bin NOT NULL;',
    down: 'ALTER TABLE tuple MODIFY COLUMN object_id VARCHAR(255) NOT NULL;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'lossy' },
    found: ['down-readds-constraint'],
  },
  {
    name: 'MySQL: the same collation change back on a column no key holds loses nothing',
    dialect: 'mysql',
    history: ['CREATE TABLE tuple (store varchar(26) NOT NULL PRIMARY KEY, note varchar(255) NOT NULL);'],
    up: 'ALTER TABLE tuple MODIFY COLUMN note VARCHAR(255) COLLATE utf8mb4_bin NOT NULL;',
    down: 'ALTER TABLE tuple MODIFY COLUMN note VARCHAR(255) NOT NULL;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  // Where the data went.
  {
    name: 'an UPDATE that copies a value from another row of the same table (a self-join) overwrites what was there',
    history: ['CREATE TABLE comments (id int PRIMARY KEY, parent_id int, resolved_at timestamptz);'],
    up: 'UPDATE comments AS reply SET resolved_at = parent.resolved_at FROM comments AS parent WHERE reply.parent_id = parent.id AND reply.resolved_at IS NULL;',
    down: 'SELECT 1;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'values copied to an archive before a drop, and copied back by the down, are not lost',
    history: [users],
    up: [
      'CREATE TABLE users_name_archive (id bigint, name varchar(50));',
      'INSERT INTO users_name_archive (id, name) SELECT id, name FROM users;',
      'ALTER TABLE users DROP COLUMN name;',
    ].join('\n'),
    down: [
      'ALTER TABLE users ADD COLUMN name varchar(50);',
      'UPDATE users SET name = a.name FROM users_name_archive a WHERE a.id = users.id;',
      'DROP TABLE users_name_archive;',
    ].join('\n'),
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'values copied away that the down does not copy back are lost on the way down',
    history: [users],
    up: 'CREATE TABLE users_name_archive AS SELECT id, name FROM users;\nALTER TABLE users DROP COLUMN name;',
    down: 'ALTER TABLE users ADD COLUMN name varchar(50);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'lossy' },
  },
  {
    name: 'a table dropped and re-created empty loses its rows',
    history: ['CREATE TABLE cache (k text PRIMARY KEY, v text);'],
    up: 'DROP TABLE cache;\nCREATE TABLE cache (k text PRIMARY KEY, v text, at timestamptz);',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'a table dropped and rebuilt from the data that stays (a cache) loses nothing',
    history: [users, 'CREATE TABLE user_counts AS SELECT count(*) AS n FROM users;'],
    up: 'DROP TABLE user_counts;\nCREATE TABLE user_counts AS SELECT count(*) AS n, count(admin) AS admins FROM users;',
    down: 'DROP TABLE user_counts;\nCREATE TABLE user_counts AS SELECT count(*) AS n FROM users;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  // Enums re-created under their own name.
  {
    name: 'an enum re-created with appended labels is expand',
    history: ["CREATE TYPE status AS ENUM ('new', 'paid');", 'CREATE TABLE orders (id int, status status);'],
    up: [
      'ALTER TYPE status RENAME TO status_old;',
      "CREATE TYPE status AS ENUM ('new', 'paid', 'void');",
      'ALTER TABLE orders ALTER COLUMN status TYPE status USING status::text::status;',
      'DROP TYPE status_old;',
    ].join('\n'),
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'no-down' },
    // The USING still rewrites the table (a lock finding); the labels only grew.
    absent: ['drop-enum'],
  },
  {
    name: 'an enum re-created without a label is breaking',
    history: ["CREATE TYPE status AS ENUM ('new', 'paid', 'void');", 'CREATE TABLE orders (id int, status status);'],
    up: [
      'ALTER TYPE status RENAME TO status_old;',
      "CREATE TYPE status AS ENUM ('new', 'paid');",
      'ALTER TABLE orders ALTER COLUMN status TYPE status USING status::text::status;',
      'DROP TYPE status_old;',
    ].join('\n'),
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'no-down' },
    found: ['change-column-type'],
  },
  {
    name: 'an enum column turned into varchar, and the down casting it back: lossy (new strings are not labels)',
    history: ["CREATE TYPE status AS ENUM ('new', 'paid');", 'CREATE TABLE orders (id int, status status);'],
    up: 'ALTER TABLE orders ALTER COLUMN status TYPE varchar;\nDROP TYPE status;',
    down: "CREATE TYPE status AS ENUM ('new', 'paid');\nALTER TABLE orders ALTER COLUMN status TYPE status USING status::status;",
    // Every label is a string the old code still writes: a widening; dropping the type is the contract step.
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'lossy' },
  },
  // Data: existing values against values of this migration's own columns.
  {
    name: 'an UPDATE over values that existed before destroys them',
    history: [users],
    up: 'UPDATE users SET email = lower(email);',
    down: 'SELECT 1;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'an UPDATE that only fills a column added here destroys nothing',
    history: [users],
    up: "ALTER TABLE users ADD COLUMN domain text;\nUPDATE users SET domain = split_part(email, '@', 2);",
    down: 'ALTER TABLE users DROP COLUMN domain;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'renames are followed: a type change after a rename is still a type change',
    history: ['CREATE TABLE user_ (id int, icon bytea);'],
    up: 'ALTER TABLE user_ RENAME COLUMN icon TO avatar;\nALTER TABLE user_ ALTER COLUMN avatar TYPE text;',
    down: 'ALTER TABLE user_ ALTER COLUMN avatar TYPE bytea USING avatar::bytea;\nALTER TABLE user_ RENAME COLUMN avatar TO icon;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'lossy' },
    found: ['rename-column', 'change-column-type'],
  },
  // Newness is per object.
  {
    name: 'a column added, backfilled and made NOT NULL without a default breaks the previous release’s INSERTs',
    history: [users],
    up: "ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free';\nALTER TABLE users ALTER COLUMN plan SET NOT NULL;",
    down: 'ALTER TABLE users DROP COLUMN plan;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
    found: ['add-column-not-null'],
  },
  {
    name: 'a column added NOT NULL with a default that is then dropped ends without one: breaking',
    history: [users],
    up: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';\nALTER TABLE users ALTER COLUMN plan DROP DEFAULT;",
    down: 'ALTER TABLE users DROP COLUMN plan;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
    found: ['add-column-not-null'],
  },
  {
    name: 'a foreign key or check on a column added here restricts nothing old code writes',
    history: [users, profiles],
    up: [
      'ALTER TABLE users ADD COLUMN profile_id bigint;',
      'ALTER TABLE users ADD CONSTRAINT users_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id);',
      'ALTER TABLE users ADD CONSTRAINT users_profile_positive CHECK (profile_id > 0);',
    ].join('\n'),
    down: 'ALTER TABLE users DROP COLUMN profile_id;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    absent: ['new-write-restriction'],
  },
];

describe('the judge: verdicts from the net effect', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const report = await analyzeCase(c);
      expect({ phase: report.phase, codeRollback: report.codeRollback, dbRollback: report.dbRollback }).toEqual(c.verdict);
      const rules = new Set(report.findings.map((f) => f.rule));
      for (const rule of c.found ?? []) expect(rules, `a ${rule} finding`).toContain(rule);
      for (const rule of c.absent ?? []) expect(rules, `no ${rule} finding`).not.toContain(rule);
      // Every answer that makes a one-way door has a reason at a line, and a finding there says it.
      for (const r of report.reasons) expect(report.findings.some((f) => f.line === r.span.line && f.path === r.span.path)).toBe(true);
    });
  }
});

const corpus = join(import.meta.dirname, '../../../shared/corpus');

describe.skipIf(!existsSync(corpus))('the judge on the real files of shared/corpus', () => {
  it.each([
    // lemmy renames user_.icon to avatar, then changes it from bytea to text: the type change is reported.
    ['pg/LemmyNet__lemmy', 'migrations/2019-12-29-164820_add_avatar/up.sql', 'breaking', 'breaking', 'change-column-type'],
    // crates.io rebuilds the crate_downloads table from version_downloads in its down: nothing is lost.
    ['pg/LemmyNet__lemmy', 'migrations/2023-08-01-101826_admin_flag_local_user/up.sql', 'breaking', 'breaking', 'drop-column'],
    // open_registration and require_application are folded into the new registration_mode column (through a WITH query).
    ['pg/LemmyNet__lemmy', 'migrations/2022-12-05-110642_registration_mode/up.sql', 'breaking', 'breaking', 'drop-column'],
  ])('%s %s is %s, code %s, with a %s finding', async (project, path, phase, codeRollback, rule) => {
    const result = await check(['.'], { cwd: join(corpus, project) });
    const report = result.sets.flatMap((s) => s.reports).find((r) => r.parsed.migration.path === path);
    expect(report, path).toBeDefined();
    expect([report?.phase, report?.codeRollback]).toEqual([phase, codeRollback]);
    expect(report?.findings.map((f) => f.rule)).toContain(rule);
  });
});
