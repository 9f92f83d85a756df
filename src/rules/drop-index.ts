import { defineRule } from './rule.js';

// Raised by the judge: an index of before that the migration drops and does not re-create identically.
export default defineRule({
  id: 'drop-index',
  category: 'breaks-old-code',
  severity: 'info',
  summary: 'Dropping an index is a contract step: queries of the release still running may depend on it, and a down must rebuild it.',
  direction: 'up',
  kinds: [],
  docs: `
An index holds no data of its own, so dropping it destroys nothing. But the queries of the
release still running may depend on it: a lookup that used it becomes a sequential scan, a
unique index that backed an \`ON CONFLICT\` is gone. And the way back is a rebuild that can take
as long as the original build (an index "that took hours to build"). So a \`DROP INDEX\`
(also \`CONCURRENTLY\`, \`IF EXISTS\`, of an index the history never showed) is a contract step.

An index dropped and created again with the same definition (same table, columns, uniqueness,
method and predicate; the name does not matter) is no change: no finding. With another
definition the old index is gone: a contract step. A table rebuild that leaves out one of the
old table's indexes drops it too.

Do instead: drop an index only once no released code needs it, in a migration marked
\`-- twoway: contract\`, with a down that rebuilds it (\`CREATE INDEX CONCURRENTLY\` outside a
transaction). The lock \`DROP INDEX\` takes is \`require-concurrent-index-deletion\`'s business.`,
  fix: 'Drop the index only once no released code needs it, in a migration marked "-- twoway: contract", with a down that rebuilds it concurrently.',
});
