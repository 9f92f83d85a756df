// Statistics and the read-only session on the real servers of the dev/CI machine (PostgreSQL 15 on
// 5432, MariaDB on 3306), in scratch databases of their own; skipped with a message when absent.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusedStatementError } from './guard.js';
import { estimateSeconds, isSmall, openReadOnly, tableStats } from './index.js';
import { connectReadOnly } from './session.js';

const PG = process.env.TWOWAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MY = process.env.TWOWAY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
const name = `twoway_stats_${randomBytes(4).toString('hex')}`;

async function pgAdmin(): Promise<pg.Client | null> {
  const c = new pg.Client({ connectionString: PG, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return c;
  } catch {
    return null;
  }
}

const pgProbe = await pgAdmin();
await pgProbe?.end();
const pgUp = pgProbe !== null;
if (!pgUp) console.warn(`stats tests: no PostgreSQL at ${PG}; skipped`);

describe.skipIf(!pgUp)('PostgreSQL', () => {
  const url = PG.replace(/\/[^/]*$/, `/${name}`);
  let dblink = false;
  // The scratch database, as dblink's connection string names it (the server connecting to itself).
  const target = new URL(url);
  const dblinkTarget = [
    `host=${target.hostname}`,
    `port=${target.port || 5432}`,
    `dbname=${name}`,
    `user=${decodeURIComponent(target.username) || 'postgres'}`,
    ...(target.password ? [`password=${decodeURIComponent(target.password)}`] : []),
  ].join(' ');
  beforeAll(async () => {
    const admin = (await pgAdmin()) as pg.Client;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(
      'CREATE TABLE big (id bigint PRIMARY KEY, payload text); CREATE TABLE tiny (id int); CREATE VIEW tiny_view AS SELECT * FROM tiny;',
    );
    // dblink (contrib) shows what a read-only transaction does not stop; a server without it skips that part.
    try {
      await c.query('CREATE EXTENSION dblink');
      dblink = true;
    } catch (e) {
      console.warn(`stats tests: no dblink extension (${(e as Error).message}); its part is skipped`);
    }
    await c.query(`INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 50000) g`);
    await c.query('ANALYZE big');
    await c.end();
  });
  afterAll(async () => {
    const admin = await pgAdmin();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  it('reads row estimates and sizes from the catalog', async () => {
    const s = await openReadOnly(url);
    const stats = await tableStats(s);
    await s.close();
    expect(stats.get('big')?.rows).toBe(50000);
    expect(stats.get('big')?.bytes).toBeGreaterThan(10_000_000);
    expect(stats.get('tiny')?.rows).toBe(null);
    expect(isSmall(stats.get('big') as never)).toBe(false);
    expect(estimateSeconds(stats.get('big')?.bytes ?? 0, 'rewrite')).toBeGreaterThan(0);
  });

  const tinyRows = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const n = Number((await c.query('SELECT count(*) AS n FROM tiny')).rows[0].n);
    const t2 = (await c.query("SELECT to_regclass('t2') AS t")).rows[0].t;
    await c.end();
    return { n, t2 };
  };

  it('no write is possible through the session: the guard refuses it before it is sent, the table is unchanged', async () => {
    const s = await openReadOnly(url);
    await expect(s.query('INSERT INTO tiny VALUES (1)')).rejects.toThrow(RefusedStatementError);
    await expect(s.query('CREATE TABLE t2 (id int)')).rejects.toThrow(RefusedStatementError);
    await expect(s.query('WITH x AS (INSERT INTO tiny VALUES (1) RETURNING 1) SELECT count(*) FROM x')).rejects.toThrow(
      RefusedStatementError,
    );
    await s.close();
    expect(await tinyRows()).toEqual({ n: 0, t2: null });
  });

  it("refuses each way a superuser's session gets out of a read-only transaction; nothing happened on the server", async () => {
    const file = `/tmp/twoway_escape_${randomBytes(6).toString('hex')}`;
    const s = await openReadOnly(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const objects = async () => Number((await admin.query('SELECT count(*) AS n FROM pg_largeobject_metadata')).rows[0].n);
    const largeObjects = await objects();
    const escapes = [
      `COPY (SELECT 1) TO PROGRAM 'cat > ${file}'`,
      `COPY tiny TO '${file}'`,
      `SELECT lo_import('/etc/hostname')`,
      `SELECT pg_read_file('/etc/hostname')`,
      "SELECT set_config('default_transaction_read_only', 'off', false)",
      'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE',
      'SET default_transaction_read_only = off',
      'BEGIN READ WRITE',
      'COMMIT',
      `SELECT dblink_exec('${dblinkTarget}', 'INSERT INTO tiny VALUES (1)')`,
      `SELECT * FROM dblink('${dblinkTarget}', 'CREATE TABLE t2 (id int)') AS t(r text)`,
    ];
    for (const sql of escapes) await expect(s.query(sql), sql).rejects.toThrow(RefusedStatementError);
    // The session is as it started: read-only, with its time limits and without user views.
    const settings = await s.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_catalog.pg_settings
        WHERE name IN ('default_transaction_read_only', 'statement_timeout', 'lock_timeout', 'restrict_nonsystem_relation_kind', 'search_path')
        ORDER BY name`,
    );
    expect(Object.fromEntries(settings.map((r) => [r.name, r.setting]))).toEqual({
      default_transaction_read_only: 'on',
      lock_timeout: '5000',
      restrict_nonsystem_relation_kind: 'view,foreign-table',
      search_path: 'pg_catalog, pg_temp',
      statement_timeout: '5000',
    });
    // A superuser URL: the session runs as pg_read_all_data.
    const [role] = await s.query<{ role: string; su: string }>(
      "SELECT current_setting('role') AS role, current_setting('is_superuser') AS su",
    );
    expect(role).toEqual({ role: 'pg_read_all_data', su: 'off' });
    await s.close();
    expect((await admin.query('SELECT pg_read_file($1, 0, 10, true) AS f', [file])).rows[0].f).toBe(null);
    expect(await objects()).toBe(largeObjects);
    await admin.end();
    expect(await tinyRows()).toEqual({ n: 0, t2: null });
  });

  it("a superuser's session drops its rights: what the guard stops, the server's privileges stop too", async () => {
    const raw = await connectReadOnly(url);
    await raw.harden(true);
    const file = `/tmp/twoway_escape_${randomBytes(6).toString('hex')}`;
    await expect(raw.send(`COPY (SELECT 1) TO PROGRAM 'cat > ${file}'`, [])).rejects.toThrow(/pg_execute_server_program/);
    await expect(raw.send("SELECT pg_read_file('/etc/hostname')", [])).rejects.toThrow(/permission denied/);
    await expect(raw.send("SELECT lo_import('/etc/hostname')", [])).rejects.toThrow(/permission denied|pg_read_server_files/);
    // Without a password (twoway's session has none to give), a role that is not a superuser may not connect.
    const noPassword = dblinkTarget.replace(/ password=.*$/, '');
    if (dblink)
      await expect(raw.send(`SELECT public.dblink_exec('${noPassword}', 'INSERT INTO tiny VALUES (1)')`, [])).rejects.toThrow(/password/i);
    // It still reads every table and the statistics.
    expect((await raw.send<{ n: string }>('SELECT count(*) AS n FROM public.big', []))[0]?.n).toBe('50000');
    expect((await raw.send<{ n: string }>("SELECT count(*) AS n FROM pg_stats WHERE tablename = 'big'", []))[0]?.n).toBe('2');
    await raw.close();
    expect(await tinyRows()).toEqual({ n: 0, t2: null });
  });

  it("resolves functions in pg_catalog only: a user's same-named function with a closer argument type does not run", async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query("CREATE FUNCTION public.pg_column_size(text) RETURNS int LANGUAGE sql AS 'SELECT 42'");
    try {
      // Under the default search path the user's function wins for a text argument (CVE-2018-1058)…
      expect((await c.query("SELECT pg_column_size('abc'::text) AS n")).rows[0].n).toBe(42);
      const s = await openReadOnly(url);
      // …in twoway's session the built-in does, and unqualified tables are still found in the application's schemas.
      const rows = await s.query<{ n: number }>(`SELECT pg_column_size(payload) AS n FROM ${await s.relation({ name: 'big' })} LIMIT 1`);
      const builtIn = (await c.query('SELECT pg_catalog.pg_column_size(payload) AS n FROM big LIMIT 1')).rows[0].n;
      expect(builtIn).not.toBe(42);
      expect(rows[0]?.n).toBe(builtIn);
      expect(await s.relation({ name: 'big' })).toBe('"public"."big"');
      expect(await s.relation({ name: 'nowhere' })).toBe(null);
      await s.close();
    } finally {
      await c.query('DROP FUNCTION public.pg_column_size(text)');
      await c.end();
    }
  });

  it('reads no user view (its definition could call anything): the server refuses it', async () => {
    const s = await openReadOnly(url);
    const view = await s.relation({ name: 'tiny_view' });
    expect(view).toBe('"public"."tiny_view"');
    await expect(s.query(`SELECT count(*) AS n FROM ${view}`)).rejects.toThrow(/access to non-system view "tiny_view" is restricted/);
    await s.close();
  });

  it('the server half refuses writes by itself, and is why the guard is needed: a read-only transaction lets dblink write', async () => {
    const raw = await connectReadOnly(url);
    await expect(raw.send('INSERT INTO tiny VALUES (1)', [])).rejects.toThrow(/read-only transaction/);
    await expect(raw.send('CREATE TABLE t2 (id int)', [])).rejects.toThrow(/read-only transaction/);
    // Each statement runs in a READ ONLY transaction of its own, rolled back: changing the default does not last.
    await raw.send('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', []);
    await raw.send("SELECT set_config('default_transaction_read_only', 'off', false)", []);
    await expect(raw.send('INSERT INTO tiny VALUES (1)', [])).rejects.toThrow(/read-only transaction/);
    await expect(raw.send('COMMIT; BEGIN READ WRITE; INSERT INTO tiny VALUES (1); COMMIT', [])).rejects.toThrow(/multiple commands/);
    expect(await tinyRows()).toEqual({ n: 0, t2: null });
    if (!dblink) return raw.close();
    // A superuser's dblink opens a connection of its own, which the read-only transaction does not cover.
    await raw.send(`SELECT dblink_exec('${dblinkTarget}', 'INSERT INTO tiny VALUES (1)')`, []);
    await raw.close();
    expect((await tinyRows()).n).toBe(1);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('DELETE FROM tiny');
    await c.end();
  });
});

async function myAdmin() {
  try {
    return await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 2000 });
  } catch {
    return null;
  }
}
const myProbe = await myAdmin();
await myProbe?.end();
const myUp = myProbe !== null;
if (!myUp) console.warn(`stats tests: no MySQL/MariaDB at ${MY}; skipped`);

describe.skipIf(!myUp)('MariaDB / MySQL', () => {
  const url = MY.replace(/\/[^/]*$/, `/${name}`);
  beforeAll(async () => {
    const c = (await myAdmin()) as NonNullable<Awaited<ReturnType<typeof myAdmin>>>;
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`CREATE TABLE ${name}.orders (id int PRIMARY KEY, note varchar(200)) ENGINE=InnoDB`);
    await c.query(`INSERT INTO ${name}.orders SELECT seq, 'n' FROM ${name}.seq_1_to_3000`);
    await c.query(`ANALYZE TABLE ${name}.orders`);
    await c.end();
  });
  afterAll(async () => {
    const c = await myAdmin();
    await c?.query(`DROP DATABASE IF EXISTS ${name}`);
    await c?.end();
  });

  it('reads information_schema.TABLES', async () => {
    const s = await openReadOnly(url);
    const stats = await tableStats(s);
    await s.close();
    const orders = stats.get('orders');
    // InnoDB's TABLE_ROWS is an estimate from sampled pages.
    expect(orders?.rows).toBeGreaterThan(1000);
    expect(orders?.bytes).toBeGreaterThan(0);
    expect(orders && isSmall(orders)).toBe(true);
  });

  const ordersState = async () => {
    const c = (await myAdmin()) as NonNullable<Awaited<ReturnType<typeof myAdmin>>>;
    const [rows] = (await c.query(
      `SELECT (SELECT count(*) FROM ${name}.orders WHERE note = 'n') AS n, (SELECT count(*) FROM ${name}.orders) AS total,
              (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}' AND TABLE_NAME = 'scratch') AS scratch`,
    )) as unknown as [Array<{ n: number; total: number; scratch: number }>];
    await c.end();
    return { n: Number(rows[0]?.n), total: Number(rows[0]?.total), scratch: Number(rows[0]?.scratch) };
  };
  const unchanged = { n: 3000, total: 3000, scratch: 0 };

  it('no write is possible through the session: the guard refuses it before it is sent, the table is unchanged', async () => {
    const s = await openReadOnly(url);
    await expect(s.query('INSERT INTO orders VALUES (99999, ?)', ['x'])).rejects.toThrow(RefusedStatementError);
    await expect(s.query('UPDATE orders SET note = ?', ['y'])).rejects.toThrow(RefusedStatementError);
    await expect(s.query('CREATE TABLE scratch (id int)')).rejects.toThrow(RefusedStatementError);
    // A value is put into the text before the guard reads it: a quote or backslash in it stays inside the string.
    const rows = await s.query<{ n: number }>('SELECT count(*) AS n FROM orders WHERE note = ?', ["n'; DELETE FROM orders; -- "]);
    expect(Number(rows[0]?.n)).toBe(0);
    const text = "x\\' , LOAD_FILE('/etc/hostname') , '";
    const echoed = await s.query<{ v: string }>('SELECT ? AS v', [text]);
    expect(echoed[0]?.v).toBe(text);
    await s.close();
    expect(await ordersState()).toEqual(unchanged);
  });

  it('refuses files, session changes and executable comments; nothing happened on the server', async () => {
    const file = `/tmp/twoway_escape_${randomBytes(6).toString('hex')}`;
    const s = await openReadOnly(url);
    const escapes = [
      `SELECT * FROM orders INTO OUTFILE '${file}'`,
      `SELECT note FROM orders LIMIT 1 INTO DUMPFILE '${file}'`,
      "SELECT LOAD_FILE('/etc/hostname') AS f",
      'SET SESSION TRANSACTION READ WRITE',
      'SET SESSION max_statement_time = 0',
      'START TRANSACTION READ WRITE',
      `SELECT 1 /*!, 2 INTO OUTFILE '${file}' */`,
      'SELECT 1; DELETE FROM orders',
    ];
    for (const sql of escapes) await expect(s.query(sql), sql).rejects.toThrow(RefusedStatementError);
    const vars = await s.query<{ name: string; value: string }>(
      "SELECT VARIABLE_NAME AS name, VARIABLE_VALUE AS value FROM information_schema.SESSION_VARIABLES WHERE VARIABLE_NAME IN ('TX_READ_ONLY', 'MAX_STATEMENT_TIME', 'LOCK_WAIT_TIMEOUT', 'SQL_MODE') ORDER BY name",
    );
    expect(Object.fromEntries(vars.map((r) => [r.name, r.value]))).toEqual({
      LOCK_WAIT_TIMEOUT: '5',
      MAX_STATEMENT_TIME: '5.000000',
      SQL_MODE: '',
      TX_READ_ONLY: 'ON',
    });
    await s.close();
    const c = (await myAdmin()) as NonNullable<Awaited<ReturnType<typeof myAdmin>>>;
    const [f] = (await c.query('SELECT LOAD_FILE(?) AS f', [file])) as unknown as [Array<{ f: unknown }>];
    await c.end();
    expect(f[0]?.f).toBe(null);
    expect(await ordersState()).toEqual(unchanged);
  });

  it('the server half refuses writes by itself', async () => {
    const raw = await connectReadOnly(url);
    await expect(raw.send("INSERT INTO orders VALUES (99999, 'x')", [])).rejects.toThrow(/READ ONLY/i);
    await expect(raw.send("UPDATE orders SET note = 'y'", [])).rejects.toThrow(/READ ONLY/i);
    // DDL commits implicitly before it runs, and the next transaction is READ ONLY too.
    await expect(raw.send('DROP TABLE orders', [])).rejects.toThrow(/READ ONLY/i);
    await expect(raw.send('CREATE TABLE scratch (id int)', [])).rejects.toThrow(/READ ONLY/i);
    await expect(raw.send('CREATE TEMPORARY TABLE scratch (id int)', [])).rejects.toThrow(/READ ONLY/i);
    // Not by turning the session default off, nor by ending the transaction, nor by several statements at once.
    await raw.send('SET SESSION TRANSACTION READ WRITE', []);
    await expect(raw.send("INSERT INTO orders VALUES (99998, 'x')", [])).rejects.toThrow(/READ ONLY/i);
    await raw.send('COMMIT', []);
    await expect(raw.send('DELETE FROM orders', [])).rejects.toThrow(/READ ONLY/i);
    await expect(raw.send('SELECT 1; DELETE FROM orders', [])).rejects.toThrow(/syntax/i);
    await raw.close();
    expect(await ordersState()).toEqual(unchanged);
  });
});
