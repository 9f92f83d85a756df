import { readdirSync, renameSync } from 'node:fs';
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
    ['SET NOT NULL', 'js', SET_NOT_NULL('orders', 'shipped_at')],
    ['an index on an existing table', 'js', CREATE_INDEX('orders', 'shipped_at')],
    ['SET NOT NULL', 'ts', SET_NOT_NULL('orders', 'shipped_at')],
    ['an index on an existing table', 'ts', CREATE_INDEX('orders', 'shipped_at')],
  ] as const)('writes %s (%s) as migrations check judges two-way and PGlite rehearses', async (_, language, sql) => {
    const p = await plan(sql, language);
    expectTwoWaySteps(p);
    for (const f of p.files) expect(f.path.endsWith(`.${language}`)).toBe(true);
    await expectRehearsed(p, engine);
  });

  it('calls pgm.noTransaction() in both directions of a CONCURRENTLY step', async () => {
    const p = await plan(CREATE_INDEX('orders', 'shipped_at'));
    expect(p.files[0]?.path).toMatch(/\d{13}_add-orders-shipped-at-idx-concurrently\.js$/);
    expect(p.files[0]?.text.match(/pgm\.noTransaction\(\);/g)).toHaveLength(2);
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });

  it('follows a folder named by --migration-filename-format utc', async () => {
    const steps = await stepsOf(CREATE_INDEX('orders', 'shipped_at'));
    project = await planInto(
      'node-pg-migrate',
      steps,
      (root) => nodePgMigrateFiles(join(root, 'migrations'), steps, { now: new Date('2020-01-01T00:00:00Z') }),
      (root) => {
        // The example's versions renamed to their UTC form: 1709283600000 is 2024-03-01 09:00:00.000.
        for (const f of readdirSync(join(root, 'migrations'))) {
          const [ms, rest] = [f.slice(0, 13), f.slice(13)];
          const utc = new Date(Number(ms)).toISOString().replace(/\D/g, '').slice(0, 17);
          renameSync(join(root, 'migrations', f), join(root, 'migrations', `${utc}${rest}`));
        }
      },
    );
    expect(project.files[0]?.path).toMatch(/migrations\/20240301090000001_add-orders-shipped-at-idx-concurrently\.js$/);
    expectTwoWaySteps(project);
  });
});
