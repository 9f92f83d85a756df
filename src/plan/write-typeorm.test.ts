import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';
import { typeormFiles } from './write-typeorm.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

/** The example's data source, set to run each migration in its own transaction, as `transaction = false` needs. */
const eachMode = (root: string) => {
  const file = join(root, 'src/data-source.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace("type: 'postgres',", "type: 'postgres',\n  migrationsTransactionMode: 'each',"));
};

const plan = async (sql: string, language?: 'ts' | 'js') => {
  const steps = await stepsOf(sql);
  project = await planInto('typeorm', steps, (root) => typeormFiles(join(root, 'src/migrations'), steps, { language }), eachMode);
  return project;
};

describe('twoway plan, TypeORM', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('orders', 'shipped_at')],
    ['an index on an existing table', CREATE_INDEX('orders', 'shipped_at')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('names file and class as migration:create does, and sets transaction = false for CONCURRENTLY', async () => {
    const p = await plan(CREATE_INDEX('orders', 'shipped_at'));
    const [file] = p.files;
    const stamp = /(\d{13})-AddOrdersShippedAtIdxConcurrently\.ts$/.exec(file?.path ?? '')?.[1];
    expect(Number(stamp)).toBeGreaterThan(1709283600000);
    expect(file?.text).toContain(`export class AddOrdersShippedAtIdxConcurrently${stamp} implements MigrationInterface {`);
    expect(file?.text).toContain('  transaction = false;');
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });

  it('writes the --outputJs form in JavaScript', async () => {
    const p = await plan(`${SET_NOT_NULL('orders', 'shipped_at')}\n${CREATE_INDEX('orders', 'shipped_at')}`, 'js');
    expectTwoWaySteps(p);
    expect(p.files[0]?.text).toMatch(/^module\.exports = class CheckOrdersShippedAtNotNull\d{13} \{$/m);
    expect(p.planned.map((r) => r.parsed.migration.transactional)).toEqual([true, true, true, false]);
  });
});
