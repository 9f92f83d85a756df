// One adapter per framework: it recognises its migration folders and turns each migration into IR.
import type { DialectChoice } from '../discover/dialect.js';
import type { Dialect, Operation } from '../ir.js';
import type { Framework, Migration, ParsedMigration, ReadError, SourceText } from '../migration.js';

/** A folder as discovery sees it. */
/** What adapters read of a directory entry (a node:fs Dirent is one; the public types need no @types/node). */
export interface FolderEntry {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface Folder {
  /** Absolute path. */
  abs: string;
  /** Path relative to the working directory, for reports. */
  rel: string;
  entries: FolderEntry[];
  /** The default dialect configured for the run (--dialect, the twoway config's `dialect`), when any. */
  configuredDialect?: DialectChoice;
}

export interface MigrationSet {
  framework: Framework;
  dialect: Dialect;
  /** Why the set is read as `dialect` (discover/dialect.ts): "folder mysql/", "knexfile.js client: sqlite3", "default…". */
  dialectReason: string;
  /** Folder the set was found in, relative to the working directory. */
  root: string;
  /** In the order the framework applies them. */
  migrations: Migration[];
  /** Folders this set owns: discovery does not look into them again. */
  claimed: string[];
  /** Files (relative to the working directory) whose migrations are reported when the user named single files; the whole set is still replayed. */
  reportOnly?: string[];
  /** A schema dump kept beside the migrations (Rails db/structure.sql or db/schema.rb, a Knex base script): read with the adapter's `parseSeed`. */
  seed?: SourceText;
}

export interface DetectResult {
  sets: MigrationSet[];
  errors: ReadError[];
}

export interface FrameworkAdapter {
  framework: Framework;
  /** Loads what detect/parse need (a tree-sitter grammar); awaited once before discovery. */
  load?(): Promise<void>;
  /** Recognises a migration folder of this framework, or returns null to let the next adapter look. */
  detect(folder: Folder): DetectResult | null;
  /** Turns one migration into IR. Never throws for bad input: errors go into the result. */
  parse(migration: Migration): ParsedMigration;
  /**
   * Turns the set's schema dump into the operations that build it. `before`: the seed is the state the
   * history starts from (a base script run before the first migration), not a dump of the state after it.
   */
  parseSeed?(seed: SourceText, dialect: Dialect): { ops: Operation[]; errors: ReadError[]; before?: boolean };
  /** Called once discovery has found every set: joins sets of this framework that run as one (TypeORM's imported migrations). */
  joinSets?(sets: MigrationSet[], cwd: string): void;
}
