import { help } from '../help.js';
import { newColumns, tableName } from './new-columns.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'ban-char-field',
  category: 'hygiene',
  severity: 'info',
  summary: 'char(n) pads values with spaces and compares without them; use text (with a CHECK on the length if needed).',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['CreateTable', 'AddColumn'],
  docs: `
\`char(n)\` (\`character(n)\`, \`bpchar\`) pads every value to n characters; the padding is dropped
when compared with another char but kept when cast to text or returned to some drivers, so
\`'ab'\` may come back as \`'ab   '\`. It is no faster than \`text\` in PostgreSQL, and changing its
length later rewrites the table (see \`change-column-type\`). squawk: \`ban-char-field\`.

Use \`text\`, or \`varchar(n)\`, with \`CHECK (char_length(col) = n)\` when a fixed length is a rule.

Rails \`:string\` and Django \`CharField\` map to varchar, not char; this mostly comes from hand-written SQL.
Changing it later in place (\`ALTER COLUMN … TYPE text\`) rewrites the table, and the down back to char(n) re-pads.`,
  check(op) {
    return newColumns(op)
      .filter((c) => c.type.name === 'bpchar')
      .map((c) => ({
        message: `${tableName(op)}.${c.name} is ${c.type.text}: values are padded with spaces.`,
        fix: help`Use ${c.name} text${c.type.args[0] ? ` CHECK (char_length(${c.name}) = ${c.type.args[0]})` : ''}.`,
      }));
  },
});
