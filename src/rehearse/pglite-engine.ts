// The default engine: PostgreSQL compiled to WebAssembly, nothing to install. It runs in a worker
// thread because a statement that never ends (pg_sleep, or PGlite itself spinning after a COPY …
// PROGRAM it cannot run) blocks the thread it runs on, timers included, and PGlite has no
// statement_timeout: the watchdog on this thread ends the worker and a fresh PGlite takes over.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { onInterrupt } from './cleanup.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineOptions, RESET_SQL, TimeoutError } from './engine.js';

// Plain CommonJS run with `eval` so the same code works from dist/ and from the TypeScript sources
// (tsx, vitest) without a loader in the worker. It only relays calls to PGlite and answers with rows.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { PGlite } = require(workerData.pglite);
const extensions = {};
for (const { key, path } of workerData.extensions) extensions[key] = require(path)[key];
const options = { extensions, postgresqlconf: workerData.conf };
// initdb is most of PGlite's start-up: its result is kept once, and each later start loads it.
const cache = workerData.initdbCache;
const start = async () => {
  if (fs.existsSync(cache)) {
    try {
      return await PGlite.create({ ...options, loadDataDir: new Blob([fs.readFileSync(cache)]) });
    } catch {
      fs.rmSync(cache, { force: true });
    }
  }
  const db = await PGlite.create(options);
  try {
    const dump = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
    const partial = cache + '.' + process.pid + '.' + Date.now();
    fs.writeFileSync(partial, dump);
    fs.renameSync(partial, cache);
  } catch {}
  return db;
};
start().then(
  (db) => {
    parentPort.on('message', async ({ id, method, sql, params }) => {
      try {
        if (method === 'exec') await db.exec(sql);
        else if (method === 'close') await db.close();
        const rows = method === 'query' ? (await db.query(sql, params)).rows : null;
        parentPort.postMessage({ id, rows });
        if (method === 'close') parentPort.close();
      } catch (e) {
        parentPort.postMessage({ id, error: { message: String(e && e.message), detail: e && e.detail, code: e && e.code } });
      }
    });
    parentPort.postMessage({ ready: true });
  },
  (e) => parentPort.postMessage({ failed: String((e && e.stack) || e) }),
);
`;

/** How long a closed database's thread may take to end by itself. */
const STOP_LIMIT_MS = 5000;

interface Reply {
  id?: number;
  rows?: unknown[] | null;
  error?: { message: string; detail?: string; code?: string };
  ready?: boolean;
  failed?: string;
}

/** One PGlite in one worker thread. */
class PgliteWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private exited: Error | null = null;
  readonly ready: Promise<void>;
  private readonly exit: Promise<void>;

  constructor(extensions: readonly ContribModule[]) {
    const pglite = require.resolve('@electric-sql/pglite');
    this.worker = new Worker(WORKER, { eval: true, workerData: { pglite, extensions, initdbCache: INITDB_CACHE, conf: POSTGRESQL_CONF } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (m: Reply) => (m.ready ? resolve() : reject(new Error(`PGlite did not start: ${m.failed}`))));
      this.worker.once('error', reject);
    });
    this.worker.on('message', (m: Reply) => {
      const call = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!call || m.id === undefined) return;
      this.pending.delete(m.id);
      if (m.error) call.reject(Object.assign(new Error(m.error.message), m.error));
      else call.resolve(m.rows ?? []);
    });
    this.worker.on('error', (e) => this.end(e));
    this.worker.on('exit', () => this.end(new Error('the embedded PostgreSQL stopped')));
    this.exit = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  get alive(): boolean {
    return this.exited === null;
  }

  call(method: 'query' | 'exec' | 'close', sql: string, params: unknown[] | undefined, timeoutSeconds: number): Promise<unknown[]> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<unknown[]>((resolve, reject) => {
      const watchdog = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError(timeoutSeconds));
        void this.terminate();
      }, timeoutSeconds * 1000);
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          clearTimeout(watchdog);
          f(v);
        };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.worker.postMessage({ id, method, sql, params });
    });
  }

  /**
   * Closes the database and lets the thread end by itself, terminating it only if it does not within a few
   * seconds: terminating a thread while V8 still compiles for it can abort the whole process (a Node.js bug).
   */
  async stop(timeoutSeconds: number): Promise<void> {
    if (this.alive) await this.call('close', '', undefined, timeoutSeconds).catch(() => {});
    let limit: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.exit.then(() => true),
      new Promise<boolean>((resolve) => {
        limit = setTimeout(() => resolve(false), STOP_LIMIT_MS);
      }),
    ]);
    clearTimeout(limit);
    if (!ended) await this.terminate();
  }

  async terminate(): Promise<void> {
    this.end(new Error('the embedded PostgreSQL was ended'));
    await this.worker.terminate();
  }

  private end(reason: Error): void {
    this.exited ??= reason;
    for (const call of this.pending.values()) call.reject(reason);
    this.pending.clear();
  }
}

const require = createRequire(import.meta.url);

/**
 * The empty cluster PGlite's initdb makes, kept in the temporary folder per PGlite version: a start
 * that loads it takes a fraction of one that runs initdb. Rebuilt when missing or unreadable.
 */
const INITDB_CACHE = join(
  tmpdir(),
  `twoway-pglite-${(JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }).version}-initdb.tar.gz`,
);

/** Rehearsal tables hold a few rows: small buffers keep PGlite's memory down without slowing it. */
const POSTGRESQL_CONF = ['shared_buffers = 16MB', 'wal_buffers = 1MB', 'temp_buffers = 2MB'];

/** A contrib module PGlite ships as a loadable bundle (`@electric-sql/pglite/contrib/uuid_ossp`). */
interface ContribModule {
  /** The module's export: the extension's name with `-` as `_`. */
  key: string;
  path: string;
}

/** The bundle that provides `CREATE EXTENSION name`, or null when PGlite has none. */
function contribModule(name: string): ContribModule | null {
  const key = name.replaceAll('-', '_');
  if (!/^[a-z0-9_]+$/.test(key)) return null;
  try {
    return { key, path: require.resolve(`@electric-sql/pglite/contrib/${key}`) };
  } catch {
    return null;
  }
}

export async function createPgliteEngine(options: EngineOptions = {}): Promise<Engine> {
  const timeout = options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS;
  // Contrib modules load when PGlite starts: asking for new ones starts a fresh PGlite with them.
  const loaded = new Map<string, ContribModule>();
  const start = async () => {
    const w = new PgliteWorker([...loaded.values()]);
    await w.ready;
    return w;
  };
  let worker = await start();
  const stopListening = onInterrupt(async () => {
    await worker.terminate();
    return null;
  });
  const [version] = (await worker.call('query', `SELECT current_setting('server_version') AS v`, [], timeout)) as Array<{ v: string }>;
  return {
    kind: 'pglite',
    dialect: 'postgresql',
    serverVersion: version?.v ?? 'unknown',
    statementTimeoutSeconds: timeout,
    // COPY … PROGRAM in PGlite does not fail: it leaves the engine answering nothing, then spinning.
    runsPrograms: false,
    async query<T>(sql: string, params?: unknown[]) {
      return (await worker.call('query', sql, params, timeout)) as T[];
    },
    async exec(sql: string, execOptions = {}) {
      await worker.call('exec', sql, undefined, timeout * Math.max(1, execOptions.statements ?? 1));
    },
    async loadExtensions(names: readonly string[]) {
      const missing = names.filter((n) => !loaded.has(n) && contribModule(n) !== null);
      if (!missing.length) return;
      for (const n of missing) loaded.set(n, contribModule(n) as ContribModule);
      // One PGlite at a time: the old one ends before the new one starts.
      await worker.stop(timeout);
      worker = await start();
    },
    // PGlite's data folder lives in this process's memory, and PGlite never checkpoints by itself: every WAL
    // segment a history writes (16 MB each) and every file of a dropped table or index stays until a
    // checkpoint removes it. One after each migration keeps lemmy's 342 at ~2,000 files and two segments
    // instead of ~70,000 files and 190 MB of WAL (peak memory 920 → ~640 MB), for a few ms a migration.
    async compact() {
      if (worker.alive) await worker.call('exec', 'CHECKPOINT', undefined, timeout);
    },
    async reset() {
      if (worker.alive) {
        try {
          await worker.call('exec', RESET_SQL, undefined, timeout);
          return;
        } catch {
          // PGlite sometimes cannot drop what a history left (lemmy's 2025-08-01-000042: 'cache lookup
          // failed for function'): a fresh PGlite is empty too.
          await worker.stop(timeout);
        }
      }
      // A PGlite ended by the watchdog, or one that could not be emptied, is replaced by a fresh one.
      worker = await start();
    },
    async close() {
      stopListening();
      await worker.stop(timeout);
    },
  };
}
