import { help } from '../help.js';
import { newColumns, tableName } from './new-columns.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'prefer-timestamptz',
  category: 'hygiene',
  severity: 'info',
  summary: 'timestamp without time zone stores wall-clock times: the instant depends on who wrote it; use timestamptz.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['CreateTable', 'AddColumn'],
  docs: `
\`timestamp\` (without time zone) keeps the digits the client sent and forgets the zone they
were in. Two servers in different zones, a DST change or a driver default later, the same
column holds values that cannot be ordered or converted back to instants: that information is
lost at write time. \`timestamptz\` stores the instant (UTC) and converts on read.

Converting later (\`ALTER COLUMN … TYPE timestamptz\`) rewrites the table unless the session
time zone is UTC on PostgreSQL 12+ (see \`change-column-type\`). Rails' default datetime type
is \`timestamp\`: set \`ActiveRecord::ConnectionAdapters::PostgreSQLAdapter.datetime_type = :timestamptz\`
(Rails 7+). Django's \`DateTimeField\` already uses timestamptz.`,
  check(op) {
    return newColumns(op)
      .filter((c) => c.type.name === 'timestamp')
      .map((c) => ({
        message: `${tableName(op)}.${c.name} is timestamp without time zone: the zone of each value is not stored.`,
        fix: help`Use ${c.name} timestamptz.`,
      }));
  },
});
