import { help } from '../help.js';
import { qnameKey, qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'insert-rows',
  category: 'data-loss',
  severity: 'info',
  summary: 'An INSERT into an existing table is a data step; it is reversible when the down deletes what it added.',
  lock: 'ROW EXCLUSIVE: concurrent reads and writes go on.',
  direction: 'up',
  kinds: ['DataChange'],
  docs: `
Seeding or copying rows into a table that existed before the migration destroys nothing, but
it is a data step (phase \`data\`): the rows become part of what the application sees, and a
rollback keeps them unless the down removes them.

Write the down so it deletes exactly what the up added (by key), and make the up idempotent
(\`ON CONFLICT DO NOTHING\`) so a re-run after a rollback works:
\`\`\`sql
INSERT INTO roles (name) VALUES ('auditor') ON CONFLICT (name) DO NOTHING;
-- down: DELETE FROM roles WHERE name = 'auditor';
\`\`\`
Copying large sets (\`INSERT … SELECT\`) belongs in batches, outside the DDL transaction.
Inserting into a table created in the same migration (seeding a new lookup table) is part of
the expand step: no finding.

Rails: seed data in a migration with \`up\`/\`down\` (or \`reversible\`); Django: \`RunPython\`
with a \`reverse_code\` that deletes the rows.`,
  check(op, ctx) {
    if (op.action !== 'insert' || ctx.isNewTable(op.table)) return null;
    const table = qnameText(op.table);
    const key = qnameKey(op.table);
    const undone = ctx.otherDirection?.some((o) =>
      o.kind === 'DropTable' ? qnameKey(o.table) === key : o.kind === 'DataChange' && o.action !== 'insert' && qnameKey(o.table) === key,
    );
    const down =
      ctx.otherDirection === null
        ? 'There is no down.'
        : undone
          ? 'The down removes rows of it: reversible.'
          : 'The down does not remove them: they stay after a rollback.';
    const what = op.hasWhere ? 'Copying rows into' : 'Inserting rows into';
    return {
      message: `${what} existing table ${table} is a data step. ${down}`,
      fix: help`Make the insert idempotent (ON CONFLICT DO NOTHING) and give it a down that deletes exactly these rows:\nDELETE FROM ${table} WHERE <key> IN (…);`,
      effect: { phase: 'data' },
    };
  },
});
