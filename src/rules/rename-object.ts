import { OTHER_RENAMES } from '../judge/net.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'rename-object',
  category: 'breaks-old-code',
  severity: 'warning',
  summary: 'Renaming a view, sequence, function or schema (or moving an object to another schema) breaks old code that names it.',
  lock: 'ACCESS EXCLUSIVE on the object, brief (catalog only).',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
Like a table or column rename, renaming a view, a sequence (\`nextval('orders_id_seq')\`), a
function the application calls, or a schema, and \`ALTER … SET SCHEMA\`, makes every query of
the release still running that names the object fail (squawk: \`renaming-object\`,
\`ban-set-schema\`). Column defaults and foreign keys follow the object by OID; the code does not.

Do instead: create the object under its new name next to the old one (a view
\`CREATE VIEW new_name AS SELECT * FROM old_name\`, a wrapper function), move the code, then remove
the old name in a migration marked \`-- twoway: contract\`.

Renaming a type is not reported: columns follow it by OID, and it is the first step of the
usual way to re-create an enum.

Rollback: a down that renames back works, but only after the old release failed meanwhile.
Rails and Django rarely rename these objects themselves; this comes from \`execute\` / \`RunSQL\`.`,
  check(op) {
    const what = OTHER_RENAMES.get(op.statement);
    if (!what) return null;
    return {
      message: `This renames ${what}: the release still running names it the old way and fails (${op.text.replace(/\s+/g, ' ')}).`,
      fix: 'Create the new name next to the old one (a view or a wrapper function), release code that uses it, then drop the old name in a migration marked "-- twoway: contract".',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    };
  },
});
