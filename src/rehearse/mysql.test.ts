// Rehearsal of MySQL sets on a real MariaDB/MySQL server: the scratch database and its promises, the
// guard, half-applied migrations, time limits, and whole histories from shared/corpus.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { cliProcess } from '../testing/cli-process.js';
import { repoRoot, tempProject } from '../testing/projects.js';
import { rehearse } from './index.js';
import { parseScratchName } from './scratch.js';

const SERVER = process.env.TWOWAY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const CORPUS =
  [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p): p is string =>
    Boolean(p && existsSync(resolve(p, 'mysql'))),
  ) ?? '';

function connectionOptions() {
  const u = new URL(SERVER);
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

async function reachable(): Promise<boolean> {
  try {
    const c = await mysql.createConnection({ ...connectionOptions(), connectTimeout: 2000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = await mysql.createConnection(connectionOptions());
  try {
    return (await c.query(text, params))[0] as T[];
  } finally {
    await c.end();
  }
}

const fileStarted = Math.floor(Date.now() / 1000) - 1;

/** Scratch databases and users made since this file started that no running rehearsal holds the lock of. */
async function leftovers(): Promise<string[]> {
  const databases = (await sql<Record<string, string>>(`SHOW DATABASES LIKE 'twoway\\_rehearse\\_%'`)).map(
    (r) => Object.values(r)[0] ?? '',
  );
  const users = (await sql<{ User: string }>(`SELECT User FROM mysql.user WHERE User LIKE 'twoway\\_r\\_%'`)).map((u) =>
    u.User.replace('twoway_r_', 'twoway_rehearse_'),
  );
  const out: string[] = [];
  for (const name of new Set([...databases, ...users])) {
    if ((parseScratchName(name)?.made?.getTime() ?? 0) < fileStarted * 1000) continue;
    const [lock] = await sql<{ holder: number | null }>('SELECT IS_USED_LOCK(?) AS holder', [`twoway rehearse ${name}`]);
    if (lock?.holder === null) out.push(name);
  }
  return out;
}

async function exists(name: string): Promise<{ database: boolean; user: boolean }> {
  const [row] = await sql<{ database: number; user: number }>(
    `SELECT EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?) AS \`database\`,
            EXISTS (SELECT 1 FROM mysql.user WHERE User = ?) AS \`user\``,
    [name, name.replace('twoway_rehearse_', 'twoway_r_')],
  );
  return { database: Boolean(row?.database), user: Boolean(row?.user) };
}

/** The scratch database of the run whose session is executing `statement` (unique to one test), once it does. */
async function scratchRunning(statement: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const [row] = await sql<{ DB: string }>(`SELECT DB FROM information_schema.PROCESSLIST WHERE INFO = ? AND DB LIKE 'twoway%'`, [
      statement,
    ]);
    if (row) return row.DB;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no rehearsal ran ${statement}`);
}

/** A pop folder of MySQL migrations: [version_name, up, down] each. */
const project = (...migrations: Array<[string, string, string]>) =>
  tempProject(
    Object.fromEntries(
      migrations.flatMap(([name, up, down]) => [
        [`migrations/${name}.mysql.up.sql`, up],
        [`migrations/${name}.mysql.down.sql`, down],
      ]),
    ),
  );
const usersTable: [string, string, string] = [
  '20240101000000_users',
  'CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL, full_name varchar(50));',
  'DROP TABLE users;',
];

const available = await reachable();
if (!available) console.warn(`MySQL rehearsal tests skipped: no MySQL/MariaDB at ${SERVER} (set TWOWAY_TEST_MYSQL_URL or run .ci/run)`);

describe.skipIf(!available)('rehearse MySQL sets on a MariaDB/MySQL server', () => {
  afterAll(async () => {
    expect(await leftovers()).toEqual([]);
  });

  it('proves a reversible migration, finds a lossy down and a down that fails on the new shape of the data', async () => {
    const dir = project(
      usersTable,
      ['20240102000000_drop_name', 'ALTER TABLE users DROP COLUMN full_name;', 'ALTER TABLE users ADD COLUMN full_name varchar(50);'],
      [
        '20240103000000_widen',
        'ALTER TABLE users MODIFY email varchar(200) NOT NULL;',
        'ALTER TABLE users MODIFY email varchar(100) NOT NULL;',
      ],
      ['20240104000000_index', 'CREATE INDEX users_email ON users (email);', 'DROP INDEX users_email ON users;'],
    );
    const result = await rehearse([dir], { databaseUrl: SERVER });
    expect(result.engine).toBe('mysql');
    expect(result.migrations.map((m) => [m.id, m.up, m.down, m.reup, m.schemaRestored])).toEqual([
      ['20240101000000', 'ok', 'ok', 'ok', true],
      ['20240102000000', 'ok', 'ok', 'ok', true],
      ['20240103000000', 'ok', 'failed', 'skipped', null],
      ['20240104000000', 'ok', 'ok', 'ok', true],
    ]);
    // The dropped column comes back empty: every row's name is lost.
    expect(result.migrations[1]?.lostData).toEqual([{ table: 'users', column: 'full_name', rows: 4 }]);
    // A value only the wider column holds makes the narrowing down fail in strict mode.
    expect(result.migrations[2]?.error).toMatch(/^down: Data truncated for column 'email'/);
    expect(result.migrations[3]?.lostData).toEqual([]);
  }, 60_000);

  it('fills columns a CHECK restricts with the values it lists, and a singleton table with its one row', async () => {
    const dir = project(
      [
        '20240101000000_posts',
        "CREATE TABLE posts (id int PRIMARY KEY, status varchar(10) NOT NULL CHECK (status IN ('draft', 'sent')), kind varchar(10), note text, CONSTRAINT posts_kind CHECK (kind = 'a' OR kind = 'b'));",
        'DROP TABLE posts;',
      ],
      [
        '20240102000000_singleton',
        'CREATE TABLE settings (id int NOT NULL DEFAULT 0 CHECK (id = 0), name text, PRIMARY KEY (id));',
        'DROP TABLE settings;',
      ],
      [
        '20240103000000_drop_note',
        'ALTER TABLE posts DROP COLUMN note; ALTER TABLE settings DROP COLUMN name;',
        'ALTER TABLE posts ADD COLUMN note text; ALTER TABLE settings ADD COLUMN name text;',
      ],
    );
    const result = await rehearse([dir], { databaseUrl: SERVER });
    const drop = result.migrations[2];
    expect(drop?.notes.filter((n) => n.startsWith('no synthetic row fits'))).toEqual([]);
    // Every synthetic row went in (the CHECKs' values taken), and so its note is lost; the singleton holds one.
    expect(drop?.lostData).toEqual([
      { table: 'posts', column: 'note', rows: 4 },
      { table: 'settings', column: 'name', rows: 1 },
    ]);
  }, 60_000);

  it('says exactly which statements of a failed up stayed applied: MySQL commits DDL implicitly', async () => {
    const dir = project(usersTable, [
      '20240102000000_half',
      'CREATE TABLE a (id int);\nALTER TABLE users ADD COLUMN age int;\nALTER TABLE no_such_table ADD COLUMN x int;\nCREATE TABLE b (id int);',
      'DROP TABLE a;',
    ]);
    const [, half] = (await rehearse([dir], { databaseUrl: SERVER })).migrations;
    expect(half?.up).toBe('failed');
    expect(half?.error).toBe(
      "up: Table 'no_such_table' doesn't exist (statement 3 of 4: ALTER TABLE no_such_table ADD COLUMN x int); " +
        'the 2 statements before it stayed applied (MySQL commits DDL implicitly): 1: CREATE TABLE a (id int); 2: ALTER TABLE users ADD COLUMN age int',
    );
  }, 60_000);

  it('runs in a database it creates and drops, as a user with rights on it alone, and leaves the named database alone', async () => {
    const tablesBefore = await sql('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [
      new URL(SERVER).pathname.slice(1),
    ]);
    const dir = project(usersTable, [
      '20240102000000_sneaky',
      // Built at run time, so the guard cannot read it: the scratch user has no FILE privilege.
      "SET @s = CONCAT('SELECT 1 INTO OUT', 'FILE ''/tmp/twoway-sneaky''');\nPREPARE s FROM @s;\nEXECUTE s;",
      'SELECT 1;',
    ]);
    const [, sneaky] = (await rehearse([dir], { databaseUrl: SERVER })).migrations;
    expect(sneaky?.up).toBe('failed');
    expect(sneaky?.error).toMatch(/Access denied/);
    expect(existsSync('/tmp/twoway-sneaky')).toBe(false);
    expect(
      await sql('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [new URL(SERVER).pathname.slice(1)]),
    ).toEqual(tablesBefore);
  }, 60_000);

  it.each([
    ["SELECT 'x' INTO OUTFILE '/tmp/twoway-outfile';", 'SELECT … INTO OUTFILE writes the database server’s files'],
    ["LOAD DATA INFILE '/etc/passwd' INTO TABLE users;", 'LOAD DATA reads the database server’s files'],
    ['CREATE DATABASE other;', 'CREATE DATABASE makes a database outside the scratch one'],
    ["CREATE USER intruder IDENTIFIED BY 'x';", 'CREATE USER changes the server’s users and privileges, which every database shares'],
    ['SET GLOBAL max_connections = 1;', 'SET GLOBAL changes the server’s settings for every database'],
    ['INSERT INTO mysql.user (User) VALUES (1);', 'mysql.user names a table in the database mysql, a database other than the scratch one'],
  ])('refuses %s unless --allow-outside-effects', async (up, reason) => {
    const dir = project(usersTable, ['20240102000000_outside', up, 'SELECT 1;']);
    const [, outside] = (await rehearse([dir], { databaseUrl: SERVER })).migrations;
    expect(outside?.up).toBe('skipped');
    expect(outside?.skipped).toBe(
      `up: ${reason} (${relative(process.cwd(), dir)}/migrations/20240102000000_outside.mysql.up.sql:1); --allow-outside-effects runs it`,
    );
  });

  it('never lets a statement name the database the URL names, even with outside effects allowed', async () => {
    const named = new URL(SERVER).pathname.slice(1);
    const dir = project(usersTable, ['20240102000000_named', `DROP TABLE IF EXISTS ${named}.users;`, 'SELECT 1;']);
    const [, outside] = (await rehearse([dir], { databaseUrl: SERVER, allowOutsideEffects: true })).migrations;
    expect(outside?.skipped).toMatch(new RegExp(`^up: a statement naming the database ${named} acts on the database the URL names`));
  });

  it('ends a statement past its time limit, reports it, and goes on', async () => {
    const dir = project(
      usersTable,
      ['20240102000000_hang', 'SELECT SLEEP(60);', 'SELECT 1;'],
      ['20240103000000_lifted', 'SET max_statement_time = 0;\nSELECT SLEEP(60);', 'SELECT 1;'],
      ['20240104000000_after', 'CREATE TABLE after_it (id int);', 'DROP TABLE after_it;'],
    );
    const results = (await rehearse([dir], { databaseUrl: SERVER, statementTimeoutSeconds: 1 })).migrations;
    expect(results.map((r) => [r.id, r.up, r.error?.replace(/ \(statement.*/, '')])).toEqual([
      ['20240101000000', 'ok', undefined],
      ['20240102000000', 'failed', 'up: timed out after 1 s'],
      ['20240103000000', 'skipped', undefined],
      ['20240104000000', 'skipped', undefined],
    ]);
  }, 60_000);

  describe('however a run ends, its scratch database and user are dropped', () => {
    const slowProject = (seconds: number) => project(usersTable, ['20240102000000_slow', `SELECT SLEEP(${seconds});`, 'SELECT 1;']);

    it.each([
      ['SIGINT', 130, 20.13],
      ['SIGTERM', 143, 20.143],
      ['SIGHUP', 129, 20.129],
    ] as const)(
      '%s: dropped, exit %i, no stack trace',
      async (signal, code, seconds) => {
        const { child, exited } = cliProcess(['rehearse', slowProject(seconds), '--database-url', SERVER, '--statement-timeout', '30']);
        const scratch = await scratchRunning(`SELECT SLEEP(${seconds})`);
        expect(await exists(scratch)).toEqual({ database: true, user: true });
        child.kill(signal);
        const end = await exited;
        expect(end.code).toBe(code);
        expect(end.stderr).toBe(`twoway: ${signal}: dropped scratch database ${scratch}\n`);
        expect(await exists(scratch)).toEqual({ database: false, user: false });
      },
      60_000,
    );

    it('SIGKILL leaves a database named for twoway and its time, which the next run drops and names', async () => {
      const started = Math.floor(Date.now() / 1000);
      const { child, exited } = cliProcess(['rehearse', slowProject(21.9), '--database-url', SERVER, '--statement-timeout', '30']);
      const scratch = await scratchRunning('SELECT SLEEP(21.9)');
      child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
      expect(Number(scratch.split('_')[2])).toBeGreaterThanOrEqual(started - 1);
      expect(await exists(scratch)).toEqual({ database: true, user: true });

      const notices: string[] = [];
      await rehearse([project(usersTable)], { databaseUrl: SERVER, onNotice: (m) => notices.push(m) });
      const when = new Date(Number(scratch.split('_')[2]) * 1000).toISOString().slice(0, 19).replace('T', ' ');
      expect(notices).toContain(`dropped ${scratch} (made ${when} UTC), left by a rehearsal that ended without cleaning up`);
      expect(await exists(scratch)).toEqual({ database: false, user: false });
    }, 60_000);
  });

  if (!CORPUS) console.warn('shared/corpus not found (TWOWAY_CORPUS, ../shared/corpus): MySQL corpus rehearsals skipped');
  describe.skipIf(!CORPUS)('shared/corpus MySQL histories, end to end', () => {
    it('openfga: every migration rehearsed or explained; 006’s down fails on the longer ids, 007 does not run on MariaDB', async () => {
      const result = await rehearse([resolve(CORPUS, 'mysql/openfga__openfga')], { databaseUrl: SERVER });
      const byId = new Map(result.migrations.map((m) => [m.id, m]));
      expect(result.migrations).toHaveLength(8);
      for (const id of ['001', '002', '003', '004', '005'])
        expect(byId.get(id)).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true });
      expect(byId.get('006')?.error).toMatch(/^down: Data truncated for column 'object_id'/);
      if (result.serverVersion.includes('MariaDB')) {
        expect(byId.get('007')?.error).toMatch(/near 'LOCK = NONE'.*the 2 statements before it stayed applied/);
        expect(byId.get('008')?.skipped).toBe('migration 007 before it does not apply, not even to empty tables');
      }
    }, 120_000);

    it('kratos: the whole history runs, each migration rehearsed or explained', async () => {
      const result = await rehearse([resolve(CORPUS, 'mysql/ory__kratos')], { databaseUrl: SERVER });
      expect(result.migrations.length).toBeGreaterThan(300);
      for (const m of result.migrations) expect(m.up === 'ok' || m.up === 'failed' || m.skipped !== null).toBe(true);
      // Kratos numbers the split down files one behind their ups: down 20191100000001000002 drops what up …003 makes.
      expect(result.migrations.find((m) => m.id === '20191100000001000002')?.error).toBe("down: Unknown table 'identity_credentials'");
    }, 300_000);
  });
});

describe('a set is rehearsed only on its own dialect', () => {
  it('a MySQL set without a mysql:// URL is skipped, never run on PGlite', async () => {
    const result = await rehearse([project(usersTable)]);
    expect(result.migrations).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([
      'pop set not rehearsed: its migrations are MySQL: pass --database-url mysql://user@host:3306/database to rehearse them on a MySQL or MariaDB server (they never run on PGlite or PostgreSQL)',
    ]);
  });

  it('a mysql:// URL given for a PostgreSQL set is refused with a clear error', async () => {
    const dir = tempProject({ 'db/1_users.up.sql': 'CREATE TABLE users (id int);', 'db/1_users.down.sql': 'DROP TABLE users;' });
    const { exited } = cliProcess(['rehearse', dir, '--database-url', 'mysql://root@127.0.0.1:1/x']);
    const end = await exited;
    expect(end.code).toBe(2);
    expect(end.stderr).toContain(
      'set not rehearsed: its migrations are PostgreSQL and mysql://root@127.0.0.1:1/x is a MySQL server: pass a postgres:// URL, or leave --database-url out to rehearse on the embedded PGlite',
    );
  });
});
