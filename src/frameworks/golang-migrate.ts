// golang-migrate: `<version>_<title>.up.sql` and `<version>_<title>.down.sql`, ordered by numeric version (its
// pattern `^([0-9]+)_(.*)\.(down|up)\.(.*)$`: the underscore is required). Two files of one version and direction
// make it refuse the whole folder (ErrDuplicateMigration). Transactions: the postgres driver sends each file as
// one multi-statement query, which PostgreSQL runs as one implicit transaction (a single statement runs alone).
import { join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { migrationFiles, parseSqlMigration, skipped } from './sql-files.js';

interface Pair {
  version: bigint;
  id: string;
  name: string;
  up?: string;
  down?: string;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `123_add_users.up.sql` → version 123, name add_users, direction up. */
export function parseFileName(file: string): { version: bigint; id: string; name: string; direction: 'up' | 'down' } | null {
  if (!file.endsWith('.sql')) return null;
  const stem = file.slice(0, -'.sql'.length);
  const direction = stem.endsWith('.up') ? 'up' : stem.endsWith('.down') ? 'down' : null;
  if (!direction) return null;
  const base = stem.slice(0, -(direction.length + 1));
  const underscore = base.indexOf('_');
  if (underscore < 1) return null;
  const id = base.slice(0, underscore);
  if (![...id].every((ch) => ch >= '0' && ch <= '9')) return null;
  // Names may hold dots (`0002_1.7.0_schema.up.sql`); pop's `.postgres.up.sql` folders are claimed by the pop adapter first.
  const name = base.slice(underscore + 1);
  return { version: BigInt(id), id, name, direction };
}

export const golangMigrate: FrameworkAdapter = {
  framework: 'golang-migrate',
  detect(folder: Folder) {
    const pairs = new Map<string, Pair>();
    const errors: ReadError[] = [];
    for (const name of folder.entries
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort(byName)) {
      const parsed = parseFileName(name);
      if (!parsed) continue;
      const key = parsed.version.toString();
      const pair = pairs.get(key) ?? { version: parsed.version, id: parsed.id, name: parsed.name };
      const other = pair[parsed.direction];
      if (other) {
        errors.push(
          skipped(
            join(folder.rel, name),
            `golang-migrate refuses two ${parsed.direction} migrations with version ${parsed.version} (also ${join(folder.rel, other)}): skipped`,
          ),
        );
        continue;
      }
      pair[parsed.direction] = name;
      pairs.set(key, pair);
    }
    if (![...pairs.values()].some((p) => p.up)) return null;
    const migrations: Migration[] = [];
    const { dialect, dialectReason } = chooseDialect(folder);
    for (const p of [...pairs.values()].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))) {
      if (!p.up) {
        errors.push({
          path: join(folder.rel, p.down ?? ''),
          line: 1,
          column: 1,
          message: 'down migration without a matching .up.sql: skipped',
        });
        continue;
      }
      migrations.push({
        id: p.id,
        name: p.name,
        framework: 'golang-migrate',
        dialect,
        ...migrationFiles({ folder, file: p.up }, p.down ? { folder, file: p.down } : null),
        // The postgres driver sends the file as one multi-statement query: PostgreSQL runs it as one
        // implicit transaction, so CREATE INDEX CONCURRENTLY fails there unless it is alone in its file.
        transactional: true,
      });
    }
    return { sets: [{ framework: 'golang-migrate', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] }], errors };
  },
  parse: (m) => parseSqlMigration(m),
};
