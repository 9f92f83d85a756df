// What a rule is: metadata first (id, category, severity, docs), then a check over IR operations.
import type { Category, Effect, Severity } from '../findings.js';
import type { Help } from '../help.js';
import type { Dialect, Operation, OperationKind, OperationOf, QName, Span } from '../ir.js';
import type { NetEffect } from '../judge/net.js';
import type { Migration, ParsedMigration } from '../migration.js';
import type { Schema } from '../schema/schema.js';

export interface RuleContext {
  migration: Migration;
  parsed: ParsedMigration;
  direction: 'up' | 'down';
  /** The schema right before this operation runs. */
  schema: Schema;
  /** The schema before the migration's up ran (for the down too: what the down should restore). */
  start: Schema;
  /** The schema after the up ran (for down-side rules). */
  afterUp: Schema;
  /** True for a table created earlier in the same direction: it is empty, so rewrites and scans cost nothing. */
  isNewTable(table: QName): boolean;
  /** True when the table existed before the migration and so may hold rows (unknown tables are assumed to). */
  holdsRows(table: QName): boolean;
  /** Whether this operation runs inside a transaction (the framework's or an explicit BEGIN). */
  inTransaction: boolean;
  /** Settings (lock_timeout, statement_timeout…) in force when this operation runs. */
  settings: ReadonlyMap<string, string>;
  /**
   * Timeouts the runner sets for every migration (config `lockTimeout`/`statementTimeout`, or read from its
   * files): with either one the team has chosen its timeout policy, and no timeout rule repeats it.
   */
  runnerTimeouts: ReadonlySet<string>;
  /** Target server major version (PostgreSQL 11 stopped rewriting for constant defaults). */
  serverVersion: number;
  dialect: Dialect;
  /** The other direction's operations: the down when checking the up, and the reverse. */
  otherDirection: readonly Operation[] | null;
  /** Every operation of this direction, in order. */
  ops: readonly Operation[];
  index: number;
  /** The net effect of this direction (what became of each object it touches): a rule stays quiet where it says nothing changed. */
  net: NetEffect;
  /** The net effect of the up (for down-side rules, what the down should undo). */
  upNet: NetEffect;
}

/** The migration as a whole, for rules that look at more than one operation. */
export interface MigrationRuleContext {
  migration: Migration;
  parsed: ParsedMigration;
  before: Schema;
  afterUp: Schema;
  serverVersion: number;
  /** Ids of every rule, for directives that name one. */
  ruleIds: ReadonlySet<string>;
  dialect: Dialect;
  upNet: NetEffect;
  /** Null when there is no down that does something. */
  downNet: NetEffect | null;
  /** Given to the last member of a rollback group (Migration.rollbackGroup): the group, judged as a whole there. */
  group?: RollbackGroup;
}

export interface RollbackGroup {
  /** The schema before the group's first migration. */
  before: Schema;
  /** Every member, in the order they are applied (this migration last). */
  members: readonly ParsedMigration[];
}

export interface RuleResult {
  message: string;
  /**
   * The safe alternative, concretely: what to write instead. Written with the `help` tag (src/help.ts) whenever it
   * holds a name from the migration, so the name stays data; a plain string is prose, then SQL lines.
   */
  fix: string | Help;
  /** Defaults to the operation's span. */
  span?: Span;
  /**
   * What the rule claims this means for the verdict. The judge decides the verdict from the net effect; a
   * finding with a claim is reported only where the judge found that change at this statement.
   */
  effect?: Effect;
  /** Overrides the rule's default severity for this result (e.g. a smaller risk in a special case). */
  severity?: Severity;
}

export interface Rule<K extends OperationKind = OperationKind> {
  id: string;
  category: Category;
  severity: Severity;
  /** One line: what the rule catches. */
  summary: string;
  /** The lock the operation takes and what it blocks, for the docs. */
  lock?: string;
  /** Markdown printed by `twoway explain <id>`: why it matters, what to do instead, version notes. */
  docs: string;
  /** What to do instead, for a finding the judge raises under this rule where no statement check did. */
  fix?: string;
  /** Which side of the migration the rule checks. */
  direction: 'up' | 'down' | 'both';
  dialects?: Dialect[];
  /** Operation kinds the rule visits. */
  kinds: readonly K[];
  check?(op: OperationOf<K>, ctx: RuleContext): RuleResult | RuleResult[] | null | undefined;
  /** Once per migration, after its operations were visited. */
  checkMigration?(ctx: MigrationRuleContext): RuleResult[];
}

/** Types `check` by the kinds the rule visits, then erases them so rules fit in one list. */
export function defineRule<K extends OperationKind>(rule: Rule<K>): Rule {
  return rule as unknown as Rule;
}
