// A real PostgreSQL server: rehearsal runs in a database it creates and drops, never in the one the
// URL names. Where the URL's role may create roles, the scratch database belongs to a fresh role
// without superuser rights, and the migrations run as that role: what the statement guard cannot
// see (SQL built at run time) still cannot reach outside. Every statement has a time limit; every
// way a run can end drops what it made, and what a killed run left is dropped by the next one.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { onInterrupt } from './cleanup.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, type EngineOptions, errorMessage, RESET_SQL, TimeoutError } from './engine.js';
import { controlApplicationName, describeScratch, parseScratchName, scratchName } from './scratch.js';

export class ScratchDatabaseError extends Error {}

export interface ServerEngineOptions extends EngineOptions {
  /** Run the migrations as the URL's own role, with whatever it may do (`--allow-outside-effects`). */
  allowOutsideEffects?: boolean;
  /** What the user should hear once (stderr in the CLI): leftovers dropped, the role the migrations run as. */
  onNotice?: (message: string) => void;
}

/** After its time limit, a statement the server did not stop itself is cancelled, then its connection ended. */
const GRACE_MS = 2000;

export async function createServerEngine(url: string, options: ServerEngineOptions = {}): Promise<Engine> {
  const timeout = options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS;
  const notice = options.onNotice ?? (() => {});
  // An empty URL would make pg fall back to PG* variables and localhost: never guess a server.
  if (!url.trim()) throw new ScratchDatabaseError('the database URL is empty');
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ScratchDatabaseError(`${redact(url)} is not a URL such as postgres://user@host:5432/database`);
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new ScratchDatabaseError(`${redact(url)} is not a PostgreSQL URL (postgres://user@host:5432/database)`);
  const name = scratchName();
  // The control connection carries the scratch name from before anything is made to after it is dropped.
  const control = new Control(url, controlApplicationName(name));
  let admin: pg.Client;
  try {
    admin = await control.client();
  } catch (e) {
    throw new ScratchDatabaseError(`cannot connect to ${redact(url)}: ${errorMessage(e)}`);
  }
  const who = (
    await admin.query<{ me: string; db: string; super: boolean; createrole: boolean; v: string; num: number }>(
      `SELECT current_user AS me, current_database() AS db, rolsuper AS super, rolcreaterole AS createrole,
              current_setting('server_version') AS v, current_setting('server_version_num')::int AS num
       FROM pg_roles WHERE rolname = current_user`,
    )
  ).rows[0];
  if (!who) throw new ScratchDatabaseError(`cannot read the privileges of the role ${redact(url)} connects as`);
  const force = who.num >= 130000 ? ' WITH (FORCE)' : '';
  await dropLeftovers(admin, force, notice);

  const sandboxed = !options.allowOutsideEffects && (who.super || who.createrole);
  const role = sandboxed ? name : null;
  const password = randomBytes(24).toString('base64url');
  let scratch: Scratch | null = null;
  let made = false;
  let dropped = false;
  const drop = async (): Promise<string | null> => {
    if (dropped || !made) return null;
    dropped = true;
    await scratch?.end();
    try {
      const a = await control.client();
      await a.query(`DROP DATABASE IF EXISTS ${name}${force}`);
      if (role) await a.query(`DROP ROLE IF EXISTS ${role}`);
      await control.end();
      return `dropped scratch database ${name}`;
    } catch (e) {
      await control.end();
      return `could not drop scratch database ${name}: ${errorMessage(e)}; the next rehearsal on this server drops it`;
    }
  };
  // Listening before anything is made: a signal at any moment after it still drops it.
  const stopListening = onInterrupt(drop);
  const fail = async (message: string): Promise<never> => {
    stopListening();
    await drop();
    await control.end();
    throw new ScratchDatabaseError(message);
  };

  if (role) {
    made = true;
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`);
      // A role with CREATEROLE but not superuser must belong to the role to drop what it owns.
      if (!who.super) await admin.query(`GRANT ${role} TO CURRENT_USER`);
    } catch (e) {
      return fail(`cannot create the role the migrations run as on ${redact(url)}: ${errorMessage(e)}`);
    }
  } else if (options.allowOutsideEffects) {
    notice(
      `--allow-outside-effects: the migrations run as ${who.me}${who.super ? ', a superuser' : ''}, and may act outside the scratch database`,
    );
  } else {
    notice(
      `${who.me} may not create roles, so the migrations run as ${who.me} itself (not a superuser); ` +
        'with a role that has CREATEROLE, twoway runs them as a fresh role with no rights outside the scratch database',
    );
  }
  try {
    made = true;
    await admin.query(`CREATE DATABASE ${name}${role ? ` OWNER ${role}` : ''} TEMPLATE template0`);
  } catch (e) {
    return fail(
      `cannot create a scratch database on ${redact(url)}: ${errorMessage(e)}. ` +
        'twoway rehearse only runs in a database it creates and drops itself, never in an existing one: ' +
        'use a role with CREATEDB (ALTER ROLE … CREATEDB) or a server where you have it.',
    );
  }
  try {
    await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${name} FROM PUBLIC`);
    // From PostgreSQL 15 the public schema belongs to the database's owner; before, to the bootstrap superuser.
    if (role && who.num < 150000) await withClient(databaseUrl(url, name), (c) => c.query(`ALTER SCHEMA public OWNER TO ${role}`));
  } catch (e) {
    return fail(`cannot prepare the scratch database ${name}: ${errorMessage(e)}`);
  }

  const target = role ? databaseUrl(url, name, role, password) : databaseUrl(url, name);
  scratch = new Scratch(target, timeout, control);
  try {
    await scratch.client();
  } catch (e) {
    return fail(
      role
        ? `cannot log in as ${role}, the role twoway made to run the migrations without superuser rights: ${errorMessage(e)}. ` +
            `Let a new role log in with a password (pg_hba.conf), or pass --allow-outside-effects to run them as ${who.me}.`
        : `cannot connect to the scratch database ${name}: ${errorMessage(e)}`,
    );
  }
  const session = scratch;

  return {
    kind: 'postgresql',
    dialect: 'postgresql',
    serverVersion: who.v,
    statementTimeoutSeconds: timeout,
    protectedDatabases: [who.db],
    runsPrograms: true,
    async query<T>(sql: string, params?: unknown[]) {
      return (await session.run(sql, params, 1)).rows as T[];
    },
    async exec(sql: string, execOptions = {}) {
      await session.run(sql, undefined, Math.max(1, execOptions.statements ?? 1));
    },
    async reset() {
      await session.run(RESET_SQL, undefined, 1);
    },
    async close() {
      stopListening();
      const said = await drop();
      if (said?.startsWith('could not')) notice(said);
    },
  };
}

