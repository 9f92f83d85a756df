// `twoway rehearse` as a library call: discover, parse, rehearse every PostgreSQL set on one engine.
import { type DiscoverOptions, discover } from '../discover/index.js';
import { adapterFor, loadAdapters } from '../frameworks/index.js';
import type { Migration, ReadError } from '../migration.js';
import { unlessInterrupted } from './cleanup.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineKind } from './engine.js';
import { createPgliteEngine } from './pglite-engine.js';
import { type MigrationRehearsal, rehearseSelected } from './rehearse.js';
import { createServerEngine } from './server-engine.js';

export interface RehearseOptions extends DiscoverOptions {
  /** A PostgreSQL server to rehearse on (in a scratch database twoway creates and drops); PGlite otherwise. */
  databaseUrl?: string;
  /** An engine the caller owns (tests, benchmarks): reset before each set, never closed here. */
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
  engine: EngineKind;
  serverVersion: string;
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
  const sets = discovery.sets.filter((set) => {
    if (set.dialect === 'postgresql') return true;
    errors.push({
      path: set.root,
      line: 0,
      column: 0,
      message: `rehearse runs PostgreSQL migrations; this ${set.framework} set is ${set.dialect}`,
    });
    return false;
  });
  const engineOptions = { statementTimeoutSeconds: options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS };
  const engine =
    options.engine ??
    (options.databaseUrl !== undefined
      ? await createServerEngine(options.databaseUrl, {
          ...engineOptions,
          allowOutsideEffects: options.allowOutsideEffects,
          onNotice: options.onNotice,
        })
      : await createPgliteEngine(engineOptions));
  const allowOutsideEffects = options.allowOutsideEffects ?? false;
  const wanted = options.only ?? options.from;
  if (wanted !== undefined && !sets.some((set) => set.migrations.some((m) => m.id === wanted))) {
    if (!options.engine) await engine.close();
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
      await engine.reset();
      const run = await rehearseSelected(engine, history, { allowOutsideEffects, select, onProgress: options.onProgress });
      migrations.push(...run.rehearsals);
      replayed += run.replayed;
    }
    return {
      engine: engine.kind,
      serverVersion: engine.serverVersion,
      statementTimeoutSeconds: engine.statementTimeoutSeconds,
      allowOutsideEffects,
      migrations,
      replayed,
      errors,
    };
  } finally {
    if (!options.engine) await engine.close();
  }
}

export { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineKind, TimeoutError } from './engine.js';
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
