// The analysis core: replay the history, run the rules on every migration, fold verdicts.
// Pure: no I/O. Input is parsed migrations in the order their framework applies them.
import type { Finding, Severity } from './findings.js';
import type { Dialect, Operation, QName } from './ir.js';
import type { Directive, ParsedMigration } from './migration.js';
import { allRules } from './rules/index.js';
import type { MigrationRuleContext, Rule, RuleContext, RuleResult } from './rules/rule.js';
import { Schema } from './schema/schema.js';
import { type Verdict, verdictOf } from './verdict.js';

export interface AnalyzeOptions {
  /** Target server major version, per dialect default when absent. */
  serverVersion?: number;
  /** Per-rule severity from the config; 'off' hides a rule's findings (the verdict still counts them). */
  rules?: Record<string, Severity | 'off'>;
  /** Only these migrations are reported (--since); the others still feed the replay. */
  report?: (parsed: ParsedMigration) => boolean;
  /** The schema the history starts from (a seed from a dump); empty by default. */
  seed?: Schema;
}

export interface MigrationReport extends Verdict {
  parsed: ParsedMigration;
  /** Findings to report: config 'off' removed, severities from the config applied. */
  findings: Finding[];
  /** The author declared this migration a contract step (`twoway: contract`). */
  declaredContract: boolean;
}

const RULE_IDS: ReadonlySet<string> = new Set(allRules.map((r) => r.id));

export const DEFAULT_SERVER_VERSION: Record<Dialect, number> = { postgresql: 16, mysql: 8, sqlite: 3 };

export function analyzeHistory(history: readonly ParsedMigration[], options: AnalyzeOptions = {}): MigrationReport[] {
  const schema = options.seed?.clone() ?? new Schema();
  const reports: MigrationReport[] = [];
  for (const parsed of history) {
    const serverVersion = options.serverVersion ?? DEFAULT_SERVER_VERSION[parsed.migration.dialect];
    const all = analyzeMigration(parsed, schema, serverVersion);
    if (options.report && !options.report(parsed)) continue;
    const verdict = verdictOf(parsed, all);
    const declaredContract = parsed.directives.some((d) => d.type === 'contract');
    const findings = applyConfig(applyDirectives(all, parsed, declaredContract), options.rules ?? {});
    reports.push({ parsed, ...verdict, findings, declaredContract });
  }
  return reports;
}

interface DialectRules {
  rules: readonly Rule[];
  /** Rules with a `check`, by direction and operation kind: built once, looked up for every operation. */
  byKind: Record<'up' | 'down', ReadonlyMap<string, readonly Rule[]>>;
}

const RULES_BY_DIALECT = new Map<Dialect, DialectRules>();

function rulesFor(dialect: Dialect): DialectRules {
  let cached = RULES_BY_DIALECT.get(dialect);
  if (!cached) {
    const rules = allRules.filter((r) => !r.dialects || r.dialects.includes(dialect));
    const index = (direction: 'up' | 'down') => {
      const byKind = new Map<string, Rule[]>();
      for (const r of rules) {
        if (!r.check || (r.direction !== direction && r.direction !== 'both')) continue;
        for (const k of r.kinds) byKind.set(k, [...(byKind.get(k) ?? []), r]);
      }
      return byKind;
    };
    cached = { rules, byKind: { up: index('up'), down: index('down') } };
    RULES_BY_DIALECT.set(dialect, cached);
  }
  return cached;
}

