// SQLite sets rehearse embedded, with no server: the real SQLite compiled to WebAssembly (sql.js),
// in memory. It runs in a worker thread for the reason PGlite does (pglite-engine.ts): a statement
// that never ends (a recursive CTE without a bound) blocks the thread it runs on, and sql.js has no
// time limit of its own; the watchdog here ends the worker and a fresh, empty SQLite takes over.
// Foreign keys are enforced (PRAGMA foreign_keys = ON), as the apps that declare them run SQLite.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { onInterrupt } from './cleanup.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineOptions, TimeoutError } from './engine.js';
import { sqliteCatalog } from './sqlite-catalog.js';

// Plain CommonJS run with `eval` so the same code works from dist/ and from the TypeScript sources.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.sqljs)().then(
  (SQL) => {
    let db = new SQL.Database();
    db.exec('PRAGMA foreign_keys = ON');
    parentPort.on('message', ({ id, method, sql, params, bytes }) => {
      try {
        let rows = null;
        if (method === 'exec') db.exec(sql);
        else if (method === 'close') db.close();
        else if (method === 'export') {
          // export() reopens the database, which sets its pragmas back to their defaults.
          rows = [db.export()];
          db.exec('PRAGMA foreign_keys = ON');
        } else if (method === 'import') {
          db.close();
          db = bytes ? new SQL.Database(bytes) : new SQL.Database();
          db.exec('PRAGMA foreign_keys = ON');
        } else {
          rows = [];
          const stmt = db.prepare(sql);
          try {
            if (params && params.length) stmt.bind(params);
            while (stmt.step()) rows.push(stmt.getAsObject());
          } finally {
            stmt.free();
          }
        }
        parentPort.postMessage({ id, rows });
        if (method === 'close') parentPort.close();
      } catch (e) {
        parentPort.postMessage({ id, error: { message: String(e && e.message) } });
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
  error?: { message: string };
  ready?: boolean;
  failed?: string;
}

class SqliteWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private exited: Error | null = null;
  readonly ready: Promise<void>;
  private readonly exit: Promise<void>;

  constructor() {
    const sqljs = createRequire(import.meta.url).resolve('sql.js');
    this.worker = new Worker(WORKER, { eval: true, workerData: { sqljs } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (m: Reply) => (m.ready ? resolve() : reject(new Error(`SQLite did not start: ${m.failed}`))));
      this.worker.once('error', reject);
    });
    this.worker.on('message', (m: Reply) => {
      const call = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!call || m.id === undefined) return;
      this.pending.delete(m.id);
      if (m.error) call.reject(new Error(m.error.message));
      else call.resolve(m.rows ?? []);
    });
    this.worker.on('error', (e) => this.end(e));
    this.worker.on('exit', () => this.end(new Error('the embedded SQLite stopped')));
    this.exit = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  get alive(): boolean {
    return this.exited === null;
  }

  call(
    method: 'query' | 'exec' | 'close' | 'export' | 'import',
    sql: string,
    params: unknown[] | undefined,
    timeoutSeconds: number,
    bytes?: Uint8Array,
  ): Promise<unknown[]> {
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
      this.worker.postMessage({ id, method, sql, params: params?.map(bindable), bytes });
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
    this.end(new Error('the embedded SQLite was ended'));
    await this.worker.terminate();
  }

  private end(reason: Error): void {
    this.exited ??= reason;
    for (const call of this.pending.values()) call.reject(reason);
    this.pending.clear();
  }
}

/** sql.js binds numbers, strings, Uint8Arrays and null. */
function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return v;
}

export async function createSqliteEngine(options: EngineOptions = {}): Promise<Engine> {
  const timeout = options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS;
  const start = async () => {
    const w = new SqliteWorker();
    await w.ready;
    return w;
  };
  let worker = await start();
  const stopListening = onInterrupt(async () => {
    await worker.terminate();
    return null;
  });
  const [version] = (await worker.call('query', 'SELECT sqlite_version() AS v', [], timeout)) as Array<{ v: string }>;
  const engine: Engine = {
    kind: 'sqlite',
    dialect: 'sqlite',
    serverVersion: version?.v ?? 'unknown',
    statementTimeoutSeconds: timeout,
    runsPrograms: false,
    async query<T>(sql: string, params?: unknown[]) {
      return (await worker.call('query', sql, params, timeout)) as T[];
    },
    async exec(sql: string, execOptions = {}) {
      await worker.call('exec', sql, undefined, timeout * Math.max(1, execOptions.statements ?? 1));
    },
    async reset() {
      // A fresh in-memory database is the empty state: cheaper than dropping what a history made. It opens
      // in the same thread; a new thread only replaces one the watchdog ended (starting and ending threads
      // by the hundred once left the process waiting on a lock forever).
      if (worker.alive) await worker.call('import', '', undefined, timeout);
      else worker = await start();
    },
    async checkpoint() {
      const [bytes] = (await worker.call('export', '', undefined, timeout)) as [Uint8Array];
      return { bytes };
    },
    async restore(checkpoint) {
      if (!worker.alive) worker = await start();
      await worker.call('import', '', undefined, timeout, checkpoint.bytes);
    },
    async close() {
      stopListening();
      await worker.stop(timeout);
    },
    get native() {
      return catalog;
    },
  };
  const catalog = sqliteCatalog(engine);
  return engine;
}
