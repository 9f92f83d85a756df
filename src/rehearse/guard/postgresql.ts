// PostgreSQL statements that act outside the scratch database a rehearsal runs in, found in
// libpg-query's tree (never by matching text): COPY … PROGRAM, server files, ALTER SYSTEM, databases,
// roles, tablespaces, untrusted languages, shared libraries, dblink and foreign servers, file
// functions, other sessions, another role. Bodies twoway can read (SQL functions, PL/pgSQL blocks,
// EXECUTE of a string constant) are read too; what is built at run time cannot be, which is why a
// server rehearsal also runs as a role without the privileges these need.
import { parsePlPgSQLSync, parseSync, scanSync } from '../../sql/libpg.js';
import type { GuardOptions, OutsideEffect } from './index.js';

// libpg-query's AST is JSON of many node shapes; typing each one buys nothing here.
type Node = any;

const DATABASE = 'acts on a database other than the scratch one';
const ROLES = 'changes the server’s roles, which every database shares';
const TABLESPACE = 'makes or changes a tablespace: a directory on the database server';
const FOREIGN = 'connects to another database or server';
const READS = 'reads the database server’s files';
const WRITES = 'writes the database server’s files';

/** Statements refused by their node type alone. */
const STATEMENTS: Record<string, [label: string, reason: string]> = {
  AlterSystemStmt: ['ALTER SYSTEM', 'rewrites the server’s configuration (postgresql.auto.conf)'],
  CreatedbStmt: ['CREATE DATABASE', 'makes a database outside the scratch one'],
  DropdbStmt: ['DROP DATABASE', DATABASE],
  AlterDatabaseStmt: ['ALTER DATABASE', DATABASE],
  AlterDatabaseSetStmt: ['ALTER DATABASE … SET', DATABASE],
  AlterDatabaseRefreshCollStmt: ['ALTER DATABASE … REFRESH COLLATION VERSION', DATABASE],
  CreateRoleStmt: ['CREATE ROLE', ROLES],
  AlterRoleStmt: ['ALTER ROLE', ROLES],
  AlterRoleSetStmt: ['ALTER ROLE … SET', ROLES],
  DropRoleStmt: ['DROP ROLE', ROLES],
  GrantRoleStmt: ['GRANT/REVOKE of a role', ROLES],
  DropOwnedStmt: ['DROP OWNED', 'revokes the role’s privileges on databases and tablespaces every database shares'],
  ReassignOwnedStmt: ['REASSIGN OWNED', 'changes the owner of databases and tablespaces every database shares'],
  CreateTableSpaceStmt: ['CREATE TABLESPACE', TABLESPACE],
  DropTableSpaceStmt: ['DROP TABLESPACE', TABLESPACE],
  AlterTableSpaceOptionsStmt: ['ALTER TABLESPACE', TABLESPACE],
  CreateSubscriptionStmt: ['CREATE SUBSCRIPTION', FOREIGN],
  AlterSubscriptionStmt: ['ALTER SUBSCRIPTION', FOREIGN],
  DropSubscriptionStmt: ['DROP SUBSCRIPTION', 'drops a replication slot on another server'],
  CreateFdwStmt: ['CREATE FOREIGN DATA WRAPPER', FOREIGN],
  AlterFdwStmt: ['ALTER FOREIGN DATA WRAPPER', FOREIGN],
  CreateForeignServerStmt: ['CREATE SERVER', FOREIGN],
  AlterForeignServerStmt: ['ALTER SERVER', FOREIGN],
  CreateUserMappingStmt: ['CREATE USER MAPPING', FOREIGN],
  AlterUserMappingStmt: ['ALTER USER MAPPING', FOREIGN],
  DropUserMappingStmt: ['DROP USER MAPPING', FOREIGN],
  ImportForeignSchemaStmt: ['IMPORT FOREIGN SCHEMA', FOREIGN],
  CreateForeignTableStmt: ['CREATE FOREIGN TABLE', FOREIGN],
  LoadStmt: ['LOAD', 'loads a shared library into the database server'],
};

const DATABASE_STATEMENTS = new Set([
  'CreatedbStmt',
  'DropdbStmt',
  'AlterDatabaseStmt',
  'AlterDatabaseSetStmt',
  'AlterDatabaseRefreshCollStmt',
]);

