// A real PostgreSQL server: rehearsal runs in a database it creates, owns and drops, never in the
// database the URL names. Ctrl-C and SIGTERM drop it too.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Engine, errorMessage, RESET_SQL } from './engine.js';

export class ScratchDatabaseError extends Error {}

export async function createServerEngine(url: string): Promise<Engine> {
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (e) {
    throw new ScratchDatabaseError(`cannot connect to ${redact(url)}: ${errorMessage(e)}`);
  }
  const name = `twoway_rehearse_${randomBytes(6).toString('hex')}`;
  const serverVersion = (await admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v ?? 'unknown';
  let client: pg.Client | null = null;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await client?.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${name}${Number.parseInt(serverVersion, 10) >= 13 ? ' WITH (FORCE)' : ''}`).catch(() => {});
    await admin.end().catch(() => {});
  };
  // Listening before CREATE DATABASE: a Ctrl-C at any moment after it still drops the database.
  const onSignal = (signal: NodeJS.Signals) => {
    void drop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  const stopListening = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    stopListening();
    dropped = true;
    await admin.end();
    throw new ScratchDatabaseError(
      `cannot create a scratch database on ${redact(url)}: ${errorMessage(e)}. ` +
        'twoway rehearse only runs in a database it creates and drops itself, never in an existing one: ' +
        'use a role with CREATEDB (ALTER ROLE … CREATEDB) or a server where you have it.',
    );
  }
  const connected = await connectTo(url, name);
  client = connected;

  return {
    kind: 'postgresql',
    serverVersion,
    async query<T>(sql: string, params?: unknown[]) {
      return (await connected.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await connected.query(sql);
    },
    async reset() {
      await connected.query(RESET_SQL);
    },
    async close() {
      stopListening();
      await drop();
    },
  };
}

async function connectTo(url: string, database: string): Promise<pg.Client> {
  const u = new URL(url);
  u.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  // Notices (IF EXISTS skips) are the migration's business, not ours.
  client.on('notice', () => {});
  return client;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the given database URL';
  }
}
