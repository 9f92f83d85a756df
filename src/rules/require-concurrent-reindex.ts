import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlQName } from '../sql/quote.js';
import { indexTable, isNewIndex } from './postgres-locks.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'require-concurrent-reindex',
  category: 'locking',
  severity: 'warning',
  summary: 'REINDEX without CONCURRENTLY blocks writes to the table (and reads through the index) for the whole rebuild.',
  lock: 'SHARE on the table (blocks writes) and ACCESS EXCLUSIVE on each index being rebuilt (blocks reads that use it), for the whole rebuild.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
\`REINDEX\` rebuilds an index from scratch while holding a SHARE lock on its table, so every write
waits for the whole rebuild (proportional to table size), and an ACCESS EXCLUSIVE lock on the
index itself, so queries planned to use it wait too. \`REINDEX TABLE\` does this for every index
of the table.

PostgreSQL 12 added \`REINDEX ... CONCURRENTLY\`, which builds a new copy and swaps it in
without blocking reads or writes. It cannot run in a transaction block. Before 12, build a new
index concurrently and drop the old one:
\`\`\`sql
-- PostgreSQL 12+
REINDEX INDEX CONCURRENTLY index_users_on_email;
-- before 12
CREATE INDEX CONCURRENTLY index_users_on_email_new ON users (email);
DROP INDEX CONCURRENTLY index_users_on_email;
ALTER INDEX index_users_on_email_new RENAME TO index_users_on_email;
\`\`\`
Rails: \`disable_ddl_transaction!\` + \`execute "REINDEX INDEX CONCURRENTLY ..."\`; Django: a
\`RunSQL\` in a migration with \`atomic = False\`.`,
  check(op, ctx) {
    if (!op.statement.startsWith('ReindexStmt') || op.options?.includes('concurrently')) return null;
    const target = op.target;
    const onIndex = op.statement === 'ReindexStmt:index';
    if (target && (onIndex ? isNewIndex(target, ctx) : ctx.isNewTable(target))) return null;
    const table = target && onIndex ? indexTable(target, ctx) : target;
    const kind = op.statement.slice('ReindexStmt:'.length).toUpperCase();
    const name = target ? qnameText(target) : '';
    const modern = ctx.serverVersion >= 12;
    return {
      message: `REINDEX ${kind} ${name} blocks writes to ${table ? qnameText(table) : 'the table'} (SHARE lock) and reads through the rebuilt index (ACCESS EXCLUSIVE) for the whole rebuild, proportional to table size.`,
      fix: modern
        ? help`Rebuild without blocking, outside a transaction:\nREINDEX ${kind} CONCURRENTLY ${target ? sqlQName(target, ctx.dialect) : ''};`
        : `PostgreSQL ${ctx.serverVersion} has no REINDEX CONCURRENTLY (12+): build a replacement with CREATE INDEX CONCURRENTLY, then DROP INDEX CONCURRENTLY the old one and rename the new one.`,
    };
  },
});
