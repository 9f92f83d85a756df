// A read-only session on the user's live database: the only kind twoway opens on it. Two fences, each
// enough against a write on its own. (1) guard.ts: every statement goes through guardStatement before it
// is sent — one SELECT of tables and catalog views calling allowlisted built-ins; anything else (SET,
// BEGIN READ WRITE, COPY … TO PROGRAM, pg_read_file, lo_import, dblink, set_config, SELECT … INTO
// OUTFILE, LOAD_FILE, …) is refused with RefusedStatementError and never reaches the server. This is
// what holds when the URL's role is a superuser, for whom read-only transactions do not stop files,
// programs or other connections. (2) The server: PostgreSQL starts the session with
// default_transaction_read_only, statement_timeout, lock_timeout and restrict_nonsystem_relation_kind
// (no user view or foreign table is read: their definitions could call anything), resolves names in
// pg_catalog only once the application's schemas are read (no user function stands in for a built-in;
// relation() qualifies tables), drops a superuser's rights (SET ROLE pg_read_all_data), and runs each
// statement alone (extended protocol) in a READ ONLY transaction rolled back; MySQL/MariaDB makes the
// session's transactions READ ONLY, limits each statement's time and runs each one in a START
// TRANSACTION READ ONLY rolled back. The transaction-control statements below are session.ts's own
// fixed text, the only ones not guarded.
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { loadPostgresParser } from '../sql/postgresql.js';
import { guardStatement } from './guard.js';

export type LiveDialect = 'postgresql' | 'mysql';

export interface ReadOnlySession {
  dialect: LiveDialect;
  /** The database the URL names. */
  database: string;
  /** Runs one guarded SELECT (guard.ts); throws RefusedStatementError, unsent, for anything else. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Quotes an identifier for this dialect. */
  ident(name: string): string;
  /**
   * A table as the application's own queries name it, quoted and qualified with its schema (PostgreSQL: the first
   * schema of the application's search path that has it; MySQL: the URL's database); null when there is none.
   */
  relation(name: { schema?: string; name: string }): Promise<string | null>;
  close(): Promise<void>;
}

/** The server-side half alone: a read-only connection whose `send` runs a statement unguarded. Only openReadOnly and the tests that prove the server refuses writes by itself use it. */
export interface ServerSession {
  dialect: LiveDialect;
  /** The statement as the server will receive it: MySQL's parameters are put into the text by the client, so the guard reads the final text. */
  render(sql: string, params: unknown[]): { text: string; params: unknown[] };
  send<T>(text: string, params: unknown[]): Promise<T[]>;
  /**
   * PostgreSQL: from now on names resolve in pg_catalog only, so no function or operator of a user's schema can
   * stand in for a built-in; with `dropSuperuser`, the session also becomes pg_read_all_data (SELECT on every
   * table, none of a superuser's rights to programs, server files or other connections).
   */
  harden(dropSuperuser: boolean): Promise<void>;
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
  if (dialect === 'postgresql') await loadPostgresParser();
  const server = await connectReadOnly(url, timeoutSeconds);
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const { text, params: bound } = server.render(sql, params);
    guardStatement(dialect, text);
    return server.send<T>(text, bound);
  };
  const { ident } = server;
  try {
    if (dialect === 'mysql') {
      const database = (await query<{ d: string | null }>('SELECT DATABASE() AS d'))[0]?.d ?? '';
      const relation = async (name: { schema?: string; name: string }) => {
        const schema = name.schema ?? database;
        const found = await query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [schema, name.name]);
        return found.length ? `${ident(schema)}.${ident(name.name)}` : null;
      };
      return { dialect, database, query, ident, relation, close: () => server.close() };
    }
    // The application's schemas are read once, then the session resolves names in pg_catalog only (CVE-2018-1058):
    // a user's public.char_length(varchar) would otherwise win over the built-in, and run as this role. Tables
    // are qualified by relation() instead.
    const [first] = await query<{ d: string; s: string[] }>(
      'SELECT pg_catalog.current_database() AS d, pg_catalog.current_schemas(false)::text[] AS s',
    );
    const schemas = first?.s ?? [];
    const [role] = await query<{ su: string; v: string }>(
      "SELECT pg_catalog.current_setting('is_superuser') AS su, pg_catalog.current_setting('server_version_num') AS v",
    );
    // pg_read_all_data is PostgreSQL 14's; a role that is not a superuser keeps its own rights (the application's).
    await server.harden(role?.su === 'on' && Number(role?.v) >= 140000);
    const relation = async (name: { schema?: string; name: string }) => {
      const candidates = name.schema ? [name.schema] : schemas;
      const rows = await query<{ schema: string }>(
        `SELECT n.nspname AS schema FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relname = $1 AND n.nspname = ANY ($2::text[])`,
        [name.name, candidates],
      );
      const schema = candidates.find((s) => rows.some((r) => r.schema === s));
      return schema === undefined ? null : `${ident(schema)}.${ident(name.name)}`;
    };
    return { dialect, database: first?.d ?? '', query, ident, relation, close: () => server.close() };
  } catch (e) {
    await server.close().catch(() => {});
    throw e;
  }
}

