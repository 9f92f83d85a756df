import { expect, it } from 'vitest';
import rule from './require-lock-timeout.js';
import { analyzeCase, ruleTests } from './testing.js';

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
    {
      name: 'the down dropping a table its up created locks nothing the previous release uses',
      history: [users],
      up: 'CREATE TABLE audit (id bigint);',
      down: 'DROP TABLE audit;',
    },
    {
      name: 'an index build without CONCURRENTLY is require-concurrent-index-creation’s to report, not twice',
      history: [users],
      up: 'CREATE INDEX users_email ON users (email);',
      down: 'DROP INDEX users_email;',
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
      name: 'once per migration, naming every table: a transaction ending does not bring the finding back',
      history: [users, 'CREATE TABLE orders (id bigint);'],
      up: 'BEGIN;\nALTER TABLE users ADD COLUMN a text;\nCOMMIT;\nBEGIN;\nALTER TABLE orders ADD COLUMN b text;\nCOMMIT;',
      transactional: false,
      line: 2,
      message: 'Later statements of the migration lock orders without one too',
    },
    {
      name: 'a SET after the first locking statement comes too late for it',
      history: [users, 'CREATE TABLE orders (id bigint);'],
      up: "ALTER TABLE users ADD COLUMN a text;\nSET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN b text;",
      line: 1,
    },
    {
      name: 'a SET LOCAL outside a transaction block is not in effect',
      history: [users],
      up: "SET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN a text;",
      transactional: false,
    },
    {
      name: 'a lock in the down says it is the down',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN nickname text;',
      down: "SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN nickname;\nSET lock_timeout = 0;\nALTER TABLE users DROP COLUMN email;",
      count: 2,
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
    {
      name: 'after an index build the CONCURRENTLY rule reports, the next locking statement gets the finding',
      history: [users],
      up: 'CREATE INDEX users_email ON users (email);\nALTER TABLE users ADD COLUMN nickname text;',
      line: 2,
    },
    {
      name: 'a down whose up set the timeout is a warning of its own',
      history: [users],
      up: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
      down: 'ALTER TABLE users DROP COLUMN nickname;',
      message: 'In the down: no lock_timeout',
      severity: 'warning',
    },
    { name: 'TRUNCATE takes ACCESS EXCLUSIVE', history: [users], up: 'TRUNCATE users;', message: 'ACCESS EXCLUSIVE on users' },
  ],
});

it('says it once per migration at warning: the down of an up already told is info', async () => {
  const report = await analyzeCase({
    name: 'up and down',
    history: [users],
    up: 'ALTER TABLE users ADD COLUMN nickname text;',
    down: 'ALTER TABLE users DROP COLUMN nickname;',
  });
  const found = report.findings.filter((f) => f.rule === rule.id).map((f) => [f.direction, f.severity, f.message.split(':')[0]]);
  expect(found).toEqual([
    ['up', 'warning', 'No lock_timeout is set before this statement takes ACCESS EXCLUSIVE on users (blocks every read and write)'],
    ['down', 'info', 'In the down, as in the up'],
  ]);
});
