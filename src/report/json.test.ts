// The JSON report is a public contract: every report validates against docs/report.schema.json, and
// its summary counts agree with its migrations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { repoRoot } from '../testing/projects.js';
import { type JsonReport, toJsonReport } from './json.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'docs/report.schema.json'), 'utf8'));
const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('the JSON report (version 2)', () => {
  let report: JsonReport;
  beforeAll(async () => {
    report = toJsonReport(await check(['examples'], { cwd: repoRoot }));
  });

  it('validates against docs/report.schema.json on every bundled example', () => {
    const ok = validate(report);
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(ok).toBe(true);
  });

  it('validates with the runner settings a set names', async () => {
    const withSettings = toJsonReport(
      await check(['examples'], { cwd: repoRoot, runnerSettings: { lock_timeout: '5s' }, runnerSettingsSource: 'twoway.config.json' }),
    );
    const pg = withSettings.sets.find((s) => s.dialect === 'postgresql');
    expect(pg?.runnerSettings).toEqual({ lockTimeout: { value: '5s', source: 'twoway.config.json' } });
    expect(validate(withSettings), JSON.stringify(validate.errors)).toBe(true);
  });

  it('says which dialect each set was read as, and why', () => {
    expect(report.sets.length).toBeGreaterThan(10);
    for (const s of report.sets) expect(s.dialectReason.length).toBeGreaterThan(0);
    expect(report.sets.reduce((n, s) => n + s.migrations, 0)).toBe(report.migrations.length);
  });

  it('carries summary counts that equal the migrations it lists', () => {
    const m = report.migrations;
    expect(report.summary.migrations).toBe(m.length);
    expect(report.summary.unverified).toBe(m.filter((x) => x.door === 'unverified').length);
    expect(report.summary.oneWayDoors).toBe(m.filter((x) => x.door === 'one-way' || x.door === 'declared-contract').length);
    expect(report.summary.withoutDown).toBe(m.filter((x) => x.dbRollback === 'no-down').length);
    const active = m.flatMap((x) => x.findings).filter((f) => !f.suppressed);
    expect(report.summary.findings.error).toBe(active.filter((f) => f.severity === 'error').length);
  });

  it('never calls a migration with unread code a two-way door, and says what was not read', () => {
    const unread = report.migrations.filter((x) => x.unread.length > 0);
    expect(unread.length).toBeGreaterThan(0);
    for (const x of unread) {
      expect(x.door).not.toBe('two-way');
      expect(x.coverage.read).toBeLessThan(x.coverage.total);
    }
  });

  it('gives every one-way answer a reason pointing at a line', () => {
    for (const x of report.migrations) {
      if (x.codeRollback === 'breaking') expect(x.reasons.some((r) => r.codeRollback === 'breaking')).toBe(true);
      if (x.dbRollback === 'irreversible') expect(x.reasons.some((r) => r.dbRollback === 'irreversible')).toBe(true);
      for (const r of x.reasons) expect(r.line).toBeGreaterThan(0);
    }
  });
});
