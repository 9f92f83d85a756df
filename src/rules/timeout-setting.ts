// Where a missing lock_timeout / statement_timeout is reported (once per migration and direction, at the first
// statement that needs it, naming every table the direction locks without it) and how to set it in the
// migration's own framework.
import { type CodeLanguage, Help, type HelpPart } from '../help.js';
import type { Operation, QName } from '../ir.js';
import { qnameText } from '../ir.js';
import { alembicFunction } from './framework-help.js';
import { type LockProfile, lockOf, timeoutSet } from './postgres-locks.js';
import { blockingBuild } from './require-concurrent-index-creation.js';
import { blockingDrop } from './require-concurrent-index-deletion.js';
import type { RuleContext } from './rule.js';

export type TimeoutName = 'lock_timeout' | 'statement_timeout';
type Needs = (op: Operation, ctx: RuleContext) => LockProfile | null;

/**
 * The lock of a statement that needs `name`, leaving out the index builds and drops that the CONCURRENTLY rules
 * already report: their fix takes no blocking lock, so a timeout finding on them says the same lock twice.
 */
export function lockNeedingTimeout(op: Operation, ctx: RuleContext): LockProfile | null {
  // Each statement, not each finding: a later build on the same table is named in the first one's finding.
  if (op.kind === 'AddIndex' && blockingBuild(op, ctx) !== null) return null;
  if (op.kind === 'DropIndex' && blockingDrop(op, ctx) !== null) return null;
  return lockOf(op, ctx);
}

/** Per migration, the timeouts its up already reports: the down's finding for the same setting is info, said once. */
const reportedInUp = new WeakMap<object, Set<TimeoutName>>();

/** The rule's finding per direction: rules are stateless, the context object is one direction of one analysis. */
const reported = new WeakMap<RuleContext, Map<TimeoutName, { ops: readonly Operation[]; index: number }>>();

/**
 * The lock this statement takes without `name` in force, when it is the direction's first such statement;
 * with every table the direction's statements from here on lock without it. `alsoInUp`: a down whose up was
 * already told (one fix, at the top of the migration or in the runner, serves both).
 */
export function firstMissingTimeout(
  op: Operation,
  ctx: RuleContext,
  name: TimeoutName,
  needs: Needs,
): { lock: LockProfile; tables: QName[]; alsoInUp: boolean } | null {
  if (timeoutSet(ctx, name)) return null;
  // A runner that sets either timeout for every migration has its policy: the other is not asked for again, as
  // long as the migration has not turned the runner's off.
  if ([...ctx.runnerTimeouts].some((other) => timeoutSet(ctx, other as TimeoutName))) return null;
  const byName = reported.get(ctx) ?? new Map();
  reported.set(ctx, byName);
  const earlier = byName.get(name);
  // Already reported at an earlier statement of this direction: nothing more to work out (the same context seen
  // again from an earlier index is a new analysis).
  if (earlier && earlier.ops === ctx.ops && earlier.index < ctx.index) return null;
  const lock = outsideUpCreated(needs(op, ctx), ctx);
  if (!lock) return null;
  byName.set(name, { ops: ctx.ops, index: ctx.index });
  const inUp = reportedInUp.get(ctx.parsed) ?? new Set<TimeoutName>();
  reportedInUp.set(ctx.parsed, inUp);
  if (ctx.direction === 'up') inUp.add(name);
  const alsoInUp = ctx.direction === 'down' && inUp.has(name);
  return { lock, tables: [...lock.tables, ...laterTables(ctx, name, needs)], alsoInUp };
}

/** Tables the rest of the direction locks while `name` is still not in force (SETs and transaction ends followed). */
function laterTables(ctx: RuleContext, name: TimeoutName, needs: Needs): QName[] {
  const settings = new Map(ctx.settings);
  let inTransaction = ctx.inTransaction;
  let local = false;
  const created = new Set<string>();
  const out: QName[] = [];
  const seen = new Set<string>();
  const upCreated = upCreatedTables(ctx);
  // One view of the context, moved along the statements (a copy per statement was most of this loop's cost).
  const view: RuleContext = {
    ...ctx,
    settings,
    isNewTable: (q) => ctx.isNewTable(q) || created.has(qnameText(q)),
  };
  for (let j = ctx.index + 1; j < ctx.ops.length; j++) {
    const op = ctx.ops[j] as Operation;
    const prev = ctx.ops[j - 1] as Operation;
    if (prev.kind === 'CreateTable') created.add(qnameText(prev.table));
    if (op.kind === 'Transaction') inTransaction = op.action === 'begin';
    view.index = j;
    view.inTransaction = inTransaction;
    if (!timeoutSet(view, name)) {
      for (const t of outsideUpCreated(needs(op, view), view, upCreated)?.tables ?? []) {
        const key = qnameText(t);
        if (!seen.has(key) && !ctx.isNewTable(t)) out.push(t);
        seen.add(key);
      }
    }
    if (op.kind === 'SetSetting' && op.name.toLowerCase() === name && !(op.local && !inTransaction)) {
      settings.set(name, op.value);
      local = op.local;
    }
    if (op.kind === 'Transaction' && op.action !== 'begin' && local) {
      settings.delete(name);
      local = false;
    }
  }
  return out;
}

