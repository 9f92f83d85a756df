import { code, help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent } from '../sql/quote.js';
import { isRails, railsNotValid } from './rails-fix.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'down-readds-constraint',
  category: 'rollback',
  severity: 'warning',
  summary: 'The down re-adds a constraint the up dropped: rows written since that violate it make the rollback fail.',
  direction: 'down',
  kinds: ['AddConstraint'],
  docs: `
Dropping a CHECK, UNIQUE, FOREIGN KEY or exclusion constraint is a contract step: from the up on,
the new release may write rows the constraint used to refuse (duplicates, orphans, out-of-range
values). The natural down re-adds the constraint, which checks every existing row and fails on
the first violation, leaving the rollback stuck. The migration is \`lossy\`: going back needs a
decision about those rows.

Do instead, in the down:
- CHECK and FOREIGN KEY: add it \`NOT VALID\` (existing rows are not checked, new ones are), and
  validate later once the offending rows are fixed:
  \`\`\`sql
  ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
  \`\`\`
- UNIQUE / PRIMARY KEY / EXCLUDE: find and resolve the duplicates first (merge or archive them),
  then build the index concurrently and attach it with \`USING INDEX\`.
Rails: \`add_foreign_key ..., validate: false\` / \`add_check_constraint ..., validate: false\` in the
down; Django: \`AddConstraintNotValid\`.`,
  check(op, ctx) {
    const c = op.constraint;
    if (!c.name || c.notValid || c.usingIndex) return null;
    const before = ctx.start.table(op.table)?.constraints.has(c.name);
    const afterUp = ctx.afterUp.table(op.table)?.constraints.has(c.name);
    if (!before || afterUp) return null;
    const table = qnameText(op.table);
    const canSkipCheck = c.type === 'check' || c.type === 'foreign-key';
    const violation = {
      check: 'values it refuses',
      'foreign-key': 'rows whose reference is gone',
      unique: 'duplicates',
      'primary-key': 'duplicates or NULLs',
      exclude: 'overlapping rows',
      'not-null': 'NULLs',
    }[c.type];
    const railsAdd = isRails(ctx) ? railsNotValid(op.table, c, c.name)?.add : undefined;
    return {
      message: `The down re-adds constraint ${c.name} on ${table}, which the up dropped: ${violation} written since the up make it fail.`,
      fix: canSkipCheck
        ? help`Re-add it NOT VALID in the down (new rows are checked, existing ones are not) and validate it once the rows are fixed:\n${railsAdd ? code('ruby', railsAdd) : help`${code('sql', op.text.replace(/;\s*$/, ''))} NOT VALID;`}`
        : help`Resolve the ${violation} in the down before re-adding it (merge, archive or delete them explicitly), then build the index concurrently and attach it with ADD CONSTRAINT ${sqlIdent(c.name, ctx.dialect)} ... USING INDEX.`,
      effect: { dbRollback: 'lossy' },
    };
  },
});
