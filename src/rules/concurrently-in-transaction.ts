import { code, help } from '../help.js';
import { type Operation, qnameText } from '../ir.js';
import { capitalized, withoutTransaction } from './framework-help.js';
import { inTransactionBlock } from './postgres-locks.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'concurrently-in-transaction',
  category: 'locking',
  severity: 'error',
  summary: 'CONCURRENTLY (and VACUUM, and a DO block that COMMITs) cannot run inside a transaction block: the migration fails.',
  lock: 'None taken: PostgreSQL refuses the statement with "cannot run inside a transaction block".',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['AddIndex', 'DropIndex', 'Raw', 'DataChange'],
  docs: `
PostgreSQL refuses \`CREATE INDEX CONCURRENTLY\`, \`DROP INDEX CONCURRENTLY\`, \`REINDEX ... CONCURRENTLY\`,
\`ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY\` and \`VACUUM\` inside a transaction block
(ERROR: ... cannot run inside a transaction block), nor a DO block that COMMITs (a batched backfill:
ERROR: invalid transaction termination). Most migration tools wrap each migration in
a transaction, so the migration fails on deploy, after the statements before it ran in a
transaction that is now rolled back.

A transaction block is the framework's (Rails, Django, Alembic, Flyway, dbmate wrap by default),
an explicit \`BEGIN\`, or an implicit one: golang-migrate and Prisma send a whole file as one query, and
PostgreSQL runs a multi-statement query as one transaction, so a concurrent build must be alone
in its file there. Flyway runs a script holding \`CREATE\`/\`DROP INDEX CONCURRENTLY\` or \`VACUUM\`
outside a transaction by itself (a mix with other statements is \`mixed-transaction-statements\`),
but not \`REINDEX TABLE|INDEX ... CONCURRENTLY\`, and not when the script's \`.sql.conf\` says
\`executeInTransaction=true\`.

Do instead: run the statement outside a transaction, alone in its migration.
- Rails: \`disable_ddl_transaction!\` in the migration class.
- Django: \`atomic = False\` on the Migration.
- Alembic: \`with op.get_context().autocommit_block():\`.
- Flyway: \`executeInTransaction=false\` in the script config; dbmate: \`-- migrate:up transaction:false\`;
  goose: \`-- +goose NO TRANSACTION\`; golang-migrate, Prisma: one statement per file.`,
  check(op, ctx) {
    if (!inTransactionBlock(ctx)) return null;
    const what = statementOf(op);
    if (!what) return null;
    // One finding for a DO block: its statements share its span.
    const before = ctx.ops[ctx.index - 1];
    if (op.kind === 'DataChange' && before?.kind === 'DataChange' && before.batched && before.span === op.span) return null;
    const how =
      ctx.migration.framework === 'flyway'
        ? 'give the script a .sql.conf with executeInTransaction=false, in a migration of its own (Flyway does not detect this statement, or the script config asks for a transaction)'
        : `${withoutTransaction(ctx)}, and remove any BEGIN/COMMIT around it`;
    return {
      message: `${what} cannot run inside a transaction block: the migration fails with "${op.kind === 'DataChange' ? 'invalid transaction termination' : 'cannot run inside a transaction block'}".`,
      fix: help`${capitalized(how)}:\n${code('sql', op.text)}`,
    };
  },
});

/** The statement PostgreSQL refuses in a transaction block, named for the message; null for any other. */
function statementOf(op: Operation): string | null {
  switch (op.kind) {
    case 'AddIndex':
      return op.concurrently ? `CREATE INDEX CONCURRENTLY${op.name ? ` ${op.name}` : ''}` : null;
    case 'DropIndex':
      return op.concurrently ? `DROP INDEX CONCURRENTLY ${qnameText(op.index)}` : null;
    case 'DataChange':
      // PostgreSQL says "invalid transaction termination" for the COMMIT of a DO block run in a transaction block.
      return op.batched ? `A DO block that COMMITs between batches (${op.action} of ${qnameText(op.table)})` : null;
    case 'Raw': {
      const concurrently = op.options?.includes('concurrently') ?? false;
      if (op.statement.startsWith('ReindexStmt') && concurrently) return 'REINDEX CONCURRENTLY';
      if (op.statement === 'AlterTable:AT_DetachPartition' && concurrently) return 'DETACH PARTITION CONCURRENTLY';
      return op.statement === 'VacuumStmt' ? 'VACUUM' : null;
    }
    default:
      return null;
  }
}
