// `twoway plan --database-url` on the real PostgreSQL of the dev/CI machine: the archive's cost and the steps'
// durations come from the live table's statistics, read through the read-only session; without a URL the plan is
// what it always was. Tables of their own (unique names) in the `test` database; skipped with a message when absent.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { formatBytes, THROUGHPUT_BYTES_PER_SECOND } from '../stats/index.js';
import { repoRoot, tempProject } from '../testing/projects.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repoRoot, 'docs/plan.schema.json'), 'utf8')));

const URL_ = process.env.TWOWAY_TEST_PG_DB ?? 'postgres://postgres@127.0.0.1:5432/test';
const t = `plan_sizes_${randomBytes(4).toString('hex')}`;
const absent = `${t}_absent`;

async function client(): Promise<pg.Client | null> {
  const c = new pg.Client({ connectionString: URL_, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return c;
  } catch {
    return null;
  }
}
const MY = process.env.TWOWAY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
const mysqlUp = await createConnection({ uri: MY, connectTimeout: 2000 }).then(
  (c) => c.end().then(() => true),
  () => false,
);
if (!mysqlUp) console.warn(`plan size tests: no MySQL/MariaDB at ${MY}; its part is skipped`);
const probe = await client();
await probe?.end();
if (!probe) console.warn(`plan size tests: no PostgreSQL at ${URL_}; skipped`);

const CHANGE_UP = `CREATE INDEX ${t}_email_idx ON ${t} (email);\nUPDATE ${t} SET email = lower(email) WHERE email IS NOT NULL;\nALTER TABLE ${t} DROP COLUMN legacy;\nALTER TABLE ${absent} DROP COLUMN note;\n`;
const CHANGE_DOWN = `ALTER TABLE ${absent} ADD COLUMN note text;\nALTER TABLE ${t} ADD COLUMN legacy text;\nDROP INDEX ${t}_email_idx;\n`;

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A golang-migrate project whose second migration (by default) builds an index under a SHARE lock, rewrites emails and drops columns. */
function project(up = CHANGE_UP, down = CHANGE_DOWN): string {
  const dir = tempProject({
    '000001_create.up.sql': `CREATE TABLE ${t} (id bigint PRIMARY KEY, legacy text, email text);\nCREATE TABLE ${absent} (id bigint PRIMARY KEY, note text);\n`,
    '000001_create.down.sql': `DROP TABLE ${absent};\nDROP TABLE ${t};\n`,
    '000002_change.up.sql': up,
    '000002_change.down.sql': down,
  });
  dirs.push(dir);
  return dir;
}

async function plan(dir: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['plan', '000002', ...args], { out: (s) => (out += s), err: (s) => (err += s), cwd: dir });
  return { code, out, err };
}

function json(out: string) {
  const doc = JSON.parse(out);
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc.plans[0];
}

interface Live {
  rows: number;
  reltuples: number;
  bytes: number;
  width: Map<string, { avg: number; nulls: number }>;
}
let live: Live;

