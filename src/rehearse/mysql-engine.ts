// A real MySQL or MariaDB server: rehearsal runs in a database it creates and drops, never in the one
// the URL names, with the same promises as the PostgreSQL server engine (server-engine.ts). Where the
// URL's user may create users, the migrations run as a fresh user whose only privileges are on the
// scratch database (no FILE, SUPER or GRANT OPTION), so what the statement guard cannot see still
// cannot reach outside. A control connection holds a named lock for as long as the scratch database
// exists: a database whose lock nobody holds belongs to a run that died, and the next run drops it.
// MySQL commits DDL implicitly, so a script that fails part way leaves what ran before: the error
// names exactly the statements that stayed applied.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { splitStatements } from '../sql/split.js';
import { tokenize } from '../sql/tokens.js';
import { onInterrupt } from './cleanup.js';
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS, type Engine, errorMessage, PartlyAppliedError, TimeoutError } from './engine.js';
import { mysqlCatalog } from './mysql-catalog.js';
import { describeScratch, parseScratchName, scratchName } from './scratch.js';
import { redact, ScratchDatabaseError, type ServerEngineOptions } from './server-engine.js';

/** After its time limit, a statement the server did not stop itself is killed, then its connection. */
const GRACE_MS = 2000;

/** MySQL user names are at most 32 characters: `twoway_r_<unix seconds>_<random>` (28), tied to the database's name. */
export function scratchUser(database: string): string {
  return database.replace('twoway_rehearse_', 'twoway_r_');
}

/** The named lock the control connection holds while the scratch database exists (at most 64 characters). */
export function scratchLock(database: string): string {
  return `twoway rehearse ${database}`;
}

export function isMysqlUrl(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'mysql:' || protocol === 'mariadb:';
  } catch {
    return false;
  }
}

interface Target {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string | null;
}

