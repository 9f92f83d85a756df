// Plain SQL: a folder of `.sql` files no framework adapter claimed, applied in natural order of their names
// (`2_x.sql` before `10_x.sql`; files sharing a version prefix by their full name, as home-grown runners sort
// them). Sibling version folders (`versioned/v1.0`, `v1.2`, `v1.10`) are one history, the folders in natural
// order. Home-grown runners pair a down with its up by name (`V0013.Name.up.sql` / `V0013.Name.down.sql`,
// `0001_name_up.sql` / `0001_name_down.sql`); any other file only goes forward. Transactions: none, as psql runs a
// file (statement by statement).
import { basename, dirname, join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter, MigrationSet } from './adapter.js';
import { migrationFiles, naturalCompare, parseSqlMigration, skipped } from './sql-files.js';

/** `V0013.Name.up.sql` → stem `V0013.Name`, up; `0001_name_down.sql` → stem `0001_name`, down; `0001_x.sql` → up, no marker. */
export function parsePlainName(file: string): { stem: string; direction: 'up' | 'down'; marked: boolean } {
  const stem = file.slice(0, -'.sql'.length);
  const lower = stem.toLowerCase();
  for (const direction of ['up', 'down'] as const) {
    for (const separator of ['.', '_', '-']) {
      if (lower.endsWith(`${separator}${direction}`) && stem.length > direction.length + 1)
        return { stem: stem.slice(0, -(direction.length + 1)), direction, marked: true };
    }
  }
  return { stem, direction: 'up', marked: false };
}

/** A folder named like a version (`v1.2`, `1.10.0`, `V3`): a part of a versioned history. */
export const isVersionFolder = (name: string) => /^[vV]?\d/.test(name);

export const plainSql: FrameworkAdapter = {
  framework: 'sql',
  detect(folder: Folder) {
    const errors: ReadError[] = [];
    const { dialect, dialectReason } = chooseDialect(folder);
    const migrations = migrationsOf(folder, dialect, errors);
    if (!migrations) return null;
    // Without any down file, downs are not part of how the history is run.
    const downsUnsupported = !migrations.some((m) => m.down);
    for (const m of migrations) m.downsUnsupported = downsUnsupported;
    return {
      sets: migrations.length ? [{ framework: 'sql', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] }] : [],
      errors,
    };
  },
  parse: (m) => parseSqlMigration(m),
};

/**
 * Plain SQL sets in sibling version folders (`versioned/v1.0`, `v1.2`, `v1.10`) whose parent has no set of its own are
 * one history: the folders in natural order, each migration's id prefixed with its folder. Discovery joins them
 * after the walk, so that a version folder another adapter claims is never taken as plain SQL.
 */
export function joinVersionFolders(sets: MigrationSet[]): MigrationSet[] {
  const roots = new Set(sets.map((s) => s.root));
  const groups = new Map<string, MigrationSet[]>();
  for (const set of sets) {
    const parent = dirname(set.root);
    if (set.framework !== 'sql' || !isVersionFolder(basename(set.root)) || roots.has(parent)) continue;
    groups.set(parent, [...(groups.get(parent) ?? []), set]);
  }
  const joined = new Map<MigrationSet, MigrationSet | null>();
  for (const [parent, parts] of groups) {
    if (parts.length < 2 || new Set(parts.map((p) => p.dialect)).size > 1) continue;
    parts.sort((a, b) => naturalCompare(basename(a.root), basename(b.root)));
    const migrations = parts.flatMap((p) => p.migrations.map((m) => ({ ...m, id: `${basename(p.root)}/${m.id}` })));
    const downsUnsupported = !migrations.some((m) => m.down);
    for (const m of migrations) m.downsUnsupported = downsUnsupported;
    const first = parts[0] as MigrationSet;
    const set: MigrationSet = { ...first, root: parent, migrations, claimed: parts.flatMap((p) => p.claimed) };
    joined.set(first, set);
    for (const p of parts.slice(1)) joined.set(p, null);
  }
  return sets.flatMap((s) => {
    const j = joined.get(s);
    return j === undefined ? [s] : j ? [j] : [];
  });
}

/** The migrations of one folder's `.sql` files, each down paired with its up; null when it has none. */
function migrationsOf(folder: Folder, dialect: Migration['dialect'], errors: ReadError[]): Migration[] | null {
  const files = folder.entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql')).map((e) => e.name);
  if (!files.length) return null;
  const downs = new Map<string, string>();
  for (const file of files) {
    const name = parsePlainName(file);
    if (name.direction === 'down') downs.set(name.stem, file);
  }
  const ups = files.filter((f) => parsePlainName(f).direction === 'up').sort(naturalCompare);
  const paired = new Set<string>();
  const migrations: Migration[] = [];
  for (const file of ups) {
    const name = parsePlainName(file);
    const downFile = name.marked ? downs.get(name.stem) : undefined;
    if (downFile) paired.add(downFile);
    const id = name.marked ? name.stem : file.slice(0, -'.sql'.length);
    migrations.push({
      id,
      name: id,
      framework: 'sql',
      dialect,
      ...migrationFiles({ folder, file }, downFile ? { folder, file: downFile } : null),
      // A plain file is usually fed to psql, which commits statement by statement.
      transactional: false,
    });
  }
  for (const file of downs.values())
    if (!paired.has(file)) errors.push(skipped(join(folder.rel, file), 'down file without an up file of the same name: skipped'));
  return migrations;
}
