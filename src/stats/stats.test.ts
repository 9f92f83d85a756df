// Statistics and the read-only session on the real servers of the dev/CI machine (PostgreSQL 15 on
// 5432, MariaDB on 3306), in scratch databases of their own; skipped with a message when absent.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateSeconds, isSmall, openReadOnly, tableStats } from './index.js';

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
  beforeAll(async () => {
    const admin = (await pgAdmin()) as pg.Client;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('CREATE TABLE big (id bigint PRIMARY KEY, payload text); CREATE TABLE tiny (id int);');
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

  it('no write is possible through the session', async () => {
    const s = await openReadOnly(url);
    await expect(s.query('INSERT INTO tiny VALUES (1)')).rejects.toThrow(/read-only transaction/);
    await expect(s.query('CREATE TABLE t2 (id int)')).rejects.toThrow(/read-only transaction/);
    // Not by several statements at once, nor by turning the default off: each query is one statement in a
    // READ ONLY transaction that is rolled back.
    await expect(s.query('COMMIT; BEGIN READ WRITE; INSERT INTO tiny VALUES (1); COMMIT')).rejects.toThrow(/multiple commands/);
    await s.query('SET default_transaction_read_only = off');
    await expect(s.query('INSERT INTO tiny VALUES (1)')).rejects.toThrow(/read-only transaction/);
    const rows = await s.query<{ n: string }>('SELECT count(*) AS n FROM tiny');
    expect(Number(rows[0]?.n)).toBe(0);
    const timeout = await s.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(timeout[0]?.statement_timeout).toBe('5s');
    await s.close();
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

  it('no write is possible through the session', async () => {
    const s = await openReadOnly(url);
    await expect(s.query('INSERT INTO orders VALUES (99999, ?)', ['x'])).rejects.toThrow(/READ ONLY/i);
    await expect(s.query('UPDATE orders SET note = ?', ['y'])).rejects.toThrow(/READ ONLY/i);
    // DDL commits implicitly before it runs, and the next transaction is READ ONLY too.
    await expect(s.query('DROP TABLE orders')).rejects.toThrow(/READ ONLY/i);
    await expect(s.query('CREATE TEMPORARY TABLE scratch (id int)')).rejects.toThrow(/READ ONLY/i);
    // Not by turning the session default off, nor by ending the transaction, nor by several statements at once.
    await s.query('SET SESSION TRANSACTION READ WRITE');
    await expect(s.query('INSERT INTO orders VALUES (99998, ?)', ['x'])).rejects.toThrow(/READ ONLY/i);
    await s.query('COMMIT');
    await expect(s.query('DELETE FROM orders')).rejects.toThrow(/READ ONLY/i);
    await expect(s.query('SELECT 1; DELETE FROM orders')).rejects.toThrow(/syntax/i);
    const rows = await s.query<{ n: number }>("SELECT count(*) AS n FROM orders WHERE note = 'n'");
    expect(Number(rows[0]?.n)).toBe(3000);
    await s.close();
  });
});