/**
 * The connection that creates and drops, named after the scratch database: while it is there, other
 * runs know this one is alive. Ended by someone else, it reconnects at once; it cleans up either way.
 */
class Control {
  private live: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private finished = false;
  constructor(
    private readonly url: string,
    private readonly applicationName: string,
  ) {}

  client(): Promise<pg.Client> {
    if (this.live) return Promise.resolve(this.live);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: this.url, application_name: this.applicationName });
    c.on('error', () => {
      if (this.live !== c) return;
      this.live = null;
      if (!this.finished) void this.client().catch(() => {});
    });
    c.on('notice', () => {});
    await c.connect();
    if (this.finished) {
      await c.end().catch(() => {});
      throw new Error('the rehearsal has ended');
    }
    this.live = c;
    return c;
  }

  /** After the scratch database is dropped: nothing left to guard. */
  async end(): Promise<void> {
    this.finished = true;
    const c = this.live;
    this.live = null;
    await c?.end().catch(() => {});
  }
}

/** The session the migrations run in, as the sandbox role, with its time limits; reconnected after a time-out ended it. */
class Scratch {
  private live: { client: pg.Client; pid: number } | null = null;
  private ended = false;
  constructor(
    private readonly url: string,
    private readonly timeoutSeconds: number,
    private readonly control: Control,
  ) {}

  async client(): Promise<{ client: pg.Client; pid: number }> {
    if (this.ended) throw new Error('the scratch database was dropped');
    if (this.live) return this.live;
    const ms = this.timeoutSeconds * 1000;
    const c = new pg.Client({ connectionString: this.url, application_name: 'twoway rehearse', statement_timeout: ms, lock_timeout: ms });
    // A connection ended under a query (a time-out, a migration that terminates it) fails that query; idle, it fails the next.
    c.on('error', () => {
      if (this.live?.client === c) this.live = null;
    });
    // Notices (IF EXISTS skips) are the migration's business, not ours.
    c.on('notice', () => {});
    await c.connect();
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    this.live = { client: c, pid };
    return this.live;
  }

