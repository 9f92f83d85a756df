// The analysis core: replay the history, run the rules on every migration, fold verdicts.
// Pure: no I/O. Input is parsed migrations in the order their framework applies them.
import { type Finding, SEVERITY_RANK, type Severity } from './findings.js';
import { parseFix } from './help.js';
import { type Dialect, type Operation, type QName, qnameKey } from './ir.js';
import { hasDown, type JudgeInput, type Judgement, judge, type Reason, type Unread, type UsageOf, type Verdict } from './judge/judge.js';
import { type NetEffect, netEffect } from './judge/net.js';
import type { Directive, ParsedMigration } from './migration.js';
import { withPlanHint } from './plan/hint.js';
import { allRules } from './rules/index.js';
import { lockOf } from './rules/postgres-locks.js';
import type { MigrationRuleContext, RollbackGroup, Rule, RuleContext, RuleResult } from './rules/rule.js';
import { Schema } from './schema/schema.js';

export interface AnalyzeOptions {
  /** Target server major version, per dialect default when absent. */
  serverVersion?: number;
  /** Per-rule severity from the config; 'off' hides a rule's findings (the verdict never depends on them). */
  rules?: Record<string, Severity | 'off'>;
  /** Severity of what makes a migration unverified (its not-analyzed findings); 'off' hides them, the verdict stays unknown. */
  unknown?: Severity | 'off';
  /** Only these migrations are reported (--since); the others still feed the replay. */
  report?: (parsed: ParsedMigration) => boolean;
  /** Session settings the runner sets before every migration (config lockTimeout / statementTimeout): in force from the first statement. */
  runnerSettings?: Readonly<Record<string, string>>;
  /** The schema the history starts from (a seed from a dump); empty by default. */
  seed?: Schema;
  /**
   * The previous release's code as evidence for a migration (`--since`'s base, src/evidence): the judge's input
   * for drops. Undefined for a migration that release already ran: what it dropped, that release never saw.
   */
  usage?: (parsed: ParsedMigration) => UsageOf | undefined;
  /** Called with the replayed schema just before each migration is analyzed (`twoway plan` keeps the one its migration starts from). */
  schemaBefore?: (parsed: ParsedMigration, schema: Schema) => void;
}

export interface Coverage {
  /** Statements and framework calls read. */
  read: number;
  /** Statements and framework calls in the migration (up and down), read or not. */
  total: number;
}

export interface MigrationReport extends Verdict {
  parsed: ParsedMigration;
  /** Findings to report: config 'off' removed, severities from the config applied. */
  findings: Finding[];
  /** The author declared this migration a contract step (`twoway: contract`). */
  declaredContract: boolean;
  /** Why each answer is what it is. */
  reasons: Reason[];
  /** At least one answer is unknown. */
  unverified: boolean;
  /** What no reader could follow. */
  unread: Unread[];
  coverage: Coverage;
}

const RULE_IDS: ReadonlySet<string> = new Set(allRules.map((r) => r.id));

export const DEFAULT_SERVER_VERSION: Record<Dialect, number> = { postgresql: 16, mysql: 8, sqlite: 3 };

