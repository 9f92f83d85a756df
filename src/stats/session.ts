// A read-only session on the user's live database: the only kind twoway opens on it. PostgreSQL:
// default_transaction_read_only and statement_timeout set at connection start-up (the server refuses
// any write for the whole session); MySQL/MariaDB: the session's transactions are READ ONLY and each
// statement has a time limit. What it runs is SELECTs of catalog and statistics views, history
// tables, and counts.
import { createConnection } from 'mysql2/promise';
import pg from 'pg';

export type LiveDialect = 'postgresql' | 'mysql';

export interface ReadOnlySession {
  dialect: LiveDialect;
  /** The database the URL names. */
  database: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Quotes an identifier for this dialect. */
  ident(name: string): string;
  close(): Promise<void>;
}

/** Seconds a statement twoway runs on a live database may take. */
export const LIVE_STATEMENT_TIMEOUT_SECONDS = 5;

export class LiveDatabaseError extends Error {}

export function dialectOfUrl(url: string): LiveDialect {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new LiveDatabaseError(`--database-url is not a URL: ${redact(url)}`);
  }
  if (protocol === 'postgres:' || protocol === 'postgresql:') return 'postgresql';
  if (protocol === 'mysql:' || protocol === 'mariadb:') return 'mysql';
  throw new LiveDatabaseError(`--database-url ${protocol}// is not PostgreSQL (postgres://) or MySQL/MariaDB (mysql://)`);
}

export async function openReadOnly(url: string, timeoutSeconds = LIVE_STATEMENT_TIMEOUT_SECONDS): Promise<ReadOnlySession> {
  const dialect = dialectOfUrl(url);
  const ms = Math.round(timeoutSeconds * 1000);
  try {
    if (dialect === 'postgresql') {
      const client = new pg.Client({
        connectionString: url,
        options: `-c default_transaction_read_only=on -c statement_timeout=${ms} -c lock_timeout=${ms} -c idle_in_transaction_session_timeout=${ms * 4}`,
        application_name: 'twoway (read-only)',
        connectionTimeoutMillis: ms * 2,
      });
      // A server that ends the connection (a restart, pg_terminate_backend) fails the next query, not the process.
      client.on('error', () => {});
      await client.connect();
      const database = (await client.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? '';
      return {
        dialect,
        database,
        // One statement (the extended protocol takes no more) in a READ ONLY transaction that is rolled back:
        // even a SET inside it is undone, so the session stays read-only whatever the text says.
        query: async <T>(sql: string, params: unknown[] = []) => {
          await client.query('BEGIN TRANSACTION READ ONLY');
          try {
            // queryMode is in pg 8.11+; @types/pg does not list it yet.
            const config = { text: sql, values: params, queryMode: 'extended' } as pg.QueryConfig;
            return (await client.query(config)).rows as T[];
          } finally {
            await client.query('ROLLBACK');
          }
        },
        ident: (n) => `"${n.replace(/"/g, '""')}"`,
        close: () => client.end(),
      };
    }
    const u = new URL(url);
    const conn = await createConnection({
      host: u.hostname,
      port: u.port ? Number(u.port) : 3306,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.slice(1)) || undefined,
      connectTimeout: ms * 2,
      multipleStatements: false,
    });
    await conn.query('SET SESSION TRANSACTION READ ONLY');
    // MariaDB limits a statement in seconds (max_statement_time), MySQL SELECTs in milliseconds (max_execution_time).
    const [version] = (await conn.query('SELECT VERSION() AS v')) as unknown as [Array<{ v: string }>];
    const mariadb = /mariadb/i.test(version[0]?.v ?? '');
    await conn.query(mariadb ? `SET SESSION max_statement_time = ${timeoutSeconds}` : `SET SESSION max_execution_time = ${ms}`);
    const [db] = (await conn.query('SELECT DATABASE() AS d')) as unknown as [Array<{ d: string | null }>];
    return {
      dialect,
      database: db[0]?.d ?? '',
      query: async <T>(sql: string, params: unknown[] = []) => {
        // Each statement in a READ ONLY transaction of its own: autocommit statements are transactions too.
        await conn.query('START TRANSACTION READ ONLY');
        try {
          const [rows] = await conn.query(sql, params);
          return rows as T[];
        } finally {
          await conn.query('ROLLBACK');
        }
      },
      ident: (n) => `\`${n.replace(/`/g, '``')}\``,
      close: () => conn.end(),
    };
  } catch (e) {
    if (e instanceof LiveDatabaseError) throw e;
    throw new LiveDatabaseError(`cannot connect to ${redact(url)}: ${(e as Error).message}`);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
