import { defineRule } from './rule.js';

export default defineRule({
  id: 'not-analyzed',
  category: 'rollback',
  severity: 'info',
  summary: 'A statement or construct twoway cannot follow statically: its effect on the schema is not checked.',
  direction: 'both',
  kinds: ['Raw'],
  docs: `
twoway reads migrations without running them: a migration in a pull request is untrusted code.
Some constructs only reveal what they do at run time:
- a DO block or a function body in SQL;
- in a DSL (Knex, node-pg-migrate, TypeORM, Sequelize, Rails, Alembic, Django): a loop that
  makes columns, a condition (\`if (await knex.schema.hasColumn(...))\`), a table or column name
  held in a variable computed at run time, SQL built by string interpolation, a call to a
  helper function defined elsewhere.

twoway reports each one at its location instead of passing it silently: the verdict of the
migration does not account for what that construct does.

Do instead: write the statement with literal names and literal SQL, so the migration says
what it does and a reviewer (and twoway) can read it. When the construct is intended, review
it by hand and suppress with \`twoway-ignore not-analyzed: <why it is safe>\`.`,
  check(op) {
    if (!op.notAnalyzed) return null;
    return {
      message: `not analyzed: ${op.notAnalyzed}; its effect on the schema is not checked.`,
      fix: 'Write the change as plain statements with literal names so it can be checked, or review it by hand and suppress with a reason.',
    };
  },
});
