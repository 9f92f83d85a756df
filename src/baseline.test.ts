// The first run on an existing repo: `twoway baseline` records what is there, later runs report only what is new.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, type Baseline, createBaseline, parseBaseline } from './baseline.js';
import { check } from './check.js';
import { main } from './cli.js';
import type { JsonReport } from './report/json.js';
import { dropColumnHistory, tempProject } from './testing/projects.js';

async function run(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

async function json(argv: string[], cwd: string): Promise<JsonReport> {
  return JSON.parse((await run([...argv, '--format', 'json'], cwd)).out) as JsonReport;
}

const baselineOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'twoway-baseline.json'), 'utf8')) as Baseline;

describe('twoway baseline', () => {
  it('records every finding with migration, rule, direction, fingerprint and a reason; check then reports none of them', async () => {
    const dir = tempProject(dropColumnHistory());
    const before = await json(['check', 'db'], dir);
    // Hygiene is left out of a baseline: it is reported only for migrations newer than it anyway.
    const active = before.migrations.flatMap((m) => m.findings).filter((f) => !f.suppressed && f.category !== 'hygiene');
    expect(before.summary.findings.error).toBe(1);

    const { code, out } = await run(['baseline', 'db'], dir);
    expect(code).toBe(0);
    expect(out).toMatch(/^wrote twoway-baseline\.json: \d+ findings of 2 migrations/);
    const baseline = baselineOf(dir);
    expect(baseline.migrations).toEqual(['db/000001_create_users.up.sql', 'db/000002_drop_full_name.up.sql']);
    expect(baseline.findings).toHaveLength(active.length);
    expect(baseline.findings).toContainEqual({
      rule: 'drop-column',
      migration: '000002',
      path: 'db/000002_drop_full_name.up.sql',
      direction: 'up',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      reason: 'present when the baseline was recorded',
    });

    const after = await run(['check', 'db'], dir);
    expect(after.code).toBe(0);
    // The old migrations' hygiene is held back with the recorded findings: both count as in the baseline.
    const held = before.migrations.flatMap((m) => m.findings).filter((f) => !f.suppressed).length;
    expect(after.out).toContain(`0 errors, 0 warnings, 0 info · ${held} in the baseline\n`);
    const report = await json(['check', 'db'], dir);
    expect(report.summary).toMatchObject({ findings: { error: 0, warning: 0, info: 0 }, baselined: held, staleBaseline: 0 });
    expect(report.baseline).toEqual({ file: 'twoway-baseline.json', matched: active.length, stale: [] });
    // --no-baseline shows everything again.
    expect((await json(['check', 'db', '--no-baseline'], dir)).summary.findings).toEqual(before.summary.findings);
  });

  it('an entry survives its statement moving to another line; a new finding in the same file is reported', async () => {
    const dir = tempProject(dropColumnHistory());
    await run(['baseline', 'db'], dir);
    writeFileSync(
      join(dir, 'db/000002_drop_full_name.up.sql'),
      '-- reviewed\n\n-- first_name/last_name replaced full_name in release 42\nALTER TABLE users DROP COLUMN full_name;\nALTER TABLE users DROP COLUMN email;\n',
    );
    const report = await json(['check', 'db'], dir);
    const active = report.migrations.flatMap((m) => m.findings).filter((f) => !f.suppressed);
    expect(active.filter((f) => f.rule === 'drop-column').map((f) => f.line)).toEqual([5]);
    expect(report.migrations[1]?.findings.find((f) => f.rule === 'drop-column' && f.line === 4)?.suppressed).toEqual({
      kind: 'baseline',
      reason: 'present when the baseline was recorded',
    });
  });

  it('a finding that is gone leaves a stale entry, reported as such; `twoway baseline` again drops it and keeps edited reasons', async () => {
    const dir = tempProject(dropColumnHistory());
    await run(['baseline', 'db'], dir);
    const edited = baselineOf(dir);
    for (const e of edited.findings) e.reason = `accepted: ${e.rule}`;
    writeFileSync(join(dir, 'twoway-baseline.json'), JSON.stringify(edited));
    writeFileSync(join(dir, 'db/000002_drop_full_name.up.sql'), 'ALTER TABLE users ADD COLUMN bio text;\n');

    const report = await json(['check', 'db'], dir);
    expect(report.baseline?.stale.map((e) => [e.rule, e.direction, e.path])).toContainEqual([
      'drop-column',
      'up',
      'db/000002_drop_full_name.up.sql',
    ]);
    expect(report.summary.staleBaseline).toBe(report.baseline?.stale.length);
    const human = await run(['check', 'db'], dir);
    expect(human.out).toContain(
      'stale baseline entry twoway-baseline.json: drop-column (up) in db/000002_drop_full_name.up.sql matches no finding any more',
    );
    // Stale entries are news, not failures: the exit code is the active findings' own.
    expect(human.code).toBe(report.summary.findings.error ? 1 : 0);

    await run(['baseline', 'db'], dir);
    const rewritten = baselineOf(dir);
    expect(rewritten.findings.map((e) => e.rule)).not.toContain('drop-column');
    const key = (e: (typeof edited.findings)[number]) => `${e.rule}|${e.path}|${e.direction}|${e.fingerprint}`;
    const recorded = new Set(edited.findings.map(key));
    const kept = rewritten.findings.filter((e) => recorded.has(key(e)));
    expect(kept.length).toBeGreaterThan(0);
    for (const e of kept) expect(e.reason).toBe(`accepted: ${e.rule}`);
    expect((await json(['check', 'db'], dir)).baseline?.stale).toEqual([]);
  });

  it('init --baseline writes the config and the baseline', async () => {
    const dir = tempProject(dropColumnHistory());
    const { code, out } = await run(['init', '--baseline'], dir);
    expect(code).toBe(0);
    expect(out).toMatch(/^wrote twoway\.config\.yaml\nwrote twoway-baseline\.json: \d+ findings of 2 migrations/);
    expect((await run(['check'], dir)).code).toBe(0);
  });

  it('a broken baseline file is a one-line usage error', async () => {
    const dir = tempProject({ ...dropColumnHistory(), 'twoway-baseline.json': '{"version": 1, "findings": []}' });
    const { code, err } = await run(['check', 'db'], dir);
    expect({ code, err }).toEqual({
      code: 2,
      err: 'twoway: twoway-baseline.json: "migrations": Invalid input: expected array, received undefined (`twoway baseline` rewrites it)\n',
    });
    expect((await run(['check', 'db', '--baseline', 'nope.json'], dir)).err).toBe(
      'twoway: --baseline nope.json: no such file (`twoway baseline` writes one)\n',
    );
  });
});

