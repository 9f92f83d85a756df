// The names ActiveRecord gives what the migration does not name: indexes, foreign keys, check constraints, tables.
import { createHash } from 'node:crypto';

/** Folders under db/ whose migrations Rails (and the post-deployment convention of GitLab, Discourse, Mastodon) runs. */
export const RAILS_MIGRATION_FOLDERS: readonly string[] = ['migrate', 'post_migrate'];

/** Rails 7.1+ (`max_index_name_size`): a longer generated index name is shortened with a hash. */
const MAX_INDEX_NAME_SIZE = 62;

/**
 * ActiveRecord's index name: `index_users_on_email`, `index_users_on_org_id_and_email`; an expression
 * column (`"lower(email)"`) is named by its words (`index_users_on_lower_email`). From Rails 7.1 a name
 * over 62 bytes becomes `idx_on_<columns>_<hash>` (generate_index_name); older migrations keep the
 * long name (Migration::Compatibility::V7_0).
 */
export function indexName(table: string, columns: readonly string[], migrationVersion: number | null = null): string {
  const only = columns.length === 1 ? (columns[0] as string) : null;
  const words = only !== null && /\W/.test(only) ? [(only.match(/\w+/g) ?? []).join('_')] : columns;
  const name = `index_${table}_on_${words.join('_and_')}`;
  if (migrationVersion === null || migrationVersion < 7.1 || Buffer.byteLength(name) <= MAX_INDEX_NAME_SIZE) return name;
  const hash = `_${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
  const short = Buffer.from(`idx_on_${words.join('_')}`)
    .subarray(0, MAX_INDEX_NAME_SIZE - hash.length)
    .toString();
  return `${short}${hash}`;
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

/** `uniq_rails_<hash>` for `add_unique_constraint` without a name (PostgreSQL adapter, Rails 7.1). */
export function uniqueConstraintName(table: string, columnsOrIndex: readonly string[]): string {
  return `uniq_rails_${hashed(`${table}_${columnsOrIndex.join('_and_')}_unique`)}`;
}

/** `excl_rails_<hash>` for `add_exclusion_constraint` without a name (PostgreSQL adapter, Rails 7.1). */
export function exclusionConstraintName(table: string, expression: string): string {
  return `excl_rails_${hashed(`${table}_${expression}_excl`)}`;
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