  async run(sql: string, params: unknown[] | undefined, statements: number): Promise<pg.QueryResult> {
    const { client, pid } = await this.client();
    const seconds = this.timeoutSeconds * statements;
    const work = client.query(sql, params);
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), seconds * 1000 + GRACE_MS);
    });
    try {
      const first = await Promise.race([work, overdue]);
      if (first !== 'overdue') return first;
    } catch (e) {
      // The server's own statement_timeout: the same words as the watchdog's.
      if ((e as { code?: string }).code === '57014' && /statement timeout/.test(errorMessage(e)))
        throw new TimeoutError(this.timeoutSeconds);
      throw e;
    } finally {
      clearTimeout(timer);
    }
    // The migration lifted statement_timeout (SET statement_timeout = 0) or the server did not stop it: stop it from outside.
    await this.signal('pg_cancel_backend', pid);
    const settled = await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      delay(GRACE_MS).then(() => false),
    ]);
    if (!settled) {
      await this.signal('pg_terminate_backend', pid);
      if (this.live?.client === client) this.live = null;
      await client.end().catch(() => {});
    }
    throw new TimeoutError(seconds);
  }

  private async signal(fn: 'pg_cancel_backend' | 'pg_terminate_backend', pid: number): Promise<void> {
    try {
      await (await this.control.client()).query(`SELECT ${fn}($1)`, [pid]);
    } catch {
      // The control connection could not: ending our side of the connection is what remains.
    }
  }

  async end(): Promise<void> {
    this.ended = true;
    const c = this.live?.client;
    this.live = null;
    await c?.end().catch(() => {});
  }
}

/**
 * Drops the scratch databases and roles of runs that ended without cleaning up: twoway's by their
 * name, and dead because no control connection names them (a live run holds one from before it makes
 * anything to after it drops it, and reconnects it at once when it is ended; a session left in the
 * scratch database proves nothing: the backend of a killed run finishes its statement first). Names
 * of versions before this one carry no time and had no control connection: those are dead when no
 * session uses them. Only what this role may drop.
 */
async function dropLeftovers(admin: pg.Client, force: string, notice: (message: string) => void): Promise<void> {
  const controlled = `EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = 'twoway rehearse ' || x.name)`;
  const dead = (row: { name: string; controlled: boolean; used: boolean }) => {
    const parsed = parseScratchName(row.name);
    return parsed !== null && !row.controlled && (parsed.made !== null || !row.used);
  };
  const databases = await admin.query<{ name: string; controlled: boolean; used: boolean }>(
    `SELECT x.name, ${controlled} AS controlled, EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = x.name) AS used
     FROM (SELECT datname::text AS name, datdba FROM pg_database) x
     WHERE x.name LIKE 'twoway\\_rehearse\\_%' AND pg_has_role(x.datdba, 'USAGE')`,
  );
  const dropped: string[] = [];
  for (const row of databases.rows.filter(dead)) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${row.name}${force}`);
      dropped.push(row.name);
    } catch (e) {
      notice(`could not drop ${describeScratch(row.name)}, left by an earlier rehearsal: ${errorMessage(e)}`);
    }
  }
  const roles = await admin.query<{ name: string; controlled: boolean; used: boolean }>(
    `SELECT x.name, ${controlled} AS controlled, false AS used FROM (SELECT rolname::text AS name FROM pg_roles) x
     WHERE x.name LIKE 'twoway\\_rehearse\\_%' AND NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = x.name)`,
  );
  for (const row of roles.rows.filter(dead)) {
    try {
      await admin.query(`DROP ROLE IF EXISTS ${row.name}`);
      if (!dropped.includes(row.name)) dropped.push(row.name);
    } catch {
      // A role this one may not drop (made by another user's rehearsal) is theirs to clean up.
    }
  }
  for (const name of dropped) notice(`dropped ${describeScratch(name)}, left by a rehearsal that ended without cleaning up`);
}

function databaseUrl(url: string, database: string, user?: string, password?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = password ?? '';
  }
  return u.toString();
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => {});
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
