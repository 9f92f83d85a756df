// examples/plan/<framework> is what `twoway plan --write` makes of the example's one-way migration: it must stay
// exactly that (scripts/plan-examples.ts regenerates it), check must read each new step as the two-way door planned,
// and each was rehearsed up/down/up on PGlite.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, PLAN_EXAMPLES, writePlanExample } from '../../scripts/plan-examples.js';
import { check } from '../check.js';

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('examples/plan', () => {
  it.each(Object.keys(PLAN_EXAMPLES))(
    '%s: the committed plan is what twoway plan writes, and every new step is two-way',
    async (framework) => {
      const scratch = mkdtempSync(join(tmpdir(), 'twoway-plan-example-'));
      try {
        const plan = await writePlanExample(framework, join(scratch, framework));
        const committed = join(EXAMPLES, 'plan', framework);
        expect(tree(committed)).toEqual(tree(join(scratch, framework)));
        const original = new Set(Object.keys(tree(join(EXAMPLES, framework))));
        const result = await check(['.'], { cwd: committed });
        const added = result.sets.flatMap((s) => s.reports).filter((r) => r.parsed.migration.files.some((f) => !original.has(f)));
        const migrations = plan.files.filter((f) => !f.sidecar);
        expect(added.flatMap((r) => r.parsed.migration.files).sort()).toEqual(migrations.map((f) => f.path).sort());
        for (const r of added) {
          const file = migrations.find((f) => r.parsed.migration.files.includes(f.path));
          // A code step's migration (Django forgetting the field) is an expand before the step it prepares.
          const phase = file?.codeStep ? 'expand' : plan.steps[file?.step ?? -1]?.phase;
          expect([r.parsed.migration.path, r.phase, r.declaredContract, r.codeRollback, r.dbRollback]).toEqual([
            r.parsed.migration.path,
            phase,
            phase === 'contract',
            'compatible',
            'reversible',
          ]);
        }
        // Rehearsed when written: each new step up, down, up on PGlite with rows, the data back after the down.
        expect(plan.proof.rehearsedOn).toBe('pglite');
        // A code step's migration runs no SQL: nothing to take back down, so nothing to re-apply.
        const codeStep = (path: string) => migrations.some((f) => f.codeStep && f.path === path);
        expect(plan.proof.rehearsed?.map((x) => [x.path, x.up, x.down, x.reup, x.problems])).toEqual(
          plan.proof.rehearsed?.map((x) => [x.path, 'ok', ...(codeStep(x.path) ? ['missing', 'skipped'] : ['ok', 'ok']), []]),
        );
        expect(plan.proof.rehearsed).toHaveLength(added.length);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  );
});
