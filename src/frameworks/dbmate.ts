// dbmate: `<version>_<name>.sql` files (default folder db/migrations) holding a `-- migrate:up` and an
// optional `-- migrate:down` section; `transaction:false` on a marker runs that section outside a transaction.
import { join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { markerLines, sectionedMigration } from './sections.js';
import { naturalCompare, parseSqlMigration, readFolderFile, skipped } from './sql-files.js';

const UP = 'migrate:up';
const DOWN = 'migrate:down';

function isDbmateFile(text: string): boolean {
  return markerLines(text, UP).some((m) => m.text.toLowerCase().split(/\s+/)[0] === UP);
}

export const dbmate: FrameworkAdapter = {
  framework: 'dbmate',
  detect(folder: Folder) {
    const sqlFiles = folder.entries.filter((e) => e.isFile() && e.name.endsWith('.sql')).map((e) => e.name);
    const marked = sqlFiles.filter((name) => {
      const read = readFolderFile(folder, name);
      return read.ok && isDbmateFile(read.text);
    });
    if (!marked.length) return null;
    const errors: ReadError[] = [];
    const { dialect, dialectReason } = chooseDialect(folder);
    const migrations: Migration[] = [];
    const versioned = sqlFiles
      .map((name) => ({ name, version: /^\d+/.exec(name)?.[0] }))
      .sort((a, b) => naturalCompare(a.version ?? '', b.version ?? '') || naturalCompare(a.name, b.name));
    for (const { name, version } of versioned) {
      const path = join(folder.rel, name);
      const read = readFolderFile(folder, name);
      if (!read.ok) {
        errors.push(read.error);
        continue;
      }
      if (!version) {
        errors.push(skipped(path, 'dbmate reads only files whose name starts with a version number: skipped'));
        continue;
      }
      const m = fromText(path, version, name, read.text, errors);
      if (m) migrations.push({ ...m, dialect });
    }
    return { sets: [{ framework: 'dbmate', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] }], errors };
  },
  parse: (m) => parseSqlMigration(m),
};

/** Splits a dbmate file into its up and down sections, each with the line it starts on. */
function fromText(path: string, version: string, file: string, text: string, errors: ReadError[]): Omit<Migration, 'dialect'> | null {
  const markers = markerLines(text, 'migrate:').filter((m) => [UP, DOWN].includes(m.text.toLowerCase().split(/\s+/)[0] ?? ''));
  const up = markers.find((m) => m.text.toLowerCase().startsWith(UP));
  if (!up) {
    errors.push(skipped(path, 'dbmate migration without a "-- migrate:up" section: skipped'));
    return null;
  }
  const down = markers.find((m) => m.text.toLowerCase().startsWith(DOWN));
  return sectionedMigration(
    { path, name: file, version, text },
    'dbmate',
    { all: markers, up, down },
    !/\btransaction:false\b/i.test(up.text),
  );
}
