// `twoway rehearse` as a library call: discover, parse, rehearse every PostgreSQL set on one engine.
import { type DiscoverOptions, discover } from '../discover/index.js';
import { adapterFor, loadAdapters } from '../frameworks/index.js';
import type { ReadError } from '../migration.js';
import { unlessInterrupted } from './cleanup.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineKind } from './engine.js';
import { createPgliteEngine } from './pglite-engine.js';
import { type MigrationRehearsal, rehearseHistory } from './rehearse.js';
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
}

export interface RehearseResult {
  engine: EngineKind;
  serverVersion: string;
  /** The per-statement time limit in force. */
  statementTimeoutSeconds: number;
  allowOutsideEffects: boolean;
  migrations: MigrationRehearsal[];
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
  try {
    const migrations: MigrationRehearsal[] = [];
    for (const set of sets) {
      const history = set.migrations.map((m) => {
        const parsed = adapterFor(m.framework).parse(m);
        errors.push(...parsed.errors);
        return parsed;
      });
      await engine.reset();
      migrations.push(...(await rehearseHistory(engine, history, { allowOutsideEffects })));
    }
    return {
      engine: engine.kind,
      serverVersion: engine.serverVersion,
      statementTimeoutSeconds: engine.statementTimeoutSeconds,
      allowOutsideEffects,
      migrations,
      errors,
    };
  } finally {
    if (!options.engine) await engine.close();
  }
}

export { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineKind, TimeoutError } from './engine.js';
export { createPgliteEngine } from './pglite-engine.js';
export { type MigrationRehearsal, notRehearsed, notRehearsedReasons, rehearsalFailed, rehearseHistory } from './rehearse.js';
export { createServerEngine, ScratchDatabaseError } from './server-engine.js';
