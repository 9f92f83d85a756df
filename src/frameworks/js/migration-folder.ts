// What a JS/TS migration folder is, from its file names and SQL markers alone: discovery asks this before it
// imports the JS readers (Babel and the interpreter), so a folder of plain SQL never loads them.
import { basename, extname } from 'node:path';
import type { Folder, FolderEntry } from '../adapter.js';
import { readFolderFile } from '../sql-files.js';

const SCRIPT_EXTENSIONS = new Set(['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts']);

export interface MigrationFolderFiles {
  /** The JS/TS modules that may be migrations (not declarations nor tests). */
  scripts: FolderEntry[];
  sqlFiles: FolderEntry[];
}

/** The folder's candidate files, or null when it does not look like a migrations folder: the rest of a JS repo is not ours to read. */
export function migrationFolderFiles(folder: Folder): MigrationFolderFiles | null {
  const files = folder.entries.filter((e) => e.isFile());
  const scripts = files.filter(
    (e) => SCRIPT_EXTENSIONS.has(extname(e.name)) && !e.name.endsWith('.d.ts') && !/\.(test|spec)\.[cm]?[jt]s$/.test(e.name),
  );
  const sqlFiles = files.filter((e) => e.name.endsWith('.sql'));
  const looksLikeMigrations = /migrat/i.test(basename(folder.abs)) || scripts.some((e) => /^\d{8,}/.test(e.name));
  if (!looksLikeMigrations || (!scripts.length && !sqlFiles.length)) return null;
  return { scripts, sqlFiles };
}

/** node-pg-migrate SQL migrations mark their sections with `-- Up Migration` / `-- Down Migration` lines. */
export function hasPgmMarkers(text: string): boolean {
  return text.split('\n').some((line) => line.trim().toLowerCase() === '-- up migration');
}

/** A node-pg-migrate SQL migration of the folder (read once: the SQL adapters read the same file after). */
export function isPgmSqlFile(folder: Folder, name: string): boolean {
  const read = readFolderFile(folder, name);
  return read.ok && hasPgmMarkers(read.text);
}

/** Whether the JS frameworks' detectors can find anything here: a script, or a SQL file with node-pg-migrate's markers. */
export function mayHoldJsMigrations(folder: Folder): boolean {
  const files = migrationFolderFiles(folder);
  return !!files && (files.scripts.length > 0 || files.sqlFiles.some((e) => isPgmSqlFile(folder, e.name)));
}
