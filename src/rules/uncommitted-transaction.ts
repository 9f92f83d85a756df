import { defineRule } from './rule.js';

export default defineRule({
  id: 'uncommitted-transaction',
  category: 'locking',
  severity: 'warning',
  summary: 'A BEGIN without a COMMIT: the migration leaves its transaction, and every lock it took, open.',
  lock: 'Every lock taken after the BEGIN stays held until something ends the transaction: for ACCESS EXCLUSIVE, every read and write of the table waits.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Transaction'],
  docs: `
A migration that opens a transaction with \`BEGIN\` and never commits it leaves the session in an
open transaction: the changes are not visible to anyone, and every lock taken since the BEGIN is
held until the runner happens to commit, roll back or disconnect. With an ACCESS EXCLUSIVE lock
from an ALTER TABLE, the table is unusable meanwhile; when the runner disconnects, the changes are
rolled back although the migration is recorded as applied.

Do instead: end every explicit transaction in the same file (\`COMMIT;\`), or leave transactions to
the framework (Rails, Django, Alembic, Flyway and dbmate wrap each migration by default). squawk
calls this \`ban-uncommitted-transaction\`.`,
  check(op, ctx) {
    // A transaction the framework begins (after Alembic's autocommit_block) is the one it commits.
    if (op.action !== 'begin' || op.managed) return null;
    const later = ctx.ops.slice(ctx.index + 1);
    const ended = later.some((o) => o.kind === 'Transaction' && o.action !== 'begin');
    if (ended) return null;
    return {
      message: 'BEGIN without a matching COMMIT: the transaction, and every lock taken after it, stays open when the migration ends.',
      fix: 'End the transaction in the same file:\nCOMMIT;',
    };
  },
});
