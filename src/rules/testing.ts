// Table-driven rule tests (ESLint's RuleTester shape): valid and invalid cases on real SQL,
// through the real parser, replay and engine.
import { describe, expect, it } from 'vitest';
import { type AnalyzeOptions, analyzeHistory, type MigrationReport } from '../analyze.js';
import type { Finding } from '../findings.js';
import { parseSqlMigration } from '../frameworks/sql-files.js';
import type { Dialect } from '../ir.js';
import type { UsageOf, Verdict } from '../judge/judge.js';
import type { Framework, Migration, ParsedMigration } from '../migration.js';
import { loadSqlParsers } from '../sql/index.js';
import type { Rule } from './rule.js';

export interface MigrationCase {
  /** Says the case: "dropping a column that holds rows is irreversible". */
  name: string;
  /** Earlier migrations, replayed for the schema. */
  history?: string[];
  up: string;
  down?: string | null;
  dialect?: Dialect;
  serverVersion?: number;
  /** The framework runs the up in a transaction (default true). */
  transactional?: boolean;
  /** Per-rule severities, as a config would set them. */
  rules?: AnalyzeOptions['rules'];
  /** The framework whose semantics apply (default plain `sql`). */
  framework?: Framework;
  /** The framework has no downs at all (Prisma, Flyway without undo). */
  downsUnsupported?: boolean;
  /** The previous release's code as evidence for the case's migration (AnalyzeOptions.usage). */
  usage?: UsageOf;
  /** The case's SQL holds a statement the database refuses, on purpose (default: any parse error fails the test). */
  refused?: boolean;
}

export interface InvalidCase extends MigrationCase {
  /** Line (in the up, or in the down for down-side rules) the finding points at. */
  line?: number;
  /** Text the message must contain. */
  message?: string;
  severity?: Finding['severity'];
  /** How many findings of the rule (default 1). */
  count?: number;
  /** What the migration's verdict must be, for the answers named (the judge decides it from the net effect). */
  effect?: Partial<Verdict>;
}

function migration(id: string, up: string, down: string | null | undefined, c: MigrationCase): Migration {
  return {
    id,
    name: id,
    framework: c.framework ?? 'sql',
    dialect: c.dialect ?? 'postgresql',
    path: `${id}.up.sql`,
    files: down == null ? [`${id}.up.sql`] : [`${id}.up.sql`, `${id}.down.sql`],
    up: { path: `${id}.up.sql`, text: up, startLine: 1, language: 'sql' },
    down: down == null ? null : { path: `${id}.down.sql`, text: down, startLine: 1, language: 'sql' },
    transactional: c.transactional ?? true,
    ...(c.downsUnsupported ? { downsUnsupported: true } : {}),
  };
}

/** Runs the whole pipeline on a history plus one migration; returns that migration's report. */
export async function analyzeCase(c: MigrationCase): Promise<MigrationReport> {
  await loadSqlParsers();
  const history: ParsedMigration[] = (c.history ?? []).map((sql, i) => parseSqlMigration(migration(`h${i + 1}`, sql, null, c)));
  const target = parseSqlMigration(migration('m', c.up, c.down, c));
  const errors = [...history, target].flatMap((p) => p.errors);
  if (errors.length && !c.refused)
    throw new Error(`test SQL does not parse: ${errors.map((e) => `${e.path}:${e.line}: ${e.message}`).join('; ')}`);
  const reports = analyzeHistory([...history, target], {
    serverVersion: c.serverVersion,
    rules: c.rules,
    usage: (p) => (p === target ? c.usage : undefined),
  });
  return reports.at(-1) as MigrationReport;
}

export function ruleTests(rule: Rule, cases: { valid: MigrationCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    it('has metadata and docs', () => {
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.docs.length).toBeGreaterThan(40);
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const report = await analyzeCase(c);
        expect(report.findings.filter((f) => f.rule === rule.id)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const report = await analyzeCase(c);
        const found = report.findings.filter((f) => f.rule === rule.id);
        expect(found, `findings of ${rule.id}`).toHaveLength(c.count ?? 1);
        const f = found[0] as Finding;
        if (c.line !== undefined) expect(f.line).toBe(c.line);
        if (c.message) expect(f.message).toContain(c.message);
        if (c.severity) expect(f.severity).toBe(c.severity);
        if (c.effect) {
          const verdict = { phase: report.phase, codeRollback: report.codeRollback, dbRollback: report.dbRollback };
          expect(pick(verdict, Object.keys(c.effect)), 'verdict').toEqual(c.effect);
        }
        expect(f.fix.length).toBeGreaterThan(10);
      });
    }
  });
}

function pick<T extends object>(o: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k))) as Partial<T>;
}