/** PostgreSQL settings given at start-up: the server holds them for the whole session. */
function postgresOptions(ms: number, restrictViews: boolean): string {
  const options = [
    'default_transaction_read_only=on',
    `statement_timeout=${ms}`,
    `lock_timeout=${ms}`,
    `idle_in_transaction_session_timeout=${ms * 4}`,
  ];
  // PostgreSQL 17, 16.4, 15.8, 14.13, 13.16, 12.20 and later (CVE-2024-7348): reading a user's view or foreign table is an error.
  if (restrictViews) options.push('restrict_nonsystem_relation_kind=view,foreign-table');
  return options.map((o) => `-c ${o}`).join(' ');
}

export async function connectReadOnly(url: string, timeoutSeconds = LIVE_STATEMENT_TIMEOUT_SECONDS): Promise<ServerSession> {
  const dialect = dialectOfUrl(url);
  const ms = Math.round(timeoutSeconds * 1000);
  try {
    if (dialect === 'postgresql') {
      const connect = async (restrictViews: boolean) => {
        const client = new pg.Client({
          connectionString: url,
          options: postgresOptions(ms, restrictViews),
          application_name: 'twoway (read-only)',
          connectionTimeoutMillis: ms * 2,
        });
        // A server that ends the connection (a restart, pg_terminate_backend) fails the next query, not the process.
        client.on('error', () => {});
        await client.connect();
        return client;
      };
      // An older minor release without the setting refuses it at start-up; the guard still keeps to SELECTs there.
      const client = await connect(true).catch((e: Error) => {
        if (/restrict_nonsystem_relation_kind/.test(e.message)) return connect(false);
        throw e;
      });
      return {
        dialect,
        render: (text, params) => ({ text, params }),
        // One statement (the extended protocol takes no more) in a READ ONLY transaction that is rolled back.
        send: async <T>(text: string, params: unknown[]) => {
          await client.query('BEGIN TRANSACTION READ ONLY');
          try {
            // queryMode is in pg 8.11+; @types/pg does not list it yet.
            const config = { text, values: params, queryMode: 'extended' } as pg.QueryConfig;
            return (await client.query(config)).rows as T[];
          } finally {
            await client.query('ROLLBACK');
          }
        },
        harden: async (dropSuperuser) => {
          await client.query('SET search_path = pg_catalog, pg_temp');
          if (dropSuperuser) await client.query('SET ROLE pg_read_all_data');
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
    try {
      await conn.query('SET SESSION TRANSACTION READ ONLY');
      // The text the guard reads must mean the same to the server: no NO_BACKSLASH_ESCAPES (mysql2 escapes a quote
      // in a value as \'), no ANSI_QUOTES.
      await conn.query("SET SESSION sql_mode = ''");
      // MariaDB limits a statement in seconds (max_statement_time), MySQL SELECTs in milliseconds (max_execution_time).
      const [version] = (await conn.query('SELECT VERSION() AS v')) as unknown as [Array<{ v: string }>];
      const mariadb = /mariadb/i.test(version[0]?.v ?? '');
      await conn.query(mariadb ? `SET SESSION max_statement_time = ${timeoutSeconds}` : `SET SESSION max_execution_time = ${ms}`);
      await conn.query(`SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(timeoutSeconds))}`);
    } catch (e) {
      await conn.end().catch(() => {});
      throw e;
    }
    return {
      dialect,
      // mysql2 puts the values into the text (escaped) before sending: that text is what the guard reads.
      render: (sql, params) => ({ text: params.length ? conn.format(sql, params) : sql, params: [] }),
      send: async <T>(text: string) => {
        // Each statement in a READ ONLY transaction of its own: autocommit statements are transactions too.
        await conn.query('START TRANSACTION READ ONLY');
        try {
          const [rows] = await conn.query(text);
          return rows as T[];
        } finally {
          await conn.query('ROLLBACK');
        }
      },
      // MySQL's built-in functions cannot be replaced by stored ones (those need their database's name).
      harden: async () => {},
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
