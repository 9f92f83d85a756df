import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlQName, sqlString } from '../sql/quote.js';
import { typeExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'rename-enum-value',
  category: 'breaks-old-code',
  severity: 'error',
  summary: 'Renaming an enum value breaks the release still running, which writes and compares the old label.',
  lock: 'Catalog only (pg_enum row update); no table lock.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['AlterEnum'],
  docs: `
\`ALTER TYPE status RENAME VALUE 'cancelled' TO 'canceled'\` changes every stored row at once
(rows store the value's OID, not the label). The release still running writes \`'cancelled'\`
and fails with \`invalid input value for enum\`; its \`WHERE status = 'cancelled'\` queries fail too.

Do instead (expand/contract):
1. \`ALTER TYPE status ADD VALUE 'canceled';\` (adding a value is additive; before PostgreSQL 12
   it cannot run inside a transaction block).
2. Release code that writes \`'canceled'\` and reads both labels.
3. Backfill: \`UPDATE orders SET status = 'canceled' WHERE status = 'cancelled';\` in batches.
4. PostgreSQL cannot remove an enum value: keep the old label unused, or re-create the type
   in a contract migration.

Rails enums map symbols to labels (\`enum :status, { canceled: "canceled" }\`); Django choices
store the label: both need the code step before the data step.

An enum type created in the same migration: no finding. Adding a value is additive (\`expand\`) and not reported.`,
  check(op, ctx) {
    if (op.action.type !== 'rename' || !typeExistedBefore(ctx, op.name)) return null;
    const type = qnameText(op.name);
    const { from, to } = op.action;
    return {
      message: `Renaming value '${from}' of enum ${type} to '${to}' breaks the release still running: it writes and compares '${from}'.`,
      fix: help`Add the new value next to the old one:\nALTER TYPE ${sqlQName(op.name, ctx.dialect)} ADD VALUE ${sqlString(to)};\nRelease code that writes '${to}' and reads both, then move the rows in a data migration:\nUPDATE <table> SET <column> = ${sqlString(to)} WHERE <column> = ${sqlString(from)};`,
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    };
  },
});
