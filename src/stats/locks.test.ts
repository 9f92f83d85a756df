// Lock findings with table sizes from the real PostgreSQL of the dev/CI machine (`check --database-url`).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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
