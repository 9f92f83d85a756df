import rule from './down-references-missing.js';
import { ruleTests } from './testing.js';

const users = ['CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);', 'CREATE INDEX users_email ON users (email);'];

ruleTests(rule, {
  valid: [
    {
      name: 'ADD CONSTRAINT … USING INDEX renames the index to the constraint: the down may build the old name again (saleor payment 0055)',
      history: ['CREATE TABLE items (id int, key text);', 'CREATE UNIQUE INDEX items_key_idx ON items (key);'],
      up: 'ALTER TABLE items ADD CONSTRAINT items_key_unique UNIQUE USING INDEX items_key_idx;',
      down: 'CREATE UNIQUE INDEX items_key_idx ON items (key);\nALTER TABLE items DROP CONSTRAINT IF EXISTS items_key_unique;',
    },
    {
      name: 'SQLite drops a column whose REFERENCES is written on the column (it goes with it; kratos pending_traits_changes)',
      dialect: 'sqlite',
      history: ['CREATE TABLE sessions (id varchar PRIMARY KEY);', 'CREATE TABLE changes (id varchar PRIMARY KEY);'],
      up: 'ALTER TABLE changes ADD COLUMN session_id varchar REFERENCES sessions (id);',
      down: 'ALTER TABLE changes DROP COLUMN session_id;',
    },
    {
      name: 'SQLite drops an indexed column once its index is gone',
      dialect: 'sqlite',
      history: ['CREATE TABLE execution (id varchar PRIMARY KEY NOT NULL, state varchar);'],
      up: 'ALTER TABLE execution ADD COLUMN workspaceId varchar;\nCREATE INDEX idx_execution_workspaceId ON execution (workspaceId);',
      down: 'DROP INDEX idx_execution_workspaceId;\nALTER TABLE execution DROP COLUMN workspaceId;',
    },
    {
      name: 'a down written against the schema after the up',
      history: users,
      up: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
      down: 'ALTER TABLE users RENAME COLUMN full_name TO name;',
    },
    {
      name: 'a table created outside migrations is assumed to exist',
      history: users,
      up: 'ALTER TABLE legacy ADD COLUMN a int;',
      down: 'ALTER TABLE legacy DROP COLUMN a;',
    },
    {
      name: 'IF EXISTS makes a drop tolerant',
      history: users,
      up: 'DROP INDEX users_email;',
      down: 'DROP INDEX IF EXISTS users_email;\nCREATE INDEX users_email ON users (email);',
    },
    {
      name: 'a table with unknown columns is not second-guessed',
      history: ['CREATE TABLE copy AS SELECT * FROM users;'],
      up: 'SELECT 1;',
      down: 'ALTER TABLE copy DROP COLUMN x;',
    },
    { name: 'an index PostgreSQL named itself is not checked', history: users, up: 'SELECT 1;', down: 'DROP INDEX users_name_idx;' },
    {
      name: 'a column the replay never saw may come from a statement it does not model',
      history: users,
      up: 'ALTER TABLE users ALTER COLUMN token SET DEFAULT 1;',
      down: 'ALTER TABLE users ALTER COLUMN token DROP DEFAULT;',
    },
    {
      name: 'dropping a materialized view drops its indexes',
      history: [...users, 'CREATE MATERIALIZED VIEW recent AS SELECT id FROM users;', 'CREATE UNIQUE INDEX recent_id ON recent (id);'],
      up: 'DROP MATERIALIZED VIEW recent;\nCREATE MATERIALIZED VIEW recent AS SELECT id, email FROM users;\nCREATE UNIQUE INDEX recent_id ON recent (id);',
      down: 'DROP MATERIALIZED VIEW recent;\nCREATE MATERIALIZED VIEW recent AS SELECT id FROM users;\nCREATE UNIQUE INDEX recent_id ON recent (id);',
    },
  ],
  invalid: [
    {
      name: 'SQLite refuses DROP COLUMN of a column a table-level FOREIGN KEY names',
      dialect: 'sqlite',
      history: ['CREATE TABLE sessions (id varchar PRIMARY KEY);'],
      up: 'CREATE TABLE changes (id varchar PRIMARY KEY, session_id varchar, FOREIGN KEY (session_id) REFERENCES sessions (id));',
      down: 'ALTER TABLE changes DROP COLUMN session_id;\nDROP TABLE changes;',
      message: 'SQLite refuses to drop changes.session_id: foreign-key constraint',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'SQLite refuses ALTER TABLE DROP COLUMN of an indexed column (Flowise ExecutionLinkWorkspaceId)',
      dialect: 'sqlite',
      history: ['CREATE TABLE execution (id varchar PRIMARY KEY NOT NULL, state varchar);'],
      up: 'ALTER TABLE execution ADD COLUMN workspaceId varchar;\nCREATE INDEX idx_execution_workspaceId ON execution (workspaceId);',
      down: 'ALTER TABLE execution DROP COLUMN workspaceId;',
      message: 'SQLite refuses to drop execution.workspaceId: index idx_execution_workspaceId uses it',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'a misspelled column of a table the history created: the down would fail',
      history: users,
      up: 'ALTER TABLE users ADD COLUMN nickname text;',
      down: 'ALTER TABLE users DROP COLUMN nick_name;',
      line: 1,
      message: 'users.nick_name',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'the down uses the column name from before the up',
      history: users,
      up: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
      down: '-- undo\nALTER TABLE users ALTER COLUMN name SET NOT NULL;',
      line: 2,
      message: 'The down would fail: column users.name does not exist at this point',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'up and down swapped: the down re-creates a table that exists',
      up: 'CREATE TABLE t (a int);',
      down: 'CREATE TABLE t (a int);',
      message: 'table t already exists',
    },
    {
      name: 'the down drops an index the up already dropped',
      history: users,
      up: 'DROP INDEX users_email;',
      down: 'DROP INDEX users_email;',
      message: 'index users_email does not exist',
    },
    {
      name: 'a table the replay knows and the up dropped',
      history: users,
      up: 'DROP TABLE users;',
      down: 'ALTER TABLE users ADD COLUMN x int;',
      message: 'table users does not exist at this point',
    },
    {
      name: 'the down adds back a column that is still there',
      history: users,
      up: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
      down: 'ALTER TABLE users ADD COLUMN email text;',
      message: 'column users.email already exists',
    },
    {
      name: 'a constraint the up renamed',
      history: [...users, 'ALTER TABLE users ADD CONSTRAINT email_lower CHECK (email = lower(email));'],
      up: 'ALTER TABLE users RENAME CONSTRAINT email_lower TO users_email_lower;',
      down: 'ALTER TABLE users DROP CONSTRAINT email_lower;',
      message: 'constraint email_lower on users does not exist',
    },
  ],
});
