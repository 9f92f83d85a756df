import { qnameText } from '../ir.js';
import type { Schema } from '../schema/schema.js';
import { missingTarget } from './down-wrong-name.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'down-schema-drift',
  category: 'rollback',
  severity: 'warning',
  summary: 'After the down, the schema is not what it was before the up.',
  direction: 'down',
  kinds: [],
  docs: `
A down must give back the schema exactly as it was: same tables, columns (type, nullability,
default, order), indexes and enums. A down that leaves a default changed, an index behind or a
column in another place makes the next up, or the previous release, meet a schema nobody tested.

\`twoway rehearse\` compares the catalog before the up and after the down on a real PostgreSQL;
this rule compares the replayed schemas.

Do instead: undo every statement of the up, in reverse order, restoring the previous values
(\`SET DEFAULT\` the old default rather than \`DROP DEFAULT\`, recreate the index with its definition).`,
  checkMigration(ctx) {
    const { parsed } = ctx;
    const down = parsed.down ?? [];
    if (!down.length || parsed.downStatus === 'none' || parsed.downStatus === 'irreversible') return [];
    // Statements twoway does not model may change the schema in ways the replay cannot follow.
    if ([...parsed.up, ...down].some((op) => op.kind === 'Raw' && op.notAnalyzed)) return [];
    const after = ctx.afterUp.clone();
    for (const op of down) {
      if (missingTarget(op, after)) return []; // down-wrong-name reports it: the down fails before any drift.
      after.apply(op, `${parsed.migration.id}:down`);
    }
    const differences = schemaDifferences(ctx.before, after);
    if (!differences.length) return [];
    const first = down[0] as (typeof down)[number];
    return [
      {
        message: `After the down the schema differs from before the up: ${differences.slice(0, 5).join('; ')}${differences.length > 5 ? `; and ${differences.length - 5} more` : ''}.`,
        fix: 'Make the down undo every statement of the up in reverse order, restoring previous definitions; `twoway rehearse` proves it on a real PostgreSQL.',
        span: first.span,
      },
    ];
  },
});

function schemaDifferences(before: Schema, after: Schema): string[] {
  const out: string[] = [];
  for (const [key, t] of before.tables) {
    const now = after.tables.get(key);
    if (!now) {
      out.push(`table ${qnameText(t.name)} is missing`);
      continue;
    }
    if (t.columnsUnknown || now.columnsUnknown) continue;
    for (const [name, c] of t.columns) {
      const n = now.columns.get(name);
      const label = `column ${qnameText(t.name)}.${name}`;
      if (!n) out.push(`${label} is missing`);
      else {
        if (typeText(c.type) !== typeText(n.type)) out.push(`${label} is ${n.type.text}, was ${c.type.text}`);
        if (c.nullable !== n.nullable)
          out.push(`${label} is ${n.nullable ? 'nullable' : 'NOT NULL'}, was ${c.nullable ? 'nullable' : 'NOT NULL'}`);
        if ((c.default?.text ?? null) !== (n.default?.text ?? null))
          out.push(`${label} has default ${n.default?.text ?? 'none'}, was ${c.default?.text ?? 'none'}`);
      }
    }
    for (const name of now.columns.keys()) if (!t.columns.has(name)) out.push(`column ${qnameText(t.name)}.${name} is left behind`);
    const order = (a: Map<string, unknown>, b: Map<string, unknown>) => [...a.keys()].filter((k) => b.has(k)).join(', ');
    if (order(t.columns, now.columns) !== order(now.columns, t.columns))
      out.push(`columns of ${qnameText(t.name)} are in another order (${order(now.columns, t.columns)})`);
  }
  for (const [key, t] of after.tables) if (!before.tables.has(key)) out.push(`table ${qnameText(t.name)} is left behind`);
  for (const [key, i] of before.indexes) if (!after.indexes.has(key)) out.push(`index ${i.name} is missing`);
  for (const [key, i] of after.indexes) if (!before.indexes.has(key)) out.push(`index ${i.name} is left behind`);
  for (const [key, values] of before.enums) {
    const now = after.enums.get(key);
    if (!now) out.push(`enum ${key} is missing`);
    else if (now.join(',') !== values.join(',')) out.push(`enum ${key} is (${now.join(', ')}), was (${values.join(', ')})`);
  }
  for (const key of after.enums.keys()) if (!before.enums.has(key)) out.push(`enum ${key} is left behind`);
  return out;
}

function typeText(t: { name: string; args: number[]; arrayDims: number }): string {
  return `${t.name}(${t.args.join(',')})${'[]'.repeat(t.arrayDims)}`;
}
