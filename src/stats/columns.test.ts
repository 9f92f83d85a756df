// Column size estimates on the real servers of the dev/CI machine (PostgreSQL 15, MariaDB), each in a
// scratch database of its own, checked against what the servers measure summing every value.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateColumns, openReadOnly } from './index.js';

const PG = process.env.TWOWAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MY = process.env.TWOWAY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
const name = `twoway_columns_${randomBytes(4).toString('hex')}`;

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
if (!pgProbe) console.warn(`column estimate tests: no PostgreSQL at ${PG}; skipped`);

describe.skipIf(!pgProbe)('PostgreSQL', () => {
  const url = PG.replace(/\/[^/]*$/, `/${name}`);
  let truth = 0;
  beforeAll(async () => {
    const admin = (await pgAdmin()) as pg.Client;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    // Every other row NULL; 100 characters take 101 bytes (a 1-byte varlena header).
    await c.query(`CREATE SCHEMA app;
      CREATE TABLE app.users (id bigint PRIMARY KEY, full_name text);
      INSERT INTO app.users SELECT g, CASE WHEN g % 2 = 0 THEN repeat('x', 100) END FROM generate_series(1, 10000) g;
      ANALYZE app.users;
      CREATE TABLE fresh (id bigint, note text);
      INSERT INTO fresh SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE repeat('y', 20) END FROM generate_series(1, 4000) g;`);
    truth = Number((await c.query('SELECT sum(pg_column_size(full_name)) AS n FROM app.users')).rows[0].n);
    await c.end();
  });
  afterAll(async () => {
    const admin = await pgAdmin();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  it('an analyzed table: rows from pg_class, widths and NULLs from pg_stats, as many bytes as the values hold', async () => {
    const s = await openReadOnly(url);
    const e = await estimateColumns(s, { schema: 'app', name: 'users' }, ['full_name', 'id', 'gone']);
    expect(await estimateColumns(s, { name: 'users' }, ['id'])).toBe(null);
    await s.close();
    expect(e).toMatchObject({ table: 'app.users', rows: 10000 });
    expect(e?.tableBytes).toBeGreaterThan(truth);
    expect(e?.columns).toEqual([
      { column: 'full_name', avgBytes: 101, nullFraction: 0.5, bytes: truth, source: 'statistics' },
      { column: 'id', avgBytes: 8, nullFraction: 0, bytes: 80000, source: 'statistics' },
      { column: 'gone', avgBytes: null, nullFraction: null, bytes: null, source: null },
    ]);
    expect(e?.bytes).toBe(null);
  });

  it('a table never analyzed: widths from a sample, rows unknown', async () => {
    const s = await openReadOnly(url);
    const e = await estimateColumns(s, { name: 'fresh' }, ['note']);
    await s.close();
    expect(e?.rows).toBe(null);
    expect(e?.columns).toEqual([{ column: 'note', avgBytes: 21, nullFraction: 0.25, bytes: null, source: 'sample' }]);
  });
});

async function myAdmin() {
  try {
    return await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 2000, multipleStatements: true });
  } catch {
    return null;
  }
}
const myProbe = await myAdmin();
await myProbe?.end();
if (!myProbe) console.warn(`column estimate tests: no MySQL/MariaDB at ${MY}; skipped`);

describe.skipIf(!myProbe)('MariaDB / MySQL', () => {
  const url = MY.replace(/\/[^/]*$/, `/${name}`);
  let truth = 0;
  beforeAll(async () => {
    const c = (await myAdmin()) as NonNullable<Awaited<ReturnType<typeof myAdmin>>>;
    await c.query(`CREATE DATABASE ${name}; USE ${name};
      CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(200)) ENGINE=InnoDB;
      INSERT INTO orders SELECT seq, CASE WHEN seq % 2 = 0 THEN REPEAT('n', 100) END FROM seq_1_to_3000;
      ANALYZE TABLE orders;`);
    const [rows] = (await c.query(`SELECT SUM(LENGTH(note)) AS n FROM ${name}.orders`)) as unknown as [Array<{ n: string }>];
    truth = Number(rows[0]?.n);
    await c.end();
  });
  afterAll(async () => {
    const c = await myAdmin();
    await c?.query(`DROP DATABASE IF EXISTS ${name}`);
    await c?.end();
  });

  it('rows from information_schema.TABLES, widths from a sample: close to the bytes the values hold', async () => {
    const s = await openReadOnly(url);
    const e = await estimateColumns(s, { name: 'orders' }, ['note', 'id']);
    expect(await estimateColumns(s, { name: 'nope' }, ['id'])).toBe(null);
    expect((await estimateColumns(s, { schema: name, name: 'orders' }, ['id']))?.columns[0]?.avgBytes).toBe(8);
    await s.close();
    // InnoDB's TABLE_ROWS is an estimate from sampled pages: the bytes are as close as it is.
    expect(e?.rows).toBeGreaterThan(2000);
    expect(e?.rows).toBeLessThan(4000);
    expect(e?.columns.map((c) => [c.column, c.avgBytes, c.nullFraction, c.source])).toEqual([
      ['note', 100, 0.5, 'sample'],
      ['id', 8, 0, 'sample'],
    ]);
    const note = e?.columns[0]?.bytes as number;
    expect(Math.abs(note - truth) / truth).toBeLessThan(0.35);
    expect(e?.bytes).toBe(note + (e?.columns[1]?.bytes as number));
  });
});
