// `twoway rehearse` as a library call: discover, parse, rehearse every PostgreSQL set on one engine.
import { type DiscoverOptions, discover } from '../discover/index.js';
import { adapterFor, loadAdapters } from '../frameworks/index.js';
import type { ReadError } from '../migration.js';
import type { Engine, EngineKind } from './engine.js';
import { createPgliteEngine } from './pglite-engine.js';
import { type MigrationRehearsal, rehearseHistory } from './rehearse.js';
import { createServerEngine } from './server-engine.js';

export interface RehearseOptions extends DiscoverOptions {
  /** A PostgreSQL server to rehearse on (in a scratch database twoway creates and drops); PGlite otherwise. */
  databaseUrl?: string;
  /** An engine the caller owns (tests, benchmarks): reset before each set, never closed here. */
  engine?: Engine;
}

export interface RehearseResult {
  engine: EngineKind;
  serverVersion: string;
  migrations: MigrationRehearsal[];
  errors: ReadError[];
}

export async function rehearse(paths: readonly string[], options: RehearseOptions = {}): Promise<RehearseResult> {
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
  const engine = options.engine ?? (options.databaseUrl ? await createServerEngine(options.databaseUrl) : await createPgliteEngine());
  try {
    const migrations: MigrationRehearsal[] = [];
    for (const set of sets) {
      const history = set.migrations.map((m) => {
        const parsed = adapterFor(m.framework).parse(m);
        errors.push(...parsed.errors);
        return parsed;
      });
      await engine.reset();
      migrations.push(...(await rehearseHistory(engine, history)));
    }
    return { engine: engine.kind, serverVersion: engine.serverVersion, migrations, errors };
  } finally {
    if (!options.engine) await engine.close();
  }
}

export type { Engine, EngineKind } from './engine.js';
export { createPgliteEngine } from './pglite-engine.js';
export { type MigrationRehearsal, rehearsalFailed, rehearseHistory } from './rehearse.js';
export { createServerEngine, ScratchDatabaseError } from './server-engine.js';
