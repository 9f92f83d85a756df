import { defineRule } from './rule.js';

// Raised by adapters through ParsedMigration.notes: only the framework's semantics know it.
export default defineRule({
  id: 'framework-cannot-reverse',
  category: 'rollback',
  severity: 'warning',
  summary: 'The framework cannot derive the down of this operation: rolling the migration back fails.',
  direction: 'both',
  kinds: [],
  docs: `
Frameworks that derive the down from the up (Django migrations, Rails \`change\`) stop at
operations whose reverse they cannot know: Django \`RunPython\` without \`reverse_code\`,
\`RunSQL\` without \`reverse_sql\`; Rails \`execute\` or \`remove_column\` without a type inside
\`change\`. Migrating back past such a migration raises an error, so the database has no way back
(\`no-down\`) unless the up destroyed data anyway.

Do instead: give the reverse explicitly (\`reverse_code=...\`, \`reverse_sql=...\`, a \`down\`
method). When there is truly nothing to undo, say so (\`RunPython.noop\`, \`RunSQL.noop\`), which
keeps the migration reversible.`,
});
