// SARIF 2.1.0 (GitHub code scanning, Azure DevOps, IDE viewers): every rule's metadata with its
// docs and link, one result per finding (suppressed ones carry their in-source justification),
// unreadable input as tool notifications, and each migration's verdict in the run's property bag.
import { createHash } from 'node:crypto';
import type { CheckResult } from '../check.js';
import type { Finding, Severity } from '../findings.js';
import { ruleDocsUrl, TOOL } from '../meta.js';
import { allRules } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import { doorOf } from './summary.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(result: CheckResult): object {
  const reports = result.sets.flatMap((s) => s.reports);
  // Every rule, not only those that fired: ruleIndex stays stable and viewers can show the catalogue.
  const ruleIndex = new Map(allRules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            informationUri: TOOL.informationUri,
            rules: allRules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [location(e.path, e.line, e.column)],
            })),
          },
        ],
        results: reports.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.rule,
            ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
            level: LEVEL[f.severity],
            message: { text: `${f.message}\nDo instead: ${f.fix}` },
            locations: [location(f.path, f.line, f.column, f.span)],
            partialFingerprints: { 'twoway/v1': fingerprint(f) },
            ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.reason }] } : {}),
            properties: {
              category: f.category,
              direction: f.direction,
              fix: f.fix,
              migration: r.parsed.migration.id,
              phase: r.phase,
              codeRollback: r.codeRollback,
              dbRollback: r.dbRollback,
            },
          })),
        ),
        properties: {
          migrations: reports.map((r) => ({
            id: r.parsed.migration.id,
            framework: r.parsed.migration.framework,
            path: r.parsed.migration.path,
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
          })),
        },
      },
    ],
  };
}

export function formatSarif(result: CheckResult): string {
  return `${JSON.stringify(toSarif(result), null, 2)}\n`;
}

function ruleDescriptor(rule: Rule) {
  const help = rule.docs.trim();
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.lock ? `${rule.summary} Lock: ${rule.lock}` : rule.summary },
    help: { text: help, markdown: `${help}\n\n[${rule.id} documentation](${ruleDocsUrl(rule.id)})` },
    helpUri: ruleDocsUrl(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { category: rule.category, tags: ['database-migration', rule.category] },
  };
}

function location(path: string, line: number, column: number, span?: Finding['span']) {
  const uri = path.split('\\').join('/');
  if (line < 1) return { physicalLocation: { artifactLocation: { uri } } };
  const startColumn = Math.max(1, column);
  const region: Record<string, number> = { startLine: line, startColumn };
  if (span && span.endLine >= span.line) {
    region.endLine = span.endLine;
    // SARIF's endColumn is one past the last character; a region never ends before it starts.
    region.endColumn = span.endLine === span.line ? Math.max(span.endColumn, startColumn + 1) : Math.max(1, span.endColumn);
  }
  return { physicalLocation: { artifactLocation: { uri }, region } };
}

/** Same finding, same fingerprint across runs even when lines above it move. */
function fingerprint(f: Finding): string {
  return createHash('sha256').update(`${f.rule}\0${f.path}\0${f.message}`).digest('hex').slice(0, 32);
}
