// Rehearsal runs a pull request's SQL: what would act outside the scratch database is refused, every
// statement has a time limit, and a hang never stalls the run. On PGlite here; server.test.ts holds
// the same promises on a PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject } from '../testing/projects.js';
import type { Engine } from './engine.js';
import { createPgliteEngine, type MigrationRehearsal, notRehearsed, rehearse } from './index.js';

const repoRoot = new URL('../..', import.meta.url).pathname;
const FIXTURE = 'src/rehearse/fixtures/outside-effects';

/** A golang-migrate folder: [name, up, down] per migration. */
const project = (...migrations: Array<[string, string, string]>) =>
  tempProject(
    Object.fromEntries(
      migrations.flatMap(([name, up, down]) => [
        [`db/${name}.up.sql`, up],
        [`db/${name}.down.sql`, down],
      ]),
    ),
  );

// One engine per time limit, shared: what a test breaks, rehearsal itself must repair.
let engine: Engine;
let quick: Engine;
beforeAll(async () => {
  [engine, quick] = await Promise.all([createPgliteEngine(), createPgliteEngine({ statementTimeoutSeconds: 2 })]);
}, 60_000);
afterAll(async () => {
  await engine?.close();
  await quick?.close();
});

describe('statements that act outside the scratch database are refused', () => {
  let results: MigrationRehearsal[];
  beforeAll(async () => {
    results = (await rehearse([FIXTURE], { engine, cwd: repoRoot })).migrations;
  }, 60_000);

  const at = (file: string, line: number) => `(${FIXTURE}/${file}:${line}); --allow-outside-effects runs it`;
  it.each([
    ['02', `up: COPY … TO PROGRAM runs a shell command on the database server ${at('02_copy_program.up.sql', 3)}`],
    ['04', `up: ALTER SYSTEM rewrites the server’s configuration (postgresql.auto.conf) ${at('04_alter_system.up.sql', 1)}`],
    ['05', `up: CREATE ROLE changes the server’s roles, which every database shares ${at('05_create_role.up.sql', 1)}`],
    ['06', `up: CREATE DATABASE makes a database outside the scratch one ${at('06_create_database.up.sql', 1)}`],
    ['07', `up: DROP DATABASE acts on a database other than the scratch one ${at('07_drop_database.up.sql', 1)}`],
    ['08', `up: CREATE EXTENSION dblink connects to another database or server ${at('08_dblink.up.sql', 1)}`],
    [
      '09',
      `up: CREATE FUNCTION … LANGUAGE plpython3u runs untrusted code with the database server’s own access ${at('09_untrusted_function.up.sql', 1)}`,
    ],
    ['10', `up: pg_read_file() reads the database server’s files ${at('10_read_file.up.sql', 1)}`],
    ['11', `up: SET ROLE acts as another role ${at('11_set_role.up.sql', 1)}`],
    ['12', `up: CREATE SERVER connects to another database or server ${at('12_foreign_server.up.sql', 1)}`],
  ])('migration %s is not rehearsed, with the reason', (id, reason) => {
    const r = results.find((m) => m.id === id);
    expect(r).toMatchObject({ up: 'skipped', down: 'skipped', reup: 'skipped', error: null, skipped: reason });
    expect(r && notRehearsed(r)).toBe(true);
  });

  it('a refused down: the up runs, the down does not', () => {
    expect(results.find((m) => m.id === '13')).toMatchObject({
      up: 'ok',
      down: 'skipped',
      reup: 'skipped',
      skipped: `down: COPY … TO '/tmp/twoway_users.csv' writes the database server’s files ${at('13_index_email.down.sql', 2)}`,
    });
  });

  it('the migrations between and after the refused ones are rehearsed', () => {
    for (const id of ['01', '03', '14'])
      expect(results.find((m) => m.id === id)).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true, skipped: null });
  });
});

describe('--allow-outside-effects', () => {
  it('runs what it would refuse', async () => {
    const dir = project(
      ['1_users', 'CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;'],
      ['2_as_postgres', "SET ROLE postgres;\nCREATE TABLE listing AS SELECT pg_ls_dir('/') AS entry;", 'DROP TABLE listing;'],
    );
    const refused = await rehearse([dir], { engine });
    expect(refused.migrations[1]).toMatchObject({ up: 'skipped', skipped: expect.stringMatching(/^up: SET ROLE acts as another role/) });
    const allowed = await rehearse([dir], { engine, allowOutsideEffects: true });
    expect(allowed.allowOutsideEffects).toBe(true);
    expect(allowed.migrations[1]).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true, skipped: null });
  }, 60_000);
});

describe('every statement runs under a time limit', () => {
  const then = ['9_after', 'CREATE TABLE after_it (id int);', 'DROP TABLE after_it;'] as [string, string, string];

  it('an up that never ends is "timed out after N s", and the sets after it are rehearsed', async () => {
    const hang = project(
      ['1_users', 'CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;'],
      ['2_sleep', 'SELECT pg_sleep(60);', 'SELECT 1;'],
    );
    const next = project(then);
    const result = await rehearse([hang, next], { engine: quick });
    expect(result.statementTimeoutSeconds).toBe(2);
    expect(result.migrations.map((m) => [m.id, m.up, m.error])).toEqual([
      ['1', 'ok', null],
      ['2', 'failed', 'up: timed out after 2 s'],
      ['9', 'ok', null],
    ]);
    expect(result.migrations[2]).toMatchObject({ down: 'ok', reup: 'ok', schemaRestored: true });
  }, 60_000);

  it('a down that never ends: the history is rebuilt and goes on', async () => {
    const dir = project(
      ['1_users', 'CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;'],
      ['2_name', 'ALTER TABLE users ADD COLUMN name text;', 'SELECT pg_sleep(60);\nALTER TABLE users DROP COLUMN name;'],
      ['3_email', 'ALTER TABLE users ADD COLUMN email text;', 'ALTER TABLE users DROP COLUMN email;'],
    );
    const result = await rehearse([dir], { engine: quick });
    // The lock observation runs the down statement by statement first: the one that hangs gets one statement's time.
    expect(result.migrations[1]).toMatchObject({ up: 'ok', down: 'failed', error: 'down: timed out after 2 s' });
    expect(result.migrations[2]).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true, skipped: null });
  }, 60_000);

  it('COPY … TO PROGRAM, which leaves PGlite spinning, is refused on PGlite even when allowed', async () => {
    const dir = project(
      ['1_program', "COPY (SELECT 1) TO PROGRAM 'id';", 'SELECT 1;'],
      ['2_users', 'CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;'],
    );
    const result = await rehearse([dir], { engine, allowOutsideEffects: true });
    expect(result.migrations[0]?.skipped).toMatch(
      /^up: COPY … TO PROGRAM cannot run on PGlite, which has no programs to run: rehearse it on a server \(.*1_program\.up\.sql:1\)$/,
    );
    expect(result.migrations[1]).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true });
  }, 60_000);
});
