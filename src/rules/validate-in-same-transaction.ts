import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { inFramework } from './framework-help.js';
import { inTransactionBlock } from './postgres-locks.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'validate-in-same-transaction',
  category: 'locking',
  severity: 'warning',
  summary: 'VALIDATE CONSTRAINT in the same transaction as its NOT VALID add keeps the add’s blocking lock through the scan.',
  lock: 'The ADD CONSTRAINT lock (ACCESS EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE on both tables for FOREIGN KEY) is held until COMMIT, so through the whole validation scan.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['ValidateConstraint'],
  docs: `
Adding a constraint \`NOT VALID\` and validating it later is the safe way to add a CHECK or a
FOREIGN KEY: the add is a brief catalog change, the validation scans under SHARE UPDATE
EXCLUSIVE, which lets reads and writes continue. But locks are held until the transaction
ends: when the VALIDATE runs in the same transaction as the ADD, the add's ACCESS EXCLUSIVE
(CHECK) or SHARE ROW EXCLUSIVE (FOREIGN KEY, on both tables) lock is still held for the whole
scan, and the split buys nothing.

Do instead: validate in a separate migration (or after a COMMIT in a migration that runs
without a framework transaction).
- Rails: \`add_foreign_key ..., validate: false\` in one migration, \`validate_foreign_key\` in the
  next (or \`disable_ddl_transaction!\` so each statement commits on its own).
- Django: \`AddConstraintNotValid\` and \`ValidateConstraint\` in separate migrations, or \`atomic = False\`.`,
  check(op, ctx) {
    if (ctx.isNewTable(op.table) || !inTransactionBlock(ctx)) return null;
    const before = ctx.ops.slice(0, ctx.index);
    let added = -1;
    before.forEach((o, i) => {
      if (o.kind === 'AddConstraint' && o.constraint.notValid && o.constraint.name === op.name) added = i;
    });
    if (added < 0) return null;
    const committed = before.slice(added + 1).some((o) => o.kind === 'Transaction' && o.action !== 'begin');
    if (committed) return null;
    const c = before[added];
    if (c?.kind !== 'AddConstraint') return null;
    const fk = c.constraint.type === 'foreign-key';
    const locked =
      fk && c.constraint.references ? `${qnameText(op.table)} and ${qnameText(c.constraint.references.table)}` : qnameText(op.table);
    return {
      message: `VALIDATE CONSTRAINT ${op.name} runs in the same transaction that added it NOT VALID (line ${c.span.line}): the ${fk ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE'} lock on ${locked} is held through the whole scan, ${fk ? 'blocking writes' : 'blocking reads and writes'}.`,
      fix: help`Move the validation to the next migration${inFramework(ctx, {
        rails: `Rails: validate_${fk ? 'foreign_key' : 'check_constraint'} in a new migration`,
        alembic: 'Alembic: op.execute("ALTER TABLE ... VALIDATE CONSTRAINT ...") in the next revision',
        django: 'Django: a migrations.RunSQL in the next migration',
      })}:\nALTER TABLE ${sqlQName(op.table, ctx.dialect)} VALIDATE CONSTRAINT ${sqlIdent(op.name, ctx.dialect)};`,
    };
  },
});
