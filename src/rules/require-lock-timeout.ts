import { help } from '../help.js';
import { BLOCKS, LOCKING_KINDS, tablesText } from './postgres-locks.js';
import { defineRule } from './rule.js';
import { firstMissingTimeout, listText, lockNeedingTimeout, timeoutFix } from './timeout-setting.js';

export default defineRule({
  id: 'require-lock-timeout',
  category: 'locking',
  severity: 'warning',
  summary: 'A statement that locks an existing table runs without lock_timeout: while it waits, every query behind it waits too.',
  lock: 'Any lock that blocks reads or writes (ACCESS EXCLUSIVE, SHARE ROW EXCLUSIVE, SHARE): while the statement waits for it, queries that arrive after it queue behind it.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: LOCKING_KINDS,
  docs: `
Even a catalog-only change such as \`ADD COLUMN\` (no default) or \`DROP COLUMN\` needs an
ACCESS EXCLUSIVE lock, and it must wait for every transaction that touches the table to end.
While it waits, it sits in the lock queue **in front of** every query that arrives after it: one
long-running report or an idle-in-transaction session turns a millisecond migration into a full
outage of the table. The same holds for the SHARE / SHARE ROW EXCLUSIVE locks of index builds and
foreign keys, which block writes.

\`lock_timeout\` bounds the wait: the statement fails fast instead, and the deploy can retry.
\`\`\`sql
SET lock_timeout = '5s';        -- or SET LOCAL inside the migration's transaction
ALTER TABLE users ADD COLUMN nickname text;
\`\`\`
Set it at the top of the migration: the rule reports once per migration and direction, at the first
statement that needs it, naming every table the migration locks without it. A \`SET\` counts from where
it runs (a \`SET LOCAL\` until its transaction ends, and not at all outside one).
- Rails: strong_migrations' \`StrongMigrations.lock_timeout = 10.seconds\`, or
  \`execute "SET lock_timeout = '5s'"\` in the migration.
- Django: a \`RunSQL("SET lock_timeout = '5s'")\` first, or \`OPTIONS: {"options": "-c lock_timeout=5000"}\`.
- Alembic: \`op.execute("SET lock_timeout = '5s'")\`, or once in env.py before \`context.run_migrations()\`.
- Knex / TypeORM / Sequelize: \`knex.raw\` / \`queryRunner.query\` / \`sequelize.query\` first in the migration.
- Flyway: \`flyway.initSql\` or a \`beforeMigrate.sql\` callback; golang-migrate, dbmate, goose: \`lock_timeout=5s\`
  (or \`options=-c lock_timeout=5s\`) in the database URL.
twoway reads these runner settings from the project's files itself (never running them) and names the
file and line in the JSON report (\`sets[].runnerSettings\`): no timeout finding then. Where the
runner sets it some other way, say so in the config: \`"lockTimeout": "5s"\` (\`"statementTimeout"\`
likewise), unless a migration turns it off. Either one set by the runner silences both timeout rules.

A lock the down takes is reported in the down, once, and says so; when the up was already told, the
down's finding is \`info\` (one fix serves both). An index build or drop that
\`require-concurrent-index-creation\` / \`-deletion\` reports is left out: their fix, CONCURRENTLY,
takes no blocking lock.

Statements on tables created in the same migration wait for nobody: no finding. squawk calls this
\`require-timeout-settings\` / \`require-lock-timeout\`.`,
  check(op, ctx) {
    const missing = firstMissingTimeout(op, ctx, 'lock_timeout', blockingLock);
    if (!missing) return null;
    const { lock, tables, alsoInUp } = missing;
    const later = tables.slice(lock.tables.length);
    const where = ctx.direction === 'down' ? 'the down' : 'the migration';
    return {
      message: `${alsoInUp ? 'In the down, as in the up: n' : ctx.direction === 'down' ? 'In the down: n' : 'N'}o lock_timeout is set before this statement takes ${lock.level} on ${tablesText(lock.tables)} (${BLOCKS[lock.level]}): while it waits for running transactions, every query that arrives after it waits too.${later.length ? ` Later statements of ${where} lock ${listText(later)} without one too.` : ''}`,
      fix: help`Set a lock timeout before ${where}'s first statement, so a statement fails fast instead of queueing (and retry the deploy).\n${timeoutFix(ctx, 'lock_timeout', '5s')}`,
      // The up's warning already asks for the one fix (the runner, or the top of the migration) that serves both.
      ...(alsoInUp ? { severity: 'info' as const } : {}),
    };
  },
});

function blockingLock(op: Parameters<typeof lockNeedingTimeout>[0], ctx: Parameters<typeof lockNeedingTimeout>[1]) {
  const lock = lockNeedingTimeout(op, ctx);
  return lock && lock.level !== 'SHARE UPDATE EXCLUSIVE' ? lock : null;
}
