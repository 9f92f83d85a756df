// `twoway plan` end to end through the CLI, on copies of the bundled examples.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { schemaValidator, twoway } from '../testing/cli-in-process.js';
import { gitRepo, repoRoot, tempProject } from '../testing/projects.js';

const validate = schemaValidator('plan');

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** examples/golang-migrate with a fourth migration: an index built under a SHARE lock and a SET NOT NULL. */
function golangProject(
  up = 'CREATE INDEX users_email_idx ON users (email);\nALTER TABLE users ALTER COLUMN last_login_at SET NOT NULL;\n',
  down = 'DROP INDEX users_email_idx;\n',
) {
  const dir = tempProject(
    { '000004_index_and_require_login.up.sql': up, '000004_index_and_require_login.down.sql': down },
    { 'examples/golang-migrate': '.' },
  );
  dirs.push(dir);
  return dir;
}

const json = (out: string) => {
  const doc = JSON.parse(out);
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc;
};

describe('twoway plan', () => {
  it('prints the steps and their proof, and writes nothing without --write', async () => {
    const dir = golangProject();
    const before = readdirSync(dir).sort();
    const r = await twoway(dir, 'plan', '000004', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [plan] = json(r.out).plans;
    expect(plan.migration.path).toBe('000004_index_and_require_login.up.sql');
    expect(plan.verdict.phase).toBe('breaking');
    expect(plan.steps.map((s: { name: string; phase: string }) => `${s.name}:${s.phase}`)).toEqual([
      'add_users_email_idx_concurrently:expand',
      'check_users_last_login_at_not_null:expand',
      'validate_users_last_login_at_not_null:expand',
      'set_users_last_login_at_not_null:contract',
    ]);
    expect(plan.files.map((f: { path: string }) => f.path)).toContain('000005_add_users_email_idx_concurrently.up.sql');
    expect(plan.replaces).toEqual(['000004_index_and_require_login.up.sql', '000004_index_and_require_login.down.sql']);
    expect(plan.proof.ok).toBe(true);
    expect(plan.proof.checked).toHaveLength(4);
    expect(plan.written).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('--write writes the proven files beside the original, which it leaves alone, and check judges them two-way', async () => {
    const dir = golangProject();
    const original = readFileSync(join(dir, '000004_index_and_require_login.up.sql'), 'utf8');
    const r = await twoway(dir, 'plan', '000004_index_and_require_login', '--write');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Wrote 8 files\./);
    // Not in a git repository, so nothing says whether the original has run: delete it only if none did.
    expect(r.out).toContain(
      'Replaces 000004_index_and_require_login.up.sql and 000004_index_and_require_login.down.sql, but twoway cannot tell whether it has run',
    );
    expect(readFileSync(join(dir, '000004_index_and_require_login.up.sql'), 'utf8')).toBe(original);
    // With the original deleted, as the plan says, every migration it wrote is a two-way door or a declared contract.
    rmSync(join(dir, '000004_index_and_require_login.up.sql'));
    rmSync(join(dir, '000004_index_and_require_login.down.sql'));
    const result = await check(['.'], { cwd: dir });
    const planned = result.sets[0]?.reports.filter((m) => Number(m.parsed.migration.id) >= 5) ?? [];
    expect(planned.map((m) => [m.phase, m.declaredContract, m.codeRollback, m.dbRollback])).toEqual([
      ['expand', false, 'compatible', 'reversible'],
      ['expand', false, 'compatible', 'reversible'],
      ['expand', false, 'compatible', 'reversible'],
      ['contract', true, 'compatible', 'reversible'],
    ]);
  });

  it('--verify rehearses each step on PGlite', async () => {
    const dir = golangProject();
    const r = await twoway(dir, 'plan', '000004', '--verify', '--format', 'json');
    expect(r.code).toBe(0);
    const [plan] = json(r.out).plans;
    expect(plan.proof.rehearsedOn).toBe('pglite');
    expect(plan.proof.rehearsed.map((x: { up: string; down: string; problems: string[] }) => [x.up, x.down, x.problems])).toEqual(
      Array(4).fill(['ok', 'ok', []]),
    );
  });

  it('writes Rails migrations for a Rails project', async () => {
    const dir = tempProject(
      {
        'db/migrate/20240305090000_require_first_name.rb':
          'class RequireFirstName < ActiveRecord::Migration[7.1]\n  def change\n    change_column_null :users, :first_name, false\n  end\nend\n',
      },
      { 'examples/rails': '.' },
    );
    dirs.push(dir);
    const r = await twoway(dir, 'plan', 'db/migrate/20240305090000_require_first_name.rb', '--write', '--format', 'json');
    const [plan] = json(r.out).plans;
    expect(plan.proof.checked.flatMap((c: { problems: string[] }) => c.problems)).toEqual([]);
    expect(r.code).toBe(0);
    expect(plan.written).toHaveLength(3);
    for (const f of plan.written) expect(readFileSync(join(dir, f), 'utf8')).toMatch(/< ActiveRecord::Migration\[7\.1\]/);
  });

  it('says when there is nothing to plan', async () => {
    const dir = golangProject('ALTER TABLE users ADD COLUMN nickname text;\n', 'ALTER TABLE users DROP COLUMN nickname;\n');
    const r = await twoway(dir, 'plan', '000004');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Nothing to plan: it is already a two-way door/);
  });

  it('names what it cannot plan and exits 1', async () => {
    const dir = golangProject(
      "ALTER TABLE users ADD COLUMN nickname text;\nCREATE TYPE mood AS ENUM ('ok');\nDROP TYPE mood;\nALTER TABLE users ALTER COLUMN last_login_at SET NOT NULL;\nDROP EXTENSION IF EXISTS hstore;\n",
    );
    const r = await twoway(dir, 'plan', '000004', '--format', 'json');
    const [plan] = json(r.out).plans;
    expect(plan.unplanned.length).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });

  it('--cleanup writes the contract step dropping the archives plans left, proven, and nothing once it is there', async () => {
    // examples/plan/diesel: the archived UPDATE left twoway_archive.users__update_users_email.
    const dir = tempProject({}, { 'examples/plan/diesel': '.' });
    dirs.push(dir);
    const r = await twoway(dir, 'plan', '--cleanup', '--verify', '--write', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [plan, ...others] = json(r.out).plans;
    expect(others).toEqual([]);
    expect(plan.cleanup).toEqual(['twoway_archive.users__update_users_email']);
    expect(plan.replaces).toEqual([]);
    expect(plan.steps.map((s: { name: string; phase: string }) => `${s.name}:${s.phase}`)).toEqual(['drop_twoway_archives:contract']);
    expect(plan.steps[0].up[0]).toBe('DROP TABLE IF EXISTS twoway_archive.users__update_users_email;');
    expect(plan.proof.ok).toBe(true);
    expect(plan.proof.rehearsed.map((x: { up: string }) => x.up)).toEqual(['ok']);
    const up = plan.written.find((f: string) => f.endsWith('up.sql'));
    expect(plan.written).toEqual([up, up.replace('up.sql', 'down.sql')]);
    expect(readFileSync(join(dir, up), 'utf8')).toMatch(/^-- twoway: contract$/m);
    // check reads it as the declared contract it is: the code never used the archive, only its rows are gone.
    const result = await check(['.'], { cwd: dir });
    const step = result.sets[0]?.reports.find((m) => m.parsed.migration.files.includes(up));
    expect([step?.phase, step?.declaredContract, step?.codeRollback]).toEqual(['contract', true, 'compatible']);
    // Written once: the archives are dropped by the migrations now.
    expect(await twoway(dir, 'plan', '--cleanup')).toMatchObject({ code: 0, out: expect.stringMatching(/^Nothing to clean up/) });
    expect(await twoway(dir, 'plan', '--cleanup', '--all')).toMatchObject({ code: 2 });
  });

  it('--all --write: of two plans whose steps both go after the newest, only the first is written', async () => {
    const repo = gitRepo();
    dirs.push(repo.dir);
    for (const f of readdirSync(join(repoRoot, 'examples/golang-migrate')))
      repo.write(f, readFileSync(join(repoRoot, 'examples/golang-migrate', f), 'utf8'));
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'base');
    // No version between 000004 and 000005: 000004's steps go after the newest, where 000005's go too.
    repo.write('000004_require_login.up.sql', 'ALTER TABLE users ALTER COLUMN last_login_at SET NOT NULL;\n');
    repo.write('000004_require_login.down.sql', 'ALTER TABLE users ALTER COLUMN last_login_at DROP NOT NULL;\n');
    repo.write('000005_email_idx.up.sql', 'CREATE INDEX users_email_idx ON users (email);\n');
    repo.write('000005_email_idx.down.sql', 'DROP INDEX users_email_idx;\n');
    const r = await twoway(repo.dir, 'plan', '--all', '--since', 'HEAD', '--write', '--format', 'json');
    expect(r.code).toBe(1);
    const [first, second] = json(r.out).plans;
    expect([first.placement.mode, second.placement.mode]).toEqual(['after-newest', 'newest']);
    expect(first.written.length).toBeGreaterThan(0);
    expect(second.proof.ok).toBe(false);
    expect(second.written).toEqual([]);
    expect(second.proof.checked.flatMap((c: { problems: string[] }) => c.problems).join('\n')).toContain(
      "as 000004_require_login.up.sql's do, so both would take the same versions",
    );
    // Every version in the folder is one migration's: nothing written twice under one number.
    const ups = readdirSync(repo.dir).filter((f) => f.endsWith('.up.sql'));
    expect(new Set(ups.map((f) => f.slice(0, 6))).size).toBe(ups.length);
  });

  it('refuses what it cannot name or plan, with exit 2', async () => {
    const dir = golangProject();
    expect(await twoway(dir, 'plan', 'nope')).toMatchObject({ code: 2, err: expect.stringMatching(/no migration is named "nope"/) });
    expect(await twoway(dir, 'plan', '00000')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/"00000" names 4 migrations: 000001_create_users\.up\.sql, /),
    });
    expect(await twoway(dir, 'plan')).toMatchObject({ code: 2, err: expect.stringMatching(/name the migration to plan/) });
    const mysql = tempProject({ 'mysql/001_index.sql': 'CREATE TABLE t (id int PRIMARY KEY, a int);\nALTER TABLE t DROP COLUMN a;\n' });
    dirs.push(mysql);
    expect(await twoway(mysql, 'plan', '001_index')).toMatchObject({ code: 2, err: expect.stringMatching(/plans PostgreSQL migrations/) });
  });
});
