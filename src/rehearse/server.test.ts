// The same histories on a real PostgreSQL server must give the same results as on PGlite.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRehearseJson } from '../report/rehearse-json.js';
import { cliProcess } from '../testing/cli-process.js';
import { tempProject } from '../testing/projects.js';
import { createPgliteEngine, rehearse } from './index.js';
import { parseScratchName } from './scratch.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = process.env.TWOWAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SETS = [
  'examples',
  'src/rehearse/fixtures/reversible',
  'src/rehearse/fixtures/lossy-down',
  'src/rehearse/fixtures/failing-down',
  'src/rehearse/fixtures/schema-drift',
  'src/rehearse/fixtures/widen-narrow',
  'src/rehearse/fixtures/not-reappliable',
  'src/rehearse/fixtures/outside-effects',
  'src/rehearse/fixtures/fails-with-rows',
];

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const fileStarted = Math.floor(Date.now() / 1000) - 1;

/**
 * Scratch databases and roles made since this file started that no running rehearsal holds. Others
 * may be rehearsing on this server meanwhile (older versions' names carry no time: left out).
 */
async function scratchDatabases(): Promise<string[]> {
  const rows = await sql<{ name: string }>(
    `SELECT x.name FROM (SELECT datname::text AS name FROM pg_database UNION SELECT rolname::text FROM pg_roles) x
     WHERE x.name LIKE 'twoway\\_rehearse\\_%'
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = 'twoway rehearse ' || x.name OR a.datname = x.name)`,
  );
  return rows.map((r) => r.name).filter((name) => (parseScratchName(name)?.made?.getTime() ?? 0) >= fileStarted * 1000);
}

/** Whether a database or role of that name exists. */
async function exists(name: string): Promise<{ database: boolean; role: boolean }> {
  const [row] = await sql<{ database: boolean; role: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS database, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS role',
    [name],
  );
  return row ?? { database: false, role: false };
}

