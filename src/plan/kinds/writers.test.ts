// Every kind of plan (kinds-fixtures.ts, and the ones below) through every framework's writer: the steps written into a copy of
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
import { KINDS, type Kind } from './kinds-fixtures.js';

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
  'CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL, full_name text, created_at timestamptz NOT NULL DEFAULT now(), last_login_at timestamptz, team_id bigint);\nCREATE TABLE kw_groups (id bigint PRIMARY KEY);';

/** The kinds each framework writer test (write-*.test.ts) and kinds.test.ts cover on their own, here for every writer. */
const MORE: Array<Pick<Kind, 'kind' | 'sql'>> = [
  { kind: 'SET NOT NULL', sql: 'ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;' },
  { kind: 'an index on an existing table', sql: 'CREATE INDEX kw_email_idx ON users (email);' },
  { kind: 'a foreign key', sql: 'ALTER TABLE users ADD CONSTRAINT kw_team_fk FOREIGN KEY (team_id) REFERENCES kw_groups (id);' },
  { kind: 'a check', sql: "ALTER TABLE users ADD CONSTRAINT kw_email_check CHECK (email <> '');" },
  { kind: 'drop column', sql: 'ALTER TABLE users DROP COLUMN full_name;' },
];

const FRAMEWORKS: Array<[string, string]> = [...Object.entries(PLAN_EXAMPLES), ['pop', 'migrations/x']];

describe.each(FRAMEWORKS)('every kind through the %s writer', (framework, original) => {
  it.each([...MORE, ...KINDS].map((k) => [k.kind, k] as const))(
    '%s: written, re-checked and rehearsed',
    async (_, k: Pick<Kind, 'sql' | 'sqlBefore'>) => {
      const prefix = renamed([TABLE, k.sqlBefore ?? ''].join('\n'));
      const first: PlanStep = {
        name: 'create_kw_users',
        release: 1,
        phase: 'expand',
        up: [prefix],
        down: [renamed(`DROP TABLE kw_groups;\nDROP TABLE users;${k.sqlBefore ? '\nDROP FUNCTION touch_login();' : ''}`)],
        transactional: true,
      };
      const steps = [first, ...(await stepsOf(renamed(k.sql), prefix))];
      const writer = await writerFor(framework as Migration['framework']);
      await writer?.load?.();
      const folder = writer?.folder ? folderFor(writer, { path: original } as Migration) : dirname(original);
      project = await planInto(
        framework,
        steps,
        (root) => writer?.files(join(root, folder), steps, { now: new Date('2030-01-01T00:00:00Z') }) ?? [],
      );
      // Plain SQL pairs: an up and a down file per step, read as one migration.
      expectTwoWaySteps(project);
      await expectRehearsed(project, engine);
    },
  );
});
