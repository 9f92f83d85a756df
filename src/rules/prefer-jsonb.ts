import { help } from '../help.js';
import { newColumns, tableName } from './new-columns.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'prefer-jsonb',
  category: 'hygiene',
  severity: 'info',
  summary: 'A json column has no equality operator: SELECT DISTINCT, UNION and GROUP BY over it fail; use jsonb.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['CreateTable', 'AddColumn'],
  docs: `
PostgreSQL's \`json\` type stores the text as written and has no equality operator. Queries the
application already runs on the table start failing once a json column appears in them:
\`SELECT DISTINCT * …\`, \`UNION\`, \`GROUP BY\` (\`could not identify an equality operator for
type json\`); ActiveRecord's \`distinct\` on the model is a common victim (strong_migrations:
\`add_column_json\`).

Use \`jsonb\`: it has equality, indexing (GIN) and containment operators. Converting later is
an \`ALTER COLUMN … TYPE jsonb\`, which rewrites the table (see \`change-column-type\`).

Rails: \`t.jsonb\`; Django's \`JSONField\` already uses jsonb on PostgreSQL.`,
  check(op) {
    return newColumns(op)
      .filter((c) => c.type.name === 'json')
      .map((c) => ({
        message: `${tableName(op)}.${c.name} is json: queries with DISTINCT, UNION or GROUP BY over the table's columns fail (json has no equality operator).`,
        fix: help`Use jsonb: ${c.name} jsonb${c.type.arrayDims ? '[]'.repeat(c.type.arrayDims) : ''}`,
      }));
  },
});
