import { help } from '../help.js';
import { BLOCKS, LOCKING_KINDS, tablesText } from './postgres-locks.js';
import { defineRule } from './rule.js';
import { firstMissingTimeout, listText, lockNeedingTimeout, timeoutFix } from './timeout-setting.js';

export default defineRule({
  id: 'require-statement-timeout',
  category: 'locking',
  severity: 'info',
  summary:
    'A scan, build or rewrite under a blocking lock runs without statement_timeout: nothing bounds how long the table stays blocked.',
  lock: 'A blocking lock held for a scan, index build or rewrite: as long as the statement runs, proportional to table size.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: LOCKING_KINDS,
  docs: `
\`lock_timeout\` bounds how long a statement waits for its lock; once granted, a table rewrite, a
non-concurrent index build or a validation scan holds the lock for as long as it runs, which
grows with the table. \`statement_timeout\` bounds that: past it the statement is cancelled, the
transaction rolls back and the table is released.

The real fix is the non-blocking form the other locking rules name (CONCURRENTLY, NOT VALID +
VALIDATE, expand/contract); when a blocking statement is accepted, cap it:
\`\`\`sql
SET statement_timeout = '15min';
\`\`\`
Do not set a short statement_timeout around \`CREATE INDEX CONCURRENTLY\`: cancelling it leaves
an INVALID index to drop. So a non-concurrent \`CREATE INDEX\` on an existing table gets no finding
here: \`require-concurrent-index-creation\` reports it, and its fix (CONCURRENTLY) is the one that
keeps writes flowing; \`lock_timeout\` bounds only the wait for the lock, never the build.
Rails: \`StrongMigrations.statement_timeout\` or an \`execute\`;
Django: \`RunSQL("SET statement_timeout = ...")\`. squawk checks this as \`require-statement-timeout\`.`,
  check(op, ctx) {
    const missing = firstMissingTimeout(op, ctx, 'statement_timeout', longLock);
    if (!missing) return null;
    const { lock, tables } = missing;
    const later = tables.slice(lock.tables.length);
    const where = ctx.direction === 'down' ? 'the down' : 'the migration';
    return {
      message: `${ctx.direction === 'down' ? 'In the down: n' : 'N'}o statement_timeout bounds this statement, which holds ${lock.level} on ${tablesText(lock.tables)} (${BLOCKS[lock.level]}) for a scan, build or rewrite proportional to table size.${later.length ? ` Later statements of ${where} do the same on ${listText(later)}.` : ''}`,
      fix: help`Prefer the non-blocking form; if this one is accepted, cap how long the table can stay blocked.\n${timeoutFix(ctx, 'statement_timeout', '15min')}`,
    };
  },
});

/**
 * A long blocking lock. A non-concurrent index build the CONCURRENTLY rule reports is left out: its fix takes no
 * blocking lock, and a statement_timeout around CREATE INDEX CONCURRENTLY only leaves an INVALID index behind.
 */
function longLock(op: Parameters<typeof lockNeedingTimeout>[0], ctx: Parameters<typeof lockNeedingTimeout>[1]) {
  const lock = lockNeedingTimeout(op, ctx);
  return lock && lock.duration === 'long' && lock.level !== 'SHARE UPDATE EXCLUSIVE' ? lock : null;
}
