// Lock findings with table sizes from the real PostgreSQL of the dev/CI machine (`check --database-url`).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Connection, createConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { repoRoot, tempProject } from '../testing/projects.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repoRoot, 'docs/report.schema.json'), 'utf8')));

const PG = process.env.TWOWAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `twoway_locks_${randomBytes(4).toString('hex')}`;
const url = PG.replace(/\/[^/]*$/, `/${name}`);

async function admin(): Promise<pg.Client | null> {
  const c = new pg.Client({ connectionString: PG, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return c;
  } catch {
    return null;
  }
}
const probe = await admin();
await probe?.end();
if (!probe) console.warn(`lock size tests: no PostgreSQL at ${PG}; skipped`);

const project = () =>
  tempProject({
    'db/1_tables.sql': 'CREATE TABLE big (id bigint PRIMARY KEY, payload text);\nCREATE TABLE tiny (id int, label text);\n',
    'db/2_indexes.sql': 'CREATE INDEX big_payload ON big (payload);\nCREATE INDEX tiny_label ON tiny (label);\n',
  });

async function check(dir: string, args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['check', 'db', '--format', 'json', ...args], { out: (s) => (out += s), err: (s) => (err += s), cwd: dir });
  if (!out) throw new Error(err);
  return { code, report: JSON.parse(out) };
}

describe.skipIf(!probe)('check --database-url: lock findings with table sizes', () => {
  beforeAll(async () => {
    const a = (await admin()) as pg.Client;
    await a.query(`CREATE DATABASE ${name}`);
    await a.end();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('CREATE TABLE big (id bigint PRIMARY KEY, payload text); CREATE TABLE tiny (id int, label text);');
    await c.query(`INSERT INTO big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 100000) g`);
    await c.query(`INSERT INTO tiny SELECT g, 'x' FROM generate_series(1, 20) g`);
    await c.query('ANALYZE big; ANALYZE tiny;');
    await c.end();
  });
  afterAll(async () => {
    const a = await admin();
    await a?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a?.end();
  });

  it('a big table keeps its lock error, with rows, bytes and an estimated duration; a small one turns info', async () => {
    const dir = project();
    const without = await check(dir, []);
    const locks = (r: typeof without.report) =>
      r.migrations[1].findings.filter((f: { category: string }) => f.category === 'locking') as Array<{
        line: number;
        severity: string;
        message: string;
        size?: { table: string; rows: number; bytes: number; seconds: number; work: string };
      }>;
    const before = locks(without.report);
    expect(before.every((f) => f.size === undefined)).toBe(true);
    const withSizes = await check(dir, ['--database-url', url]);
    expect(validate(withSizes.report), JSON.stringify(validate.errors)).toBe(true);
    const after = locks(withSizes.report);
    const big = after.find((f) => f.line === 1 && f.size);
    const tiny = after.find((f) => f.line === 2 && f.size);
    expect(big?.size).toMatchObject({ table: 'big', rows: 100000, work: 'index' });
    expect(big?.size?.bytes).toBeGreaterThan(20_000_000);
    expect(big?.size?.seconds).toBeGreaterThan(0);
    expect(big?.message).toContain('Table big: ~100,000 rows');
    expect(big?.severity).toBe(before.find((f) => f.line === 1)?.severity);
    expect(tiny?.size).toMatchObject({ table: 'tiny', rows: 20 });
    expect(tiny?.severity).toBe('info');
    expect(tiny?.message).toContain('the lock is short');
  });
});

const MY = process.env.TWOWAY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
const myName = `twoway_locks_${randomBytes(4).toString('hex')}`;
const myUrl = MY.replace(/\/[^/]*$/, `/${myName}`);
async function myAdmin(): Promise<Connection | null> {
  const u = new URL(MY);
  try {
    return await createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: u.username,
      password: u.password,
      multipleStatements: true,
      connectTimeout: 2000,
    });
  } catch {
    return null;
  }
}
const myProbe = await myAdmin();
await myProbe?.end();
if (!myProbe) console.warn(`lock size tests: no MariaDB/MySQL at ${MY}; skipped`);

