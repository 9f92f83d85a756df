// The JSON report: DESIGN.md's public contract. Field names and order are part of it.
import type { CheckResult } from '../check.js';
import type { Finding } from '../findings.js';

export interface JsonFinding {
  rule: string;
  category: Finding['category'];
  severity: Finding['severity'];
  message: string;
  path: string;
  line: number;
  column: number;
  fix: string;
  suppressed?: Finding['suppressed'];
}

export interface JsonReport {
  version: 1;
  migrations: Array<{
    id: string;
    framework: string;
    dialect: string;
    path: string;
    files: string[];
    phase: string;
    codeRollback: string;
    dbRollback: string;
    findings: JsonFinding[];
  }>;
  errors: Array<{ path: string; line: number; column: number; message: string }>;
}

export function toJsonReport(result: CheckResult): JsonReport {
  return {
    version: 1,
    migrations: result.sets.flatMap(({ reports }) =>
      reports.map((r) => ({
        id: r.parsed.migration.id,
        framework: r.parsed.migration.framework,
        dialect: r.parsed.migration.dialect,
        path: r.parsed.migration.path,
        files: r.parsed.migration.files,
        phase: r.phase,
        codeRollback: r.codeRollback,
        dbRollback: r.dbRollback,
        findings: r.findings.map((f) => ({
          rule: f.rule,
          category: f.category,
          severity: f.severity,
          message: f.message,
          path: f.path,
          line: f.line,
          column: f.column,
          fix: f.fix,
          ...(f.suppressed ? { suppressed: f.suppressed } : {}),
        })),
      })),
    ),
    errors: result.errors.map((e) => ({ path: e.path, line: e.line, column: e.column, message: e.message })),
  };
}

export function formatJson(result: CheckResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
