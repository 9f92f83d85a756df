import { help } from '../help.js';
import { qnameText } from '../ir.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'ban-create-domain-with-constraint',
  category: 'locking',
  severity: 'info',
  summary: 'A domain with a constraint can later only be changed by scanning every table that uses it, under lock.',
  lock: 'None now; changing the constraint later (ALTER DOMAIN ... ADD CONSTRAINT) takes SHARE on every table using the domain for the whole scan.',
  direction: 'up',
  dialects: ['postgresql'],
  kinds: ['Raw'],
  docs: `
Creating a domain with a CHECK constraint is cheap today, but the constraint is hard to change
online: \`ALTER DOMAIN ... ADD CONSTRAINT\` validates every column of every table that uses the
domain while blocking writes to them (see \`ban-alter-domain-with-add-constraint\`), and dropping
and re-adding it cannot be split per table.

Do instead: a plain domain (or the base type) plus CHECK constraints on the columns, which can be
added \`NOT VALID\` and validated per table without blocking writes:
\`\`\`sql
CREATE DOMAIN email AS text;
ALTER TABLE users ADD CONSTRAINT users_email_has_at CHECK (email LIKE '%@%') NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;
\`\`\`
squawk has the same rule. Rails' \`add_check_constraint\` and Django's \`CheckConstraint\` give the
per-table form.`,
  check(op) {
    if (op.statement !== 'CreateDomainStmt' || !op.options?.includes('constraint') || !op.target) return null;
    const domain = qnameText(op.target);
    return {
      message: `Domain ${domain} carries a constraint: changing it later validates every table that uses ${domain} while blocking their writes.`,
      fix: help`Create ${domain} without the constraint and put CHECK constraints on the columns instead (ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT).`,
    };
  },
});