describe.skipIf(!myProbe)('check --database-url mysql://: a copying ALTER with table sizes from information_schema.TABLES', () => {
  beforeAll(async () => {
    const c = (await myAdmin()) as Connection;
    await c.query(
      `CREATE DATABASE ${myName}; USE ${myName};
       CREATE TABLE big (id BIGINT PRIMARY KEY, n INT, code VARCHAR(50), payload TEXT) ENGINE=InnoDB;
       CREATE TABLE tiny (id BIGINT PRIMARY KEY, n INT, code VARCHAR(50)) ENGINE=InnoDB;
       INSERT INTO big SELECT seq, seq, 'c', REPEAT(MD5(seq), 8) FROM seq_1_to_100000;
       INSERT INTO tiny SELECT seq, seq, 'c' FROM seq_1_to_20;
       ANALYZE TABLE big, tiny;`,
    );
    await c.end();
  });
  afterAll(async () => {
    const c = await myAdmin();
    await c?.query(`DROP DATABASE IF EXISTS ${myName}`);
    await c?.end();
  });

  it('INT → BIGINT on a big table keeps its error with rows, bytes and a copy estimate; on a small one it turns info', async () => {
    const dir = tempProject({
      'db/1_tables.sql':
        'CREATE TABLE `big` (`id` BIGINT PRIMARY KEY, `n` INT, `code` VARCHAR(50), `payload` TEXT) ENGINE=InnoDB;\nCREATE TABLE `tiny` (`id` BIGINT PRIMARY KEY, `n` INT, `code` VARCHAR(50)) ENGINE=InnoDB;\n',
      'db/2_widen.sql':
        'ALTER TABLE `big` MODIFY `n` BIGINT;\nALTER TABLE `tiny` MODIFY `n` BIGINT;\nALTER TABLE `big` MODIFY `code` VARCHAR(60);\n',
    });
    const copies = (r: { migrations: Array<{ findings: Array<{ rule: string; line: number; severity: string; message: string }> }> }) =>
      r.migrations[1]?.findings.filter((f) => f.rule === 'mysql-alter-copies-table') as Array<{
        line: number;
        severity: string;
        message: string;
        size?: { table: string; rows: number; bytes: number; seconds: number; work: string };
      }>;
    const without = await check(dir, []);
    expect(copies(without.report).map((f) => [f.line, f.severity, f.size])).toEqual([
      [1, 'error', undefined],
      [2, 'error', undefined],
    ]);
    const withSizes = await check(dir, ['--database-url', myUrl]);
    expect(validate(withSizes.report), JSON.stringify(validate.errors)).toBe(true);
    const [big, tiny] = copies(withSizes.report);
    expect(big?.severity).toBe('error');
    expect(big?.size).toMatchObject({ table: 'big', work: 'rewrite' });
    // InnoDB's TABLE_ROWS is a sampled estimate.
    expect(big?.size?.rows).toBeGreaterThan(50_000);
    expect(big?.size?.bytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(big?.size?.seconds).toBeGreaterThan(0);
    expect(big?.message).toContain('Table big: ~');
    expect(tiny?.size).toMatchObject({ table: 'tiny', rows: 20 });
    expect(tiny?.severity).toBe('info');
    expect(tiny?.message).toContain('the lock is short');
    // The server agrees: the widening needs a copy, the longer VARCHAR within 255 bytes does not.
    const c = (await myAdmin()) as Connection;
    try {
      await c.query(`USE ${myName}`);
      await expect(c.query('ALTER TABLE big MODIFY n BIGINT, ALGORITHM=INPLACE')).rejects.toThrow(/ALGORITHM=INPLACE is not supported/);
      await c.query('ALTER TABLE big MODIFY code VARCHAR(60), ALGORITHM=INPLACE, LOCK=NONE');
    } finally {
      await c.end();
    }
  });
});
