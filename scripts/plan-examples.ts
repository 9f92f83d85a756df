// Writes examples/plan/<framework>: a copy of examples/<framework> where `twoway plan` replaced one one-way
// migration with its two-way steps (the original deleted, as the plan says). `npm run examples:plan` regenerates
// them; src/plan/examples.test.ts fails when they drift from what the planner writes.
import { cpSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type MigrationPlan, planMigration, writePlan } from '../src/plan/index.js';

/**
 * Per framework, the example's one-way migration the plan replaces (unapplied, so the user deletes it). Where
 * migrations follow it (diesel, dbmate, goose, golang-migrate; Alembic and Django, whose later migrations revise or
 * depend on it), the plan takes its place where the names leave room (Placement in src/plan/index.ts), else it goes
 * after the newest. Not planned: pop (rename, planned only on PostgreSQL).
 */
export const PLAN_EXAMPLES: Record<string, string> = {
  alembic: 'migrations/versions/f6a5b7c8d9e0_drop_legacy_flag.py',
  django: 'shop/migrations/0006_remove_customer_fax.py',
  dbmate: 'db/migrations/20240112090000_require_orders_user.sql',
  diesel: 'migrations/2024-03-03-000000_normalize_user_emails/up.sql',
  flyway: 'sql/V4__purge_discontinued_products.sql',
  'golang-migrate': '000002_drop_full_name.up.sql',
  goose: 'migrations/00003_drop_account_invites.sql',
  knex: 'migrations/20240301090000_drop_users_full_name.js',
  'node-pg-migrate': 'migrations/1709283600000_drop-users-full-name.js',
  prisma: 'prisma/migrations/20240203000000_drop_user_bio/migration.sql',
  rails: 'db/post_migrate/20240306090000_drop_legacy_admin_flag.rb',
  sequelize: 'migrations/20240301090000-drop-users-full-name.js',
  sql: '10_prune_audit_log_up.sql',
  typeorm: 'src/migrations/1709283600000-DropUsersFullName.ts',
};

/** A fixed clock, so timestamp-named steps come out the same on every run. */
export const PLAN_EXAMPLES_NOW = new Date('2025-01-01T00:00:00Z');

export const EXAMPLES = resolve(import.meta.dirname, '..', 'examples');

/** Plans `framework`'s example into `target` (a copy of examples/<framework>), writes the plan and deletes the original. */
export async function writePlanExample(framework: string, target: string): Promise<MigrationPlan> {
  const example = PLAN_EXAMPLES[framework];
  if (!example) throw new Error(`no plan example for ${framework}`);
  const original = example;
  rmSync(target, { recursive: true, force: true });
  cpSync(join(EXAMPLES, framework), target, { recursive: true });
  const plan = await planMigration(original, [], { cwd: target, verify: true, writer: { now: PLAN_EXAMPLES_NOW } });
  if (!plan.proof.ok || plan.unplanned.length)
    throw new Error(
      `${framework}: the plan of ${original} is not proven: ${JSON.stringify({ unplanned: plan.unplanned, proof: plan.proof })}`,
    );
  const written = writePlan(plan, target);
  for (const f of plan.replaces) rmSync(join(target, f), { force: true });
  // A migration that is a folder of its own (diesel's up.sql/down.sql) goes with its folder.
  for (const folder of new Set(plan.replaces.map((f) => dirname(join(target, f)))))
    if (folder !== target && !readdirSync(folder).length) rmdirSync(folder);
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const only = process.argv.slice(2);
  for (const framework of Object.keys(PLAN_EXAMPLES).filter((f) => !only.length || only.includes(f))) {
    const scratch = mkdtempSync(join(tmpdir(), 'twoway-plan-example-'));
    try {
      const plan = await writePlanExample(framework, join(scratch, framework));
      const target = join(EXAMPLES, 'plan', framework);
      rmSync(target, { recursive: true, force: true });
      cpSync(join(scratch, framework), target, { recursive: true });
      console.log(`examples/plan/${framework}: ${plan.migration.path} → ${plan.steps.length} steps`);
    } catch (e) {
      console.error(`examples/plan/${framework}: ${(e as Error).message}`);
      process.exitCode = 1;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
