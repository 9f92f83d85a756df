import { defineRule } from './rule.js';

export default defineRule({
  id: 'not-analyzed',
  category: 'rollback',
  severity: 'info',
  summary: 'A construct twoway cannot follow: its effect on the schema and on the verdicts is unknown.',
  direction: 'both',
  kinds: ['Raw'],
  docs: `
twoway reads migrations without running them. Some constructs only reveal what they do at
run time: SQL built with interpolation (\`execute "UPDATE #{table} …"\`), loops that make
columns, conditionals, application code (\`User.find_each\`), PL/pgSQL \`DO\` blocks. twoway
says so at the construct instead of passing it silently: the verdicts of the migration do
not include what it does.

Do instead: write the statement out literally (a heredoc without interpolation, one
\`add_column\` per column), or review this part by hand. When the construct is intended,
acknowledge it with \`twoway-ignore not-analyzed: <why>\` on the line before.

Adapters report constructs of their own language through the same rule, so a framework
never needs a rule of its own to say "not analyzed".`,
  check(op) {
    if (!op.notAnalyzed) return null;
    return {
      message: `not analyzed: ${op.notAnalyzed}`,
      fix: 'Write the change out literally (no interpolation, no loop or condition), or review this part by hand and acknowledge it with a twoway-ignore comment.',
    };
  },
  checkMigration(ctx) {
    return (ctx.parsed.notes ?? [])
      .filter((n) => n.rule === 'not-analyzed')
      .map((n) => ({ message: n.message, fix: n.fix, span: n.span, severity: n.severity, effect: n.effect }));
  },
});
