import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { dieselFiles } from './write-diesel.js';
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
  project = await planInto('diesel', steps, (root) => dieselFiles(join(root, 'migrations'), steps, { now }));
  return project;
};

describe('twoway plan, diesel', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('users', 'email_verified_at')],
    ['an index on an existing table', CREATE_INDEX('users', 'updated_at')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('leaves the transaction with metadata.toml for CONCURRENTLY', async () => {
    const p = await plan(CREATE_INDEX('users', 'updated_at'));
    expect(p.files.map((f) => f.path.split('/').slice(-1)[0])).toEqual(['up.sql', 'down.sql', 'metadata.toml']);
    expect(p.files[2]?.text).toContain('run_in_transaction = false');
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });

  it('refuses a step outside a transaction with more than one statement: diesel sends the file as one message', async () => {
    const [step] = await stepsOf(CREATE_INDEX('users', 'updated_at'));
    const two = { ...(step as NonNullable<typeof step>), up: [...(step?.up ?? []), ...(step?.up ?? [])] };
    expect(() => dieselFiles('/nowhere', [two])).toThrow(/one message, so its 2 statements cannot run outside a transaction/);
  });

  it('names folders after the newest version in diesel form, and never writes over one', async () => {
    const p = await plan(SET_NOT_NULL('users', 'email_verified_at'), new Date('2020-01-01T00:00:00Z'));
    // The newest is 2024-03-04-000000_index_users_email.
    expect(p.files.filter((f) => f.path.endsWith('up.sql')).map((f) => f.path.split('/').at(-2))).toEqual([
      '2024-03-04-000001_check_users_email_verified_at_not_null',
      '2024-03-04-000002_validate_users_email_verified_at_not_null',
      '2024-03-04-000003_set_users_email_verified_at_not_null',
    ]);
    const again = dieselFiles(join(p.root, 'migrations'), p.steps, { now: new Date('2020-01-01T00:00:00Z') });
    expect(again[0]?.path).toMatch(/2024-03-04-000004_check_users_email_verified_at_not_null\/up\.sql$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });
});
