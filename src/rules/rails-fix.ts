// The safe form of a statement in the Rails migration DSL, for findings in Rails migrations: the fix is
// shown in the language the migration is written in (strong_migrations' rule: the message is the product).
import type { ConstraintDef, QName } from '../ir.js';
import type { RuleContext } from './rule.js';

export function isRails(ctx: Pick<RuleContext, 'migration'>): boolean {
  return ctx.migration.framework === 'rails';
}

/** `:users` for a plain name, `"public.users"` otherwise. */
export function rubyName(name: string | QName): string {
  const text = typeof name === 'string' ? name : name.schema && name.schema !== 'public' ? `${name.schema}.${name.name}` : name.name;
  return /^[a-z_][a-z0-9_]*$/.test(text) ? `:${text}` : JSON.stringify(text);
}

const columnsOf = (columns: readonly string[]) =>
  columns.length === 1 ? rubyName(columns[0] as string) : `[${columns.map(rubyName).join(', ')}]`;

/** `add_foreign_key … validate: false` / `add_check_constraint … validate: false`, then the validation in the next migration. */
export function railsNotValid(table: QName, c: ConstraintDef, name: string): { add: string; validate: string } | null {
  if (c.type === 'foreign-key' && c.references) {
    const column = c.columns.length === 1 ? `, column: ${rubyName(c.columns[0] as string)}` : '';
    return {
      add: `add_foreign_key ${rubyName(table)}, ${rubyName(c.references.table)}${column}, name: ${JSON.stringify(name)}, validate: false`,
      validate: `validate_foreign_key ${rubyName(table)}, name: ${JSON.stringify(name)}`,
    };
  }
  if (c.type === 'check' && c.expression) {
    return {
      add: `add_check_constraint ${rubyName(table)}, ${JSON.stringify(c.expression)}, name: ${JSON.stringify(name)}, validate: false`,
      validate: `validate_check_constraint ${rubyName(table)}, name: ${JSON.stringify(name)}`,
    };
  }
  return null;
}

export function railsConcurrentIndex(
  table: QName | string,
  index: { name: string | null; columns: readonly string[]; unique: boolean; method: string; where: string | null },
): string {
  const options = [
    index.name ? `name: ${JSON.stringify(index.name)}` : null,
    index.unique ? 'unique: true' : null,
    index.method !== 'btree' ? `using: ${rubyName(index.method)}` : null,
    index.where ? `where: ${JSON.stringify(index.where)}` : null,
    'algorithm: :concurrently',
  ].filter(Boolean);
  return `disable_ddl_transaction!\n\ndef change\n  add_index ${rubyName(table)}, ${columnsOf(index.columns)}, ${options.join(', ')}\nend`;
}

export function railsConcurrentRemoveIndex(table: QName | string, name: string): string {
  return `disable_ddl_transaction!\n\ndef change\n  remove_index ${rubyName(table)}, name: ${JSON.stringify(name)}, algorithm: :concurrently\nend`;
}
