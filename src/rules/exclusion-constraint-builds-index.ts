import { code, help } from '../help.js';
import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'exclusion-constraint-builds-index',
  category: 'locking',
  severity: 'error',
  summary: 'Adding an EXCLUDE constraint to an existing table builds its index under ACCESS EXCLUSIVE, with no concurrent alternative.',
  lock: 'ACCESS EXCLUSIVE on the table for the whole index build and check (proportional to table size): blocks every read and write.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['AddConstraint'],
  docs: `
\`ALTER TABLE ... ADD CONSTRAINT ... EXCLUDE USING gist (...)\` builds the exclusion index and checks
every row while holding an ACCESS EXCLUSIVE lock. Unlike UNIQUE, an exclusion constraint cannot be
attached from an index built concurrently (\`USING INDEX\` accepts only unique b-tree indexes) and
cannot be added NOT VALID, so there is no online way to add it to a large table.

Do instead, depending on the table:
- create the constraint with the table (empty: no cost), or
- build a new table with the constraint, copy rows in batches, and swap the names in a short
  transaction, or
- add it in a maintenance window with \`SET lock_timeout\` so it fails fast instead of queueing.
strong_migrations reports the same for Rails' \`add_exclusion_constraint\`; Django's
\`ExclusionConstraint\` added by \`AddConstraint\` takes the same lock.`,
  check(op, ctx) {
    if (op.constraint.type !== 'exclude' || ctx.isNewTable(op.table)) return null;
    const table = qnameText(op.table);
    return {
      message:
        `Adding EXCLUDE constraint ${op.constraint.name ?? ''} to ${table} builds its index and checks every row under an ACCESS EXCLUSIVE lock: every read and write of ${table} waits, proportional to table size, and there is no concurrent form.`.replace(
          '  ',
          ' ',
        ),
      fix: help`Add exclusion constraints when the table is created, or copy ${table} into a new table that has the constraint and swap names; if it must run here, bound the wait first:\nSET lock_timeout = '5s';\n${code('sql', op.text)}`,
    };
  },
});
