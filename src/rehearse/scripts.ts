// What rehearsal runs for a migration's up and down, and how: the framework's own SQL as written,
// a down twoway derives from the IR, or (DSL frameworks) the SQL twoway emits for the IR.
import type { Operation } from '../ir.js';
import { hasDown } from '../judge/judge.js';
import type { Framework, ParsedMigration, SourceText } from '../migration.js';
import { invertOperations } from '../plan/invert.js';
import type { Schema } from '../schema/schema.js';
import { emitPostgres } from '../sql/emit-postgresql.js';
import { type Engine, errorMessage, PartlyAppliedError, TimeoutError } from './engine.js';

export interface Script {
  /** The whole script as one text. */
  text: string;
  /** The same, statement by statement (run one by one outside a transaction). */
  statements: string[];
  /** Per statement (aligned with `statements`): the line it starts on and the IR operations it carries (lock observation). */
  units: StatementUnit[];
  /**
   * transaction: BEGIN, the script, COMMIT (dbmate, Flyway, goose…). message: the whole file as one
   * multi-statement message, which PostgreSQL runs as one implicit transaction (golang-migrate).
   * statements: one by one, outside any transaction (dbmate transaction:false, goose NO TRANSACTION…).
   */
  mode: 'transaction' | 'message' | 'statements';
  /** Statements that could not be emulated and were left out. */
  skipped: string[];
  /** Where `text` starts in the migration's file; null for SQL twoway emitted. */
  origin: { path: string; startLine: number } | null;
}

export interface StatementUnit {
  /** 1-based line in the migration's file: the statement, or the DSL call whose emitted SQL it is. */
  line: number;
  ops: Operation[];
}

export type UpSource = 'written' | 'emulated';
export type DownSource = 'written' | 'derived' | 'emulated';

/** Frameworks that send a migration file to PostgreSQL as one message rather than inside BEGIN … COMMIT. */
const ONE_MESSAGE_FRAMEWORKS = new Set<Framework>(['golang-migrate', 'prisma']);

export interface MigrationScripts {
  /** The operations of the up and of the down that runs: what decides which tables the rehearsal fills. */
  ops: Operation[];
  up: Script;
  upSource: UpSource;
  down: Script | null;
  downSource: DownSource | null;
  /** Why there is no down to run. */
  noDown: string | null;
}

/** `before`: the schema replayed up to this migration, to derive downs that restore defaults and types. */
export function scriptsFor(parsed: ParsedMigration, before: Schema): MigrationScripts {
  const m = parsed.migration;
  const sqlUp = m.up.language === 'sql';
  const modeOf = (transactional: boolean): Script['mode'] =>
    !transactional ? 'statements' : ONE_MESSAGE_FRAMEWORKS.has(m.framework) ? 'message' : 'transaction';
  const mode = modeOf(m.transactional);
  const downMode = modeOf(m.downTransactional ?? m.transactional);
  const up = sqlUp ? fromSource(m.up, parsed.up, mode) : fromOperations(parsed.up, mode);
  const upSource: UpSource = sqlUp ? 'written' : 'emulated';
  if (hasDown(parsed) && parsed.down) {
    if (m.down?.language === 'sql' && parsed.downStatus === 'written')
      return {
        ops: [...parsed.up, ...parsed.down],
        up,
        upSource,
        down: fromSource(m.down, parsed.down, downMode),
        downSource: 'written',
        noDown: null,
      };
    return {
      ops: [...parsed.up, ...parsed.down],
      up,
      upSource,
      down: fromOperations(parsed.down, downMode),
      downSource: sqlUp && parsed.downStatus === 'derived' ? 'derived' : 'emulated',
      noDown: null,
    };
  }
  if (parsed.downStatus === 'irreversible')
    return { ops: [...parsed.up], up, upSource, down: null, downSource: null, noDown: 'declared irreversible' };
  if (!m.downsUnsupported) return { ops: [...parsed.up], up, upSource, down: null, downSource: null, noDown: 'no down written' };
  const inverse = invertOperations(parsed.up, before);
  if (!inverse.ok)
    return { ops: [...parsed.up], up, upSource, down: null, downSource: null, noDown: `no down derivable: ${inverse.reason}` };
  return {
    ops: [...parsed.up, ...inverse.ops],
    up,
    upSource,
    down: fromOperations(inverse.ops, mode),
    downSource: 'derived',
    noDown: null,
  };
}

