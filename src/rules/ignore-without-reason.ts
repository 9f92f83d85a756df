import { help } from '../help.js';
import { defineRule, type RuleResult } from './rule.js';

export default defineRule({
  id: 'ignore-without-reason',
  category: 'rollback',
  severity: 'warning',
  summary: 'A twoway-ignore comment without a reason, or naming a rule that does not exist, suppresses nothing.',
  direction: 'up',
  kinds: [],
  docs: `
\`-- twoway-ignore <rule-id>: <why>\` suppresses the findings of one rule on its own line and on the
next statement. The reason is required: a suppression marks a one-way door as reviewed, and the
next reader (and the rollback during an incident) needs to know why it was judged acceptable.
An ignore without a reason suppresses nothing and is reported; so is one that names a rule id
twoway does not have (a typo would otherwise silently suppress nothing). Several ids may share a
reason: \`-- twoway-ignore drop-column, require-lock-timeout: archived in V41, lock_timeout set by the runner\`.

Category: \`rollback\`, because suppressions exist to declare one-way doors (the question "can we
go back?"); an unexplained one leaves that question open.

Do instead: add the reason after a colon, or fix the rule id (\`twoway explain\` lists them).`,
  checkMigration(ctx) {
    const results: RuleResult[] = [];
    for (const d of ctx.parsed.directives) {
      if (d.type !== 'ignore') continue;
      const span = { path: d.path, line: d.line, column: d.column, endLine: d.line, endColumn: d.column };
      if (!d.rule) {
        results.push({
          message: 'twoway-ignore names no rule: it suppresses nothing.',
          fix: 'Write: -- twoway-ignore <rule-id>: <why>',
          span,
        });
      } else if (!ctx.ruleIds.has(d.rule)) {
        results.push({
          message: `twoway-ignore names unknown rule "${d.rule}": it suppresses nothing.`,
          fix: 'Use a rule id from the finding you mean to suppress (twoway explain lists them).',
          span,
        });
      } else if (!d.reason) {
        results.push({
          message: `twoway-ignore ${d.rule} has no reason: it suppresses nothing until it says why.`,
          fix: help`Add the reason after a colon:\n-- twoway-ignore ${d.rule}: <why this is acceptable here>`,
          span,
        });
      }
    }
    return results;
  },
});
