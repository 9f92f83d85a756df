import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { loadRailsWriter, railsFiles } from './write-rails.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';

beforeAll(loadRailsWriter);
let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

const plan = async (sql: string, options = {}) => {
  const steps = await stepsOf(sql);
  project = await planInto('rails', steps, (root) => railsFiles(join(root, 'db/migrate'), steps, options));
  return project;
};

describe('twoway plan, Rails', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('users', 'first_name')],
    ['an index on an existing table', CREATE_INDEX('orders', 'user_id')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('names classes and versions the Rails way, and leaves the transaction for CONCURRENTLY', async () => {
    const p = await plan(CREATE_INDEX('orders', 'user_id'), { now: new Date('2020-01-01T00:00:00Z') });
    const [file] = p.files;
    // After the newest migration (20240301090000), whatever the clock says; the project's Migration[7.1].
    expect(file?.path).toMatch(/db\/migrate\/20240301090001_add_orders_user_id_idx_concurrently\.rb$/);
    expect(file?.text).toContain('class AddOrdersUserIdIdxConcurrently < ActiveRecord::Migration[7.1]\n  disable_ddl_transaction!');
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });

  it('names the code step as ignored_columns before the contract step', async () => {
    const p = await plan(SET_NOT_NULL('users', 'first_name'), { stopUsing: [{ table: 'users', columns: ['legacy'] }] });
    const contract = p.files.find((f) => readFileSync(f.path, 'utf8').includes('twoway: contract'));
    expect(contract?.text).toContain('app/models/user.rb, class User: self.ignored_columns += ["legacy"]');
  });

  it('writes past the files it wrote, never over them', async () => {
    const p = await plan(CREATE_INDEX('orders', 'user_id'), { now: new Date('2030-01-01T00:00:00Z') });
    const again = railsFiles(join(p.root, 'db/migrate'), p.steps, { now: new Date('2030-01-01T00:00:00Z') });
    expect(again[0]?.path).toMatch(/20300101000001_add_orders_user_id_idx_concurrently_2\.rb$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });
});