/** Object types of COMMENT, SECURITY LABEL, GRANT, RENAME, OWNER TO and DROP that live outside one database. */
const SHARED_OBJECTS: Record<string, string> = {
  OBJECT_DATABASE: 'a database',
  OBJECT_ROLE: 'a role',
  OBJECT_TABLESPACE: 'a tablespace',
  OBJECT_FDW: 'a foreign data wrapper',
  OBJECT_FOREIGN_SERVER: 'a foreign server',
  OBJECT_USER_MAPPING: 'a user mapping',
  OBJECT_SUBSCRIPTION: 'a subscription',
};
const OBJECT_TYPE_FIELDS: Record<string, [field: string, label: string]> = {
  CommentStmt: ['objtype', 'COMMENT ON'],
  SecLabelStmt: ['objtype', 'SECURITY LABEL ON'],
  GrantStmt: ['objtype', 'GRANT/REVOKE ON'],
  RenameStmt: ['renameType', 'ALTER … RENAME of'],
  AlterOwnerStmt: ['objectType', 'ALTER … OWNER TO of'],
  DropStmt: ['removeType', 'DROP of'],
};

/** Extensions whose whole purpose is to reach other databases, servers, files or the network. */
const EXTENSIONS: Record<string, string> = {
  dblink: FOREIGN,
  postgres_fdw: FOREIGN,
  file_fdw: READS,
  adminpack: WRITES,
  http: 'makes HTTP requests from the database server',
  pg_net: 'makes HTTP requests from the database server',
  plproxy: FOREIGN,
  aws_s3: 'copies data to and from S3',
  aws_lambda: 'calls AWS Lambda',
};

/** Extensions that install a language whose code runs with the server's access (pljava brings javaU). */
const UNTRUSTED_LANGUAGE_EXTENSIONS = new Set([
  'plpythonu',
  'plpython2u',
  'plpython3u',
  'plperlu',
  'pltclu',
  'plluau',
  'plsh',
  'plr',
  'pljava',
]);

/** Languages whose code runs with the database server's own access; anything else but these is refused. */
const TRUSTED_LANGUAGES = new Set(['sql', 'plpgsql', 'plperl', 'pltcl', 'plv8', 'pllua', 'java', 'plrust', 'plcoffee', 'plls']);

const SESSIONS = 'acts on sessions other than the rehearsal’s';
const SERVER = 'acts on the whole database server';
const SLOTS = 'makes or drops a replication slot, which outlives the scratch database';
const FUNCTIONS: Record<string, string> = {
  pg_read_file: READS,
  pg_read_binary_file: READS,
  pg_stat_file: READS,
  pg_ls_dir: READS,
  pg_ls_logdir: READS,
  pg_ls_waldir: READS,
  pg_ls_tmpdir: READS,
  pg_ls_archive_statusdir: READS,
  pg_ls_logicalsnapdir: READS,
  pg_ls_logicalmapdir: READS,
  pg_ls_replslotdir: READS,
  pg_current_logfile: READS,
  pg_file_write: WRITES,
  pg_file_rename: WRITES,
  pg_file_unlink: WRITES,
  pg_file_sync: WRITES,
  pg_logdir_ls: READS,
  lo_import: READS,
  lo_export: WRITES,
  pg_terminate_backend: SESSIONS,
  pg_cancel_backend: SESSIONS,
  pg_log_backend_memory_contexts: SESSIONS,
  pg_reload_conf: 'reloads the server’s configuration',
  pg_rotate_logfile: SERVER,
  pg_promote: SERVER,
  pg_switch_wal: SERVER,
  pg_create_restore_point: SERVER,
  pg_backup_start: SERVER,
  pg_backup_stop: SERVER,
  pg_start_backup: SERVER,
  pg_stop_backup: SERVER,
  pg_stat_reset_shared: SERVER,
  pg_create_physical_replication_slot: SLOTS,
  pg_create_logical_replication_slot: SLOTS,
  pg_copy_physical_replication_slot: SLOTS,
  pg_copy_logical_replication_slot: SLOTS,
  pg_drop_replication_slot: SLOTS,
  postgres_fdw_disconnect: FOREIGN,
  postgres_fdw_disconnect_all: FOREIGN,
};
for (const name of [
  'dblink',
  'dblink_connect',
  'dblink_connect_u',
  'dblink_disconnect',
  'dblink_exec',
  'dblink_open',
  'dblink_fetch',
  'dblink_close',
  'dblink_send_query',
  'dblink_get_result',
  'dblink_is_busy',
  'dblink_cancel_query',
  'dblink_get_connections',
  'dblink_get_notify',
  'dblink_error_message',
])
  FUNCTIONS[name] = FOREIGN;

/** Settings that switch the session to another role. */
const ROLE_SETTINGS = new Set(['role', 'session_authorization']);

/** Bodies inside bodies (EXECUTE of a string that creates a function…) are read this deep. */
const MAX_DEPTH = 4;

/**
 * The first statement of `sql` that acts outside the scratch database, or null. Text libpg-query cannot
 * parse is let through: the engine's parser (the same grammar or an older one) rejects it before any of
 * its message runs; statement by statement, the others are still read.
 */
