// Which statements a rehearsal refuses to run because they act outside the scratch database: one
// module per dialect, the same answer on every engine of that dialect.
import type { Dialect } from '../../ir.js';
import { findMysqlOutsideEffect } from './mysql.js';
import { findOutsideEffect } from './postgresql.js';
import { findSqliteOutsideEffect } from './sqlite.js';

export interface GuardOptions {
  /** The user opted in (`--allow-outside-effects`): refuse only what names a protected database. */
  allowOutsideEffects: boolean;
  /** Databases no statement may name even then: the one the URL names. */
  protectedDatabases: readonly string[];
  /** The engine, when it cannot run programs at all (PGlite): refused even when allowed. */
  cannotRunPrograms?: string;
}

export interface OutsideEffect {
  /** The construct, as the user wrote it: "COPY … TO PROGRAM", "CREATE ROLE", "pg_read_file()". */
  statement: string;
  /** What it does outside the scratch database: "runs a shell command on the database server". */
  reason: string;
  /** Character offset of the statement in the text checked. */
  offset: number;
  /** Refused even with `--allow-outside-effects`: it names a protected database, or the engine cannot run it. */
  always?: boolean;
}

/** The first statement of a script that acts outside the scratch database, or null. */
export type Guard = (sql: string, options: GuardOptions) => OutsideEffect | null;

const GUARDS: Partial<Record<Dialect, Guard>> = {
  postgresql: findOutsideEffect,
  mysql: findMysqlOutsideEffect,
  sqlite: findSqliteOutsideEffect,
};

export function guardFor(dialect: Dialect): Guard {
  const guard = GUARDS[dialect];
  if (!guard) throw new Error(`no statement guard for ${dialect}: rehearsal cannot run ${dialect} migrations safely yet`);
  return guard;
}
