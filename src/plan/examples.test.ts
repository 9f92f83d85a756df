// examples/plan/<framework> is what `twoway plan --write` makes of the example's one-way migration: it must stay
// exactly that (scripts/plan-examples.ts regenerates it), and check must read each new step as the two-way door planned.
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
        expect(added).toHaveLength(plan.steps.length);
        added.forEach((r, i) => {
          const step = plan.steps[i];
          expect([r.phase, r.declaredContract, r.codeRollback, r.dbRollback]).toEqual([
            step?.phase,
            step?.phase === 'contract',
            'compatible',
            'reversible',
          ]);
        });
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  );
});
