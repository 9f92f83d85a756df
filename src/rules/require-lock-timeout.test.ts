import rule from './require-lock-timeout.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';

ruleTests(rule, {
  valid: [
    {
      name: 'lock_timeout set at the top of the migration',
      history: [users],
      up: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
    },
    { name: 'SET LOCAL counts too', history: [users], up: "SET LOCAL lock_timeout TO '2s';\nALTER TABLE users DROP COLUMN email;" },
    { name: 'a table created in the same migration waits for nobody', up: `${users}\nALTER TABLE users ADD COLUMN nickname text;` },
    {
      name: 'a concurrent index build does not block reads or writes',
      history: [users],
      up: 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
      transactional: false,
    },
    { name: 'VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE only', history: [users], up: 'ALTER TABLE users VALIDATE CONSTRAINT c;' },
  ],
  invalid: [
    {
      name: 'a catalog-only ADD COLUMN still queues behind long transactions',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN nickname text;',
      message: 'takes ACCESS EXCLUSIVE on users (blocks every read and write)',
    },
    {
      name: 'reported once, at the first statement that needs it',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD COLUMN b text;',
      line: 1,
    },
    {
      name: 'lock_timeout = 0 disables the timeout',
      history: [users],
      up: 'SET lock_timeout = 0;\nALTER TABLE users RENAME COLUMN email TO mail;',
      line: 2,
    },
    {
      name: 'a foreign key locks both tables',
      history: [users, 'CREATE TABLE orders (id bigint, user_id bigint);'],
      up: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      message: 'SHARE ROW EXCLUSIVE on orders and users',
    },
    {
      name: 'one statement with several commands is reported once',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a text, ADD COLUMN b text;',
    },
    {
      name: 'CREATE TRIGGER blocks writes while it waits',
      history: [users, 'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;'],
      up: 'CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f();',
      message: 'SHARE ROW EXCLUSIVE on users (blocks writes',
    },
    { name: 'TRUNCATE takes ACCESS EXCLUSIVE', history: [users], up: 'TRUNCATE users;', message: 'ACCESS EXCLUSIVE on users' },
  ],
});
