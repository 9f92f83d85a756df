import { code, help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlQName } from '../sql/quote.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'ban-alter-domain-with-add-constraint',
  category: 'locking',
  severity: 'warning',
  summary: 'ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses the domain, under lock.',
  lock: 'SHARE on every table with a column of the domain, for the whole scan (proportional to their sizes): blocks writes to all of them.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
Adding a constraint to a domain checks every stored value of every column that uses the domain,
across all tables, while holding a SHARE lock on each of them: writes to all those tables wait for
the whole scan. Which tables that is cannot be seen in the migration.

Do instead: add it \`NOT VALID\` (new values are checked at once) and validate it separately,
in a quiet moment, or move the rule to CHECK constraints on the tables, which can be added
NOT VALID and validated without blocking writes:
\`\`\`sql
ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID;
-- later, separately
ALTER DOMAIN email VALIDATE CONSTRAINT email_has_at;
\`\`\`
A domain created in the same migration is used by no existing rows: no finding. squawk has the
same rule; Rails (\`execute\`) and Django (\`RunSQL\`) migrations behave the same.`,
  check(op, ctx) {
    if (op.statement !== 'AlterDomainStmt' || !op.target) return null;
    const options = op.options ?? [];
    if (!options.includes('add-constraint') || options.includes('not-valid')) return null;
    const domain = op.target;
    const created = ctx.ops
      .slice(0, ctx.index)
      .some((o) => o.kind === 'Raw' && o.statement === 'CreateDomainStmt' && o.target?.name === domain.name);
    if (created) return null;
    return {
      message: `ALTER DOMAIN ${qnameText(domain)} ADD CONSTRAINT checks every column of type ${qnameText(domain)} in every table, holding SHARE locks that block writes to those tables for the whole scan.`,
      fix: help`Add it NOT VALID and validate it separately, or put CHECK constraints (NOT VALID, then VALIDATE) on the tables instead:\n${code('sql', op.text.replace(/;\s*$/, ''))} NOT VALID;\nALTER DOMAIN ${sqlQName(domain, ctx.dialect)} VALIDATE CONSTRAINT <name>;`,
    };
  },
});