export function findOutsideEffect(sql: string, options: GuardOptions): OutsideEffect | null {
  const bytes = Buffer.from(sql);
  const at = (byteOffset: number) => bytes.subarray(0, byteOffset).toString().length;
  for (const [from, to] of statementRanges(sql, bytes)) {
    const text = bytes.subarray(from, to).toString();
    let tree: Node;
    try {
      tree = parseSync(text);
    } catch {
      continue;
    }
    for (const s of tree.stmts ?? []) {
      const start = s.stmt_location ?? 0;
      const end = s.stmt_len ? start + s.stmt_len : Buffer.byteLength(text);
      const statementText = Buffer.from(text).subarray(start, end).toString();
      const found = statementEffect(s.stmt, statementText, options, 0);
      if (found) return { ...found, offset: at(from + start) };
    }
  }
  return null;
}

type Found = Omit<OutsideEffect, 'offset'>;

/** The whole text, or, when it does not parse as a whole, its statements as the scanner splits them. */
function statementRanges(sql: string, bytes: Buffer): Array<[number, number]> {
  try {
    parseSync(sql);
    return [[0, bytes.length]];
  } catch {
    // One unreadable statement must not hide the others.
  }
  let tokens: ReturnType<typeof scanSync>['tokens'];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return [];
  }
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (const t of tokens) {
    if (t.tokenName !== 'ASCII_59') continue;
    ranges.push([start, t.end]);
    start = t.end;
  }
  if (start < bytes.length) ranges.push([start, bytes.length]);
  return ranges;
}

function statementEffect(stmt: Node, text: string, options: GuardOptions, depth: number): Found | null {
  let found: Found | null = null;
  visit(stmt, (type, node) => {
    found ??= nodeEffect(type, node, text, options, depth);
    return found !== null;
  });
  return found;
}

/** Calls `check` on every typed node (`{ "CopyStmt": {...} }`) until it returns true. */
function visit(node: Node, check: (type: string, node: Node) => boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => visit(n, check));
  if (!node || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && /^[A-Z]/.test(key) && check(key, value)) return true;
    if (visit(value, check)) return true;
  }
  return false;
}

function nodeEffect(type: string, node: Node, text: string, options: GuardOptions, depth: number): Found | null {
  const refuse = (statement: string, reason: string): Found | null => (options.allowOutsideEffects ? null : { statement, reason });
  const database = protectedDatabase(type, node, options);
  if (database)
    return {
      statement: STATEMENTS[type]?.[0] ?? type,
      reason: `names ${database}, the database the URL names, which rehearsal never touches`,
      always: true,
    };

  const known = STATEMENTS[type];
  if (known) return refuse(known[0], known[1]);
  const objectType = OBJECT_TYPE_FIELDS[type];
  if (objectType) {
    const shared = SHARED_OBJECTS[node[objectType[0]]];
    if (shared) return refuse(`${objectType[1]} ${shared}`, shared === 'a role' ? ROLES : `changes ${shared} outside the scratch database`);
  }
  switch (type) {
    case 'CopyStmt':
      if (node.is_program) {
        const statement = `COPY … ${node.is_from ? 'FROM' : 'TO'} PROGRAM`;
        if (options.allowOutsideEffects && options.cannotRunPrograms)
          return {
            statement,
            reason: `cannot run on ${options.cannotRunPrograms}, which has no programs to run: rehearse it on a server`,
            always: true,
          };
        return refuse(statement, 'runs a shell command on the database server');
      }
      if (node.filename) return refuse(`COPY … ${node.is_from ? 'FROM' : 'TO'} '${node.filename}'`, node.is_from ? READS : WRITES);
      return null;
    case 'CreateExtensionStmt': {
      const name = String(node.extname).toLowerCase();
      const reason =
        EXTENSIONS[name] ?? (name.endsWith('_fdw') ? FOREIGN : UNTRUSTED_LANGUAGE_EXTENSIONS.has(name) ? languageReason(name) : null);
      return reason ? refuse(`CREATE EXTENSION ${name}`, reason) : null;
    }
    case 'CreatePLangStmt': {
      const name = String(node.plname).toLowerCase();
      return node.pltrusted
        ? null
        : refuse(`CREATE LANGUAGE ${name}`, 'an untrusted language runs code with the database server’s own access');
    }
    case 'CreateFunctionStmt':
    case 'DoStmt':
      return bodyEffect(type, node, text, options, depth);
    case 'VariableSetStmt':
      if (node.kind === 'VAR_SET_VALUE' && ROLE_SETTINGS.has(node.name) && constantText(node.args?.[0])?.toLowerCase() !== 'none')
        return refuse(node.name === 'role' ? 'SET ROLE' : 'SET SESSION AUTHORIZATION', 'acts as another role');
      return null;
    case 'FuncCall':
      return callEffect(node, refuse);
    case 'String': {
      const name = String(node.sval).toLowerCase();
      return FUNCTIONS[name] ? refuse(`a reference to ${name}()`, FUNCTIONS[name]) : null;
    }
    default:
      return null;
  }
}

