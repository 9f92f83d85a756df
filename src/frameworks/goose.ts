// goose: `<version>_<name>.sql` (version: a number or a timestamp) with `-- +goose Up` and `-- +goose Down`
// sections; `-- +goose StatementBegin/End` only group statements (the text between is still SQL);
// `-- +goose NO TRANSACTION` runs the file outside a transaction. Go migrations (`.go`) are code: reported, not analyzed.
import { join } from 'node:path';
import { chooseDialect } from '../discover/dialect.js';
import type { Migration, ReadError } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import { type Marker, markerLines, sectionedMigration } from './sections.js';
import { parseSqlMigration, readFolderFile, skipped } from './sql-files.js';

const annotation = (m: Marker) => m.text.slice('+goose'.length).trim().toLowerCase();

function isGooseFile(text: string): boolean {
  return markerLines(text, '+goose').some((m) => annotation(m) === 'up');
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
        errors.push(skipped(f.migration.path, `goose found two migrations with version ${f.version} (also ${previous.migration.path})`));
    }
    const migrations = found.map((f) => f.migration);
    return { sets: [{ framework: 'goose', dialect, dialectReason, root: folder.rel, migrations, claimed: [folder.abs] }], errors };
  },
  parse: (m) => parseSqlMigration(m),
};

/** Splits a goose file into its Up and Down sections, each with the line it starts on. */
function fromText(path: string, version: string, file: string, text: string, errors: ReadError[]): Omit<Migration, 'dialect'> | null {
  const markers = markerLines(text, '+goose');
  const sections = markers.filter((m) => annotation(m) === 'up' || annotation(m) === 'down');
  const up = sections.find((m) => annotation(m) === 'up');
  if (!up) {
    errors.push(skipped(path, 'goose migration without a "-- +goose Up" annotation: skipped'));
    return null;
  }
  const down = sections.find((m) => annotation(m) === 'down');
  const transactional = !markers.some((m) => annotation(m) === 'no transaction');
  return sectionedMigration({ path, name: file, version, text }, 'goose', { all: sections, up, down }, transactional);
}
