// goose: `<version>_<name>.sql` (version: a number or a timestamp) with `-- +goose Up` and `-- +goose Down`
// sections; `-- +goose StatementBegin/End` only group statements (the text between is still SQL). Annotations
// are goose's exact words (`-- +goose up` is a comment to goose, which then refuses the file). Transactions: the
// whole file, up and down, runs in one unless it says `-- +goose NO TRANSACTION`. Go migrations (`.go`) are
// code: reported, not analyzed.
import { basename, join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { type Marker, markerLines, sectionedMigration } from './sections.js';
import { parseSqlMigration, readFolderFile, skipped } from './sql-files.js';

/** What follows `+goose ` on an annotation line, as goose compares it: exactly (`Up`, `Down`, `NO TRANSACTION`). */
const annotation = (m: Marker) => (m.text.startsWith('+goose ') ? m.text.slice('+goose '.length) : '');

function isGooseFile(text: string): boolean {
  return markerLines(text, '+goose').some((m) => annotation(m) === 'Up');
}

export const goose: FrameworkAdapter = {
  framework: 'goose',
  detect(folder: Folder) {
    const files = folder.entries.filter((e) => e.isFile() && e.name.endsWith('.sql')).map((e) => e.name);
    const marked = files.filter((name) => {
      const read = readFolderFile(folder, name);
      return read.ok && isGooseFile(read.text);
    });
    if (!marked.length) return null;
    const errors: ReadError[] = [];
    const { dialect, dialectReason } = chooseDialect(folder);
    const found: Array<{ version: bigint; migration: Migration }> = [];
    for (const e of folder.entries) {
      const path = join(folder.rel, e.name);
      const version = /^\d+/.exec(e.name)?.[0];
      if (e.isFile() && e.name.endsWith('.go') && version && !e.name.endsWith('_test.go')) {
        errors.push(skipped(path, 'goose Go migration: code is not analyzed (only .sql migrations are)'));
      }
      if (!e.isFile() || !e.name.endsWith('.sql')) continue;
      const read = readFolderFile(folder, e.name);
      if (!read.ok) {
        errors.push(read.error);
        continue;
      }
      if (!version) {
        errors.push(skipped(path, 'goose reads only files named <version>_<name>.sql: skipped'));
        continue;
      }
      const m = fromText(path, version, e.name, read.text, errors);
      if (m) found.push({ version: BigInt(version), migration: { ...m, dialect } });
    }
    found.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
    for (const [i, f] of found.entries()) {
      const previous = found[i - 1];
      if (previous && previous.version === f.version)
        errors.push(
          skipped(f.migration.path, `goose found two migrations with version ${f.version} (also ${basename(previous.migration.path)})`),
        );
    }
    const migrations = found.map((f) => f.migration);
    return { sets: [{ framework: 'goose', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] }], errors };
  },
  parse: (m) => parseSqlMigration(m),
};

/** Splits a goose file into its Up and Down sections, each with the line it starts on. */
function fromText(path: string, version: string, file: string, text: string, errors: ReadError[]): Omit<Migration, 'dialect'> | null {
  const markers = markerLines(text, '+goose');
  const sections = markers.filter((m) => annotation(m) === 'Up' || annotation(m) === 'Down');
  const up = sections.find((m) => annotation(m) === 'Up');
  if (!up) {
    errors.push(skipped(path, 'goose migration without a "-- +goose Up" annotation: skipped'));
    return null;
  }
  const down = sections.find((m) => annotation(m) === 'Down');
  if (down && down.lineStart < up.lineStart) {
    errors.push({
      path,
      line: down.line,
      column: 1,
      message: 'goose requires "-- +goose Up" before "-- +goose Down": goose refuses to run it',
    });
    return null;
  }
  const transactional = !markers.some((m) => annotation(m) === 'NO TRANSACTION');
  return sectionedMigration({ path, name: file, version, text }, 'goose', { all: sections, up, down }, transactional);
}
