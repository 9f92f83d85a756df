import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { sequelizeFiles } from './write-sequelize.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

const plan = async (sql: string) => {
  const steps = await stepsOf(sql);
  project = await planInto('sequelize', steps, (root) => sequelizeFiles(join(root, 'migrations'), steps));
  return project;
};

describe('twoway plan, sequelize-cli', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('orders', 'shipped_at')],
    ['an index on an existing table', CREATE_INDEX('orders', 'shipped_at')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('wraps transactional steps in a transaction it passes to each query, and leaves CONCURRENTLY bare', async () => {
    const p = await plan(`${SET_NOT_NULL('orders', 'shipped_at')}\n${CREATE_INDEX('orders', 'shipped_at')}`);
    expectTwoWaySteps(p);
    expect(p.files[0]?.path).toMatch(/\d{14}-check-orders-shipped-at-not-null\.js$/);
    expect(p.files[0]?.text).toContain('await queryInterface.sequelize.transaction(async (transaction) => {');
    expect(p.files.at(-1)?.text).not.toContain('sequelize.transaction');
    // check reads the wrapped steps' statements inside a transaction and the bare one outside any.
    const inTransaction = p.planned.map((r) => r.parsed.up.some((op) => op.kind === 'Transaction' && op.action === 'begin'));
    expect(inTransaction).toEqual([true, true, true, false]);
  });
});