/** Runs every rule over one migration and advances `schema` past its up. Returns every finding. */
export function analyzeMigration(parsed: ParsedMigration, schema: Schema, serverVersion: number): Finding[] {
  const { migration } = parsed;
  const { rules, byKind } = rulesFor(migration.dialect);
  const before = schema.clone();
  const findings: Finding[] = [];
  const base = { migration, parsed, serverVersion, dialect: migration.dialect };

  visit('up', parsed.up, schema, before, parsed.down);
  const afterUp = schema;
  if (parsed.down?.length) visit('down', parsed.down, afterUp.clone(), before, parsed.up);

  const migrationCtx: MigrationRuleContext = { ...base, before, afterUp, ruleIds: RULE_IDS };
  for (const rule of rules) {
    if (!rule.checkMigration) continue;
    for (const r of rule.checkMigration(migrationCtx)) findings.push(toFinding(rule, r, r.span ?? spanOfFile(parsed)));
  }
  for (const note of parsed.notes ?? []) {
    const rule = allRules.find((r) => r.id === note.rule);
    if (!rule) throw new Error(`adapter note names an unregistered rule: ${note.rule}`);
    findings.push(toFinding(rule, note, note.span));
  }
  return findings;

  function visit(
    direction: 'up' | 'down',
    ops: readonly Operation[],
    live: Schema,
    start: Schema,
    other: readonly Operation[] | null,
  ): void {
    const owner = direction === 'up' ? migration.id : `${migration.id}:down`;
    const settings = new Map<string, string>();
    /** SET LOCAL values end with their transaction. */
    const localSettings = new Set<string>();
    let inTransaction = migration.transactional;
    const isNewTable = (q: QName) => live.table(q)?.createdBy === owner;
    const ctx: RuleContext = {
      ...base,
      direction,
      schema: live,
      start,
      afterUp: direction === 'up' ? live : schema,
      isNewTable,
      holdsRows: (q: QName) => !isNewTable(q),
      inTransaction,
      settings,
      otherDirection: other,
      ops,
      index: 0,
    };
    ops.forEach((op, index) => {
      if (op.kind === 'Transaction') inTransaction = op.action === 'begin';
      ctx.index = index;
      ctx.inTransaction = inTransaction;
      for (const rule of byKind[direction].get(op.kind) ?? []) {
        const out = rule.check?.(op as never, ctx);
        for (const r of out ? (Array.isArray(out) ? out : [out]) : []) findings.push(toFinding(rule, r, r.span ?? op.span));
      }
      if (op.kind === 'SetSetting') applySetting(op.name.toLowerCase(), op.value, op.local);
      if (op.kind === 'Transaction' && op.action !== 'begin') {
        for (const name of localSettings) settings.delete(name);
        localSettings.clear();
      }
      live.apply(op, owner);
    });

    function applySetting(name: string, value: string, local: boolean): void {
      // Outside a transaction block PostgreSQL ignores SET LOCAL (with a warning).
      if (local && !inTransaction) return;
      settings.set(name, value);
      if (local) localSettings.add(name);
      else localSettings.delete(name);
    }
  }
}

function toFinding(rule: Rule, r: RuleResult, span: Finding['span']): Finding {
  return {
    rule: rule.id,
    category: rule.category,
    severity: r.severity ?? rule.severity,
    message: r.message,
    path: span.path,
    line: span.line,
    column: span.column,
    fix: r.fix,
    span,
    effect: r.effect ?? {},
  };
}

function spanOfFile(parsed: ParsedMigration): Finding['span'] {
  const line = parsed.migration.up.startLine;
  return { path: parsed.migration.path, line, column: 1, endLine: line, endColumn: 1 };
}

/**
 * An ignore comment covers its own line: the statement it sits in or trails, or, on a line of its
 * own, the first statement after it in the same file. Without a reason it covers nothing.
 * An acknowledgment (strong_migrations' safety_assured) covers its range of lines, for every rule.
 * `twoway: contract` turns the migration's contract findings into declared, planned ones.
 */
function applyDirectives(findings: Finding[], parsed: ParsedMigration, declaredContract: boolean): Finding[] {
  const ignores = parsed.directives.filter((d): d is IgnoreDirective => d.type === 'ignore' && d.reason !== null);
  const acknowledgments = parsed.directives.filter((d) => d.type === 'acknowledge');
  const statements = [...parsed.up, ...(parsed.down ?? [])].map((op) => op.span);
  const covered = (d: IgnoreDirective, f: Finding): boolean => {
    if (f.span.line === d.line) return true;
    const inFile = statements.filter((s) => s.path === d.path);
    // A comment inside or trailing a statement covers that statement; a comment on its own line covers the next one.
    const around = inFile.filter((s) => s.line <= d.line && d.line <= s.endLine);
    const nextLine = Math.min(...inFile.filter((s) => s.line > d.line).map((s) => s.line));
    const targets = around.length ? around : inFile.filter((s) => s.line === nextLine);
    return targets.some((s) => s.line <= f.span.line && f.span.line <= s.endLine);
  };
  return findings.map((f) => {
    const ignore = ignores.find((d) => d.path === f.path && d.rule === f.rule && covered(d, f));
    if (ignore) return { ...f, suppressed: { kind: 'ignore', reason: ignore.reason as string } };
    const acknowledged = acknowledgments.find((d) => d.path === f.path && d.line <= f.span.line && f.span.line <= d.endLine);
    if (acknowledged) return { ...f, suppressed: { kind: 'ignore', reason: acknowledged.reason } };
    if (declaredContract && f.effect.phase === 'contract' && f.category === 'data-loss') {
      return { ...f, severity: 'info', suppressed: { kind: 'contract', reason: 'declared contract step (twoway: contract)' } };
    }
    return f;
  });
}

type IgnoreDirective = Extract<Directive, { type: 'ignore' }>;

function applyConfig(findings: Finding[], rules: Record<string, Severity | 'off'>): Finding[] {
  return findings.flatMap((f) => {
    const level = rules[f.rule];
    if (level === 'off') return [];
    return level && !f.suppressed ? [{ ...f, severity: level }] : [f];
  });
}
