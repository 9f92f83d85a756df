// The schema a written down leaves behind, replayed on a copy of the schema after the up.

import { hasDown } from '../judge/judge.js';
import type { Schema } from '../schema/schema.js';
import type { MigrationRuleContext } from './rule.js';

/** Null when the migration has no down that does something (a written-but-empty down is no down). */
export function schemaAfterDown(ctx: MigrationRuleContext): Schema | null {
  if (!hasDown(ctx.parsed)) return null;
  // Several rules read it from the one context of a migration: replayed once (callers only read it).
  let schema = AFTER_DOWN.get(ctx);
  if (!schema) {
    schema = ctx.afterUp.clone();
    for (const op of ctx.parsed.down ?? []) schema.apply(op, `${ctx.migration.id}:down`);
    AFTER_DOWN.set(ctx, schema);
  }
  return schema;
}
const AFTER_DOWN = new WeakMap<MigrationRuleContext, Schema>();

/** Where a finding about the down as a whole points: the down file, or the up when the framework derives the down. */
export function downSpan(ctx: MigrationRuleContext) {
  const source = ctx.migration.down ?? ctx.migration.up;
  const line = source.startLine;
  return { path: source.path, line, column: 1, endLine: line, endColumn: 1 };
}
