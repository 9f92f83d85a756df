// libpg-query, required on first use instead of imported at start-up: its module and the WebAssembly it loads
// cost about 75 ms, which a run that parses no PostgreSQL (a cached re-run, a MySQL or SQLite folder, `--help`)
// does not pay. Every twoway module reaches libpg-query through these, so there is one instance to load.
import { createRequire } from 'node:module';

type LibPg = typeof import('libpg-query');
let lib: LibPg | undefined;
let loading: Promise<void> | undefined;
let ready = false;
let refused = 0;

/** A parse or scan before `loadModule` resolved: the caller loads it and tries again (as discovery does). */
export class PostgresParserNotLoaded extends Error {
  constructor() {
    super('libpg-query is not loaded: await loadPostgresParser() before parsing PostgreSQL');
  }
}

const pg = (): LibPg => {
  if (!ready) {
    refused++;
    throw new PostgresParserNotLoaded();
  }
  return lib as LibPg;
};

/** Compiles the WebAssembly, once: await it before the first parse or scan. */
export function loadModule(): Promise<void> {
  loading ??= (async () => {
    lib = createRequire(import.meta.url)('libpg-query') as LibPg;
    await lib.loadModule();
    ready = true;
  })();
  return loading;
}

export const isPostgresParserLoaded = (): boolean => ready;
/**
 * How many parses or scans were refused so far for want of the parser: a caller that runs code without loading it
 * first compares this before and after, so that a refusal some `catch` took for unreadable SQL is not missed.
 */
export const refusedParses = (): number => refused;
export const parseSync: LibPg['parseSync'] = (query) => pg().parseSync(query);
export const parsePlPgSQLSync: LibPg['parsePlPgSQLSync'] = (query) => pg().parsePlPgSQLSync(query);
export const scanSync: LibPg['scanSync'] = (query) => pg().scanSync(query);
