// The same histories on a real PostgreSQL server must give the same results as on PGlite.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRehearseJson } from '../report/rehearse-json.js';
import { createPgliteEngine, rehearse } from './index.js';

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

async function scratchDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  const rows = (await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'twoway\\_rehearse\\_%'`)).rows;
  await client.end();
  return rows.map((r) => r.datname);
}

const available = await reachable();
if (!available) console.warn(`server tests skipped: no PostgreSQL at ${SERVER} (set TWOWAY_TEST_PG_URL or run .ci/run)`);

describe.skipIf(!available)('rehearse on a PostgreSQL server', () => {
  const leftBefore: string[] = [];
  beforeAll(async () => {
    leftBefore.push(...(await scratchDatabases()));
  });

  it('gives the same results as PGlite on the examples and every fixture', async () => {
    const engine = await createPgliteEngine();
    try {
      const embedded = toRehearseJson(await rehearse(SETS, { engine, cwd: repoRoot }));
      const server = toRehearseJson(await rehearse(SETS, { databaseUrl: SERVER, cwd: repoRoot }));
      expect(server.engine).toBe('postgresql');
      expect(embedded.engine).toBe('pglite');
      expect(server.migrations.length).toBeGreaterThan(SETS.length);
      expect(server.migrations).toEqual(embedded.migrations);
    } finally {
      await engine.close();
    }
  }, 180_000);

  it('runs in a database it creates and drops, and leaves the named database alone', async () => {
    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    const tablesBefore = (await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`))
      .rows[0];
    await rehearse(['examples/golang-migrate'], { databaseUrl: SERVER, cwd: repoRoot });
    const tablesAfter = (await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).rows[0];
    await client.end();
    expect(tablesAfter).toEqual(tablesBefore);
    expect((await scratchDatabases()).filter((d) => !leftBefore.includes(d))).toEqual([]);
  });

  it('Ctrl-C drops the scratch database before exiting', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./src/cli.ts').then((m) => m.main(['rehearse', 'src/rehearse/fixtures', '--database-url', '${SERVER}']))`,
      ],
      { cwd: repoRoot, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let created: string[] = [];
    for (let i = 0; i < 400 && !created.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      created = (await scratchDatabases()).filter((d) => !leftBefore.includes(d));
    }
    expect(created).toHaveLength(1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect((await scratchDatabases()).filter((d) => !leftBefore.includes(d))).toEqual([]);
  }, 60_000);

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
