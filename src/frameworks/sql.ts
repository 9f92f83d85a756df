// Plain SQL: a folder of `.sql` files no framework adapter claimed, applied in natural order of their names
// (`2_x.sql` before `10_x.sql`). There is no down: each file only goes forward.
import { join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { naturalCompare, parseSqlMigration, readFolderFile, sqlSource } from './sql-files.js';

export const plainSql: FrameworkAdapter = {
  framework: 'sql',
  detect(folder: Folder) {
    const files = folder.entries
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql'))
      .map((e) => e.name)
      .sort(naturalCompare);
    if (!files.length) return null;
    const errors: ReadError[] = [];
    const { dialect, dialectReason } = chooseDialect(folder);
    const migrations: Migration[] = [];
    for (const file of files) {
      const path = join(folder.rel, file);
      const read = readFolderFile(folder, file);
      if (!read.ok) {
        errors.push(read.error);
        continue;
      }
      const stem = file.slice(0, -'.sql'.length);
      migrations.push({
        id: stem,
        name: stem,
        framework: 'sql',
        dialect,
        path,
        files: [path],
        up: sqlSource(path, read.text),
        down: null,
        // A plain file is usually fed to psql, which commits statement by statement.
        transactional: false,
        downsUnsupported: true,
      });
    }
    return {
      sets: migrations.length ? [{ framework: 'sql', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] }] : [],
      errors,
    };
  },
  parse: (m) => parseSqlMigration(m),
};
