// `check` and `rehearse` must agree: where rehearsal proves a down fails, loses data or leaves the
// schema different, check must call the migration a one-way door, and where rehearsal proves a
// rollback holds, check must not.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { check } from '../check.js';
import type { Engine } from './engine.js';
import { createPgliteEngine, rehearsalFailed, rehearse } from './index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// not-reappliable is left out: its down forgets a function, which check does not model (only rehearsal sees it).
const SETS = [
  'examples',
  'src/rehearse/fixtures/reversible',
  'src/rehearse/fixtures/lossy-down',
  'src/rehearse/fixtures/failing-down',
  'src/rehearse/fixtures/schema-drift',
  'src/rehearse/fixtures/widen-narrow',
];

let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());

it('check and rehearse agree on every example and fixture', async () => {
  const rehearsal = await rehearse(SETS, { engine, cwd: repoRoot });
  const checked = await check(SETS, { cwd: repoRoot });
  const verdicts = new Map(checked.sets.flatMap((s) => s.reports).map((r) => [r.parsed.migration.path, r]));
  expect(rehearsal.migrations.length).toBeGreaterThan(15);
  for (const m of rehearsal.migrations) {
    const report = verdicts.get(m.path);
    const rollbackFinding = report?.findings.some((f) => f.category === 'rollback' || f.category === 'data-loss') ?? false;
    const summary = `${m.path}: rehearse ${JSON.stringify({ down: m.down, restored: m.schemaRestored, lost: m.lostData.length })}, check ${report?.dbRollback}`;
    if (m.down === 'missing') expect(report?.dbRollback, summary).toBe('no-down');
    else if (rehearsalFailed(m)) expect(rollbackFinding, summary).toBe(true);
    else expect([report?.dbRollback, rollbackFinding], summary).toEqual(['reversible', false]);
    if (m.down === 'failed' || m.lostData.length) expect(['lossy', 'irreversible'], summary).toContain(report?.dbRollback);
  }
});
