// `check`'s help names `twoway plan <id>` exactly when `twoway plan` makes a complete, proven plan of the
// migration: both decide through planSteps on the schema the migrations before it leave.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { tempProject } from '../testing/projects.js';
import { planMigration } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const HINT = 'Write the two-way version with:\nnpx twoway plan 000004';

/** examples/golang-migrate (users: id bigserial, email, created_at, last_login_at) with a fourth migration and its down. */
async function hintAndPlan(up: string) {
  const dir = tempProject(
    { '000004_one_way.up.sql': `${up}\n`, '000004_one_way.down.sql': 'ALTER TABLE users DROP COLUMN x;\n' },
    { 'examples/golang-migrate': '.' },
  );
  dirs.push(dir);
  const result = await check(['.'], { cwd: dir });
  const report = result.sets[0]?.reports.find((r) => r.parsed.migration.id === '000004');
  const hinted = report?.findings.filter((f) => f.fix.includes(HINT)).map((f) => f.rule) ?? [];
  const plan = await planMigration('000004', ['.'], { cwd: dir, verify: true });
  return { hinted, plan };
}

describe('the plan hint in check', () => {
  it.each([
    ['examples/golang-migrate', '000002', 'drop-column'],
    ['examples/flyway', 'V4__purge_discontinued_products', 'delete-rows'],
    ['examples/rails', '20240210090000', 'rename-column'],
    ['examples/django', 'shop.0005_rename_order_total', 'rename-column'],
  ])('%s: the one-way door %s ends its help with the plan that is made of it', async (example, id, rule) => {
    const dir = tempProject({}, { [example]: '.' });
    dirs.push(dir);
    const result = await check(['.'], { cwd: dir });
    const report = result.sets[0]?.reports.find((r) => r.parsed.migration.id === id);
    const finding = report?.findings.find((f) => f.rule === rule);
    expect(finding?.fix.split('\n').slice(-2)).toEqual(['Write the two-way version with:', `npx twoway plan ${id}`]);
    const plan = await planMigration(id, ['.'], { cwd: dir });
    expect([plan.unplanned, plan.proof.ok]).toEqual([[], true]);
  });

  it.each([
    ['a NOT NULL column with a volatile default', 'ALTER TABLE users ADD COLUMN x uuid NOT NULL DEFAULT gen_random_uuid();'],
    ['a nullable column with a volatile default', 'ALTER TABLE users ADD COLUMN x timestamptz DEFAULT clock_timestamp();'],
  ])('%s, a rewrite as written: hinted, and planned, proven and rehearsed', async (_, up) => {
    const { hinted, plan } = await hintAndPlan(up);
    expect(hinted).toEqual(['add-column-rewrite']);
    expect(plan.needed).toBe(true);
    expect(plan.unplanned).toEqual([]);
    // Added without the default (no rewrite), the default set for new rows, existing rows backfilled per row.
    expect(plan.steps[0]?.up).toEqual([
      expect.stringMatching(/^ALTER TABLE users ADD COLUMN x (uuid|timestamptz);$/),
      expect.stringMatching(/^ALTER TABLE users ALTER COLUMN x SET DEFAULT (gen_random_uuid|clock_timestamp)\(\);$/),
    ]);
    expect(plan.steps[1]?.up[0]).toMatch(/UPDATE users SET x = (gen_random_uuid|clock_timestamp)\(\) WHERE id IN/);
    expect(plan.proof.ok).toBe(true);
    expect(plan.proof.rehearsed?.flatMap((r) => r.problems)).toEqual([]);
    expect(plan.proof.rehearsed).toHaveLength(plan.steps.length);
  });

  it.each([
    ['bigserial', 'ALTER TABLE users ADD COLUMN x bigserial NOT NULL;', /x is bigserial: PostgreSQL numbers every existing row/],
    ['an identity column', 'ALTER TABLE users ADD COLUMN x bigint GENERATED ALWAYS AS IDENTITY;', /x is an identity column/],
    [
      'a stored generated column',
      'ALTER TABLE users ADD COLUMN x bigint NOT NULL GENERATED ALWAYS AS (id * 2) STORED;',
      /x is a stored generated column/,
    ],
  ])('%s fills every row as it is added: refused with the reason, and not hinted', async (_, up, why) => {
    const { hinted, plan } = await hintAndPlan(up);
    expect(hinted).toEqual([]);
    expect(plan.needed).toBe(true);
    expect(plan.steps).toEqual([]);
    expect(plan.unplanned).toEqual([expect.stringMatching(why)]);
    expect(plan.proof.ok).toBe(false);
  });

  it('a column whose default the catalog holds, added with its down, is a two-way door: nothing hinted or planned', async () => {
    const { hinted, plan } = await hintAndPlan("ALTER TABLE users ADD COLUMN x text NOT NULL DEFAULT 'free';");
    expect(hinted).toEqual([]);
    expect(plan.needed).toBe(false);
  });
});
