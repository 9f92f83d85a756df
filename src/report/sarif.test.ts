import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { allRules } from '../rules/index.js';
import { repoRoot, reviewHistory, tempProject } from '../testing/projects.js';
import { toJsonReport } from './json.js';
import { formatSarif } from './sarif.js';

// The SARIF 2.1.0 schema (rtm.5, the one the OASIS standard was published with), as Microsoft's
// SARIF SDK ships it: validated offline.
const require = createRequire(import.meta.url);
const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// CommonJS modules whose module.exports is the default export.
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
// The schema's language-tag pattern is not valid with the `u` flag Ajv uses by default.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));

async function sarifOf(dir: string, paths: string[] = []) {
  const result = await check(paths, { cwd: dir });
  const log = JSON.parse(formatSarif(result));
  return { log, json: toJsonReport(result), run: log.runs[0] };
}

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

describe('SARIF', () => {
  it('the bundled example is valid SARIF 2.1.0 with one result per finding', async () => {
    const { log, json, run } = await sarifOf(repoRoot, ['examples']);
    expectValid(log);
    expect(log.version).toBe('2.1.0');
    const findings = json.migrations.flatMap((m) => m.findings);
    expect(run.results.map((r: { ruleId: string }) => r.ruleId)).toEqual(findings.map((f) => f.rule));
    expect(run.results[0].locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: findings[0]?.path },
      region: { startLine: findings[0]?.line, startColumn: findings[0]?.column },
    });
    expect(run.results[0].message.text).toContain(findings[0]?.fix.split('\n')[0]);
  });

  it('describes every rule with its help text and a link to its docs page', async () => {
    const { run } = await sarifOf(repoRoot, ['examples']);
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(allRules.map((r) => r.id));
    for (const [i, rule] of allRules.entries()) {
      const descriptor = run.tool.driver.rules[i];
      expect(descriptor.shortDescription.text).toBe(rule.summary);
      expect(descriptor.help.markdown).toContain(rule.docs.trim().split('\n')[0]);
      expect(descriptor.helpUri).toMatch(new RegExp(`^https://.*/docs/rules/${rule.id}\\.md$`));
      expect(descriptor.defaultConfiguration.level).toBe(rule.severity === 'info' ? 'note' : rule.severity);
    }
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('suppressed findings carry their reason; unreadable input becomes a tool notification; verdicts sit in the property bag', async () => {
    const { log, json, run } = await sarifOf(tempProject(reviewHistory()));
    expectValid(log);
    const suppressed = json.migrations.flatMap((m) => m.findings).filter((f) => f.suppressed);
    expect(suppressed.length).toBe(2);
    const justifications = run.results.flatMap((r: { suppressions?: Array<{ justification: string }> }) =>
      (r.suppressions ?? []).map((s) => s.justification),
    );
    expect(justifications.sort()).toEqual(suppressed.map((f) => f.suppressed?.reason).sort());
    const notifications = run.invocations[0].toolExecutionNotifications;
    expect(notifications.map((n: { message: { text: string } }) => n.message.text)).toEqual(json.errors.map((e) => e.message));
    expect(run.properties.migrations.map((m: { id: string; dbRollback: string }) => [m.id, m.dbRollback])).toEqual(
      json.migrations.map((m) => [m.id, m.dbRollback]),
    );
  });

  it('an invalid log is caught by the schema (the validation can fail)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});