export function analyzeHistory(history: readonly ParsedMigration[], options: AnalyzeOptions = {}): MigrationReport[] {
  const schema = options.seed?.clone() ?? new Schema();
  const reports: MigrationReport[] = [];
  // Migrations that roll back together are judged as a group at their last member (Migration.rollbackGroup).
  const lastOfGroup = new Map<string, number>();
  const upsOfGroup = new Map<string, Operation[]>();
  history.forEach((p, i) => {
    const id = p.migration.rollbackGroup;
    if (!id) return;
    lastOfGroup.set(id, i);
    upsOfGroup.set(id, [...(upsOfGroup.get(id) ?? []), ...p.up]);
  });
  const groups = new Map<string, { before: Schema; members: ParsedMigration[]; net: NetEffect }>();
  history.forEach((parsed, position) => {
    const serverVersion = options.serverVersion ?? DEFAULT_SERVER_VERSION[parsed.migration.dialect];
    options.schemaBefore?.(parsed, schema);
    const groupId = parsed.migration.rollbackGroup;
    // The net effect of all the group's ups, from the schema before its first: where the previous release's data goes.
    const group = groupId
      ? (groups.get(groupId) ??
        (() => {
          return { before: schema.clone(), members: [], net: netEffect(schema, upsOfGroup.get(groupId) ?? []) };
        })())
      : undefined;
    if (groupId && group) groups.set(groupId, group);
    group?.members.push(parsed);
    // What `twoway plan` would plan this migration against, for the hint naming it (a clone forks in O(1)).
    const before = schema.clone();
    // Objects a migration creates are keyed by its place in the history: ids may repeat (Knex's 2.0.0-beta.1.js…).
    const analysis = analyzeMigration(
      parsed,
      schema,
      serverVersion,
      `#${position}`,
      groupId && lastOfGroup.get(groupId) === position ? group : undefined,
      options.usage?.(parsed),
      options.runnerSettings,
      group ? { before: group.before, net: group.net } : undefined,
    );
    if (options.report && !options.report(parsed)) return;
    const declaredContract = parsed.directives.some((d) => d.type === 'contract');
    const configured = applyConfig(applyDirectives(analysis.findings, parsed, declaredContract), options, analysis.judgement.unverified);
    const findings = withPlanHint(parsed, analysis.judgement, configured, before);
    const { reasons, unverified, phase, codeRollback, dbRollback } = analysis.judgement;
    reports.push({
      parsed,
      phase,
      codeRollback,
      dbRollback,
      findings,
      declaredContract,
      reasons,
      unverified,
      unread: analysis.unread,
      coverage: analysis.coverage,
    });
  });
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

export interface MigrationAnalysis {
  findings: Finding[];
  judgement: Judgement;
  unread: Unread[];
  coverage: Coverage;
}

/** Judges one migration, runs every rule over it, and advances `schema` past its up. */
export function analyzeMigration(
  parsed: ParsedMigration,
  schema: Schema,
  serverVersion: number,
  key = parsed.migration.id,
  group?: RollbackGroup,
  usage?: UsageOf,
  runnerSettings: Readonly<Record<string, string>> = {},
  rollbackGroup?: JudgeInput['group'],
): MigrationAnalysis {
  const { migration } = parsed;
  const { rules, byKind } = rulesFor(migration.dialect);
  const before = schema.clone();
  const claims: Claim[] = [];
  const base = { migration, parsed, serverVersion, dialect: migration.dialect };
  const upNet = netEffect(before, parsed.up);
  // Which timeouts the runner sets; whether each is still in force (not 0, not turned off) is timeoutSet's to say.
  const runnerTimeouts = new Set(Object.keys(runnerSettings).filter((name) => name === 'lock_timeout' || name === 'statement_timeout'));

  visit('up', parsed.up, schema, before, parsed.down, upNet);
  const afterUp = schema;
  const downNet = hasDown(parsed) && parsed.down ? netEffect(afterUp, parsed.down) : null;
  if (parsed.down?.length) visit('down', parsed.down, afterUp.clone(), before, parsed.up, downNet ?? netEffect(afterUp, parsed.down));

  const migrationCtx: MigrationRuleContext = { ...base, before, afterUp, ruleIds: RULE_IDS, upNet, downNet, ...(group ? { group } : {}) };
  for (const rule of rules) {
    if (!rule.checkMigration) continue;
    for (const r of rule.checkMigration(migrationCtx)) {
      const span = r.span ?? spanOfFile(parsed);
      claims.push({ rule, result: r, span, direction: directionOf(parsed, span) });
    }
  }
  for (const note of parsed.notes ?? []) {
    const rule = RULES_BY_ID.get(note.rule);
    if (!rule) throw new Error(`adapter note names an unregistered rule: ${note.rule}`);
    claims.push({ rule, result: note, span: note.span, direction: note.direction ?? directionOf(parsed, note.span) });
  }
  const unread = unreadOf(parsed);
  // The replay checker's word on which down statements fail is a fact the judge takes as it is.
  const downFailures = claims
    .filter((c) => c.rule.id === 'down-references-missing' && c.direction === 'down')
    .map((c) => ({ span: c.span, message: c.result.message }));
  const judgement = judge({
    parsed,
    before,
    afterUp,
    up: upNet,
    down: downNet,
    unread,
    downFailures,
    serverVersion,
    dialect: migration.dialect,
    ...(usage ? { usage } : {}),
    ...(rollbackGroup ? { group: rollbackGroup } : {}),
  });
  return { findings: findingsOf(downRepeatsAsInfo(claims), judgement), judgement, unread, coverage: coverageOf(parsed, unread) };

  function visit(
    direction: 'up' | 'down',
    ops: readonly Operation[],
    live: Schema,
    start: Schema,
    other: readonly Operation[] | null,
    net: NetEffect,
  ): void {
    const owner = direction === 'up' ? key : `${key}:down`;
    const settings = new Map<string, string>(Object.entries(runnerSettings));
    /** SET LOCAL values end with their transaction. */
    const localSettings = new Set<string>();
    let inTransaction = direction === 'down' ? (migration.downTransactional ?? migration.transactional) : migration.transactional;
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
      runnerTimeouts,
      otherDirection: other,
      ops,
      index: 0,
      net,
      upNet,
    };
    ops.forEach((op, index) => {
      if (op.kind === 'Transaction') inTransaction = op.action === 'begin';
      ctx.index = index;
      ctx.inTransaction = inTransaction;
      for (const rule of byKind[direction].get(op.kind) ?? []) {
        const out = rule.check?.(op as never, ctx);
        const results = out ? (Array.isArray(out) ? out : [out]) : [];
        const locked = results.length && rule.category === 'locking' ? lockOf(op, ctx)?.tables.map(qnameKey) : undefined;
        for (const r of results)
          claims.push({ rule, result: r, span: r.span ?? op.span, direction, ...(locked?.length ? { locked } : {}) });
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

const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(allRules.map((r) => [r.id, r]));

interface Claim {
  rule: Rule;
  result: RuleResult;
  span: Finding['span'];
  direction: 'up' | 'down';
  /** A locking claim's tables (qname keys): those its statement locks. */
  locked?: string[];
}

/**
 * A lock the down takes that the up's finding of the same rule already named, on the same tables (the down
 * rebuilding the indexes the up dropped, re-adding the constraint the up removed): said once, as a warning in the
 * up; the down's is info and says "as in the up". The down still lists it, and a lock on a table the up never
 * locked stays a warning.
 */
function downRepeatsAsInfo(claims: Claim[]): Claim[] {
  const upLocked = new Map<string, Set<string>>();
  for (const c of claims) {
    if (c.direction !== 'up' || !c.locked || (c.result.severity ?? c.rule.severity) === 'info') continue;
    const tables = upLocked.get(c.rule.id) ?? new Set<string>();
    for (const t of c.locked) tables.add(t);
    upLocked.set(c.rule.id, tables);
  }
  if (!upLocked.size) return claims;
  return claims.map((c) => {
    const told = upLocked.get(c.rule.id);
    if (c.direction !== 'down' || !c.locked || !told || (c.result.severity ?? c.rule.severity) === 'info') return c;
    if (c.result.message.startsWith('In the down') || !c.locked.every((t) => told.has(t))) return c;
    const text = c.result.message;
    const message = `In the down, as in the up: ${/^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text}`;
    return { ...c, result: { ...c.result, message, severity: 'info' } };
  });
}

/**
 * The judge decides; rules explain. A rule's finding that claims an effect on the verdict is kept only
 * where the judge found that change (a statement-level view is fooled by rebuilds and re-creations);
 * every reason of the judge that no finding explains becomes a finding of its rule.
 */
function findingsOf(claims: readonly Claim[], judgement: Judgement): Finding[] {
  const findings: Finding[] = [];
  const explained = new Set<Reason>();
  // Reasons by every line of their statement, so each claim finds its own in one lookup (migrations of 100k statements).
  const byLine = new Map<string, Reason[]>();
  for (const r of judgement.reasons) {
    for (let line = r.span.line; line <= Math.max(r.span.line, r.span.endLine); line++) {
      const key = `${r.direction}\0${r.span.path}\0${line}`;
      byLine.set(key, [...(byLine.get(key) ?? []), r]);
    }
  }
  const overlaps = (r: Reason, claim: Finding['effect']) =>
    (claim.phase !== undefined && claim.phase === r.effect.phase) ||
    (claim.codeRollback !== undefined && claim.codeRollback === r.effect.codeRollback) ||
    (claim.dbRollback !== undefined && claim.dbRollback === r.effect.dbRollback);
  // The judge's reason of the same rule at this statement, or one of another rule that says the same.
  const reasonFor = (rule: string, span: Finding['span'], direction: 'up' | 'down', claim: Finding['effect']) => {
    const here = byLine.get(`${direction}\0${span.path}\0${span.line}`) ?? [];
    return here.find((r) => r.rule === rule) ?? here.find((r) => overlaps(r, claim));
  };
  for (const { rule, result, span, direction } of claims) {
    const claim = result.effect ?? {};
    const verdictClaim = Object.keys(claim).length > 0 && !(Object.keys(claim).length === 1 && claim.phase === 'expand');
    const reason = reasonFor(rule.id, span, direction, claim);
    if (verdictClaim && !reason) continue;
    if (reason) explained.add(reason);
    // Where the judge found less than the statement alone suggests (a recompute the down undoes), its words are the
    // finding's: the rule's would claim a loss the migration does not have. What the previous release's code told
    // is added to them.
    const weaker =
      reason !== undefined &&
      ((claim.dbRollback !== undefined && claim.dbRollback !== reason.effect.dbRollback) ||
        (claim.codeRollback !== undefined && claim.codeRollback !== reason.effect.codeRollback));
    const message = weaker ? reason.message : result.message;
    const told = reason?.evidenceSummary && !message.includes(reason.evidenceSummary) ? ` ${reason.evidenceSummary}` : '';
    findings.push(toFinding(rule, { ...result, message: message + told }, span, direction, reason?.effect ?? {}, reason?.evidence));
  }
  for (const reason of judgement.reasons) {
    if (explained.has(reason)) continue;
    const rule = RULES_BY_ID.get(reason.rule);
    if (!rule) throw new Error(`the judge names an unregistered rule: ${reason.rule}`);
    findings.push(
      toFinding(
        rule,
        { message: reason.message, fix: rule.fix ?? `See \`twoway explain ${rule.id}\`.` },
        reason.span,
        reason.direction,
        reason.effect,
        reason.evidence,
      ),
    );
  }
  return oncePerLine(findings.sort((a, b) => (a.path === b.path ? a.line - b.line || a.column - b.column : 0)));
}

/**
 * One finding per rule, line and direction: a line holding several statements or columns (a Rails
 * `create_table`, a one-line CREATE TABLE) says each thing once, in one message.
 */
function oncePerLine(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.rule}\0${f.path}\0${f.line}\0${f.direction}`;
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, f);
      out.push(f);
      continue;
    }
    if (!first.message.includes(f.message)) first.message = `${first.message} Also: ${f.message}`;
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[first.severity]) first.severity = f.severity;
    first.effect = { ...f.effect, ...first.effect };
  }
  return out;
}

/** What no reader could follow: statements that do not parse, constructs not analyzed, files that could not be read. */
function unreadOf(parsed: ParsedMigration): Unread[] {
  const out: Unread[] = [];
  const seen = new Set<string>();
  const push = (direction: 'up' | 'down', span: Finding['span'], reason: string) => {
    const k = `${direction}:${span.path}:${span.line}:${span.column}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ direction, span, reason });
  };
  const statementSpans: Finding['span'][] = [];
  for (const [direction, ops] of [
    ['up', parsed.up],
    ['down', parsed.down ?? []],
  ] as const) {
    for (const op of ops) {
      if (op.kind !== 'Raw' || !op.notAnalyzed) continue;
      statementSpans.push(op.span);
      // A down statement the database refuses is read: the down fails there (the judge says so), nothing is unknown.
      if (direction === 'down' && op.statement === 'invalid') continue;
      push(direction, op.span, op.notAnalyzed);
    }
  }
  // A parse error inside one statement is that statement's, already counted in its direction.
  const inStatement = (e: ParsedMigration['errors'][number]) =>
    statementSpans.some((s) => s.path === e.path && s.line <= e.line && e.line <= (s.endLine ?? s.line));
  for (const note of parsed.notes ?? []) {
    if (note.rule === 'not-analyzed')
      push(note.direction ?? directionOf(parsed, note.span), note.span, note.message.replace(/^not analyzed: /, ''));
  }
  for (const e of parsed.errors) {
    if (inStatement(e)) continue;
    const span = { path: e.path, line: e.line, column: e.column, endLine: e.line, endColumn: e.column };
    const direction = directionOf(parsed, span);
    // A file a DSL reader cannot parse holds the up and the down alike.
    const whole = parsed.migration.up.language !== 'sql';
    push(direction, span, e.message);
    if (whole) push('down', span, e.message);
  }
  return out;
}

function coverageOf(parsed: ParsedMigration, unread: readonly Unread[]): Coverage {
  const spans = new Set<string>();
  for (const op of [...parsed.up, ...(parsed.down ?? [])]) spans.add(`${op.span.path}:${op.span.line}:${op.span.column}`);
  const unreadSpans = new Set(unread.map((u) => `${u.span.path}:${u.span.line}:${u.span.column}`));
  for (const s of unreadSpans) spans.add(s);
  return { read: spans.size - unreadSpans.size, total: spans.size };
}

/** A span in the down file is about the down; the up file (or one file holding both) about the up. */
function directionOf(parsed: ParsedMigration, span: Finding['span']): 'up' | 'down' {
  const down = parsed.migration.down;
  if (down && down.path !== parsed.migration.up.path && span.path === down.path) return 'down';
  if (down && down.path === parsed.migration.up.path && down.startLine > parsed.migration.up.startLine && span.line >= down.startLine)
    return 'down';
  return 'up';
}

function toFinding(
  rule: Rule,
  r: RuleResult,
  span: Finding['span'],
  direction: 'up' | 'down',
  effect: Finding['effect'],
  evidence?: Finding['evidence'],
): Finding {
  return {
    ...(evidence?.length ? { evidence } : {}),
    rule: rule.id,
    category: rule.category,
    // A change to old code's schema that the previous release's code is shown not to use breaks nothing.
    severity: rule.category === 'breaks-old-code' && effect.codeRollback === 'compatible' ? 'info' : (r.severity ?? rule.severity),
    // A lock taken by the down blocks during a rollback, not during the deploy: the text says which.
    message:
      rule.category === 'locking' && direction === 'down' && !r.message.startsWith('In the down') ? `In the down: ${r.message}` : r.message,
    path: span.path,
    line: span.line,
    column: span.column,
    fix: String(r.fix),
    help: typeof r.fix === 'string' ? parseFix(r.fix) : [...r.fix.parts],
    span,
    direction,
    effect,
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

function applyConfig(findings: Finding[], options: AnalyzeOptions, unverified: boolean): Finding[] {
  const rules = options.rules ?? {};
  return findings.flatMap((f) => {
    // What leaves a door unverified is reported at the `unknown` level (default warning), unless a rule level says otherwise.
    const level = rules[f.rule] ?? (f.rule === 'not-analyzed' && unverified ? (options.unknown ?? 'warning') : undefined);
    if (level === 'off') return [];
    return level && !f.suppressed ? [{ ...f, severity: level }] : [f];
  });
}
