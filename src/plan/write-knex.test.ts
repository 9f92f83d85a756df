import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { knexFiles } from './write-knex.js';
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
  project = await planInto('knex', steps, (root) => knexFiles(join(root, 'migrations'), steps, { language }));
  return project;
};

describe('twoway plan, Knex', () => {
  it.each([
    ['SET NOT NULL', 'js', SET_NOT_NULL('orders', 'shipped_at')],
    ['an index on an existing table', 'js', CREATE_INDEX('orders', 'total')],
    ['SET NOT NULL', 'ts', SET_NOT_NULL('orders', 'shipped_at')],
    ['an index on an existing table', 'ts', CREATE_INDEX('orders', 'total')],
  ] as const)('writes %s (%s) as migrations check judges two-way and PGlite rehearses', async (_, language, sql) => {
    const p = await plan(sql, language);
    expectTwoWaySteps(p);
    for (const f of p.files) expect(f.path.endsWith(`.${language}`)).toBe(true);
    await expectRehearsed(p, engine);
  });

  it('leaves the transaction with config.transaction = false for CONCURRENTLY, in the folder language by default', async () => {
    const p = await plan(CREATE_INDEX('orders', 'total'));
    expect(p.files[0]?.path).toMatch(/\d{14}_add_orders_total_idx_concurrently\.js$/);
    expect(p.files[0]?.text).toContain('exports.config = { transaction: false };');
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });

  it('refuses SQL holding ?, which knex.raw reads as a binding', () => {
    const step = {
      name: 'check_tags',
      release: 1,
      phase: 'expand' as const,
      up: ["ALTER TABLE t ADD CHECK (tags ? 'a');"],
      down: [],
      transactional: true,
    };
    expect(() => knexFiles('/nonexistent', [step], {})).toThrow(/knex.raw would read \? in .* as a binding/);
  });
});
