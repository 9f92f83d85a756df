import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'set-tablespace-rewrites-table',
  category: 'locking',
  severity: 'error',
  summary: 'ALTER TABLE/INDEX ... SET TABLESPACE copies every block under ACCESS EXCLUSIVE: no reads or writes until it finishes.',
  lock: 'ACCESS EXCLUSIVE on the table (or the index and its table) for the whole copy (proportional to size): blocks every read and write.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
Moving a table or an index to another tablespace copies its files block by block while holding
an ACCESS EXCLUSIVE lock: the table cannot be read or written until the copy finishes, which
takes as long as writing the whole table again. \`ALTER INDEX ... SET TABLESPACE\` locks the index
the same way (and queries that use it wait).

There is no concurrent form. Do instead:
- move it online with \`pg_repack --table=users --tablespace=fast_ssd\` (pg_repack 1.2+), or
- for an index: build a new one concurrently in the target tablespace
  (\`CREATE INDEX CONCURRENTLY ... TABLESPACE fast_ssd\`) and drop the old one concurrently.
Keep it out of Rails/Django migrations (\`execute\` / \`RunSQL\`) that run during deploys.`,
  check(op, ctx) {
    const onTable = op.statement === 'AlterTable:AT_SetTableSpace';
    const onOther = op.statement.startsWith('AlterTableStmt:') && op.statement.includes('AT_SetTableSpace');
    if ((!onTable && !onOther) || !op.target) return null;
    if (onTable && ctx.isNewTable(op.target)) return null;
    const what = onTable ? `table ${qnameText(op.target)}` : qnameText(op.target);
    return {
      message: `SET TABLESPACE copies ${what} under an ACCESS EXCLUSIVE lock: every read and write waits for the whole copy, proportional to its size.`,
      fix: onTable
        ? help`Move the table online with pg_repack --table=${qnameText(op.target)} --tablespace=<tablespace>, outside the migration.`
        : help`Build a replacement index with CREATE INDEX CONCURRENTLY ... TABLESPACE <tablespace>, then DROP INDEX CONCURRENTLY ${sqlQName(op.target, ctx.dialect)}.`,
    };
  },
});
