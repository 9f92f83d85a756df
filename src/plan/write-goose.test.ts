import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { gooseFiles } from './write-goose.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

// Every column of the example's accounts is NOT NULL already: a release first adds the one the plan tightens.
const addReferrer = (root: string) =>
  writeFileSync(
    join(root, 'migrations/00005_add_accounts_referrer.sql'),
    '-- +goose Up\nALTER TABLE accounts ADD COLUMN referrer text;\n\n-- +goose Down\nALTER TABLE accounts DROP COLUMN referrer;\n',
  );

const plan = async (sql: string, now?: Date) => {
  const steps = await stepsOf(sql);
  project = await planInto('goose', steps, (root) => gooseFiles(join(root, 'migrations'), steps, { now }), addReferrer);
  return project;
};

describe('twoway plan, goose', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('accounts', 'referrer')],
    ['an index on an existing table', CREATE_INDEX('accounts', 'updated_at')],
  ] as const)('writes %s as migrations check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('says NO TRANSACTION for CONCURRENTLY', async () => {
    const p = await plan(CREATE_INDEX('accounts', 'updated_at'));
    expect(p.files[0]?.text).toMatch(/^-- \+goose NO TRANSACTION\n-- \+goose Up\n/);
    expect(p.planned[0]?.parsed.migration.transactional).toBe(false);
  });

  it('counts on from the newest version in its width, and never writes over a file', async () => {
    const p = await plan(SET_NOT_NULL('accounts', 'referrer'), new Date('2030-01-01T00:00:00Z'));
    expect(p.files.map((f) => f.path.split('/').at(-1))).toEqual([
      '00006_check_accounts_referrer_not_null.sql',
      '00007_validate_accounts_referrer_not_null.sql',
      '00008_set_accounts_referrer_not_null.sql',
    ]);
    expect(gooseFiles(join(p.root, 'migrations'), p.steps)[0]?.path).toMatch(/00009_check_accounts_referrer_not_null\.sql$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });

  it('follows a folder of timestamps, and groups a statement holding semicolons', () => {
    const step = {
      name: 'touch',
      release: 1,
      phase: 'expand' as const,
      up: ['DO $$ BEGIN PERFORM 1; END $$;'],
      down: [],
      transactional: true,
    };
    // A folder of YYYYMMDDHHMMSS versions (dbmate's example, newest 20240113090000): the next timestamp.
    const [file] = gooseFiles(join(import.meta.dirname, '../../examples/dbmate/db/migrations'), [step], {
      now: new Date('2020-01-01T00:00:00Z'),
    });
    expect(file?.path).toMatch(/\/20240113090001_touch\.sql$/);
    expect(file?.text).toContain('-- +goose StatementBegin\nDO $$ BEGIN PERFORM 1; END $$;\n-- +goose StatementEnd');
  });
});
