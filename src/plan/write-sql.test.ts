import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { plainSqlFiles } from './write-sql.js';
import {
  CREATE_INDEX,
  expectRehearsed,
  expectTwoWaySteps,
  type PlannedProject,
  planInto,
  rehearseNew,
  SET_NOT_NULL,
  stepsOf,
} from './write-testing.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

// examples/sql pairs downs by name, as home-grown runners do: the plan writes pairs too. The same folder with its
// downs removed is a history that only goes forward.
const withoutDowns = (root: string) => {
  for (const name of readdirSync(root)) if (name.endsWith('_down.sql')) rmSync(join(root, name));
};

const plan = async (sql: string, prepare?: (root: string) => void) => {
  const steps = await stepsOf(sql);
  project = await planInto('sql', steps, (root) => plainSqlFiles(root, steps), prepare);
  return project;
};

describe('twoway plan, plain SQL', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('audit_log', 'ip')],
    ['an index on an existing table', CREATE_INDEX('audit_log', 'actor')],
  ] as const)('writes %s as up/down pairs check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('writes ups only in a folder without downs, where check says the steps that change something have no down', async () => {
    const p = await plan(SET_NOT_NULL('audit_log', 'ip'), withoutDowns);
    expect(p.files.map((f) => f.path.split('/').at(-1))).toEqual([
      '11_check_audit_log_ip_not_null.sql',
      '12_validate_audit_log_ip_not_null.sql',
      '13_set_audit_log_ip_not_null.sql',
    ]);
    expect(p.files[0]?.text).toContain('--   ALTER TABLE audit_log DROP CONSTRAINT audit_log_ip_not_null;');
    // VALIDATE leaves the schema as it found it: nothing to roll back, down or not.
    expect(p.planned.map((r) => [r.phase, r.dbRollback])).toEqual([
      ['expand', 'no-down'],
      ['expand', 'reversible'],
      ['contract', 'no-down'],
    ]);
    // Each up applies on rows. The downs rehearsal derives cannot un-validate the check (PostgreSQL has no way
    // to): only written downs make the round trip exact, as the pairs above do.
    const runs = await rehearseNew(p, engine);
    expect(runs.map((r) => [r.path, r.up, r.error])).toEqual(p.planned.map((r) => [r.parsed.migration.path, 'ok', null]));
  });

  it('numbers after the newest in the folder pairing style, and never writes over a file', async () => {
    const p = await plan(CREATE_INDEX('audit_log', 'actor'));
    expect(p.files.map((f) => f.path.split('/').at(-1))).toEqual([
      '11_add_audit_log_actor_idx_concurrently_up.sql',
      '11_add_audit_log_actor_idx_concurrently_down.sql',
    ]);
    expect(plainSqlFiles(p.root, p.steps)[0]?.path).toMatch(/\/12_add_audit_log_actor_idx_concurrently_up\.sql$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });
});
