import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import type { PlanStep } from './steps.js';
import { djangoFiles, loadDjangoWriter } from './write-django.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';
import type { WriterOptions } from './writer-options.js';

beforeAll(loadDjangoWriter);
let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

const MIGRATIONS = 'shop/migrations';
const plan = async (sql: string, options: WriterOptions = {}) => {
  const steps = await stepsOf(sql);
  project = await planInto('django', steps, (root) => djangoFiles(join(root, MIGRATIONS), steps, options));
  return project;
};
const dependencies = (p: PlannedProject) => p.files.map((f) => /dependencies = \[(.*)\]/.exec(f.text)?.[1]);

describe('twoway plan, Django', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('shop_customer', 'nickname')],
    ['an index on an existing table', CREATE_INDEX('shop_customer', 'nickname')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses, each depending on the one before', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    const names = p.files.map((f) => /(\d{4}_\w+)\.py$/.exec(f.path)?.[1]);
    expect(names[0]).toMatch(/^0009_/);
    expect(dependencies(p)).toEqual(['0008_sales_view', ...names.slice(0, -1)].map((n) => `("shop", "${n}")`));
    await expectRehearsed(p, engine);
  });

  it('leaves the transaction with atomic = False for CONCURRENTLY', async () => {
    const p = await plan(CREATE_INDEX('shop_customer', 'nickname'));
    expect(p.files[0]?.text).toContain('class Migration(migrations.Migration):\n    atomic = False\n');
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });

  it('removes a dropped column from the state first, in its own migration before the contract step', async () => {
    // A drop the engine does not plan yet, written as the contract step it will be.
    const drop: PlanStep = {
      name: 'drop_shop_customer_nickname',
      release: 2,
      phase: 'contract',
      up: ['ALTER TABLE shop_customer DROP COLUMN nickname;'],
      down: ['ALTER TABLE shop_customer ADD COLUMN nickname varchar(50);'],
      transactional: true,
    };
    project = await planInto('django', [drop], (root) =>
      djangoFiles(join(root, MIGRATIONS), [drop], { stopUsing: [{ table: 'shop_customer', columns: ['nickname'] }] }),
    );
    const [state, contract] = project.files;
    expect(state?.text).toContain('state_operations=[\n                migrations.RemoveField(model_name="customer", name="nickname"),');
    expect(contract?.text).toContain('# twoway: contract');
    expect(dependencies(project)).toEqual(['("shop", "0008_sales_view")', '("shop", "0009_remove_nickname_from_state")']);
    const [stateReport, contractReport] = project.planned;
    // The state-only migration touches no table: a two-way door; the drop is the declared contract.
    expect([stateReport?.parsed.up, stateReport?.phase, stateReport?.codeRollback, stateReport?.dbRollback]).toEqual([
      [],
      'expand',
      'compatible',
      'reversible',
    ]);
    expect([contractReport?.declaredContract, contractReport?.phase]).toEqual([true, 'contract']);
    expect(project.result.errors).toEqual([]);
  });

  it('takes the place of the unapplied migration it replaces', async () => {
    const steps = await stepsOf(CREATE_INDEX('shop_customer', 'nickname'));
    project = await planInto('django', steps, (root) => {
      const original = join(root, MIGRATIONS, '0009_order_status.py');
      writeFileSync(
        original,
        readFileSync(join(root, MIGRATIONS, '0008_sales_view.py'), 'utf8').replace('0007_order_status_index', '0008_sales_view'),
      );
      const files = djangoFiles(join(root, MIGRATIONS), steps, { replaces: original });
      rmSync(original); // what the plan tells the user to do
      return files;
    });
    expectTwoWaySteps(project);
    expect(dependencies(project)).toEqual(['("shop", "0008_sales_view")']);
    expect(project.files[0]?.path).toMatch(/0010_add_shop_customer_nickname_idx_concurrently\.py$/);
  });
});
