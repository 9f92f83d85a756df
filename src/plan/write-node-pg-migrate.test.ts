import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { nodePgMigrateFiles } from './write-node-pg-migrate.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

const plan = async (sql: string, language?: 'ts' | 'js') => {
  const steps = await stepsOf(sql);
  project = await planInto('node-pg-migrate', steps, (root) => nodePgMigrateFiles(join(root, 'migrations'), steps, { language }));
  return project;
};

describe('twoway plan, node-pg-migrate', () => {
  it.each([
    ['SET NOT NULL', 'js', SET_NOT_NULL('orders', 'shipped_at'), false],
    ['an index on an existing table', 'js', CREATE_INDEX('orders', 'shipped_at'), true],
    ['SET NOT NULL', 'ts', SET_NOT_NULL('orders', 'shipped_at'), false],
    ['an index on an existing table', 'ts', CREATE_INDEX('orders', 'shipped_at'), true],
  ] as const)('writes %s (%s) as migrations check judges two-way and PGlite rehearses', async (_, language, sql, fully) => {
    const p = await plan(sql, language);
    expectTwoWaySteps(p);
    for (const f of p.files) expect(f.path.endsWith(`.${language}`)).toBe(true);
    await expectRehearsed(p, engine, fully);
  });

  it('calls pgm.noTransaction() in both directions of a CONCURRENTLY step', async () => {
    const p = await plan(CREATE_INDEX('orders', 'shipped_at'));
    expect(p.files[0]?.path).toMatch(/\d{13}_add-orders-shipped-at-idx-concurrently\.js$/);
    expect(p.files[0]?.text.match(/pgm\.noTransaction\(\);/g)).toHaveLength(2);
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });
});
