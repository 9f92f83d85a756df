// Rehearses the real histories of shared/corpus, each on the engines of its dialect (PostgreSQL ones
// on PGlite and on a server, MySQL ones on a MySQL/MariaDB server, SQLite ones on the embedded
// SQLite), and sums up each run: used by `npm run bench` (speed and memory) and
// scripts/rehearse-results.ts (the docs table).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  createPgliteEngine,
  type EngineKind,
  type MigrationRehearsal,
  notRehearsed,
  notRehearsedReasons,
  rehearse,
} from '../src/rehearse/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const corpusRoot =
  [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), resolve(repoRoot, '../../shared/corpus')].find(
    (p): p is string => p !== undefined && existsSync(p),
  ) ?? resolve(repoRoot, '../shared/corpus');
/** The PostgreSQL histories issue 11 asks to rehearse end to end. */
export const PG_HISTORIES = ['rust-lang__crates.io', 'LemmyNet__lemmy', 'goharbor__harbor', 'temporalio__temporal'];
/** The MySQL and SQLite ones (shared/corpus/mysql, shared/corpus/sqlite). */
export const NATIVE_HISTORIES = ['ory__kratos', 'openfga__openfga'];
export const SERVER_URL = process.env.TWOWAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = process.env.TWOWAY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** The corpus folder of each engine's dialect. */
const DIALECT_FOLDER: Record<EngineKind, string> = { pglite: 'pg', postgresql: 'pg', mysql: 'mysql', sqlite: 'sqlite' };

export interface CorpusRun {
  history: string;
  engine: EngineKind;
  /** What the engine says it is (PostgreSQL 15.x, MariaDB 10.11.x, SQLite 3.x). */
  serverVersion: string;
  migrations: number;
  rehearsed: number;
  failedUps: number;
  /** Of those: fails on a table with rows, applies to empty tables. */
  failedWithRows: number;
  failedDowns: number;
  failedReups: number;
  dataLost: number;
  schemaDiffers: number;
  notRehearsed: Array<{ reason: string; migrations: number }>;
  /** Median wall time of one migration's rehearsal. */
  medianMs: number;
  wallMs: number;
  /** Engine start-up (PGlite only; a server's scratch database is part of wallMs). */
  startMs: number | null;
  peakRssMb: number;
  results: MigrationRehearsal[];
}

/** A connection to the MySQL server the MySQL histories need, tried once. */
export async function mysqlReachable(url = MYSQL_URL): Promise<boolean> {
  const mysql = await import('mysql2/promise');
  try {
    const c = await mysql.createConnection({ uri: url, connectTimeout: 2000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function serverReachable(url = SERVER_URL): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export function historyPath(history: string, engine: EngineKind = 'pglite'): string | null {
  const path = join(corpusRoot, DIALECT_FOLDER[engine], history);
  return existsSync(path) ? path : null;
}

export async function rehearseCorpus(history: string, engine: EngineKind): Promise<CorpusRun> {
  const path = historyPath(history, engine);
  if (!path) throw new Error(`${history} is not in ${corpusRoot}/${DIALECT_FOLDER[engine]}`);
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const started = performance.now();
  let startMs: number | null = null;
  try {
    const own = engine === 'pglite' ? await createPgliteEngine() : undefined;
    if (own) startMs = performance.now() - started;
    const databaseUrl = engine === 'postgresql' ? SERVER_URL : engine === 'mysql' ? MYSQL_URL : undefined;
    const result = await rehearse([path], { engine: own, databaseUrl, cwd: path });
    await own?.close();
    const wallMs = performance.now() - started;
    const m = result.migrations;
    const times = m
      .filter((r) => !notRehearsed(r))
      .map((r) => r.ms)
      .sort((a, b) => a - b);
    return {
      history,
      engine,
      serverVersion: result.serverVersion,
      migrations: m.length,
      rehearsed: m.filter((r) => !notRehearsed(r)).length,
      failedUps: m.filter((r) => r.up === 'failed' || r.up === 'failed-with-rows').length,
      failedWithRows: m.filter((r) => r.up === 'failed-with-rows').length,
      failedDowns: m.filter((r) => r.down === 'failed').length,
      failedReups: m.filter((r) => r.reup === 'failed').length,
      dataLost: m.filter((r) => r.lostData.length + r.lostNewData.length > 0).length,
      schemaDiffers: m.filter((r) => r.schemaRestored === false).length,
      notRehearsed: notRehearsedReasons(m),
      medianMs: times.length ? (times[Math.floor(times.length / 2)] ?? 0) : 0,
      wallMs,
      startMs,
      peakRssMb: Math.round(peak / 2 ** 20),
      results: m,
    };
  } finally {
    clearInterval(sample);
  }
}
