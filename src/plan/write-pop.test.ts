import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { popFiles } from './write-pop.js';
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
  project = await planInto('pop', steps, (root) => popFiles(join(root, 'migrations'), steps, { now }));
  return project;
};

describe('twoway plan, pop', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('invoices', 'due_on')],
    ['an index on an existing table', CREATE_INDEX('invoices', 'created_at')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('writes a CONCURRENTLY step as popx .autocommit. files', async () => {
    const p = await plan(CREATE_INDEX('invoices', 'created_at'));
    expect(p.files.map((f) => f.path.split('/').at(-1))).toEqual([
      expect.stringMatching(/^\d{14}_add_invoices_created_at_idx_concurrently\.postgres\.autocommit\.up\.sql$/),
      expect.stringMatching(/^\d{14}_add_invoices_created_at_idx_concurrently\.postgres\.autocommit\.down\.sql$/),
    ]);
    const m = p.planned[0]?.parsed.migration;
    expect([m?.transactional, m?.downTransactional ?? m?.transactional]).toEqual([false, false]);
  });

  it('names files after the newest version with the folder dialect suffix, and never writes over one', async () => {
    const p = await plan(SET_NOT_NULL('invoices', 'due_on'), new Date('2020-01-01T00:00:00Z'));
    // The newest is 20240403000000_rename_invoices_number.postgres.up.sql.
    expect(p.files.map((f) => f.path.split('/').at(-1))).toEqual([
      '20240403000001_check_invoices_due_on_not_null.postgres.up.sql',
      '20240403000001_check_invoices_due_on_not_null.postgres.down.sql',
      '20240403000002_validate_invoices_due_on_not_null.postgres.up.sql',
      '20240403000002_validate_invoices_due_on_not_null.postgres.down.sql',
      '20240403000003_set_invoices_due_on_not_null.postgres.up.sql',
      '20240403000003_set_invoices_due_on_not_null.postgres.down.sql',
    ]);
    const again = popFiles(join(p.root, 'migrations'), p.steps, { now: new Date('2020-01-01T00:00:00Z') });
    expect(again[0]?.path).toMatch(/20240403000004_check_invoices_due_on_not_null\.postgres\.up\.sql$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });
});
