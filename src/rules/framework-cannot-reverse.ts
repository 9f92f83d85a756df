import { defineRule } from './rule.js';

export default defineRule({
  id: 'framework-cannot-reverse',
  category: 'rollback',
  severity: 'warning',
  summary: 'The framework derives the down itself and cannot for this migration: a rollback raises instead of running.',
  direction: 'up',
  kinds: [],
  docs: `
Some frameworks write the down for you: Rails reverts a \`change\` method by running each
command's inverse. Commands that lose what they would need to run backwards cannot be
reverted, and Rails raises \`ActiveRecord::IrreversibleMigration\` when you roll back:
- \`execute\` (raw SQL), \`change_column\`, \`add_enum_value\`;
- \`remove_column\` without a type, \`drop_table\` without a block, \`remove_index\` with only a name;
- \`change_column_default\` without \`from:\`/\`to:\`, \`remove_foreign_key\` without the target table;
- helpers the command recorder does not know (GitLab's \`add_concurrent_index\`…).

The migration has no down (\`dbRollback: no-down\` unless the up destroys data), and the
rollback fails at deploy time, which is the worst moment to learn it.

Do instead: give the command what it needs (\`remove_column :users, :name, :string\`), wrap
raw SQL in \`reversible do |dir| dir.up { … }; dir.down { … } end\`, or write \`up\` and
\`down\` methods. When the migration is one-way on purpose, say so with
\`raise ActiveRecord::IrreversibleMigration\` in \`down\`.`,
  checkMigration(ctx) {
    return (ctx.parsed.notes ?? [])
      .filter((n) => n.rule === 'framework-cannot-reverse')
      .map((n) => ({ message: n.message, fix: n.fix, span: n.span, severity: n.severity, effect: n.effect }));
  },
});