describe.skipIf(!probe)('twoway plan --database-url', () => {
  beforeAll(async () => {
    const c = (await client()) as pg.Client;
    try {
      await c.query(`CREATE TABLE ${t} (id bigint PRIMARY KEY, legacy text, email text)`);
      // Every fifth email NULL, so the statistics' null fraction shows in the archive's cost.
      await c.query(
        `INSERT INTO ${t} SELECT g, repeat(md5(g::text), 2), CASE WHEN g % 5 = 0 THEN NULL ELSE 'User' || g || '@Example.com' END FROM generate_series(1, 60000) g`,
      );
      await c.query(`ANALYZE ${t}`);
      // What the server itself says: the count, the planner's estimate, the size, each column's width.
      const [n] = (await c.query(`SELECT count(*)::int AS n FROM ${t}`)).rows;
      const [k] = (
        await c.query(`SELECT reltuples::bigint AS r, pg_total_relation_size(oid) AS b FROM pg_class WHERE oid = $1::regclass`, [t])
      ).rows;
      const widths = (await c.query('SELECT attname, avg_width, null_frac FROM pg_stats WHERE tablename = $1', [t])).rows;
      live = {
        rows: n.n,
        reltuples: Number(k.r),
        bytes: Number(k.b),
        width: new Map(widths.map((w) => [w.attname, { avg: Number(w.avg_width), nulls: Number(w.null_frac) }])),
      };
    } finally {
      await c.end();
    }
  });
  afterAll(async () => {
    const c = await client();
    await c?.query(`DROP TABLE IF EXISTS ${t}`);
    await c?.end();
  });

  it('says what the archive costs (rows × width from the statistics) and how long each step goes through the table', async () => {
    expect(live.rows).toBe(60000);
    expect(live.reltuples).toBe(60000);
    const r = await plan(project(), '--database-url', URL_, '--format', 'json');
    expect(r.err).toBe('');
    const p = json(r.out);
    const sizes = p.sizes;
    expect(sizes.database).toEqual({ dialect: 'postgresql', database: 'test', url: expect.stringContaining('127.0.0.1:5432/test') });
    const stepOf = (name: string) => p.steps.find((s: { name: string }) => s.name === name).index;

    const drop = sizes.archives.find((a: { table: string }) => a.table === `twoway_archive.${t}__drop_${t}_legacy`);
    const valueBytes = (col: string) => {
      const w = live.width.get(col) as { avg: number; nulls: number };
      return Math.round(live.reltuples * (1 - w.nulls) * w.avg);
    };
    expect(drop).toMatchObject({ source: t, step: stepOf(`drop_${t}_legacy`), rows: 60000, atMost: false, notCounted: [] });
    expect(drop.columns.map((c: { column: string; source: string }) => [c.column, c.source])).toEqual([
      ['id', 'statistics'],
      ['legacy', 'statistics'],
    ]);
    // id is a bigint (8 bytes), legacy two md5s (64 characters and a length byte).
    expect(drop.bytes).toBe(valueBytes('id') + valueBytes('legacy'));
    expect(drop.bytes).toBe(60000 * (8 + 65));

    // The UPDATE archives the emails it changes: at most every row, the fifth that is NULL not counted as bytes.
    const update = sizes.archives.find((a: { table: string }) => a.table.includes('__update_'));
    expect(update).toMatchObject({ source: t, rows: 60000, atMost: true, bytes: valueBytes('id') + valueBytes('email') });
    expect(live.width.get('email')?.nulls).toBeCloseTo(0.2, 1);

    const steps = new Map<number, { seconds: number; lock: string }>(
      sizes.steps.map((s: { step: number; seconds: number; lock: string }) => [s.step, s]),
    );
    const index = steps.get(stepOf(`add_${t}_email_idx_concurrently`));
    expect(index).toMatchObject({ table: t, rows: 60000, bytes: live.bytes, does: 'index', work: 'concurrentIndex' });
    expect(index?.seconds).toBe(Math.round((live.bytes / THROUGHPUT_BYTES_PER_SECOND.concurrentIndex) * 10) / 10);
    expect(index?.lock).toMatch(/^SHARE UPDATE EXCLUSIVE/);
    const backfill = steps.get(stepOf(p.steps.find((s: { phase: string }) => s.phase === 'data').name));
    expect(backfill).toMatchObject({ does: 'backfill', work: 'rewrite', batches: 60, rows: 60000 });
    expect(steps.get(stepOf(`drop_${t}_legacy`))).toMatchObject({ does: 'copy', work: 'scan', bytes: live.bytes });

    // The second table is in the migrations, not on the database: named, nothing invented for it.
    expect(sizes.notFound).toEqual([absent]);
    const gone = sizes.archives.find((a: { source: string }) => a.source === absent);
    expect(gone).toMatchObject({ rows: null, bytes: null, columns: [], notCounted: ['id', 'note'] });
  });

  it('prints the costs and estimates in the human plan', async () => {
    const r = await plan(project(), '--database-url', URL_);
    expect(r.out).toContain('On test, from its table statistics (archives: rows × average width');
    expect(r.out).toContain(`archive twoway_archive.${t}__drop_${t}_legacy (step `);
    expect(r.out).toContain(`: ~60,000 rows × 73 B = ${formatBytes(60000 * 73)}`);
    expect(r.out).toMatch(/update_\S+ \(step \d\): at most ~60,000 rows × /);
    expect(r.out).toMatch(/size .*~60,000 rows, .*; index build estimated .* at 15 MB\/s; holds SHARE UPDATE EXCLUSIVE/);
    expect(r.out).toMatch(/backfill in 60 batches estimated/);
    expect(r.out).toContain(`${absent} is not on test: nothing read for it`);
  });

  it('without a URL the plan is what it was: no sizes nor live triggers, and everything else the same', async () => {
    const dir = project();
    const withUrl = json((await plan(dir, '--database-url', URL_, '--format', 'json')).out);
    const without = await plan(dir, '--format', 'json');
    const p = json(without.out);
    expect(p).not.toHaveProperty('sizes');
    expect(p).not.toHaveProperty('liveTriggers');
    // Read with the URL: the UPDATE's table has no user triggers there.
    expect(withUrl.liveTriggers).toEqual([]);
    // With the URL its history table says whether the original has run; without it, nothing says.
    expect(withUrl.placement.applied).toMatchObject({ source: 'history-table' });
    expect(p.placement.applied).toMatchObject({ state: 'unknown', source: 'none' });
    const { sizes: _, liveTriggers: __, ...rest } = withUrl;
    const same = (x: typeof p) => ({ ...x, placement: { ...x.placement, applied: undefined } });
    expect(same(p)).toEqual(same(rest));
    const human = (await plan(dir)).out;
    expect(human).not.toMatch(/table statistics|estimated|^\s+archive twoway_archive|^\s+size /m);
  });

  it('with --verify the URL also serves the rehearsal, on a scratch database of that server', async () => {
    const r = await plan(project(), '--verify', '--database-url', URL_, '--format', 'json');
    const p = json(r.out);
    expect(p.proof.rehearsedOn).not.toBe('pglite');
    expect(p.proof.rehearsed.length).toBeGreaterThan(0);
    expect(p.sizes.archives.length).toBe(3);
  });

  it('a column the plan adds is not on the live table: named as not counted, the rest of the archive counted', async () => {
    const rename = project(`ALTER TABLE ${t} RENAME COLUMN email TO contact;\n`, `ALTER TABLE ${t} RENAME COLUMN contact TO email;\n`);
    const p = json((await plan(rename, '--database-url', URL_, '--format', 'json')).out);
    const backfill = p.sizes.archives.find((a: { table: string }) => a.table.includes('__backfill_'));
    const id = live.width.get('id') as { avg: number; nulls: number };
    expect(backfill).toMatchObject({ rows: 60000, atMost: true, notCounted: ['contact'], bytes: Math.round(60000 * id.avg) });
    const contract = p.sizes.archives.find((a: { table: string }) => a.table.includes('_contract'));
    const email = live.width.get('email') as { avg: number; nulls: number };
    expect(contract).toMatchObject({
      atMost: false,
      notCounted: [],
      bytes: Math.round(60000 * id.avg) + Math.round(60000 * (1 - email.nulls) * email.avg),
    });
  });

  it('an UPDATE of a table with a trigger made outside the migrations: read from pg_trigger, its restore turns it off', async () => {
    const trg = `${t}_trg`;
    const c = (await client()) as pg.Client;
    try {
      await c.query(`CREATE TABLE ${trg} (id bigint PRIMARY KEY, email text, updated_at timestamptz)`);
      await c.query(
        `CREATE FUNCTION ${trg}_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$`,
      );
      await c.query(`CREATE TRIGGER ${trg}_touch BEFORE UPDATE ON ${trg} FOR EACH ROW EXECUTE FUNCTION ${trg}_touch()`);
      const dir = tempProject({
        '000001_create.up.sql': `CREATE TABLE ${trg} (id bigint PRIMARY KEY, email text, updated_at timestamptz);\n`,
        '000001_create.down.sql': `DROP TABLE ${trg};\n`,
        '000002_lower.up.sql': `UPDATE ${trg} SET email = lower(email);\n`,
        '000002_lower.down.sql': 'SELECT 1;\n',
      });
      dirs.push(dir);
      // The migrations make no trigger: without the URL the restore runs with triggers on, archiving the email only.
      const without = json((await plan(dir, '--format', 'json')).out);
      expect(without.steps[0].down.join('\n')).not.toContain('DISABLE TRIGGER USER');
      expect(without).not.toHaveProperty('liveTriggers');
      const r = await plan(dir, '--database-url', URL_, '--format', 'json');
      expect(r.err).toBe('');
      const p = json(r.out);
      expect(p.liveTriggers).toEqual([{ table: trg, triggers: [`${trg}_touch`] }]);
      expect(p.steps[0].down.join('\n')).toContain(`ALTER TABLE ${trg} DISABLE TRIGGER USER`);
      expect(p.steps[0].note).toContain(`${trg}_touch among them (on the live database, not in the migrations)`);
      // The trigger may change any column: every one it can write back is archived.
      expect(p.sizes.archives[0].columns.map((x: { column: string }) => x.column)).toEqual(['id', 'email', 'updated_at']);
      expect(p.proof.ok).toBe(true);
      expect((await plan(dir, '--database-url', URL_)).out).toContain(
        `${trg} has user triggers on the live database (${trg}_touch): its restore runs with them off, so it does not fire them.`,
      );
    } finally {
      await c.query(`DROP TABLE IF EXISTS ${trg}`);
      await c.query(`DROP FUNCTION IF EXISTS ${trg}_touch()`);
      await c.end();
    }
  });

  it('--cleanup says what dropping each archive frees, from the live database', async () => {
    const src = `${t}_arch`;
    const archive = `${src}__drop_${src}_legacy`;
    const c = (await client()) as pg.Client;
    try {
      await c.query('CREATE SCHEMA IF NOT EXISTS twoway_archive');
      await c.query(
        `CREATE TABLE twoway_archive.${archive} AS SELECT g::bigint AS id, repeat('x', 50) AS legacy FROM generate_series(1, 5000) g`,
      );
      await c.query(`ANALYZE twoway_archive.${archive}`);
      const [k] = (await c.query(`SELECT pg_total_relation_size('twoway_archive.${archive}'::regclass) AS b`)).rows;
      const dir = tempProject({
        '000001_create.up.sql': `CREATE TABLE ${src} (id bigint PRIMARY KEY, legacy text);\n`,
        '000001_create.down.sql': `DROP TABLE ${src};\n`,
        '000002_drop.up.sql': `CREATE SCHEMA IF NOT EXISTS twoway_archive;\nCREATE TABLE twoway_archive.${archive} AS SELECT id, legacy FROM ${src};\n-- twoway: contract\nALTER TABLE ${src} DROP COLUMN legacy;\n`,
        '000002_drop.down.sql': `ALTER TABLE ${src} ADD COLUMN legacy text;\nUPDATE ${src} SET legacy = a.legacy FROM twoway_archive.${archive} a WHERE ${src}.id = a.id;\nDROP TABLE twoway_archive.${archive};\n`,
        '000003_other.up.sql': `CREATE TABLE ${src}_gone (id bigint PRIMARY KEY);\nCREATE TABLE twoway_archive.${src}_gone__drop AS SELECT id FROM ${src}_gone;\n`,
        '000003_other.down.sql': `DROP TABLE twoway_archive.${src}_gone__drop;\nDROP TABLE ${src}_gone;\n`,
      });
      dirs.push(dir);
      const run = async (...args: string[]) => {
        let out = '';
        const code = await main(['plan', '--cleanup', ...args], { out: (x) => (out += x), err: () => {}, cwd: dir });
        return { code, out };
      };
      const doc = JSON.parse((await run('--database-url', URL_, '--format', 'json')).out);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      const [p] = doc.plans;
      expect(p.sizes.freed).toEqual([{ table: `twoway_archive.${archive}`, rows: 5000, bytes: Number(k.b) }]);
      // The other archive was never made on this database: named, nothing invented.
      expect(p.sizes.notFound).toEqual([`twoway_archive.${src}_gone__drop`]);
      const human = (await run('--database-url', URL_)).out;
      expect(human).toContain(`drops twoway_archive.${archive}: ~5,000 rows, ${formatBytes(Number(k.b))}`);
      expect(human).toContain(`the clean-up frees ${formatBytes(Number(k.b))}`);
      expect(JSON.parse((await run('--format', 'json')).out).plans[0]).not.toHaveProperty('sizes');
    } finally {
      await c.query(`DROP TABLE IF EXISTS twoway_archive.${archive}`);
      // The schema goes only when no one else's archive is in it.
      await c.query('DROP SCHEMA IF EXISTS twoway_archive').catch(() => {});
      await c.end();
    }
  });

  it.skipIf(!mysqlUp)('a MySQL URL is a usage error: plans are PostgreSQL, so are the statistics they read', async () => {
    const r = await plan(project(), '--database-url', MY);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/reads the statistics of a PostgreSQL server/);
  });

  it('a URL that does not connect is a usage error before anything is planned', async () => {
    const r = await plan(project(), '--database-url', 'postgres://postgres@127.0.0.1:1/test');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/test/);
  });
});
