// The names ActiveRecord gives what the migration does not name: indexes, foreign keys, check constraints, tables.
import { createHash } from 'node:crypto';

/** `index_users_on_email`, `index_users_on_org_id_and_email` (ActiveRecord's index_name). */
export function indexName(table: string, columns: readonly string[]): string {
  return `index_${table}_on_${columns.join('_and_')}`;
}

/** ActiveRecord's hashed identifier: the first 10 hex digits of SHA-256. */
function hashed(identifier: string): string {
  return createHash('sha256').update(identifier).digest('hex').slice(0, 10);
}

/** `fk_rails_<hash>` for `add_foreign_key :from, :to` without a name. */
export function foreignKeyName(fromTable: string, column: string): string {
  return `fk_rails_${hashed(`${fromTable}_${column}_fk`)}`;
}

/** `chk_rails_<hash>` for `add_check_constraint` without a name. */
export function checkConstraintName(table: string, expression: string): string {
  return `chk_rails_${hashed(`${table}_${expression}_chk`)}`;
}

/** GitLab's `check_<hash>` for add_text_limit / add_not_null_constraint (Gitlab::Database::MigrationHelpers#check_constraint_name). */
export function gitlabCheckName(table: string, column: string, type: string): string {
  return `check_${hashed(`${table}_${column}_${type}`)}`;
}

/** `add_foreign_key :posts, :users` → column `user_id` (the singular of the target table). */
export function foreignKeyColumn(toTable: string): string {
  return `${singularize(toTable)}_id`;
}

/** `t.references :author` → table `authors` (the inflector's common cases; `to_table:` covers the rest). */
export function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

export function singularize(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
  return word;
}

/** `create_join_table :users, :roles` → `roles_users` (ActiveRecord joins the names in lexical order). */
export function joinTableName(a: string, b: string): string {
  return [a, b].sort().join('_');
}
