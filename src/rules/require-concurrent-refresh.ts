import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'require-concurrent-refresh',
  category: 'locking',
  severity: 'error',
  summary: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view for the whole refresh.',
  lock: 'ACCESS EXCLUSIVE on the materialized view for the whole refresh (proportional to the query’s cost): blocks every read.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
\`REFRESH MATERIALIZED VIEW\` re-runs the view's query and swaps the result in under an ACCESS
EXCLUSIVE lock held for the whole refresh: every query that reads the view waits, for as long
as the query takes.

\`REFRESH MATERIALIZED VIEW CONCURRENTLY\` (PostgreSQL 9.4+) computes the new result beside the
old one and applies the difference, taking only an EXCLUSIVE lock, which lets reads continue.
It requires a UNIQUE index on the view covering all rows (no WHERE, column names only):
\`\`\`sql
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS sales_summary_key ON sales_summary (day, region);
REFRESH MATERIALIZED VIEW CONCURRENTLY sales_summary;
\`\`\`
A view created (and so first filled) in the same migration has no readers yet: no finding.
Rails (\`execute\`, scenic's \`concurrently: true\`) and Django (\`RunSQL\`) work the same way.`,
  check(op, ctx) {
    if (op.statement !== 'RefreshMatViewStmt' || op.options?.includes('concurrently') || !op.target) return null;
    const target = op.target;
    if (ctx.ops.slice(0, ctx.index).some((o) => o.kind === 'CreateView' && o.name.name === target.name)) return null;
    const view = qnameText(target);
    return {
      message: `REFRESH MATERIALIZED VIEW ${view} without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on ${view}: every read of it waits for the whole refresh.`,
      fix: help`Refresh it concurrently (needs a unique index on the view):\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${sqlIdent(`${target.name}_key`, ctx.dialect)} ON ${sqlQName(target, ctx.dialect)} (<unique columns>);\nREFRESH MATERIALIZED VIEW CONCURRENTLY ${sqlQName(target, ctx.dialect)};`,
    };
  },
});