/** The scratch database of the run whose session is executing `statement` (unique to one test), once it does. */
async function scratchRunning(statement: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const [row] = await sql<{ datname: string }>(`SELECT datname FROM pg_stat_activity WHERE query = $1 AND datname LIKE 'twoway%'`, [
      statement,
    ]);
    if (row) return row.datname;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no rehearsal ran ${statement}`);
}

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
const usersTable: [string, string, string] = ['1_users', 'CREATE TABLE users (id int PRIMARY KEY);', 'DROP TABLE users;'];

const available = await reachable();
if (!available) console.warn(`server tests skipped: no PostgreSQL at ${SERVER} (set TWOWAY_TEST_PG_URL or run .ci/run)`);

describe.skipIf(!available)('rehearse on a PostgreSQL server', () => {
  it('gives the same results as PGlite on the examples and every fixture', async () => {
    const engine = await createPgliteEngine();
    try {
      const embedded = toRehearseJson(await rehearse(SETS, { engine, cwd: repoRoot }));
      const server = toRehearseJson(await rehearse(SETS, { databaseUrl: SERVER, cwd: repoRoot }));
      expect(server.engine).toBe('postgresql');
      expect(embedded.engine).toBe('pglite');
      expect(server.migrations.length).toBeGreaterThan(SETS.length);
      // Timings are the engines' own; everything else must agree.
      const untimed = (ms: typeof server.migrations) => ms.map(({ timings, ...m }) => m);
      expect(untimed(server.migrations)).toEqual(untimed(embedded.migrations));
    } finally {
      await engine.close();
    }
  }, 180_000);

  it('an up older servers refuse as a syntax error, which a newer PostgreSQL accepts, is said to need a newer server', async () => {
    const num = (await sql<{ num: number }>("SELECT current_setting('server_version_num')::int AS num"))[0]?.num ?? 0;
    if (num >= 160000) return console.warn('skipped: the server is PostgreSQL 16 or newer, which accepts a subquery without an alias');
    const dir = tempProject({
      'migrations/1_totals.up.sql': 'CREATE TABLE totals AS SELECT * FROM (SELECT 1 AS n);',
      'migrations/1_totals.down.sql': 'DROP TABLE totals;',
      'migrations/2_after.up.sql': 'CREATE TABLE after_it (id int);',
      'migrations/2_after.down.sql': 'DROP TABLE after_it;',
    });
    const [first, second] = (await rehearse([dir], { databaseUrl: SERVER })).migrations;
    expect(first?.up).toBe('failed');
    expect(first?.error).toBe(
      "up: subquery in FROM must have an alias; a newer PostgreSQL's grammar (the parser twoway reads migrations with) accepts this up: the server's is older",
    );
    expect(second?.skipped).toMatch(
      new RegExp(
        `^migration 1 before it does not apply, not even to empty tables: it needs a PostgreSQL newer than ${Math.floor(num / 10000)}\\.`,
      ),
    );
  });

  it('runs in a database it creates and drops, and leaves the named database alone', async () => {
    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    const tablesBefore = (await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`))
      .rows[0];
    await rehearse(['examples/golang-migrate'], { databaseUrl: SERVER, cwd: repoRoot });
    const tablesAfter = (await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).rows[0];
    await client.end();
    expect(tablesAfter).toEqual(tablesBefore);
    expect(await scratchDatabases()).toEqual([]);
  });

  describe('what slips past the statement guard runs as a role without superuser rights', () => {
    const notSuperuser = `DO $$ BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN RAISE EXCEPTION 'running as a superuser'; END IF; END $$;`;

    it.each([
      [
        'CREATE ROLE built at run time',
        "DO $$ BEGIN EXECUTE 'CREATE ' || 'ROLE twoway_slipped'; END $$;",
        /^up: permission denied to create role/,
      ],
      [
        'COPY … PROGRAM built at run time',
        "DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO ' || 'PROGRAM ''id'''; END $$;",
        /^up: must be superuser or have privileges of the pg_execute_server_program role to COPY to or from an external program/,
      ],
      [
        'SET ROLE built at run time',
        "DO $$ BEGIN EXECUTE 'SET ' || 'ROLE postgres'; END $$;",
        /^up: permission denied to set role "postgres"/,
      ],
    ])('%s fails for want of the privilege', async (_, up, error) => {
      const [result] = (await rehearse([project(['1_slip', up, 'SELECT 1;'])], { databaseUrl: SERVER })).migrations;
      expect(result?.up).toBe('failed');
      expect(result?.error).toMatch(error);
      expect(await exists('twoway_slipped')).toEqual({ database: false, role: false });
    });

    it('the migrations run as a fresh role that is not a superuser, dropped at the end', async () => {
      const notices: string[] = [];
      const dir = project(['1_who', notSuperuser, 'SELECT 1;']);
      const [result] = (await rehearse([dir], { databaseUrl: SERVER, onNotice: (m) => notices.push(m) })).migrations;
      expect(result).toMatchObject({ up: 'ok', error: null, skipped: null });
      expect(notices.filter((n) => !n.startsWith('dropped twoway_rehearse_'))).toEqual([]);
      expect(await scratchDatabases()).toEqual([]);
    });

    it('--allow-outside-effects runs them as the URL’s own role, and says so', async () => {
      const role = `twoway_test_outside_${process.pid}`;
      const notices: string[] = [];
      const dir = project(
        ['1_role', `CREATE ROLE ${role};`, `DROP ROLE ${role};`],
        ['2_program', "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null';", 'SELECT 1;'],
        ['3_who', notSuperuser, 'SELECT 1;'],
      );
      const results = (await rehearse([dir], { databaseUrl: SERVER, allowOutsideEffects: true, onNotice: (m) => notices.push(m) }))
        .migrations;
      expect(results.map((r) => [r.id, r.up, r.skipped])).toEqual([
        ['1', 'ok', null],
        ['2', 'ok', null],
        ['3', 'failed', null],
      ]);
      expect(results[0]).toMatchObject({ down: 'ok', reup: 'ok' });
      expect(results[2]?.error).toBe('up: running as a superuser');
      expect(notices).toContain(
        '--allow-outside-effects: the migrations run as postgres, a superuser, and may act outside the scratch database',
      );
      // What acts outside the scratch database is not undone with it: the re-up made the role again.
      expect((await exists(role)).role).toBe(true);
      await sql(`DROP ROLE ${role}`);
    });
  });

  describe('the database the URL names is never touched', () => {
    const named = `twoway_test_named_${process.pid}`;
    beforeAll(async () => {
      await sql(`DROP DATABASE IF EXISTS ${named}`);
      await sql(`CREATE DATABASE ${named}`);
    });
    afterAll(() => sql(`DROP DATABASE IF EXISTS ${named} WITH (FORCE)`));

    it.each([[false], [true]])('DROP DATABASE of it is refused (--allow-outside-effects: %s)', async (allowOutsideEffects) => {
      const url = new URL(SERVER);
      url.pathname = `/${named}`;
      const dir = project(
        usersTable,
        ['2_drop_named', `DROP DATABASE ${named} WITH (FORCE);`, 'SELECT 1;'],
        ['3_name', 'ALTER TABLE users ADD COLUMN name text;', 'ALTER TABLE users DROP COLUMN name;'],
      );
      const results = (await rehearse([dir], { databaseUrl: url.toString(), allowOutsideEffects })).migrations;
      expect(results[1]).toMatchObject({ up: 'skipped', error: null });
      expect(results[1]?.skipped).toMatch(
        new RegExp(
          `^up: DROP DATABASE names ${named}, the database the URL names, which rehearsal never touches \\(.*2_drop_named\\.up\\.sql:1\\)$`,
        ),
      );
      expect(results[2]).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true });
      expect((await exists(named)).database).toBe(true);
    });
  });

  describe('a time limit on every statement', () => {
    it.each([
      ['a statement that never ends', 'SELECT pg_sleep(60);', 'up: timed out after 2 s'],
      // The server's statement_timeout is gone: the watchdog cancels it (two statements: two statements' time).
      ['one that lifts statement_timeout first', 'SET statement_timeout = 0;\nSELECT pg_sleep(60);', 'up: timed out after 4 s'],
    ])(
      '%s is "timed out" and the run goes on',
      async (_, up, error) => {
        const next = project(['9_after', 'CREATE TABLE after_it (id int);', 'DROP TABLE after_it;']);
        const hang = project(usersTable, ['2_hang', up, 'SELECT 1;']);
        const results = (await rehearse([hang, next], { databaseUrl: SERVER, statementTimeoutSeconds: 2 })).migrations;
        expect(results.map((r) => [r.id, r.up, r.error])).toEqual([
          ['1', 'ok', null],
          ['2', 'failed', error],
          ['9', 'ok', null],
        ]);
        expect(await scratchDatabases()).toEqual([]);
      },
      60_000,
    );
  });

  describe('however a run ends, its scratch database and role are dropped', () => {
    const slowProject = (seconds: number) => project(usersTable, ['2_slow', `SELECT pg_sleep(${seconds});`, 'SELECT 1;']);

    it.each([
      ['SIGINT', 130, 20.13],
      ['SIGTERM', 143, 20.143],
      ['SIGHUP', 129, 20.129],
    ] as const)(
      '%s: dropped, exit %i, no stack trace',
      async (signal, code, seconds) => {
        const { child, exited } = cliProcess(['rehearse', slowProject(seconds), '--database-url', SERVER, '--statement-timeout', '30']);
        const scratch = await scratchRunning(`SELECT pg_sleep(${seconds});`);
        expect(await exists(scratch)).toEqual({ database: true, role: true });
        child.kill(signal);
        const end = await exited;
        expect(end.code).toBe(code);
        expect(end.stderr).toBe(`twoway: ${signal}: dropped scratch database ${scratch}\n`);
        expect(await exists(scratch)).toEqual({ database: false, role: false });
      },
      60_000,
    );

    it('SIGKILL leaves a database named for twoway and its time, which the next run drops and names', async () => {
      const started = Math.floor(Date.now() / 1000);
      const { child, exited } = cliProcess(['rehearse', slowProject(21.9), '--database-url', SERVER, '--statement-timeout', '30']);
      const scratch = await scratchRunning('SELECT pg_sleep(21.9);');
      child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
      const made = Number(scratch.split('_')[2]);
      expect(made).toBeGreaterThanOrEqual(started - 1);
      expect(await exists(scratch)).toEqual({ database: true, role: true });

      const notices: string[] = [];
      await rehearse(['examples/golang-migrate'], { databaseUrl: SERVER, cwd: repoRoot, onNotice: (m) => notices.push(m) });
      const when = new Date(made * 1000).toISOString().slice(0, 19).replace('T', ' ');
      expect(notices).toContain(`dropped ${scratch} (made ${when} UTC), left by a rehearsal that ended without cleaning up`);
      expect(await exists(scratch)).toEqual({ database: false, role: false });
    }, 60_000);

    it('a killed control connection: the run goes on and still drops what it made', async () => {
      const run = rehearse([slowProject(2.3)], { databaseUrl: SERVER });
      const scratch = await scratchRunning('SELECT pg_sleep(2.3);');
      const [killed] = await sql<{ ended: boolean }>(
        'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1',
        [`twoway rehearse ${scratch}`],
      );
      expect(killed?.ended).toBe(true);
      const results = (await run).migrations;
      expect(results.map((r) => [r.up, r.error])).toEqual([
        ['ok', null],
        ['ok', null],
      ]);
      expect(results[0]).toMatchObject({ down: 'ok', reup: 'ok', schemaRestored: true });
      expect(await exists(scratch)).toEqual({ database: false, role: false });
    }, 60_000);
  });

  describe('a role that may create databases but not roles', () => {
    const role = 'twoway_test_createdb_only';
    beforeAll(async () => {
      await sql(`DROP ROLE IF EXISTS ${role}`);
      await sql(`CREATE ROLE ${role} LOGIN CREATEDB`);
    });
    afterAll(() => sql(`DROP ROLE IF EXISTS ${role}`));

    it('rehearses as itself and says so once', async () => {
      const url = new URL(SERVER);
      url.username = role;
      const notices: string[] = [];
      const result = await rehearse(['examples/golang-migrate'], {
        databaseUrl: url.toString(),
        cwd: repoRoot,
        onNotice: (m) => notices.push(m),
      });
      expect(result.migrations.map((m) => m.up)).toEqual(['ok', 'ok', 'ok']);
      expect(notices.filter((n) => !n.startsWith('dropped '))).toEqual([
        `${role} may not create roles, so the migrations run as ${role} itself (not a superuser); ` +
          'with a role that has CREATEROLE, twoway runs them as a fresh role with no rights outside the scratch database',
      ]);
    });
  });

  describe('a role that may not create databases', () => {
    const role = 'twoway_test_no_createdb';
    let admin: pg.Client;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: SERVER });
      await admin.connect();
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    });
    afterAll(async () => {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    });

    it('is refused with a message that says why and what to do', async () => {
      const url = new URL(SERVER);
      url.username = role;
      await expect(rehearse(['examples/golang-migrate'], { databaseUrl: url.toString(), cwd: repoRoot })).rejects.toThrow(
        /cannot create a scratch database on .*: permission denied to create database\. twoway rehearse only runs in a database it creates/,
      );
    });
  });
});
