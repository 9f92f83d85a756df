import { defineRule } from './rule.js';

export default defineRule({
  id: 'framework-cannot-reverse',
  category: 'rollback',
  severity: 'warning',
  summary: 'The migration relies on its framework to derive the down, but the framework cannot reverse one of its operations.',
  direction: 'up',
  kinds: [],
  docs: `
Some frameworks write the down for you: node-pg-migrate reverses the up when \`down\` is not
exported, Rails reverses \`change\`. They can only reverse operations that carry everything the
reverse needs: \`pgm.createTable\` becomes a drop, but \`pgm.sql(...)\`, \`pgm.dropColumns('t', ['c'])\`
(no column definition to re-add) or \`pgm.alterColumn\` have no automatic reverse, and Rails
\`remove_column :t, :c\` without a type cannot be re-added.

When that happens the rollback fails at the moment you need it: the migration has no usable
down (\`no-down\`).

Do instead: write the down explicitly (\`exports.down = (pgm) => { ... }\`, Rails \`up\`/\`down\` or
\`reversible\`), or give the operation what its reverse needs (the column definition). If the
migration is meant to be one-way, say so (\`exports.down = false\`, \`raise
ActiveRecord::IrreversibleMigration\`) so the rollback stops with a clear message.`,
});
