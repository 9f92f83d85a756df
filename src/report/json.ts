// The JSON report: DESIGN.md's public contract (version 2), validated in tests against
// docs/report.schema.json. Field names and order are part of it.
import type { MigrationReport } from '../analyze.js';
import type { BaselineOutcome } from '../baseline.js';
import type { CheckResult } from '../check.js';
import type { CodeRollback, DbRollback, Finding, Phase } from '../findings.js';
import { type Door, doorOf, type Totals, totalsOf } from './summary.js';

export interface JsonFinding {
  rule: string;
  category: Finding['category'];
  severity: Finding['severity'];
  direction: Finding['direction'];
  message: string;
  path: string;
  line: number;
  column: number;
  fix: string;
  evidence?: Finding['evidence'];
  size?: Finding['size'];
  suppressed?: Finding['suppressed'];
}

export interface JsonReason {
  rule: string;
  direction: 'up' | 'down';
  message: string;
  path: string;
  line: number;
  column: number;
  phase?: Phase;
  codeRollback?: CodeRollback;
  dbRollback?: DbRollback;
}

export interface JsonMigration {
  id: string;
  framework: string;
  dialect: string;
  path: string;
  files: string[];
  door: Door;
  phase: Phase;
  codeRollback: CodeRollback;
  dbRollback: DbRollback;
  coverage: { read: number; total: number };
  unread: Array<{ direction: 'up' | 'down'; path: string; line: number; column: number; reason: string }>;
  reasons: JsonReason[];
  findings: JsonFinding[];
}

export interface JsonRunnerSetting {
  value: string;
  /** `path:line` of the file that sets it, or the config file. */
  source: string;
}

export interface JsonReport {
  version: 2;
  summary: Totals;
  baseline?: BaselineOutcome;
  sets: Array<{
    root: string;
    framework: string;
    dialect: string;
    dialectReason: string;
    migrations: number;
    /** Timeouts the runner sets for every migration (config or project files): no finding asks for them. */
    runnerSettings?: { lockTimeout?: JsonRunnerSetting; statementTimeout?: JsonRunnerSetting };
  }>;
  migrations: JsonMigration[];
  errors: Array<{ path: string; line: number; column: number; message: string }>;
}

export function toJsonReport(result: CheckResult): JsonReport {
  return {
    version: 2,
    summary: totalsOf(result),
    ...(result.baseline ? { baseline: result.baseline } : {}),
    sets: result.sets.map(({ set, reports, runnerSettings }) => {
      const { lock_timeout: lockTimeout, statement_timeout: statementTimeout } = runnerSettings ?? {};
      return {
        root: set.root,
        framework: set.framework,
        dialect: set.dialect,
        dialectReason: set.dialectReason,
        migrations: reports.length,
        ...(lockTimeout || statementTimeout
          ? { runnerSettings: { ...(lockTimeout ? { lockTimeout } : {}), ...(statementTimeout ? { statementTimeout } : {}) } }
          : {}),
      };
    }),
    migrations: result.sets.flatMap(({ reports }) => reports.map(jsonMigration)),
    errors: result.errors.map((e) => ({ path: e.path, line: e.line, column: e.column, message: e.message })),
  };
}

function jsonMigration(r: MigrationReport): JsonMigration {
  const m = r.parsed.migration;
  return {
    id: m.id,
    framework: m.framework,
    dialect: m.dialect,
    path: m.path,
    files: m.files,
    door: doorOf(r),
    phase: r.phase,
    codeRollback: r.codeRollback,
    dbRollback: r.dbRollback,
    coverage: r.coverage,
    unread: r.unread.map((u) => ({
      direction: u.direction,
      path: u.span.path,
      line: u.span.line,
      column: u.span.column,
      reason: u.reason,
    })),
    reasons: r.reasons.map((x) => ({
      rule: x.rule,
      direction: x.direction,
      message: x.message,
      path: x.span.path,
      line: x.span.line,
      column: x.span.column,
      ...x.effect,
    })),
    findings: r.findings.map((f) => ({
      rule: f.rule,
      category: f.category,
      severity: f.severity,
      direction: f.direction,
      message: f.message,
      path: f.path,
      line: f.line,
      column: f.column,
      fix: f.fix,
      ...(f.evidence?.length ? { evidence: f.evidence } : {}),
      ...(f.size ? { size: f.size } : {}),
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
  };
}

export function formatJson(result: CheckResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
