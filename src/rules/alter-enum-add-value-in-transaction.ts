import { code, help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlQName, sqlString } from '../sql/quote.js';
import { capitalized, withoutTransaction } from './framework-help.js';
import { inTransactionBlock } from './postgres-locks.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'alter-enum-add-value-in-transaction',
  category: 'locking',
  severity: 'error',
  summary:
    'ALTER TYPE ... ADD VALUE in a transaction fails before PostgreSQL 12, and its value cannot be used in the same transaction from 12 on.',
  lock: 'ACCESS EXCLUSIVE on the type’s catalog entry only (brief); the failure is a transaction rule, not a wait.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['AlterEnum'],
  docs: `
Adding a value to an enum is cheap, but PostgreSQL restricts it inside transactions:
- **Before PostgreSQL 12**: \`ALTER TYPE ... ADD VALUE cannot run inside a transaction block\`. Every
  framework that wraps migrations in a transaction fails on it.
- **PostgreSQL 12+**: it may run in a transaction, but the new value cannot be used until the
  transaction commits (\`unsafe use of new value "x" of enum type\`): an UPDATE, INSERT or DEFAULT
  that uses it later in the same migration fails.
twoway finds a use by looking for the value as a string literal in the later statements of the
same transaction.

Do instead: add the value in a migration of its own, outside a transaction before 12, and use
it (backfill, default) in the next migration.
- Rails: \`disable_ddl_transaction!\` + \`add_enum_value :status, "archived"\` (7.1+) or \`execute\`.
- Django: \`atomic = False\` on the migration that runs \`ALTER TYPE\`.
- Alembic: \`with op.get_context().autocommit_block(): op.execute("ALTER TYPE ... ADD VALUE ...")\`.`,
  check(op, ctx) {
    if (op.action.type !== 'add' || !inTransactionBlock(ctx)) return null;
    const value = op.action.value;
    const type = qnameText(op.name);
    const sqlType = sqlQName(op.name, ctx.dialect);
    const add = help`ALTER TYPE ${sqlType} ADD VALUE IF NOT EXISTS ${sqlString(value)};`;
    if (ctx.serverVersion < 12) {
      return {
        message: `ALTER TYPE ${type} ADD VALUE '${value}' cannot run inside a transaction block on PostgreSQL ${ctx.serverVersion} (allowed from 12): the migration fails.`,
        fix: help`${capitalized(withoutTransaction(ctx))}:\n${add}`,
      };
    }
    const later = ctx.ops.slice(ctx.index + 1);
    const end = later.findIndex((o) => o.kind === 'Transaction' && o.action !== 'begin');
    const literal = `'${value.replaceAll("'", "''")}'`;
    const use = (end < 0 ? later : later.slice(0, end)).find((o) => o.kind !== 'AlterEnum' && o.text.includes(literal));
    if (!use) return null;
    return {
      message: `The new value '${value}' of ${type} is used on line ${use.span.line} in the same transaction that adds it: PostgreSQL fails with "unsafe use of new value".`,
      fix: help`Add the value in its own migration and use it in the next one:\n${add}\n-- next migration:\n${code('sql', use.text)}`,
    };
  },
});
