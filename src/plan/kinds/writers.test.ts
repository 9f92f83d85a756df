// Every kind of plan (kinds-fixtures.ts) through every framework's writer: the steps written into a copy of
// examples/<framework> after a first step that makes the table they change (written by the same writer, as SQL),
// re-checked by `check` (each step the phase it was planned as, both rollbacks safe, nothing unread) and rehearsed
// up/down/up on PGlite. kinds.test.ts plans them from a one-way migration in golang-migrate and Rails; this
// proves that what each writer makes of every kind's SQL (DO blocks, trigger functions, CONCURRENTLY, views) is
// read and run as planned.
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { PLAN_EXAMPLES } from '../../../scripts/plan-examples.js';
import type { Migration } from '../../migration.js';
import { createPgliteEngine, type Engine } from '../../rehearse/index.js';
import type { PlanStep } from '../steps.js';
import { expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, stepsOf } from '../write-testing.js';
import { folderFor, writerFor } from '../writers.js';
import { KINDS } from './kinds-fixtures.js';

let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
let project: PlannedProject | undefined;
afterEach(() => project?.cleanup());

/** The fixtures' tables under names no example has. */
const renamed = (sql: string) => sql.replace(/\b(users|accounts|teams)\b/g, 'kw_$1');
const TABLE =
  'CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL, full_name text, created_at timestamptz NOT NULL DEFAULT now(), last_login_at timestamptz);';

describe.each(Object.keys(PLAN_EXAMPLES))('every kind through the %s writer', (framework) => {
  it.each(KINDS.map((k) => [k.kind, k] as const))('%s: written, re-checked and rehearsed', async (_, k) => {
    const prefix = renamed([TABLE, k.sqlBefore ?? ''].join('\n'));
    const first: PlanStep = {
      name: 'create_kw_users',
      release: 1,
      phase: 'expand',
      up: [prefix],
      down: [renamed(`DROP TABLE users;${k.sqlBefore ? '\nDROP FUNCTION touch_login();' : ''}`)],
      transactional: true,
    };
    const steps = [first, ...(await stepsOf(renamed(k.sql), prefix))];
    const writer = await writerFor(framework as Migration['framework']);
    await writer?.load?.();
    const original = PLAN_EXAMPLES[framework] as string;
    const folder = writer?.folder ? folderFor(writer, { path: original } as Migration) : dirname(original);
    project = await planInto(
      framework,
      steps,
      (root) => writer?.files(join(root, folder), steps, { now: new Date('2030-01-01T00:00:00Z') }) ?? [],
    );
    expectTwoWaySteps(project, framework === 'golang-migrate' ? 1 : 1);
    await expectRehearsed(project, engine);
  });
});