function parseUrl(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ScratchDatabaseError(`${redact(url)} is not a URL such as mysql://user@host:3306/database`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:')
    throw new ScratchDatabaseError(`${redact(url)} is not a MySQL URL (mysql://user@host:3306/database)`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: database || null,
  };
}

const CONNECTION_DEFAULTS = {
  multipleStatements: false,
  dateStrings: true,
  supportBigNumbers: true,
  bigNumberStrings: true,
  charset: 'utf8mb4',
  timezone: 'Z',
  connectTimeout: 10_000,
} as const;

export async function createMysqlEngine(url: string, options: ServerEngineOptions = {}): Promise<Engine> {
  const timeout = options.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS;
  const notice = options.onNotice ?? (() => {});
  if (!url.trim()) throw new ScratchDatabaseError('the database URL is empty');
  const target = parseUrl(url);
  const name = scratchName();
  const control = new Control(target, scratchLock(name));
  let admin: mysql.Connection;
  try {
    admin = await control.connection();
  } catch (e) {
    throw new ScratchDatabaseError(`cannot connect to ${redact(url)}: ${errorMessage(e)}`);
  }
  const [[who]] = (await admin.query(
    `SELECT VERSION() AS v, CURRENT_USER() AS me, SUBSTRING_INDEX(USER(), '@', -1) AS host`,
  )) as unknown as [Array<{ v: string; me: string; host: string }>];
  if (!who) throw new ScratchDatabaseError(`cannot read the version of ${redact(url)}`);
  const mariadb = who.v.includes('MariaDB');
  await dropLeftovers(admin, notice);

  let made = false;
  let dropped = false;
  let user: string | null = null;
  let session: Session | null = null;
  const drop = async (): Promise<string | null> => {
    if (dropped || !made) return null;
    dropped = true;
    await session?.end();
    try {
      const a = await control.connection();
      await a.query(`DROP DATABASE IF EXISTS \`${name}\``);
      if (user) await a.query(`DROP USER IF EXISTS ${user}`);
      await control.end();
      return `dropped scratch database ${name}`;
    } catch (e) {
      await control.end();
      return `could not drop scratch database ${name}: ${errorMessage(e)}; the next rehearsal on this server drops it`;
    }
  };
  const stopListening = onInterrupt(drop);
  const fail = async (message: string): Promise<never> => {
    stopListening();
    await drop();
    await control.end();
    throw new ScratchDatabaseError(message);
  };

  try {
    made = true;
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  } catch (e) {
    return fail(
      `cannot create a scratch database on ${redact(url)}: ${errorMessage(e)}. ` +
        'twoway rehearse only runs in a database it creates and drops itself, never in an existing one: ' +
        'use a user with the CREATE and DROP privileges.',
    );
  }
  const password = randomBytes(18).toString('base64url');
  if (!options.allowOutsideEffects) {
    const candidate = `'${scratchUser(name)}'@'${who.host.replaceAll("'", "''")}'`;
    try {
      await admin.query(`CREATE USER ${candidate} IDENTIFIED BY '${password}'`);
      user = candidate;
      await admin.query(`GRANT ALL PRIVILEGES ON \`${name}\`.* TO ${candidate}`);
    } catch (e) {
      if (user) return fail(`cannot give ${scratchUser(name)} the scratch database ${name}: ${errorMessage(e)}`);
      notice(
        `${who.me} may not create users (${errorMessage(e)}), so the migrations run as ${who.me} itself; ` +
          'with a user that has CREATE USER and GRANT OPTION, twoway runs them as a fresh user with no rights outside the scratch database',
      );
    }
  } else {
    notice(`--allow-outside-effects: the migrations run as ${who.me}, and may act outside the scratch database`);
  }

  const sessionTarget: Target = user ? { ...target, user: scratchUser(name), password, database: name } : { ...target, database: name };
  session = new Session(sessionTarget, timeout, mariadb, control);
  try {
    await session.connection();
  } catch (e) {
    return fail(
      user
        ? `cannot log in as ${scratchUser(name)}, the user twoway made to run the migrations without rights outside the scratch database: ${errorMessage(e)}. ` +
            `Pass --allow-outside-effects to run them as ${who.me}.`
        : `cannot connect to the scratch database ${name}: ${errorMessage(e)}`,
    );
  }
  const scratch = session;

  const engine: Engine = {
    kind: 'mysql',
    dialect: 'mysql',
    serverVersion: who.v,
    statementTimeoutSeconds: timeout,
    protectedDatabases: target.database ? [target.database] : [],
    runsPrograms: false,
    async query<T>(sql: string, params?: unknown[]) {
      return (await scratch.run(sql, params)) as T[];
    },
    async exec(sql: string) {
      await scratch.script(sql);
    },
    async reset() {
      // No transactional DDL to roll back: the scratch database is made anew, under the same name and grants.
      // A signal's clean-up may drop the database while a failed up leads here: never make it again after that.
      const unlessDropped = () => {
        if (dropped) throw new Error('the scratch database was dropped');
      };
      unlessDropped();
      const a = await control.connection();
      await scratch.end(false);
      unlessDropped();
      await a.query(`DROP DATABASE IF EXISTS \`${name}\``);
      unlessDropped();
      await a.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    },
    async close() {
      stopListening();
      const said = await drop();
      if (said?.startsWith('could not')) notice(said);
    },
    get native() {
      return catalog;
    },
  };
  const catalog = mysqlCatalog(engine);
  return engine;
}

/** The connection that creates and drops, holding the scratch database's lock; reconnected (and re-locked) when ended. */
class Control {
  private live: mysql.Connection | null = null;
  private connecting: Promise<mysql.Connection> | null = null;
  private finished = false;
  constructor(
    private readonly target: Target,
    private readonly lock: string,
  ) {}

  connection(): Promise<mysql.Connection> {
    if (this.live) return Promise.resolve(this.live);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<mysql.Connection> {
    const c = await mysql.createConnection({ ...CONNECTION_DEFAULTS, ...this.target, database: undefined });
    c.on('error', () => {
      if (this.live !== c) return;
      this.live = null;
      if (!this.finished) void this.connection().catch(() => {});
    });
    await c.query('SELECT GET_LOCK(?, 0)', [this.lock]);
    if (this.finished) {
      await c.end().catch(() => {});
      throw new Error('the rehearsal has ended');
    }
    this.live = c;
    return c;
  }

  async end(): Promise<void> {
    this.finished = true;
    const c = this.live;
    this.live = null;
    await c?.end().catch(() => {});
  }
}

/** Statements that end the open transaction and commit on their own (MySQL's implicit commit). */
function commitsImplicitly(statement: string): boolean {
  const words = tokenize(statement, 'mysql')
    .slice(0, 3)
    .map((t) => (t.kind === 'word' ? t.value : ''));
  const [first, second] = words;
  if ((first === 'CREATE' || first === 'DROP') && second === 'TEMPORARY') return false;
  if (first === 'SET') return second === 'PASSWORD';
  return [
    'CREATE',
    'ALTER',
    'DROP',
    'RENAME',
    'TRUNCATE',
    'GRANT',
    'REVOKE',
    'LOCK',
    'UNLOCK',
    'ANALYZE',
    'OPTIMIZE',
    'REPAIR',
    'INSTALL',
    'UNINSTALL',
    'FLUSH',
    'RESET',
    'CACHE',
    'BEGIN',
    'START',
  ].includes(first ?? '');
}

function transactionControl(statement: string): 'begin' | 'commit' | 'rollback' | null {
  const [first, second, third] = tokenize(statement, 'mysql').map((t) => (t.kind === 'word' ? t.value : t.text));
  if (first === 'BEGIN' || (first === 'START' && second === 'TRANSACTION')) return 'begin';
  if (first === 'COMMIT') return 'commit';
  if (first === 'ROLLBACK' && second !== 'TO' && third !== 'TO') return 'rollback';
  return null;
}

function firstLine(statement: string): string {
  const line = statement.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** The session the migrations run in, with its time limits; reconnected after a time-out killed it or a reset. */
class Session {
  private live: { connection: mysql.Connection; id: number } | null = null;
  private ended = false;
  /** Statements run since BEGIN that no commit has made permanent yet. */
  private pending: string[] | null = null;
  constructor(
    private readonly target: Target,
    private readonly timeoutSeconds: number,
    private readonly mariadb: boolean,
    private readonly control: Control,
  ) {}

  async connection(): Promise<{ connection: mysql.Connection; id: number }> {
    if (this.ended) throw new Error('the scratch database was dropped');
    if (this.live) return this.live;
    const c = await mysql.createConnection({ ...CONNECTION_DEFAULTS, ...this.target, database: this.target.database ?? undefined });
    // A connection killed under a query fails that query; idle, the next one reconnects.
    c.on('error', () => {
      if (this.live?.connection === c) this.live = null;
    });
    const t = this.timeoutSeconds;
    await c.query(`SET time_zone = '+00:00', lock_wait_timeout = ${t}, innodb_lock_wait_timeout = ${t}`);
    // MariaDB limits every statement; MySQL's max_execution_time only SELECTs (the watchdog ends the rest).
    await c.query(this.mariadb ? `SET max_statement_time = ${t}` : `SET max_execution_time = ${t * 1000}`);
    const [[row]] = (await c.query('SELECT CONNECTION_ID() AS id')) as unknown as [Array<{ id: number }>];
    this.live = { connection: c, id: row?.id ?? 0 };
    return this.live;
  }

  /** One statement, rows as objects. */
  async run(sql: string, params?: unknown[]): Promise<unknown[]> {
    const { connection, id } = await this.connection();
    const work = connection.query(sql, params).then(([rows]) => (Array.isArray(rows) ? rows : []));
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), this.timeoutSeconds * 1000 + GRACE_MS);
    });
    try {
      const first = await Promise.race([work, overdue]);
      if (first !== 'overdue') return first as unknown[];
    } catch (e) {
      // ER_STATEMENT_TIMEOUT (MariaDB), ER_QUERY_TIMEOUT (MySQL), or the watchdog's KILL QUERY.
      const errno = (e as { errno?: number }).errno;
      if (errno === 1969 || errno === 3024) throw new TimeoutError(this.timeoutSeconds);
      if (e instanceof Error && this.target.database) {
        // The scratch database's name in "Table 'twoway_rehearse_….users' doesn't exist" says nothing about the migration.
        const name = this.target.database;
        e.message = e.message.replaceAll(`\`${name}\`.`, '').replaceAll(`${name}.`, '');
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
    // The migration lifted the limit (SET max_statement_time = 0), or MySQL does not limit this kind of statement.
    await this.kill(`KILL QUERY ${id}`);
    const settled = await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      delay(GRACE_MS).then(() => false),
    ]);
    if (!settled) await this.kill(`KILL ${id}`);
    if (this.live?.connection === connection) this.live = null;
    connection.destroy();
    throw new TimeoutError(this.timeoutSeconds);
  }

  /**
   * A script, statement by statement (as the mysql client sends it). When one fails, what ran before
   * it and was committed (autocommit, or a DDL statement's implicit commit) is named in the error.
   */
  async script(sql: string): Promise<void> {
    const pieces = splitStatements(sql, 'mysql').statements.map((p) => sql.slice(p.start, p.end));
    const applied: string[] = [];
    for (const [i, statement] of pieces.entries()) {
      const control = transactionControl(statement);
      const implicit = commitsImplicitly(statement);
      // MySQL commits the open transaction before a statement that commits implicitly runs, whether it then fails or not.
      if (implicit && this.pending) {
        applied.push(...this.pending);
        this.pending = null;
      }
      try {
        await this.run(statement);
      } catch (e) {
        if (e instanceof TimeoutError) this.pending = null;
        if (pieces.length === 1 || (applied.length === 0 && i === 0)) throw e;
        const where = `statement ${i + 1} of ${pieces.length}: ${firstLine(statement)}`;
        if (!applied.length)
          throw Object.assign(new Error(`${errorMessage(e)} (${where}; nothing before it stayed applied)`), { cause: e });
        throw new PartlyAppliedError(
          `${errorMessage(e)} (${where}); ${applied.length === 1 ? 'the statement' : `the ${applied.length} statements`} ` +
            `before it stayed applied (MySQL commits DDL implicitly): ${applied.join('; ')}`,
          applied,
        );
      }
      const line = `${i + 1}: ${firstLine(statement)}`;
      if (control === 'begin') this.pending = [];
      else if (control === 'commit') {
        applied.push(...(this.pending ?? []));
        this.pending = null;
      } else if (control === 'rollback') this.pending = null;
      else if (this.pending && !implicit) this.pending.push(line);
      else applied.push(line);
    }
  }

  private async kill(statement: string): Promise<void> {
    try {
      await (await this.control.connection()).query(statement);
    } catch {
      // The connection is gone already, or the control connection could not: destroying our side is what remains.
    }
  }

  /**
   * Ends the session at once, whatever it is running (a signal may come in the middle of a long
   * statement, which would hold the database's locks). `false`: a reset remakes the database; the
   * session reconnects on its next use.
   */
  async end(final = true): Promise<void> {
    if (final) this.ended = true;
    this.pending = null;
    const live = this.live;
    this.live = null;
    if (!live) return;
    await this.kill(`KILL ${live.id}`);
    live.connection.destroy();
  }
}

