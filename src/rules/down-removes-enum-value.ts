import { help } from '../help.js';
import { qnameKey } from '../ir.js';
import { sqlString } from '../sql/quote.js';
import { downSpan, schemaAfterDown } from './down-replay.js';
import { defineRule, type RuleResult } from './rule.js';

export default defineRule({
  id: 'down-removes-enum-value',
  category: 'rollback',
  severity: 'warning',
  summary: 'The down removes an enum value the up added: rows that hold it since the up make the rollback fail.',
  direction: 'down',
  kinds: [],
  docs: `
PostgreSQL cannot drop a value from an enum, so downs of \`ALTER TYPE ... ADD VALUE\` rebuild the type:
rename it, create it again without the value, convert each column (\`USING col::text::mood\`), drop
the old type; or they delete the value from \`pg_enum\`. Once the new release has stored the new
value, the conversion fails ("invalid input value for enum"), and deleting from \`pg_enum\` leaves
rows that can no longer be read. The migration is \`lossy\`.

Do instead: keep the value in the down (the previous release ignores values it does not write,
or map them explicitly), or decide in the down what those rows become before rebuilding the type:
\`\`\`sql
UPDATE orders SET status = 'cancelled' WHERE status = 'refunded';
\`\`\`
Rails (\`add_enum_value\` has no automatic reverse), Alembic and Django downs that rebuild the type
need the same decision.`,
  checkMigration(ctx) {
    const afterDown = schemaAfterDown(ctx);
    if (!afterDown) return [];
    const down = ctx.parsed.down ?? [];
    const results: RuleResult[] = [];
    for (const [key, before] of ctx.before.enums) {
      // Values the up added, not the new names of values it renamed (a down renaming them back loses nothing).
      const renamed = new Set(
        ctx.parsed.up.flatMap((op) => (op.kind === 'AlterEnum' && op.action.type === 'rename' ? [op.action.to] : [])),
      );
      const added = (ctx.afterUp.enums.get(key) ?? []).filter((v) => !before.includes(v) && !renamed.has(v));
      const after = afterDown.enums.get(key);
      if (!after) continue;
      const removed = added.filter((v) => !after.includes(v));
      if (!removed.length) continue;
      const rebuilt = down.findLast((op) => op.kind === 'CreateEnum' && qnameKey(op.name) === key);
      results.push({
        message: `The down rebuilds type ${key} without ${removed.map((v) => `'${v}'`).join(', ')}, which the up added: rows that hold ${removed.length > 1 ? 'these values' : 'it'} since the up make the conversion fail.`,
        fix: help`Keep the value in the down, or map the rows first:\nUPDATE <table> SET <column> = '<old value>' WHERE <column> IN (${removed.map(sqlString).join(', ')});`,
        effect: { dbRollback: 'lossy' },
        span: rebuilt?.span ?? downSpan(ctx),
      });
    }
    for (const op of down) {
      if (op.kind !== 'DataChange' || op.action !== 'delete' || op.table.name !== 'pg_enum') continue;
      results.push({
        message: 'The down deletes enum values from pg_enum: rows that hold them since the up can no longer be read.',
        fix: help`Never delete from pg_enum. Map the rows to a value that stays (UPDATE ... SET <column> = '<old value>' WHERE ...), then rebuild the type, or keep the value.`,
        effect: { dbRollback: 'lossy' },
        span: op.span,
      });
    }
    return results;
  },
});
