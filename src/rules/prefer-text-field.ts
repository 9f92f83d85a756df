import { help } from '../help.js';
import { newColumns, tableName } from './new-columns.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'prefer-text-field',
  category: 'hygiene',
  severity: 'info',
  summary: 'A varchar(n) limit can only be lowered later with a table rewrite; text with a CHECK constraint changes without one.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['CreateTable', 'AddColumn'],
  docs: `
Raising a \`varchar(n)\` limit is catalog-only, but lowering it rewrites the table under ACCESS
EXCLUSIVE and breaks writers of longer values (see \`change-column-type\`). A \`text\` column
with \`CHECK (char_length(col) <= n)\` can change its limit with \`NOT VALID\` + \`VALIDATE\`
instead: no rewrite, no long lock. In PostgreSQL varchar(n) and text perform the same.
squawk: \`prefer-text-field\`. Rails \`string\` columns have no limit by default on PostgreSQL;
Django's \`CharField\` requires \`max_length\` (Django 4.2+ allows none on PostgreSQL).`,
  check(op) {
    return newColumns(op)
      .filter((c) => c.type.name === 'varchar' && c.type.args.length > 0)
      .map((c) => ({
        message: `${tableName(op)}.${c.name} is ${c.type.text}: lowering the limit later rewrites the table.`,
        fix: help`Use ${c.name} text CHECK (char_length(${c.name}) <= ${c.type.args[0]}).`,
      }));
  },
});
