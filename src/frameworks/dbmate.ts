// dbmate: `<version>_<name>.sql` files (default folder db/migrations; dbmate takes every file whose name starts
// with a digit, the digits being the version, applied in file-name order) holding a `-- migrate:up` and a
// `-- migrate:down` section. Transactions: each section runs in one unless its marker says `transaction:false`,
// the up and the down each by their own marker. dbmate refuses a file without a down section, with the down
// before the up, or with statements before the up; and two files of one version break its bookkeeping.
import { join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { type Marker, markerLines, sectionedMigration } from './sections.js';
import { parseSqlMigration, readFolderFile, skipped } from './sql-files.js';

const UP = 'migrate:up';
const DOWN = 'migrate:down';

/** The marker's first word (`migrate:up`); dbmate's pattern is case-sensitive. */
const directive = (m: Marker) => m.text.split(/\s+/)[0] ?? '';

function isDbmateFile(text: string): boolean {
  return markerLines(text, UP).some((m) => directive(m) === UP);
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
    const byVersion = new Map<string, string>();
    // dbmate sorts by file name, byte by byte (`10_a.sql` before `2_b.sql`).
    for (const name of [...sqlFiles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const path = join(folder.rel, name);
      const read = readFolderFile(folder, name);
      if (!read.ok) {
        errors.push(read.error);
        continue;
      }
      const version = /^\d+/.exec(name)?.[0];
      if (!version) {
        errors.push(skipped(path, 'dbmate reads only files whose name starts with a version number: skipped'));
        continue;
      }
      const other = byVersion.get(version);
      if (other)
        errors.push(
          skipped(
            path,
            `dbmate found two migrations with version ${version} (also ${other}): it records versions, so one of them is skipped as applied or the second insert of the version fails`,
          ),
        );
      else byVersion.set(version, path);
      const m = fromText(path, version, name, read.text, errors);
      if (m) migrations.push({ ...m, dialect });
    }
    return { sets: [{ framework: 'dbmate', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] }], errors };
  },
  parse: (m) => parseSqlMigration(m),
};

/** Splits a dbmate file into its up and down sections, each with the line it starts on; what dbmate refuses is an error. */
function fromText(path: string, version: string, file: string, text: string, errors: ReadError[]): Omit<Migration, 'dialect'> | null {
  const markers = markerLines(text, 'migrate:').filter((m) => directive(m) === UP || directive(m) === DOWN);
  // dbmate takes the first of each marker: the up block runs to the down marker, the down block to the end of the file.
  const up = markers.find((m) => directive(m) === UP);
  if (!up) {
    errors.push(skipped(path, 'dbmate migration without a "-- migrate:up" section: skipped'));
    return null;
  }
  const down = markers.find((m) => directive(m) === DOWN);
  const refuse = (line: number, message: string) => errors.push({ path, line, column: 1, message: `${message}: dbmate refuses to run it` });
  // dbmate stops at the first of its checks that fails, in this order.
  const before = statementBefore(text, up.lineStart);
  if (!down) refuse(up.line, 'dbmate requires each migration to define a down block with "-- migrate:down"');
  else if (down.lineStart < up.lineStart) refuse(down.line, 'dbmate requires "-- migrate:up" to appear before "-- migrate:down"');
  else if (before) refuse(before, 'dbmate does not support statements preceding the "-- migrate:up" block');
  const sections = [up, ...(down && down.lineStart > up.lineStart ? [down] : [])];
  const migration = sectionedMigration(
    { path, name: file, version, text },
    'dbmate',
    { all: sections, up, down: sections[1] },
    runsInTransaction(up),
  );
  const downTransactional = sections[1] ? runsInTransaction(sections[1]) : migration.transactional;
  return downTransactional === migration.transactional ? migration : { ...migration, downTransactional };
}

/** dbmate's options are `key:value` words after the marker; `transaction:false` is the only one it knows. */
function runsInTransaction(marker: Marker): boolean {
  return !marker.text
    .split(/\s+/)
    .slice(1)
    .some((word) => word === 'transaction:false');
}

/** The first line before the up marker that is neither blank nor a `--` comment (dbmate's check, line by line). */
function statementBefore(text: string, end: number): number | null {
  const lines = text.slice(0, end).split('\n');
  const at = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('--'));
  return at < 0 ? null : at + 1;
}