/**
 * Drops the scratch databases and users of runs that ended without cleaning up: twoway's by their
 * name, and dead because no connection holds their lock (a live run holds it from before it makes
 * anything to after it drops it). Only what this user may see and drop.
 */
async function dropLeftovers(admin: mysql.Connection, notice: (message: string) => void): Promise<void> {
  const dead = async (database: string): Promise<boolean> => {
    if (!parseScratchName(database)) return false;
    const [[row]] = (await admin.query('SELECT IS_USED_LOCK(?) AS holder', [scratchLock(database)])) as unknown as [
      Array<{ holder: number | null }>,
    ];
    return row?.holder === null || row?.holder === undefined;
  };
  const [databases] = (await admin.query(`SHOW DATABASES LIKE 'twoway\\_rehearse\\_%'`)) as unknown as [Array<Record<string, string>>];
  const dropped: string[] = [];
  for (const row of databases) {
    const database = Object.values(row)[0] ?? '';
    if (!(await dead(database))) continue;
    try {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      dropped.push(database);
    } catch (e) {
      notice(`could not drop ${describeScratch(database)}, left by an earlier rehearsal: ${errorMessage(e)}`);
    }
  }
  let users: Array<{ User: string; Host: string }> = [];
  try {
    [users] = (await admin.query(`SELECT User, Host FROM mysql.user WHERE User LIKE 'twoway\\_r\\_%'`)) as unknown as [typeof users];
  } catch {
    // A user that may not read mysql.user could not have made scratch users either.
  }
  for (const u of users) {
    const database = u.User.replace('twoway_r_', 'twoway_rehearse_');
    if (!(await dead(database))) continue;
    try {
      await admin.query('DROP USER IF EXISTS ?@?', [u.User, u.Host]);
      if (!dropped.includes(database)) dropped.push(database);
    } catch {
      // Another user's leftovers are theirs to clean up.
    }
  }
  for (const database of dropped) notice(`dropped ${describeScratch(database)}, left by a rehearsal that ended without cleaning up`);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
