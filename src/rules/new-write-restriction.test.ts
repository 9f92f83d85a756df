import rule from './new-write-restriction.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text, age int, team_id bigint);';
const teams = 'CREATE TABLE teams (id bigint PRIMARY KEY);';

ruleTests(rule, {
  valid: [
    { name: 'a plain index restricts nothing', history: [users], up: 'CREATE INDEX CONCURRENTLY users_email ON users (email);' },
    { name: 'a unique index on a new table', up: 'CREATE TABLE t (a text);\nCREATE UNIQUE INDEX t_a ON t (a);' },
    {
      name: 'a unique index on a column added in the same migration',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN handle text;\nCREATE UNIQUE INDEX users_handle ON users (handle);',
    },
    {
      name: 'promoting an existing unique index adds no restriction',
      history: [users, 'CREATE UNIQUE INDEX users_email_idx ON users (email);'],
      up: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;',
    },
    {
      name: 'a unique index on a materialized view restricts no writes',
      history: [users, 'CREATE MATERIALIZED VIEW user_stats AS SELECT id, age FROM users;'],
      up: 'CREATE UNIQUE INDEX user_stats_id ON user_stats (id);',
    },
    {
      name: 'CHECK (col IS NOT NULL) belongs to the set-not-null sequence',
      history: [users],
      up: 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
    },
  ],
  invalid: [
    {
      name: 'a unique index on an existing column (Atlas MF101)',
      history: [users],
      up: 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);',
      message: 'leaving an INVALID index behind',
      effect: {},
    },
    {
      name: 'an index made unique: drop and re-create (Atlas MF102)',
      history: [users, 'CREATE INDEX users_email ON users (email);'],
      up: 'DROP INDEX users_email;\nCREATE UNIQUE INDEX users_email ON users (email);',
      line: 2,
    },
    {
      name: 'a unique constraint',
      history: [users],
      up: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
      message: 'New unique constraint users_email_key on users (email)',
    },
    {
      name: 'a validated check fails on existing rows and on old writes',
      history: [users],
      up: 'ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 18);',
      message: 'New check constraint adult on users, CHECK (age >= 18): fails if an existing row breaks it',
      severity: 'warning',
    },
    {
      name: 'a NOT VALID foreign key still rejects old writes and deletes',
      history: [users, teams],
      up: 'ALTER TABLE users ADD CONSTRAINT users_team FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID;',
      message: 'and deletes of referenced rows',
      severity: 'info',
    },
  ],
});
