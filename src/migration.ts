// What discovery finds and what adapters return: a migration, its sources, and its operations.
import type { Severity } from './findings.js';
import type { Dialect, Operation, Span } from './ir.js';

export type Framework =
  | 'flyway'
  | 'golang-migrate'
  | 'dbmate'
  | 'prisma'
  | 'diesel'
  | 'goose'
  | 'pop'
  | 'sql'
  | 'rails'
  | 'alembic'
  | 'django'
  | 'knex'
  | 'node-pg-migrate'
  | 'typeorm'
  | 'sequelize';

/** A piece of source text and where it starts in its file (a section of a dbmate/goose file starts mid-file). */
export interface SourceText {
  /** Path relative to the working directory, as reported. */
  path: string;
  text: string;
  /** 1-based line of the first character of `text` in its file. */
  startLine: number;
  /** 1-based column of the first character of `text` on that line (SQL inside a Python/Ruby string); 1 when absent. */
  startColumn?: number;
  language: 'sql' | 'ruby' | 'python' | 'javascript' | 'typescript';
}

export interface Migration {
  /** The framework's own id: version, revision, timestamp. */
  id: string;
  name: string;
  framework: Framework;
  dialect: Dialect;
  /** The up file, relative to the working directory. */
  path: string;
  /** Every file of this migration (up, down/undo). */
  files: string[];
  up: SourceText;
  /** The written down, when the framework has one for this migration. */
  down: SourceText | null;
  /**
   * The framework runs the up in a transaction (dbmate transaction:false, goose NO TRANSACTION, Flyway's
   * non-transactional statements or executeInTransaction=false turn it off). Each adapter's header says how it decides.
   */
  transactional: boolean;
  /** The framework runs the down in a transaction; absent: as the up (dbmate and Flyway decide per direction). */
  downTransactional?: boolean;
  /** The whole run shares one transaction (TypeORM's default migrationsTransactionMode "all"), which no migration may override. */
  sharedTransaction?: boolean;
  /**
   * Files of this migration that could not be read (binary, over the size limit, no permission): they stay in the
   * migration with empty text, so its answers are `unknown` instead of the file vanishing or its down counting as none.
   */
  unreadable?: ReadError[];
  /** The framework has no down migrations at all (Prisma, Flyway without undo): a missing down is expected, not an oversight. */
  downsUnsupported?: boolean;
  /**
   * Migrations sharing this id roll back only together: one change split over several versions (pop/popx versions
   * sharing the 14-digit legacy version), whose downs, run newest first, undo the group's ups as a whole. Each
   * member is still judged as the framework runs it, step by step; whether the downs undo the ups is judged for the group.
   */
  rollbackGroup?: string;
}

/**
 * A directive found in a migration: a comment `twoway-ignore <rule>: <reason>` or `twoway: contract`,
 * or a construct of the framework by which the author acknowledges every finding in a range of lines
 * (strong_migrations' `safety_assured { … }`): those findings are kept, marked suppressed with `reason`.
 */
export type Directive =
  | { type: 'ignore'; rule: string; reason: string | null; line: number; column: number; path: string }
  | { type: 'contract'; line: number; column: number; path: string }
  | { type: 'acknowledge'; reason: string; line: number; column: number; endLine: number; path: string };

export interface ReadError {
  path: string;
  line: number;
  column: number;
  message: string;
}

/** The state of a migration's down, as its framework defines it. */
export type DownStatus =
  /** A down is written (file, section, method). */
  | 'written'
  /** The framework derives the down from the up (Rails `change`). */
  | 'derived'
  /** No down exists. */
  | 'none'
  /** The author declared it irreversible (raise IrreversibleMigration, downgrade raises). */
  | 'irreversible'
  /** A down exists but its reader could not follow it: the dbRollback answer is unknown. */
  | 'unreadable';

export interface ParsedMigration {
  migration: Migration;
  up: Operation[];
  /** Operations of the down, written or derived; null when there is none. */
  down: Operation[] | null;
  downStatus: DownStatus;
  directives: Directive[];
  /** Statements that could not be read; the rest of the migration is still analyzed. */
  errors: ReadError[];
  /** What the adapter knows that no operation can say (Django cannot reverse RunPython without reverse_code…). */
  notes?: AdapterNote[];
}

/** A finding an adapter raises itself, reported under a rule registered in src/rules (`not-analyzed`, `framework-cannot-reverse`). */
export interface AdapterNote {
  rule: string;
  message: string;
  fix: string;
  span: Span;
  /** Overrides the rule's default severity. */
  severity?: Severity;
  /** The side of the migration the note is about (default: the up). */
  direction?: 'up' | 'down';
}