function fromSource(source: SourceText, ops: readonly Operation[], mode: Script['mode']): Script {
  // Several IR operations can come from one statement (ALTER TABLE with several actions): run it once.
  const seen = new Map<string, StatementUnit>();
  const statements: string[] = [];
  const units: StatementUnit[] = [];
  for (const op of ops) {
    const at = `${op.span.line}:${op.span.column}`;
    const unit = seen.get(at);
    if (unit) unit.ops.push(op);
    if (unit || !op.text.trim()) continue;
    const made = { line: op.span.line, ops: [op] };
    seen.set(at, made);
    statements.push(op.text);
    units.push(made);
  }
  return { text: source.text, statements, units, mode, skipped: [], origin: { path: source.path, startLine: source.startLine } };
}

function fromOperations(ops: readonly Operation[], mode: Script['mode']): Script {
  // A DSL migration that ends and restarts the framework's transaction (Alembic's autocommit_block, Django's
  // atomic = False steps) must run statement by statement, with those boundaries, for CONCURRENTLY to work.
  const splitsTransaction = mode === 'transaction' && ops.some((op) => op.kind === 'Transaction');
  const statements: string[] = [];
  const units: StatementUnit[] = [];
  const add = (sql: string, line: number, op: Operation | null) => {
    statements.push(sql);
    units.push({ line, ops: op ? [op] : [] });
  };
  if (splitsTransaction) add('BEGIN', ops[0]?.span.line ?? 1, null);
  const skipped: string[] = [];
  for (const op of ops) {
    // Outside the framework's transaction, one the migration opens (Sequelize's sequelize.transaction()) runs as written.
    if (op.kind === 'Transaction' && (splitsTransaction || mode === 'statements')) {
      add(op.action.toUpperCase(), op.span.line, op);
      continue;
    }
    const emitted = emitPostgres(op);
    if (!emitted.ok) skipped.push(emitted.reason);
    else if (emitted.sql && statements.at(-1) !== emitted.sql) add(emitted.sql, op.span.line, op);
    else if (emitted.sql) units.at(-1)?.ops.push(op);
  }
  if (splitsTransaction) add('COMMIT', ops.at(-1)?.span.endLine ?? 1, null);
  return {
    text: statements.map((s) => `${s};`).join('\n'),
    statements,
    units,
    mode: splitsTransaction ? 'statements' : mode,
    skipped,
    origin: null,
  };
}

export class ScriptError extends Error {
  /** The SQLSTATE the engine gave (PostgreSQL, PGlite), when it gave one. */
  readonly sqlState: string | undefined;
  constructor(
    message: string,
    /** Part of the script stayed applied: the database is in a state no migration describes. */
    readonly partial: boolean,
    cause?: unknown,
  ) {
    super(message);
    const code = (cause as { code?: unknown } | undefined)?.code;
    this.sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  }
}

/**
 * Runs a script as the framework would: in one transaction, or statement by statement. A time-out
 * leaves the engine in a state to rebuild (PGlite's was ended), so it counts as partial.
 */
export async function runScript(engine: Engine, script: Script): Promise<void> {
  const whole = { statements: script.statements.length };
  if (script.mode === 'message') {
    try {
      await engine.exec(script.text, whole);
    } catch (e) {
      throw new ScriptError(errorMessage(e), e instanceof TimeoutError || e instanceof PartlyAppliedError, e);
    }
    return;
  }
  if (script.mode === 'transaction') {
    await engine.exec('BEGIN');
    try {
      await engine.exec(script.text, whole);
      await engine.exec('COMMIT');
    } catch (e) {
      await engine.exec('ROLLBACK').catch(() => {});
      throw new ScriptError(errorMessage(e), e instanceof TimeoutError || e instanceof PartlyAppliedError, e);
    }
    return;
  }
  for (const [i, statement] of script.statements.entries()) {
    try {
      await engine.exec(statement);
    } catch (e) {
      // A transaction the migration opened ends with the failure, as its framework rolls it back.
      if (script.statements.slice(0, i).some((s) => s === 'BEGIN')) await engine.exec('ROLLBACK').catch(() => {});
      throw new ScriptError(`${errorMessage(e)} (statement ${i + 1}: ${firstLine(statement)})`, i > 0 || e instanceof TimeoutError, e);
    }
  }
}

function firstLine(statement: string): string {
  const line = statement.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