/**
 * In the down, tables the up created: the previous release never used them, so a lock on them queues nobody's
 * queries (the up's own statements on them are new tables already).
 */
function outsideUpCreated(lock: LockProfile | null, ctx: RuleContext, upCreated?: ReadonlySet<string>): LockProfile | null {
  if (!lock || ctx.direction !== 'down') return lock;
  const made = upCreated ?? upCreatedTables(ctx);
  const tables = lock.tables.filter((t) => !made.has(qnameText(t)));
  return tables.length ? { ...lock, tables } : null;
}

/** In the down, the tables (qname text) its up created; none in the up. */
function upCreatedTables(ctx: RuleContext): ReadonlySet<string> {
  if (ctx.direction !== 'down') return NONE;
  return new Set(
    (ctx.otherDirection ?? []).flatMap((o) => (o.kind === 'CreateTable' && !ctx.start.table(o.table) ? [qnameText(o.table)] : [])),
  );
}
const NONE: ReadonlySet<string> = new Set();

/**
 * `SET lock_timeout = '5s'` written the way the migration's framework runs SQL. Each way is a line of prose ending
 * in ":" and then its code on a line of its own, in its language (Ruby, YAML, Python, JS/TS, SQL, a config file's
 * key=value): reports put the code in a code block labelled so and leave the prose as prose.
 */
export function timeoutFix(ctx: RuleContext, name: TimeoutName, value: string): Help {
  const sql = `SET ${name} = '${value}'`;
  const config = name === 'lock_timeout' ? 'lockTimeout' : 'statementTimeout';
  const strong = name === 'lock_timeout' ? 'lock_timeout' : 'statement_timeout';
  const runner = `If your runner already sets it for every migration, say so in the twoway config: "${config}": "${value}".`;
  const js = /\.[cm]?tsx?$/.test(ctx.migration.path) ? 'ts' : 'js';
  const prose = (text: string): HelpPart => ({ code: false, text });
  const code = (language: CodeLanguage, text: string): HelpPart => ({ code: true, text, language });
  const ways = (...parts: HelpPart[]) => new Help(parts);
  switch (ctx.migration.framework) {
    case 'rails':
      return ways(
        prose('In config/initializers/strong_migrations.rb:'),
        code('ruby', `StrongMigrations.${strong} = ${value.replace(/min$/, '.minutes').replace(/s$/, '.seconds')}`),
        prose('or in config/database.yml:'),
        code('yaml', `variables: { ${name}: ${value} }`),
        prose('or first in the migration:'),
        code('ruby', `execute "${sql}"`),
      );
    case 'django':
      return ways(
        prose('First in operations:'),
        code('python', `migrations.RunSQL("${sql}"),`),
        prose('or for every migration, in settings.DATABASES:'),
        code('python', `"OPTIONS": {"options": "-c ${name}=${value}"}`),
      );
    case 'alembic':
      return ways(
        prose("For every migration, in env.py's run_migrations_online before context.run_migrations():"),
        code('python', `connection.execute(text("${sql}"))`),
        prose(`or first in ${alembicFunction(ctx)}:`),
        code('python', `op.execute("${sql}")`),
      );
    case 'knex':
      return ways(prose('First in the migration:'), code(js, `await knex.raw("${sql}");`), prose(runner));
    case 'typeorm':
      return ways(prose('First in the migration:'), code(js, `await queryRunner.query("${sql}");`), prose(runner));
    case 'sequelize':
      return ways(prose('First in the migration:'), code(js, `await queryInterface.sequelize.query("${sql}");`), prose(runner));
    case 'node-pg-migrate':
      return ways(prose('First in the migration:'), code(js, `pgm.sql("${sql}");`), prose(runner));
    case 'prisma':
      return ways(prose('At the top of migration.sql:'), code('sql', `${sql};`), prose(runner));
    case 'flyway':
      return ways(
        prose('For every migration, in flyway.conf:'),
        code('ini', `flyway.initSql=${sql}`),
        prose('or in a beforeMigrate.sql callback, or at the top of the script:'),
        code('sql', `${sql};`),
      );
    case 'golang-migrate':
    case 'dbmate':
    case 'goose':
    case 'pop':
      return ways(
        prose('For every migration, in the database URL:'),
        code('text', `?options=-c%20${name}%3D${value}`),
        prose('or at the top of the file:'),
        code('sql', `${sql};`),
      );
    default:
      return ways(prose('At the top of the migration:'), code('sql', `${sql};`), prose(runner));
  }
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(tables: readonly QName[]): string {
  const names = tables.map(qnameText);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
