import { help } from '../help.js';
import { withoutTransaction } from './framework-help.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'transaction-nesting',
  category: 'locking',
  severity: 'warning',
  summary: 'BEGIN / COMMIT inside a migration the framework already runs in a transaction.',
  lock: 'Every lock taken before the early COMMIT is released, and the statements after it run outside any transaction.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Transaction'],
  docs: `
Rails, Django, Alembic, Flyway and dbmate run each migration in a transaction. A \`BEGIN\` written in
the migration is then ignored by PostgreSQL ("WARNING: there is already a transaction in
progress"), and its \`COMMIT\` ends the **framework's** transaction early: the statements after it
run one by one outside any transaction, so a failure half-way leaves the migration half applied
and not recorded, and the framework's own COMMIT finds no transaction. A written \`ROLLBACK\`
likewise discards the statements before it while the framework records the migration as run.

Do instead: drop the BEGIN/COMMIT and let the framework manage the transaction, or turn the
framework's transaction off when you need to manage it (Rails: \`disable_ddl_transaction!\`;
Django: \`atomic = False\`; Alembic: \`transaction_per_migration\` / \`autocommit_block()\`; dbmate:
\`transaction:false\`; goose: \`NO TRANSACTION\`; Flyway: \`executeInTransaction=false\`).

golang-migrate sends a file as one query and has no transaction of its own: an explicit
BEGIN/COMMIT there is the documented way to get one, so it is not reported. squawk calls this
\`transaction-nesting\`.`,
  check(op, ctx) {
    // The framework's own way out of its transaction (Alembic's autocommit_block) is what the fix asks for.
    if (op.managed || !ctx.migration.transactional || ctx.migration.framework === 'golang-migrate') return null;
    // Whether a transaction is open right before this statement, and whether the migration opened it itself.
    let open = true;
    let explicit = false;
    for (const o of ctx.ops.slice(0, ctx.index)) {
      if (o.kind !== 'Transaction') continue;
      open = o.action === 'begin';
      explicit = open && !o.managed;
    }
    if (op.action === 'begin') {
      if (!open) return null;
      return {
        message: `BEGIN inside the transaction ${explicit ? 'opened above' : `${ctx.migration.framework} already runs this migration in`}: PostgreSQL ignores it, and the matching COMMIT ends the framework's transaction early.`,
        fix: help`Remove the BEGIN/COMMIT and let the framework manage the transaction, or turn its transaction off for this migration: ${withoutTransaction(ctx)}.`,
      };
    }
    if (!open || explicit) return null;
    return {
      message: `${op.action.toUpperCase()} ends the transaction ${ctx.migration.framework} runs this migration in: the statements after it run outside any transaction, and a failure leaves the migration half applied.`,
      fix: help`Remove the ${op.action.toUpperCase()}; if the migration needs statements outside a transaction, turn the framework's transaction off for it and split it: ${withoutTransaction(ctx)}.`,
    };
  },
});
