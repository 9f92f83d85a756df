import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { dbmateFiles } from './write-dbmate.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

const plan = async (sql: string, now?: Date) => {
  const steps = await stepsOf(sql);
  // The plan replaces the example's one-way 20240112090000_require_orders_user.sql, which the user then deletes.
  project = await planInto(
    'dbmate',
    steps,
    (root) => dbmateFiles(join(root, 'db/migrations'), steps, { now }),
    (root) => rmSync(join(root, 'db/migrations/20240112090000_require_orders_user.sql')),
  );
  return project;
};

describe('twoway plan, dbmate', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('orders', 'user_id')],
    ['an index on an existing table', CREATE_INDEX('orders', 'created_at')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('takes both sections out of the transaction for CONCURRENTLY', async () => {
    const p = await plan(CREATE_INDEX('orders', 'created_at'));
    expect(p.files[0]?.text).toMatch(/^-- migrate:up transaction:false\n(--.*\n)*CREATE INDEX CONCURRENTLY orders_created_at_idx/);
    expect(p.files[0]?.text).toContain('\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY orders_created_at_idx;');
    const m = p.planned[0]?.parsed.migration;
    expect([m?.transactional, m?.downTransactional ?? m?.transactional]).toEqual([false, false]);
  });

  it('names each step after the newest version, whatever the clock, and never over a file', async () => {
    const p = await plan(SET_NOT_NULL('orders', 'user_id'), new Date('2020-01-01T00:00:00Z'));
    // The newest is 20240113090000_total_cents_to_bigint.sql.
    expect(p.files.map((f) => f.path.split('/').at(-1))).toEqual([
      '20240113090001_check_orders_user_id_not_null.sql',
      '20240113090002_validate_orders_user_id_not_null.sql',
      '20240113090003_set_orders_user_id_not_null.sql',
    ]);
    const again = dbmateFiles(join(p.root, 'db/migrations'), p.steps, { now: new Date('2020-01-01T00:00:00Z') });
    expect(again[0]?.path).toMatch(/20240113090004_check_orders_user_id_not_null\.sql$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });
});
