import { code, help } from '../help.js';
import { qnameText } from '../ir.js';
import { sqlIdent, sqlQName } from '../sql/quote.js';
import { isRails, railsNotValid } from './rails-fix.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'constraint-missing-not-valid',
  category: 'locking',
  severity: 'error',
  summary: 'Adding a CHECK or FOREIGN KEY constraint without NOT VALID scans the whole table under a blocking lock.',
  lock: 'CHECK: ACCESS EXCLUSIVE on the table (blocks reads and writes); FOREIGN KEY: SHARE ROW EXCLUSIVE on both tables (blocks writes to both); held for the whole scan, proportional to table size.',
  direction: 'both',
  dialects: ['postgresql'],
  kinds: ['AddConstraint', 'AddColumn'],
  docs: `
\`ALTER TABLE ... ADD CONSTRAINT ... CHECK (...)\` checks every existing row while holding an ACCESS
EXCLUSIVE lock: the table is unreadable and unwritable for the whole scan. A FOREIGN KEY checks
every row against the referenced table while holding SHARE ROW EXCLUSIVE on **both** tables:
writes to both wait. \`ADD COLUMN ... REFERENCES\` validates the same way.

Split it (PostgreSQL 9.1+ for foreign keys, 9.2+ for checks):
\`\`\`sql
-- migration 1: catalog-only, brief lock; new rows are checked from now on
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- migration 2 (separate transaction): scans under SHARE UPDATE EXCLUSIVE, reads and writes continue
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;
\`\`\`
Validating in the same transaction as the NOT VALID add keeps the add's lock through the scan
(see \`validate-in-same-transaction\`).
- Rails: \`add_foreign_key :orders, :users, validate: false\` then \`validate_foreign_key\` in a
  second migration; \`add_check_constraint ..., validate: false\` then \`validate_check_constraint\`.
- Django: \`AddConstraintNotValid\` + \`ValidateConstraint\` (django.contrib.postgres.operations, 4.0+).

A constraint on a table created in the same migration checks no rows: no finding.`,
  check(op, ctx) {
    if (ctx.isNewTable(op.table)) return null;
    const table = qnameText(op.table);
    const sqlTable = sqlQName(op.table, ctx.dialect);
    const q = (name: string) => sqlIdent(name, ctx.dialect);
    if (op.kind === 'AddColumn') {
      const ref = op.column.references;
      if (!ref) return null;
      const name = `${op.table.name}_${op.column.name}_fkey`;
      const target = qnameText(ref.table);
      return {
        message: `ADD COLUMN ${op.column.name} ... REFERENCES ${target} validates every row of ${table} while holding SHARE ROW EXCLUSIVE on ${table} and ${target}: writes to both wait for the whole scan.`,
        fix: help`Add the column without REFERENCES, then the foreign key NOT VALID, then validate it in a separate migration:\nALTER TABLE ${sqlTable} ADD COLUMN ${q(op.column.name)} ${op.column.type.text};\nALTER TABLE ${sqlTable} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${q(op.column.name)}) REFERENCES ${sqlQName(ref.table, ctx.dialect)}${ref.columns.length ? ` (${ref.columns.map(q).join(', ')})` : ''} NOT VALID;\n-- next migration:\nALTER TABLE ${sqlTable} VALIDATE CONSTRAINT ${q(name)};`,
      };
    }
    const c = op.constraint;
    if (c.notValid || (c.type !== 'check' && c.type !== 'foreign-key')) return null;
    const name = c.name ?? `${op.table.name}_${c.columns.join('_')}_${c.type === 'check' ? 'check' : 'fkey'}`;
    const body = code('sql', op.text.replace(/;\s*$/, ''));
    const validate = help`-- next migration (Rails: validate_${c.type === 'check' ? 'check_constraint' : 'foreign_key'}):\nALTER TABLE ${sqlTable} VALIDATE CONSTRAINT ${q(name)};`;
    const rails = isRails(ctx) ? railsNotValid(op.table, c, name) : null;
    const safe = rails ? code('ruby', `${rails.add}\n# next migration:\n${rails.validate}`) : null;
    if (c.type === 'check') {
      return {
        message: `Adding CHECK constraint ${name} to ${table} without NOT VALID scans every row under an ACCESS EXCLUSIVE lock: all reads and writes of ${table} wait for the whole scan, proportional to table size.`,
        fix: help`Add it NOT VALID (brief lock; new rows are checked at once), then validate it in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue):\n${safe ?? help`${body} NOT VALID;\n${validate}`}`,
      };
    }
    const target = c.references ? qnameText(c.references.table) : 'the referenced table';
    return {
      message: `Adding FOREIGN KEY ${name} to ${table} without NOT VALID checks every row while holding SHARE ROW EXCLUSIVE on ${table} and ${target}: writes to both wait for the whole scan, proportional to table size.`,
      fix: help`Add it NOT VALID (brief lock), then validate it in a separate transaction (reads and writes continue):\n${safe ?? help`${body} NOT VALID;\n${validate}`}`,
    };
  },
});
