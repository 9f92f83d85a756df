// Whether the migration a plan replaces has run: from the framework's history table on the live database
// (PostgreSQL 15, a scratch database of this test's own), else from git, else unknown. Only an unapplied one is
// said to be deleted; one the history table lists is not replaced at all.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { schemaValidator, twoway } from '../testing/cli-in-process.js';
import { dropColumnHistory, gitRepo, repoRoot, tempProject } from '../testing/projects.js';

const validate = schemaValidator('plan');

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

async function applied(cwd: string, ...args: string[]) {
  const r = await twoway(cwd, 'plan', '000002', '--format', 'json', ...args);
  const json = JSON.parse(r.out);
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  return { code: r.code, plan: json.plans[0] };
}

describe('plan: whether the original has run, from git', () => {
  it('outside a git repository it cannot tell, and does not say to delete the original', async () => {
    const dir = tempProject(dropColumnHistory('.'));
    dirs.push(dir);
    const { plan } = await applied(dir);
    expect(plan.placement.applied).toMatchObject({ state: 'unknown', source: 'none' });
    const human = (await twoway(dir, 'plan', '000002')).out;
    expect(human).toContain('but twoway cannot tell whether it has run (not in a git repository');
    expect(human).not.toMatch(/Delete 000002|delete them once/);
  });

  it('a migration on the default branch may have run; one new on the branch has not', async () => {
    const repo = gitRepo();
    dirs.push(repo.dir);
    for (const [path, text] of Object.entries(dropColumnHistory('.'))) repo.write(path, text);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'base');
    expect((await applied(repo.dir)).plan.placement.applied).toEqual({
      state: 'released',
      source: 'git',
      detail: 'it is in HEAD already, so a release may have run it',
    });
    // The same migration on a branch that left main before it was written: new since main, committed or not.
    repo.git('checkout', '-q', '-b', 'old-main', 'HEAD');
    repo.git('rm', '-q', '000002_drop_full_name.up.sql', '000002_drop_full_name.down.sql');
    repo.git('commit', '-qm', 'without 000002');
    repo.git('branch', '-q', '-f', 'main', 'HEAD');
    repo.git('checkout', '-q', '-b', 'feature');
    for (const [path, text] of Object.entries(dropColumnHistory('.'))) repo.write(path, text);
    expect((await applied(repo.dir)).plan.placement.applied).toMatchObject({ state: 'unapplied', source: 'git' });
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'drop full_name');
    const since = await applied(repo.dir, '--since', 'main');
    expect(since.plan.placement.applied).toEqual({
      state: 'unapplied',
      source: 'git',
      detail: 'it is new since main, so no release has run it',
    });
    expect((await twoway(repo.dir, 'plan', '000002', '--since', 'main')).out).toContain(
      'Replaces 000002_drop_full_name.up.sql and 000002_drop_full_name.down.sql (it is new since main, so no release has run it): delete them once the plan is written.',
    );
    // Against a ref that has it, it may have run.
    expect((await applied(repo.dir, '--since', 'feature')).plan.placement.applied.state).toBe('released');
  });

  it('a plan run from outside the project is refused before anything is copied, deleted or written', async () => {
    const dir = tempProject(dropColumnHistory('.'));
    dirs.push(dir);
    const files = readdirSync(dir).sort();
    const r = await twoway(repoRoot, 'plan', '000002', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is outside the working directory .*run it from the project/);
    expect(readdirSync(dir).sort()).toEqual(files);
    expect(existsSync(join(dir, '000002_drop_full_name.up.sql'))).toBe(true);
  });
});

const URL_ = process.env.TWOWAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: URL_, connectionTimeoutMillis: 2000 });
const up = await admin.connect().then(
  () => true,
  () => false,
);
if (!up) console.warn(`plan applied tests: no PostgreSQL at ${URL_}; the history-table part is skipped`);
const db = `twoway_test_applied_${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  if (!up) return;
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
});

describe.skipIf(!up)('plan: whether the original has run, from the history table on PostgreSQL 15', () => {
  it("golang-migrate's schema_migrations: a version it has not reached is replaced; one it has is not", async () => {
    await admin.query(`CREATE DATABASE ${db}`);
    const url = new URL(URL_);
    url.pathname = `/${db}`;
    const c = new pg.Client({ connectionString: url.href });
    await c.connect();
    try {
      await c.query('CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL, full_name text NOT NULL)');
      await c.query('CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)');
      await c.query('INSERT INTO schema_migrations VALUES (1, false)');
      const dir = tempProject(dropColumnHistory('.'));
      dirs.push(dir);
      const before = await applied(dir, '--database-url', url.href);
      expect(before.plan.placement.applied).toEqual({
        state: 'unapplied',
        source: 'history-table',
        detail: 'schema_migrations on the database does not list it',
      });
      expect(before.plan.proof.ok).toBe(true);

      // golang-migrate keeps only the version it stands at: 2 means 000001 and 000002 have run.
      await c.query('UPDATE schema_migrations SET version = 2');
      const files = readdirSync(dir).sort();
      const after = await applied(dir, '--database-url', url.href, '--write');
      expect(after.code).toBe(1);
      expect(after.plan.placement.applied).toMatchObject({ state: 'applied', source: 'history-table' });
      expect(after.plan.proof.ok).toBe(false);
      expect(after.plan.proof.checked.flatMap((x: { problems: string[] }) => x.problems).join('\n')).toContain(
        '000002_drop_full_name.up.sql has already run (schema_migrations on the database lists it as applied)',
      );
      expect(after.plan.written).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(files);
      // A dirty version is one whose up failed part-way: it has run, so it is not replaced either.
      await c.query('UPDATE schema_migrations SET dirty = true');
      expect((await applied(dir, '--database-url', url.href)).plan.placement.applied).toEqual({
        state: 'applied',
        source: 'history-table',
        detail: 'schema_migrations on the database lists it as started and failed part-way (dirty)',
      });
    } finally {
      await c.end();
    }
  });
});
