import { defineRule } from './rule.js';

export default defineRule({
  id: 'drop-schema',
  category: 'data-loss',
  severity: 'error',
  summary: 'Dropping a schema drops every table in it (with CASCADE) and their rows.',
  lock: 'ACCESS EXCLUSIVE on every object dropped.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
\`DROP SCHEMA … CASCADE\` removes every table, view, function and type in the schema, with
all their rows: nothing a down writes can bring them back (\`irreversible\`). Without CASCADE it
fails unless the schema is empty, which is the only safe form.

Do instead: drop the tables one by one, each as a declared contract step with an archive if
the data may be needed, then \`DROP SCHEMA name\` without CASCADE.

Rollback: a down can re-create the schema, empty. Rails and Django do not drop schemas
themselves; this comes from \`execute\` / \`RunSQL\`.`,
  check(op) {
    if (op.statement !== 'DropStmt:OBJECT_SCHEMA') return null;
    return {
      message:
        'Dropping a schema drops every object in it and their rows with CASCADE (without, it fails unless the schema is empty): no down can bring them back.',
      fix: 'Drop the tables one by one as declared contract steps (-- twoway: contract), archiving what may be needed, then DROP SCHEMA without CASCADE.',
      effect: { phase: 'contract', dbRollback: 'irreversible' },
    };
  },
});
