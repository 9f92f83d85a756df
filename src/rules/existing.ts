// What existed before the migration: released code can only know those objects, and only they hold rows.
import { type QName, qnameKey } from '../ir.js';
import type { RuleContext } from './rule.js';

/** True unless the column was added earlier in the same migration (a table the replay never saw is assumed to have it). */
export function columnExistedBefore(ctx: RuleContext, table: QName, column: string): boolean {
  if (ctx.isNewTable(table)) return false;
  const before = ctx.start.table(table);
  return !before || before.columnsUnknown || before.columns.has(column);
}

/** True unless the type was created earlier in the same migration. */
export function typeExistedBefore(ctx: RuleContext, name: QName): boolean {
  const key = qnameKey(name);
  return ctx.start.enums.has(key) || !ctx.schema.enums.has(key);
}

/** True for a column the migration itself added (known now, absent before): old code never writes it. */
export function columnAddedInMigration(ctx: RuleContext, table: QName, column: string): boolean {
  return ctx.schema.column(table, column) !== undefined && !columnExistedBefore(ctx, table, column);
}