describe('hygiene and the baseline', () => {
  it('hygiene is reported only for migrations the baseline does not list', async () => {
    const dir = tempProject(dropColumnHistory());
    const hygienic = (r: Awaited<ReturnType<typeof check>>) => {
      // prefer-text-field is a style rule: hygiene, as the category's rules are.
      for (const f of r.sets.flatMap((s) => s.reports.flatMap((m) => m.findings)))
        if (f.rule === 'prefer-text-field') f.category = 'hygiene';
      return r;
    };
    const baseline = createBaseline(hygienic(await check(['db'], { cwd: dir })), dir, dir);
    expect(baseline.findings.map((e) => e.rule)).not.toContain('prefer-text-field');

    writeFileSync(join(dir, 'db/000003_create_notes.up.sql'), 'CREATE TABLE notes (id bigint PRIMARY KEY, title varchar(80));\n');
    const result = applyBaseline(hygienic(await check(['db'], { cwd: dir })), parseBaseline(JSON.stringify(baseline), 'b'), 'b', dir, dir);
    const hygiene = result.sets[0]!.reports.flatMap((r) =>
      r.findings.filter((f) => f.category === 'hygiene').map((f) => [r.parsed.migration.id, f.suppressed?.kind]),
    );
    expect([...new Set(hygiene.map((h) => h.join(':')))]).toEqual(['000001:baseline', '000003:']);
  });
});
