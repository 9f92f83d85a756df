import { BLOCKS, LOCKING_KINDS, lockOf, sinceTimeoutChanged, tablesText, timeoutSet } from './postgres-locks.js';
import { isRails, railsSetting } from './rails-fix.js';
import { defineRule } from './rule.js';

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
Set it at the top of the migration (the rule reports the first statement that needs it).
- Rails: strong_migrations' \`StrongMigrations.lock_timeout = 10.seconds\`, or
  \`execute "SET lock_timeout = '5s'"\` in the migration.
- Django: a \`RunSQL("SET lock_timeout = '5s'")\` first, or \`OPTIONS: {"options": "-c lock_timeout=5000"}\`.
- If your runner already sets lock_timeout for every migration, turn this rule off in the config.

Statements on tables created in the same migration wait for nobody: no finding. squawk calls this
\`require-timeout-settings\` / \`require-lock-timeout\`.`,
  check(op, ctx) {
    if (timeoutSet(ctx, 'lock_timeout')) return null;
    const lock = blockingLock(op, ctx);
    if (!lock) return null;
    // Once per stretch without a timeout: its first statement is where the SET belongs.
    const earlier = sinceTimeoutChanged(ctx, 'lock_timeout').some((o) => blockingLock(o, ctx));
    if (earlier) return null;
    return {
      message: `No lock_timeout is set before this statement takes ${lock.level} on ${tablesText(lock.tables)} (${BLOCKS[lock.level]}): while it waits for running transactions, every query that arrives after it waits too.`,
      fix: `Set a lock timeout at the top of the migration, so the statement fails fast instead of queueing (and retry the deploy):\n${isRails(ctx) ? `${railsSetting('lock_timeout', '5s')}  # or StrongMigrations.lock_timeout = 5.seconds` : "SET lock_timeout = '5s';"}`,
    };
  },
});

function blockingLock(op: Parameters<typeof lockOf>[0], ctx: Parameters<typeof lockOf>[1]) {
  const lock = lockOf(op, ctx);
  return lock && lock.level !== 'SHARE UPDATE EXCLUSIVE' ? lock : null;
}
