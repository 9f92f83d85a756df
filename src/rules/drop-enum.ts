import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { typeExistedBefore } from './existing.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-enum',
  category: 'breaks-old-code',
  severity: 'warning',
  summary: 'Dropping a type is a contract step; with CASCADE it drops every column of that type and their data.',
  lock: 'ACCESS EXCLUSIVE on the type; with CASCADE, ACCESS EXCLUSIVE on every table with a column of that type.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['DropEnum'],
  docs: `
\`DROP TYPE\` removes what the old code may still cast to (\`'paid'::status\`) or use in
functions: a contract step, safe once no release uses the type.
- If a column still has the type, plain \`DROP TYPE\` **fails** and the migration stops.
- \`DROP TYPE … CASCADE\` **drops those columns**, silently, with their data: \`irreversible\`.

Removing a single value from an enum is not possible in PostgreSQL: it takes a new type and
an \`ALTER COLUMN … TYPE\` (see \`change-column-type\`, which compares the values).

Do instead: move the columns off the type first (expand/contract), then drop the unused type
in a migration marked \`-- twoway: contract\`.

Rollback: a down can re-create the type, but not the values of columns CASCADE dropped.
Rails: \`drop_enum\` (7.1+); Django has no enum types (choices are plain columns).`,
  check(op, ctx) {
    if (!typeExistedBefore(ctx, op.name)) return null;
    const type = qnameText(op.name);
    const users = [...ctx.schema.tables.values()].flatMap((t) =>
      [...t.columns.values()].filter((c) => c.type.name === op.name.name).map((c) => `${qnameText(t.name)}.${c.name}`),
    );
    if (users.length && op.cascade) {
      return {
        message: `DROP TYPE ${type} CASCADE drops the columns of that type with their data (${users.join(', ')}): no down can bring them back.`,
        fix: help`Move ${users.join(', ')} to another type first (expand/contract), then drop the unused type without CASCADE in a migration marked "-- twoway: contract".`,
        severity: 'error',
        effect: { phase: 'contract', dbRollback: 'irreversible' },
      };
    }
    if (users.length) {
      return {
        message: `DROP TYPE ${type} fails: ${users.join(', ')} still use it.`,
        fix: help`Move ${users.join(', ')} to another type first, then drop ${type}.`,
        severity: 'error',
        effect: { phase: 'contract' },
      };
    }
    return {
      message: `Dropping type ${type} is a contract step: code of the release still running that casts to it or passes it to functions breaks.`,
      fix: help`Drop it once no running release uses ${type}, in a migration marked "-- twoway: contract".`,
      effect: { phase: 'contract' },
    };
  },
});
