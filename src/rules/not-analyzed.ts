import { defineRule } from './rule.js';

export default defineRule({
  id: 'not-analyzed',
  category: 'rollback',
  severity: 'info',
  summary: 'A statement or construct twoway cannot follow without running it: its effect on the schema and data is unknown.',
  direction: 'both',
  kinds: ['Raw'],
  docs: `
twoway reads migrations without running them: a migration in a pull request is untrusted code.
Some constructs can only be understood by running them:
- procedural SQL (\`DO\` blocks, functions called for their side effects) and SQL that does not parse;
- SQL built at run time (f-strings, concatenation with variables) in \`op.execute\` / \`execute\`;
- loops or conditions that decide which operations run, helper functions, metaprogramming;
- Django \`RunPython\` and other application code: treated as a data step, never executed.

This finding says that part was **not analyzed**, at its location, so a clean report never hides
it. The schema replay continues without it: later findings may miss what it changed.

Do instead: write the change with the framework's own operations or as literal SQL, so it can be
checked; or review that part by hand and keep the finding (it is informational).`,
  check(op, ctx) {
    if (!op.notAnalyzed) return null;
    // A down statement the database refuses is read, and said by down-fails.
    if (ctx.direction === 'down' && op.kind === 'Raw' && op.statement === 'invalid') return null;
    return {
      message: `not analyzed: ${op.notAnalyzed}`,
      fix: 'Express the change with the framework operations or literal SQL so twoway can check it, or review this part by hand.',
    };
  },
});
