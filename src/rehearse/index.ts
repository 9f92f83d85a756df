// `twoway rehearse` as a library call: discover, parse, rehearse every set on an engine of its own
// dialect: PostgreSQL sets on PGlite or the server a postgres:// URL names, MySQL sets on the server a
// mysql:// URL names, SQLite sets on an embedded SQLite. A set is never run on another dialect's engine.
import { type DiscoverOptions, discover } from '../discover/index.js';
import { adapterFor, loadAdapters } from '../frameworks/index.js';
import type { Dialect } from '../ir.js';
import type { Migration, ReadError } from '../migration.js';
import { unlessInterrupted } from './cleanup.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineKind } from './engine.js';
import { createMysqlEngine, isMysqlUrl } from './mysql-engine.js';
import { createPgliteEngine } from './pglite-engine.js';
import { type MigrationRehearsal, rehearseSelected } from './rehearse.js';
import { createServerEngine, redact } from './server-engine.js';
import { createSqliteEngine } from './sqlite-engine.js';

export interface RehearseOptions extends DiscoverOptions {
  /**
   * A server to rehearse on, in a scratch database twoway creates and drops: postgres:// for PostgreSQL
   * sets (PGlite otherwise), mysql:// for MySQL sets (which are skipped without one).
   */
  databaseUrl?: string;
  /** An engine the caller owns (tests, benchmarks), for the sets of its dialect: reset before each set, never closed here. */
  engine?: Engine;
  /** Seconds one statement may run (default 5); the engine ends it and reports "timed out after N s". */
  statementTimeoutSeconds?: number;
  /** Run statements that act outside the scratch database, as the URL's own role on a server. */
  allowOutsideEffects?: boolean;
  /** Told once: leftovers of killed runs dropped, the role the migrations run as. */
  onNotice?: (message: string) => void;
  /** Rehearse only migrations having one of these files (paths relative to cwd): `--since`. The older ones are replayed. */
  onlyFiles?: ReadonlySet<string>;
  /** Rehearse this migration (by id) and those after it; replay the ones before: `--from`. */
  from?: string;
  /** Rehearse only this migration (by id); replay the ones before: `--only`. */
  only?: string;
  /** After each migration of each set, for a progress line. */
  onProgress?: (done: number, total: number, id: string) => void;
}

/** `--from` / `--only` named a migration no set has. */
export class UnknownMigrationError extends Error {}

export interface RehearseResult {
  /** The engine of the first set rehearsed (the one the URL implies when none was). */
  engine: EngineKind;
  serverVersion: string;
  /** Every engine the run used, one per dialect. */
  engines: Array<{ dialect: Dialect; kind: EngineKind; serverVersion: string }>;
  /** The per-statement time limit in force. */
  statementTimeoutSeconds: number;
  allowOutsideEffects: boolean;
  migrations: MigrationRehearsal[];
  /** Migrations applied up only (no rows, no snapshots) to reach the selected ones: `--since`, `--from`, `--only`. */
  replayed: number;
  errors: ReadError[];
}

/** A signal (Ctrl-C) ends the run through its clean-up (cleanup.ts): the promise then never settles. */
export function rehearse(paths: readonly string[], options: RehearseOptions = {}): Promise<RehearseResult> {
  return unlessInterrupted(rehearseOnce(paths, options));
}