/** The protected database a statement about databases names, if any. */
function protectedDatabase(type: string, node: Node, options: GuardOptions): string | null {
  if (!options.protectedDatabases.length) return null;
  const names: unknown[] = [];
  if (DATABASE_STATEMENTS.has(type)) names.push(node.dbname);
  const objectType = OBJECT_TYPE_FIELDS[type];
  if (objectType && node[objectType[0]] === 'OBJECT_DATABASE') {
    names.push(node.subname, node.object?.String?.sval);
    for (const o of node.objects ?? []) names.push(o?.String?.sval);
  }
  return (names.find((n) => typeof n === 'string' && options.protectedDatabases.includes(n)) as string | undefined) ?? null;
}

function callEffect(node: Node, refuse: (statement: string, reason: string) => Found | null): Found | null {
  const name = String(node.funcname?.at(-1)?.String?.sval ?? '').toLowerCase();
  const reason = FUNCTIONS[name];
  if (reason) return refuse(`${name}()`, reason);
  if (name === 'set_config') {
    const setting = constantText(node.args?.[0])?.toLowerCase();
    if (setting === undefined || ROLE_SETTINGS.has(setting))
      return refuse(`set_config(${setting === undefined ? '…' : `'${setting}'`})`, 'may act as another role');
  }
  return null;
}

function languageReason(language: string): string | null {
  if (TRUSTED_LANGUAGES.has(language)) return null;
  if (language === 'c' || language === 'internal') return 'runs code the database server loads from its own files';
  return 'runs untrusted code with the database server’s own access';
}

/** A function or DO block: its language, then what its body says when twoway can read it. */
function bodyEffect(type: string, node: Node, text: string, options: GuardOptions, depth: number): Found | null {
  const elements: Node[] = (type === 'DoStmt' ? node.args : node.options) ?? [];
  const option = (name: string) => elements.find((d) => d?.DefElem?.defname === name)?.DefElem?.arg;
  const language = String(option('language')?.String?.sval ?? (type === 'DoStmt' ? 'plpgsql' : 'sql')).toLowerCase();
  const label = type === 'DoStmt' ? 'DO' : node.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
  const reason = languageReason(language);
  if (reason) return options.allowOutsideEffects ? null : { statement: `${label} … LANGUAGE ${language}`, reason };
  if (depth >= MAX_DEPTH) return null;
  const body = option('as');
  const bodyText: unknown = body?.String?.sval ?? body?.List?.items?.[0]?.String?.sval;
  if (language === 'sql' && typeof bodyText === 'string') return nestedEffect(bodyText, options, depth + 1, label);
  if (language === 'plpgsql') return plpgsqlEffect(text, options, depth + 1, label);
  return null;
}

/** Static SQL and EXECUTE of string constants inside PL/pgSQL bodies. */
function plpgsqlEffect(text: string, options: GuardOptions, depth: number, label: string): Found | null {
  let functions: Node;
  try {
    functions = parsePlPgSQLSync(text);
  } catch {
    return null;
  }
  let found: Found | null = null;
  visit(functions, (type, node) => {
    if (type !== 'PLpgSQL_expr' || typeof node.query !== 'string') return false;
    // parseMode 0 is a whole statement; the others are expressions (EXECUTE's argument among them).
    if (node.parseMode === 0) found = nestedEffect(node.query, options, depth, label);
    else {
      found = nestedEffect(`SELECT ${node.query}`, options, depth, label);
      const executed = found ? undefined : loneStringConstant(`SELECT ${node.query}`);
      if (executed !== undefined) found = nestedEffect(executed, options, depth, label);
    }
    return found !== null;
  });
  return found;
}

function nestedEffect(sql: string, options: GuardOptions, depth: number, label: string): Found | null {
  let tree: Node;
  try {
    tree = parseSync(sql);
  } catch {
    return null;
  }
  for (const s of tree.stmts ?? []) {
    const start = s.stmt_location ?? 0;
    const statementText = Buffer.from(sql)
      .subarray(start, s.stmt_len ? start + s.stmt_len : undefined)
      .toString();
    const found = statementEffect(s.stmt, statementText, options, depth);
    if (found) return { ...found, statement: `${found.statement} in the body of ${label}` };
  }
  return null;
}

function loneStringConstant(select: string): string | undefined {
  try {
    const targets = (parseSync(select).stmts?.[0]?.stmt as Node)?.SelectStmt?.targetList;
    return targets?.length === 1 ? constantText(targets[0]?.ResTarget?.val) : undefined;
  } catch {
    return undefined;
  }
}

function constantText(node: Node): string | undefined {
  const value = node?.A_Const?.sval?.sval;
  return typeof value === 'string' ? value : undefined;
}
