import { help } from '../help.js';
import { isSerial, newColumns, tableName } from './new-columns.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'prefer-bigint-keys',
  category: 'hygiene',
  severity: 'info',
  summary: 'An int/smallint key that counts up (serial, identity, primary key) runs out; widening it later rewrites the table.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['CreateTable', 'AddColumn'],
  docs: `
A 32-bit key tops out at 2,147,483,647. Busy tables reach it (deleted rows and failed inserts
consume ids too), and then every INSERT fails. The fix at that point is \`ALTER COLUMN … TYPE
bigint\`, a full rewrite of the table and its indexes under ACCESS EXCLUSIVE (and of every
table whose foreign keys point at it), at the worst possible moment.
\`bigint\` costs 4 more bytes per row. squawk: \`prefer-bigint-over-int\`, \`prefer-bigint-over-smallint\`.

Rails uses bigint primary keys since 5.1; Django's \`DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\`.

Rollback: nothing to roll back; this is about the future widening.`,
  check(op) {
    return newColumns(op)
      .filter((c) => (c.type.name === 'int4' || c.type.name === 'int2') && c.type.arrayDims === 0)
      .filter((c) => c.primaryKey || c.identity || isSerial(c))
      .map((c) => ({
        message: `${tableName(op)}.${c.name} is a ${c.type.name === 'int2' ? '16' : '32'}-bit key that counts up: when it runs out, widening it rewrites the table.`,
        fix: help`Use ${c.name} bigint${c.identity ? ' GENERATED … AS IDENTITY' : ''} (bigserial for serial).`,
      }));
  },
});