async function rehearseOnce(paths: readonly string[], options: RehearseOptions): Promise<RehearseResult> {
  await loadAdapters();
  const discovery = discover(paths, options);
  const errors: ReadError[] = [...discovery.errors];
  const url = options.databaseUrl;
  const mysqlUrl = url !== undefined && isMysqlUrl(url);
  const sets = discovery.sets.filter((set) => {
    const refusal = dialectRefusal(set.dialect, url, mysqlUrl, options.engine);
    if (refusal) errors.push({ path: set.root, line: 0, column: 0, message: `${set.framework} set not rehearsed: ${refusal}` });
    return refusal === null;
  });
  const engineOptions = { statementTimeoutSeconds: options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS };
  const serverOptions = { ...engineOptions, allowOutsideEffects: options.allowOutsideEffects, onNotice: options.onNotice };
  const engines = new Map<Dialect, Engine>();
  const owned: Engine[] = [];
  const engineFor = async (dialect: Dialect): Promise<Engine> => {
    const known = engines.get(dialect) ?? (options.engine?.dialect === dialect ? options.engine : undefined);
    if (known) {
      engines.set(dialect, known);
      return known;
    }
    const made =
      dialect === 'sqlite'
        ? await createSqliteEngine(engineOptions)
        : dialect === 'mysql'
          ? await createMysqlEngine(url ?? '', serverOptions)
          : url !== undefined
            ? await createServerEngine(url, serverOptions)
            : await createPgliteEngine(engineOptions);
    owned.push(made);
    engines.set(dialect, made);
    return made;
  };
  const allowOutsideEffects = options.allowOutsideEffects ?? false;
  const wanted = options.only ?? options.from;
  if (wanted !== undefined && !sets.some((set) => set.migrations.some((m) => m.id === wanted))) {
    throw new UnknownMigrationError(`no migration ${wanted} in ${paths.length ? paths.join(', ') : 'the current directory'}`);
  }
  try {
    const migrations: MigrationRehearsal[] = [];
    let replayed = 0;
    for (const set of sets) {
      const from = options.from === undefined ? -1 : set.migrations.findIndex((m) => m.id === options.from);
      const index = new Map(set.migrations.map((m, i) => [m, i]));
      const select = (m: Migration): boolean => {
        if (options.only !== undefined && m.id !== options.only) return false;
        if (options.from !== undefined && (from < 0 || (index.get(m) ?? -1) < from)) return false;
        return !options.onlyFiles || m.files.some((f) => options.onlyFiles?.has(f));
      };
      const history = set.migrations.map((m) => {
        const parsed = adapterFor(m.framework).parse(m);
        errors.push(...parsed.errors);
        return parsed;
      });
      const engine = await engineFor(set.dialect);
      await engine.reset();
      const run = await rehearseSelected(engine, history, { allowOutsideEffects, select, onProgress: options.onProgress });
      migrations.push(...run.rehearsals);
      replayed += run.replayed;
    }
    const used = [...engines].map(([dialect, e]) => ({ dialect, kind: e.kind, serverVersion: e.serverVersion }));
    const first = used[0];
    return {
      engine: first?.kind ?? options.engine?.kind ?? (mysqlUrl ? 'mysql' : url !== undefined ? 'postgresql' : 'pglite'),
      serverVersion: first?.serverVersion ?? options.engine?.serverVersion ?? '',
      engines: used,
      statementTimeoutSeconds:
        [...engines.values()][0]?.statementTimeoutSeconds ??
        options.engine?.statementTimeoutSeconds ??
        engineOptions.statementTimeoutSeconds,
      allowOutsideEffects,
      migrations,
      replayed,
      errors,
    };
  } finally {
    for (const e of owned) await e.close();
  }
}

/** Why a set of this dialect cannot be rehearsed with the given URL, or null when it can. */
function dialectRefusal(dialect: Dialect, url: string | undefined, mysqlUrl: boolean, engine: Engine | undefined): string | null {
  if (engine?.dialect === dialect) return null;
  if (dialect === 'mysql' && !mysqlUrl)
    return 'its migrations are MySQL: pass --database-url mysql://user@host:3306/database to rehearse them on a MySQL or MariaDB server (they never run on PGlite or PostgreSQL)';
  if (dialect === 'postgresql' && mysqlUrl)
    return `its migrations are PostgreSQL and ${redact(url ?? '')} is a MySQL server: pass a postgres:// URL, or leave --database-url out to rehearse on the embedded PGlite`;
  return null;
}

export { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineKind, TimeoutError } from './engine.js';
export { createMysqlEngine } from './mysql-engine.js';
export { createPgliteEngine } from './pglite-engine.js';
export {
  type HistoryOptions,
  type MigrationRehearsal,
  notRehearsed,
  notRehearsedReasons,
  rehearsalFailed,
  rehearseHistory,
  rehearseSelected,
} from './rehearse.js';
export { createServerEngine, ScratchDatabaseError } from './server-engine.js';
export { createSqliteEngine } from './sqlite-engine.js';
