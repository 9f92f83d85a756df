// Where a plan's steps go when migrations follow the one it replaces (Placement in index.ts): in the original's
// place where the framework's names leave room, planned on the schema before it; else after the newest, planned
// on the schema the history leaves without it, and refused when a later migration touches what it changes.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { schemaValidator, twoway } from '../testing/cli-in-process.js';
import { tempProject } from '../testing/projects.js';
import { planMigration, writePlan } from './index.js';

const validate = schemaValidator('plan');

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const project = (files: Record<string, string>, copy: Record<string, string>) => {
  const dir = tempProject(files, copy);
  dirs.push(dir);
  return dir;
};
const NOW = { now: new Date('2025-01-01T00:00:00Z') };

const KNEX_LATER = 'migrations/20240310090000_readd_full_name.js';
const knexLater = `exports.up = (knex) => knex.schema.alterTable('users', (t) => { t.jsonb('full_name'); });
exports.down = (knex) => knex.schema.alterTable('users', (t) => { t.dropColumn('full_name'); });
`;

// A temporary project is in no git repository and no database is given: nothing says whether the original has run.
const UNKNOWN = { state: 'unknown', source: 'none', detail: 'not in a git repository, and no --database-url to read its history table' };

describe('plan placement', () => {
  it('Knex: a later migration follows the original, so the steps take its place (its second, before the later one)', async () => {
    const dir = project({ [KNEX_LATER]: knexLater }, { 'examples/knex': '.' });
    const plan = await planMigration('20240301090000', ['.'], { cwd: dir, writer: NOW });
    expect(plan.proof.ok).toBe(true);
    expect(plan.placement).toEqual({
      mode: 'in-place',
      later: [KNEX_LATER],
      plannedOn: 'before-original',
      // It adds the column the original drops: it waits for the last step.
      dependents: [{ path: KNEX_LATER, touches: ['users.full_name'] }],
      applied: UNKNOWN,
    });
    expect(plan.files.map((f) => f.path)).toEqual(['migrations/20240301090001_drop_users_full_name.js']);
    // Written, the original deleted: Knex runs the step where the original ran, the later migration after it.
    writePlan(plan, dir);
    for (const f of plan.replaces) rmSync(join(dir, f));
    const result = await check(['.'], { cwd: dir });
    const order = result.sets[0]?.set.migrations.map((m) => m.path) ?? [];
    expect(order.slice(-2)).toEqual(['migrations/20240301090001_drop_users_full_name.js', KNEX_LATER]);
  });

  it('says so in the plan, human and JSON', async () => {
    const dir = project({ [KNEX_LATER]: knexLater }, { 'examples/knex': '.' });
    const human = await twoway(dir, 'plan', '20240301090000');
    expect(human.out).toContain(
      `In migrations/20240301090000_drop_users_full_name.js's place, before ${KNEX_LATER}: planned on the schema before it, and the later migration still runs after the last step, so it ships with release 2 or later.`,
    );
    expect(human.out).toContain(`${KNEX_LATER} touches users.full_name, which the plan changes: it waits for release 2.`);
    const doc = JSON.parse((await twoway(dir, 'plan', '20240301090000', '--format', 'json')).out);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.plans[0].placement.mode).toBe('in-place');
  });

  it('Rails: a post_migrate original, a later db/migrate migration: the steps stay in post_migrate, before it', async () => {
    const later = 'db/migrate/20240310090000_add_users_nickname.rb';
    const dir = project(
      {
        [later]:
          'class AddUsersNickname < ActiveRecord::Migration[7.1]\n  def change\n    add_column :users, :nickname, :string\n  end\nend\n',
      },
      { 'examples/rails': '.' },
    );
    const plan = await planMigration('db/post_migrate/20240306090000_drop_legacy_admin_flag.rb', ['.'], { cwd: dir, writer: NOW });
    expect(plan.proof.ok).toBe(true);
    expect(plan.placement).toMatchObject({ mode: 'in-place', later: [later], dependents: [] });
    expect(plan.files.map((f) => f.path)).toEqual(['db/post_migrate/20240306090001_drop_users_admin.rb']);
  });

  it('Flyway: V4 followed by V5 gets V4.1', async () => {
    const dir = project({ 'sql/V5__add_products_sku.sql': 'ALTER TABLE products ADD COLUMN sku text;\n' }, { 'examples/flyway': '.' });
    const plan = await planMigration('sql/V4__purge_discontinued_products.sql', ['.'], { cwd: dir, writer: NOW });
    expect(plan.proof.ok).toBe(true);
    expect(plan.placement.mode).toBe('in-place');
    expect(plan.files.filter((f) => !f.sidecar).map((f) => f.path)).toEqual([
      'sql/V4.1__delete_from_products.sql',
      'sql/U4.1__delete_from_products.sql',
    ]);
  });

  it('golang-migrate: counters one apart leave no room, so the steps go after the newest and the plan says why', async () => {
    const dir = project({}, { 'examples/golang-migrate': '.' });
    const plan = await planMigration('000002', ['.'], { cwd: dir });
    expect(plan.proof.ok).toBe(true);
    expect(plan.placement).toEqual({
      mode: 'after-newest',
      later: ['000003_add_users_last_login_at.up.sql'],
      plannedOn: 'end-of-history',
      why: 'no room for a version between 000002 and 000003',
      dependents: [],
      applied: UNKNOWN,
    });
    expect(plan.files.map((f) => f.path)).toEqual(['000004_drop_users_full_name.up.sql', '000004_drop_users_full_name.down.sql']);
    const human = await twoway(dir, 'plan', '000002');
    expect(human.out).toContain(
      'After the newest migration, 000003_add_users_last_login_at.up.sql (no room for a version between 000002 and 000003): planned on the schema the history leaves without 000002_drop_full_name.up.sql; the later migration now runs before the steps.',
    );
  });

  it('after the newest, the plan is made on the schema the later migrations leave: a trigger they add is restored around', async () => {
    const dir = project(
      {
        '000001_create.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, updated_at timestamptz);\n',
        '000001_create.down.sql': 'DROP TABLE users;\n',
        '000002_lower_emails.up.sql': 'UPDATE users SET email = lower(email);\n',
        '000002_lower_emails.down.sql': 'SELECT 1;\n',
        '000003_touch.up.sql':
          'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;\nCREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();\n',
        '000003_touch.down.sql': 'DROP TRIGGER users_touch ON users;\nDROP FUNCTION touch();\n',
      },
      {},
    );
    const plan = await planMigration('000002', ['.'], { cwd: dir });
    expect(plan.placement.mode).toBe('after-newest');
    // The steps run after the trigger exists: the restore turns it off, and the archive keeps updated_at too.
    expect(plan.steps[0]?.down.join('\n')).toContain('DISABLE TRIGGER USER');
    expect(plan.archives[0]?.columns).toEqual(['id', 'email', 'updated_at']);
  });

  it('after the newest, a later migration touching what the original changes fails the proof, saying which and why', async () => {
    const dir = project(
      {
        '000003_add_users_last_login_at.up.sql': 'ALTER TABLE users ADD COLUMN full_name jsonb;\n',
        '000003_add_users_last_login_at.down.sql': 'ALTER TABLE users DROP COLUMN full_name;\n',
      },
      { 'examples/golang-migrate': '.' },
    );
    const r = await twoway(dir, 'plan', '000002');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '000003_add_users_last_login_at.up.sql touches users.full_name, which 000002_drop_full_name.up.sql changes: it would now run before that change.',
    );
    expect(r.out).toContain('The plan failed its own proof: it is not written.');
    const doc = JSON.parse((await twoway(dir, 'plan', '000002', '--format', 'json')).out);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.plans[0].placement.dependents).toEqual([{ path: '000003_add_users_last_login_at.up.sql', touches: ['users.full_name'] }]);
    expect(doc.plans[0].proof.ok).toBe(false);
  });
});
