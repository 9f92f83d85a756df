// Flyway: `V<version>__<description>.sql` (versioned), `U<version>__<description>.sql` (undo: the down),
// `R__<description>.sql` (repeatable, applied after the versioned ones, ordered by description).
// Locations come from flyway.conf / flyway.toml, else the folder the files are in (searched recursively,
// as Flyway scans its locations).
// Transactions, as Flyway's PostgreSQL parser decides them: each script (up or undo) runs in a transaction
// unless it holds a statement PostgreSQL refuses in one (CREATE/DROP INDEX CONCURRENTLY, VACUUM...), then
// outside any; a script mixing both kinds is refused unless `mixed` is true; a script config
// (`V1__x.sql.conf`) with `executeInTransaction` decides alone.

import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { chooseDialect, type DialectChoice } from '../discover/dialect.js';
import type { Dialect, Operation } from '../ir.js';
import type { AdapterNote, Migration, ParsedMigration, ReadError } from '../migration.js';
import type { DetectResult, Folder, FrameworkAdapter } from './adapter.js';
import { folderAt, migrationFiles, parseSqlMigration, readFolderFile, readToml, skipped } from './sql-files.js';

// yaml loads when a config of this framework is read, not at start-up.
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export type FlywayFile =
  | { kind: 'versioned' | 'undo'; version: bigint[]; versionText: string; description: string }
  | { kind: 'repeatable'; description: string };

/** `V1_2__add_users.sql` → versioned, version [1, 2] (an underscore in the version is a dot). */
export function parseFlywayName(file: string): FlywayFile | null {
  if (!file.endsWith('.sql')) return null;
  const stem = file.slice(0, -'.sql'.length);
  const separator = stem.indexOf('__');
  if (separator < 1) return null;
  const prefix = stem[0];
  const versionText = stem.slice(1, separator).replaceAll('_', '.');
  const description = stem.slice(separator + 2);
  if (prefix === 'R' && separator === 1) return { kind: 'repeatable', description };
  if (prefix !== 'V' && prefix !== 'U') return null;
  const parts = versionText.split('.');
  if (!parts.every((p) => p !== '' && [...p].every((ch) => ch >= '0' && ch <= '9'))) return null;
  return { kind: prefix === 'V' ? 'versioned' : 'undo', version: parts.map(BigInt), versionText, description };
}

/** Flyway's order: numeric part by part, missing parts are zero (1.10 after 1.9; 1 equals 1.0). */
export function compareVersions(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Flyway's SQL callbacks live beside the migrations: not migrations, not analyzed. */
const CALLBACK =
  /^(before|after)(Migrate|EachMigrate|EachMigrateStatement|Undo|EachUndo|Clean|Info|Validate|Baseline|Repair|Connect|Statement)(Error|Applied)?(__.*)?\.sql$/;

interface FlywayConfig {
  path: string;
  locations: string[];
  dialect?: Dialect;
  /** `flyway.mixed`: a script may mix transactional and non-transactional statements (it then runs outside a transaction). */
  mixed: boolean;
}

/** What decides a script's transaction besides its statements: the set's `mixed` and the scripts' own `executeInTransaction`. */
interface TransactionConfig {
  mixed: boolean;
  up?: boolean;
  down?: boolean;
}

const transactionConfigs = new WeakMap<Migration, TransactionConfig>();

const DEFAULT_LOCATIONS = ['db/migration', 'src/main/resources/db/migration'];

export const flyway: FrameworkAdapter = {
  framework: 'flyway',
  detect(folder: Folder) {
    const configFile = folder.entries.find((e) => e.isFile() && (e.name === 'flyway.conf' || e.name === 'flyway.toml'));
    if (configFile) return fromConfig(folder, configFile.name);
    const isDefaultLocation = DEFAULT_LOCATIONS.some((l) => folder.rel === l || folder.rel.endsWith(`/${l}`));
    const errors: ReadError[] = [];
    // Flyway scans a location recursively: a folder holding migrations (or named like a default location) is one.
    const holdsMigrations = folder.entries.some((e) => e.isFile() && parseFlywayName(e.name) !== null);
    if (!holdsMigrations && !isDefaultLocation) return null;
    const files = collect(folder, true, errors);
    if (!files.some((f) => f.parsed.kind !== 'undo')) return null;
    return build(files, folder.rel, chooseDialect(folder), springMixed(folder, errors), errors);
  },
  parse: (m) => withTransactions(parseSqlMigration(m), transactionConfigs.get(m) ?? { mixed: false }),
};

function fromConfig(folder: Folder, name: string): DetectResult | null {
  const errors: ReadError[] = [];
  const config = readConfig(folder, name, errors);
  const files: Located[] = [];
  const claimed: string[] = [];
  for (const location of config.locations) {
    const sub = folderAt(join(folder.abs, location), join(folder.rel, location), folder.configuredDialect);
    if (!sub) continue;
    const found = collect(sub, true, errors);
    files.push(...found);
    claimed.push(...found.map((f) => f.folder.abs), sub.abs);
  }
  if (!files.length) {
    errors.push(skipped(config.path, `no Flyway migrations in ${config.locations.join(', ')}`));
    return { sets: [], errors };
  }
  const declared = config.dialect ? { dialect: config.dialect, dialectReason: `${config.path} url` } : null;
  const result = build(files, folder.rel, chooseDialect(folder, folder.rel, declared), config.mixed, errors);
  for (const set of result.sets) set.claimed = [...new Set(claimed)];
  return result;
}

/** Reads `flyway.locations` and `flyway.url` (properties) or `[flyway] locations` and the environment's `url` (TOML). */
function readConfig(folder: Folder, name: string, errors: ReadError[]): FlywayConfig {
  const path = join(folder.rel, name);
  const config: FlywayConfig = { path, locations: DEFAULT_LOCATIONS, mixed: false };
  let locations: string[] | undefined;
  let url: string | undefined;
  if (name.endsWith('.toml')) {
    const toml = readToml(folder, name, errors) as {
      flyway?: { locations?: unknown; environment?: unknown; url?: unknown; mixed?: unknown };
      environments?: unknown;
    };
    const envs = (toml?.environments ?? {}) as Record<string, { url?: unknown; flyway?: { mixed?: unknown } }>;
    const envName = typeof toml?.flyway?.environment === 'string' ? toml.flyway.environment : 'default';
    const env = envs[envName] ?? Object.values(envs)[0];
    if (Array.isArray(toml?.flyway?.locations)) locations = toml.flyway.locations.filter((l): l is string => typeof l === 'string');
    url = typeof env?.url === 'string' ? env.url : typeof toml?.flyway?.url === 'string' ? toml.flyway.url : undefined;
    config.mixed = (env?.flyway?.mixed ?? toml?.flyway?.mixed) === true;
  } else {
    const read = readFolderFile(folder, name);
    if (!read.ok) {
      errors.push(read.error);
      return config;
    }
    const props = parseProperties(read.text);
    locations = props.get('flyway.locations')?.split(',');
    url = props.get('flyway.url');
    config.mixed = props.get('flyway.mixed')?.toLowerCase() === 'true';
  }
  if (locations?.length) {
    config.locations = locations.map((l) => l.trim()).flatMap((l) => locationPath(l, path, errors));
  }
  if (url) config.dialect = dialectOfUrl(url);
  return config;
}

/** `filesystem:sql` → sql; `classpath:db/migration` → src/main/resources/db/migration (Maven/Gradle layout). */
function locationPath(location: string, path: string, errors: ReadError[]): string[] {
  if (location.startsWith('filesystem:')) {
    const folder = location.slice('filesystem:'.length);
    if (!isAbsolute(folder)) return [folder];
    errors.push(skipped(path, `Flyway location ${location} is outside this project: run twoway check ${folder}`));
    return [];
  }
  if (location.startsWith('classpath:')) return [join('src/main/resources', location.slice('classpath:'.length))];
  if (!location.includes(':')) return [join('src/main/resources', location)];
  errors.push(skipped(path, `Flyway location ${location} is not a folder twoway can read: skipped`));
  return [];
}

/** Java properties: `key=value` or `key: value`, `#`/`!` comments, a trailing backslash continues the line. */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? '').trim();
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + (lines[++i] ?? '').trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const sep = line.search(/[=:]/);
    if (sep < 0) continue;
    props.set(line.slice(0, sep).trim(), line.slice(sep + 1).trim());
  }
  return props;
}

function dialectOfUrl(url: string): Dialect | undefined {
  const scheme = url
    .replace(/^jdbc:/, '')
    .split(':')[0]
    ?.toLowerCase();
  if (scheme === 'postgresql' || scheme === 'postgres' || scheme === 'cockroachdb' || scheme === 'redshift') return 'postgresql';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  if (scheme === 'sqlite') return 'sqlite';
  return undefined;
}

interface Located {
  folder: Folder;
  file: string;
  parsed: FlywayFile;
}

/** The Flyway files of a folder, and of its sub-folders when `recursive`; other `.sql` files are reported by discovery. */
function collect(folder: Folder, recursive: boolean, errors: ReadError[]): Located[] {
  const out: Located[] = [];
  for (const e of folder.entries) {
    if (e.isFile()) {
      const parsed = parseFlywayName(e.name);
      if (parsed) out.push({ folder, file: e.name, parsed });
      else if (CALLBACK.test(e.name))
        errors.push(skipped(join(folder.rel, e.name), 'Flyway callback script, not a migration: not analyzed'));
    } else if (recursive && e.isDirectory() && !e.name.startsWith('.')) {
      const sub = folderAt(join(folder.abs, e.name), join(folder.rel, e.name), folder.configuredDialect);
      if (sub) out.push(...collect(sub, true, errors));
    }
  }
  return out;
}

function build(
  files: Located[],
  root: string,
  { dialect, dialectReason }: DialectChoice,
  mixed: boolean,
  errors: ReadError[],
): DetectResult {
  const rel = (f: Located) => join(f.folder.rel, f.file);
  const hasUndo = files.some((f) => f.parsed.kind === 'undo');
  const versioned = files.filter((f) => f.parsed.kind === 'versioned');
  const undos = files.filter((f) => f.parsed.kind === 'undo');
  const version = (f: Located) => (f.parsed.kind === 'repeatable' ? [] : f.parsed.version);
  versioned.sort((a, b) => compareVersions(version(a), version(b)));
  const repeatables = files
    .filter((f) => f.parsed.kind === 'repeatable')
    .sort((a, b) => (a.parsed.description < b.parsed.description ? -1 : a.parsed.description > b.parsed.description ? 1 : 0));
  const migrations: Migration[] = [];
  const usedUndos = new Set<Located>();
  for (const [i, f] of versioned.entries()) {
    const previous = versioned[i - 1];
    if (previous && compareVersions(version(previous), version(f)) === 0) {
      errors.push(
        skipped(
          rel(f),
          `Flyway found more than one migration with version ${f.parsed.kind !== 'repeatable' ? f.parsed.versionText : ''} (also ${rel(previous)}): skipped`,
        ),
      );
      continue;
    }
    const undo = undos.find((u) => compareVersions(version(u), version(f)) === 0);
    if (undo) usedUndos.add(undo);
    migrations.push(migration(f, undo ?? null, errors));
  }
  for (const f of repeatables) migrations.push(migration(f, null, errors));
  for (const u of undos)
    if (!usedUndos.has(u)) errors.push(skipped(rel(u), 'Flyway undo script without a versioned migration of the same version: skipped'));
  for (const m of migrations) m.downsUnsupported = !hasUndo;
  const claimed = [...new Set(files.map((f) => f.folder.abs))];
  return { sets: migrations.length ? [{ framework: 'flyway', dialect, dialectReason, root, migrations, claimed }] : [], errors };

  function migration(f: Located, undo: Located | null, errs: ReadError[]): Migration {
    const config: TransactionConfig = {
      mixed,
      up: executeInTransaction(f.folder, f.file, errs),
      down: undo ? executeInTransaction(undo.folder, undo.file, errs) : undefined,
    };
    const m: Migration = {
      id: f.file.slice(0, -'.sql'.length),
      name: f.parsed.description,
      framework: 'flyway',
      dialect,
      ...migrationFiles(f, undo),
      // Until the statements are parsed: what the script config says, else Flyway's default.
      transactional: config.up ?? true,
    };
    transactionConfigs.set(m, config);
    return m;
  }
}

/** A per-script `V1__x.sql.conf` may set `executeInTransaction`; undefined when it does not. */
function executeInTransaction(folder: Folder, file: string, errors: ReadError[]): boolean | undefined {
  const confName = `${file}.conf`;
  if (!folder.entries.some((e) => e.name === confName)) return undefined;
  const read = readFolderFile(folder, confName);
  if (!read.ok) {
    errors.push(read.error);
    return undefined;
  }
  const value = parseProperties(read.text).get('executeInTransaction')?.toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** Spring Boot configures Flyway in src/main/resources/application.{properties,yml,yaml}: `spring.flyway.mixed`. */
function springMixed(folder: Folder, errors: ReadError[]): boolean {
  if (!folder.rel.endsWith('src/main/resources/db/migration')) return false;
  const resources = folderAt(dirname(dirname(folder.abs)), dirname(dirname(folder.rel)), folder.configuredDialect);
  if (!resources) return false;
  for (const e of resources.entries) {
    if (!e.isFile() || !/^application\.(properties|ya?ml)$/.test(e.name)) continue;
    const read = readFolderFile(resources, e.name);
    if (!read.ok) {
      errors.push(read.error);
      continue;
    }
    let value: unknown;
    if (e.name.endsWith('.properties')) value = parseProperties(read.text).get('spring.flyway.mixed');
    // Spring profiles may split the file into documents (`---`); a document that does not parse has no say here.
    else
      value = yaml()
        .parseAllDocuments(read.text)
        .map((doc) => doc.getIn(['spring', 'flyway', 'mixed']))
        .find((v) => v !== undefined);
    if (value === true || String(value).toLowerCase() === 'true') return true;
  }
  return false;
}

/**
 * The statements Flyway's PostgreSQL parser marks as unable to run in a transaction (its
 * `detectCanExecuteInTransaction`). REINDEX only for SCHEMA, DATABASE and SYSTEM: Flyway runs
 * `REINDEX TABLE|INDEX ... CONCURRENTLY` in its transaction, where PostgreSQL refuses it. ALTER TYPE ... ADD VALUE
 * counts only before PostgreSQL 12; twoway reads Flyway as on 12 or later.
 */
function nonTransactional(op: Operation): boolean {
  switch (op.kind) {
    case 'AddIndex':
    case 'DropIndex':
      return op.concurrently;
    case 'Raw':
      return NON_TRANSACTIONAL_STATEMENTS.has(op.statement);
    default:
      return false;
  }
}

const NON_TRANSACTIONAL_STATEMENTS = new Set([
  'CreatedbStmt',
  'DropdbStmt',
  'CreateTableSpaceStmt',
  'DropTableSpaceStmt',
  'CreateSubscriptionStmt',
  'DropSubscriptionStmt',
  'AlterSystemStmt',
  'ReindexStmt:schema',
  'ReindexStmt:database',
  'ReindexStmt:system',
  'VacuumStmt',
  'DiscardStmt:all',
]);

/** Each direction's transaction as Flyway decides it from the script's statements, and the refusal of a mix. */
function withTransactions(parsed: ParsedMigration, config: TransactionConfig): ParsedMigration {
  const m = parsed.migration;
  if (m.dialect !== 'postgresql') return parsed;
  const notes: AdapterNote[] = [];
  const up = scriptTransaction(parsed.up, config.up, config.mixed, 'up', notes);
  const down = parsed.down ? scriptTransaction(parsed.down, config.down, config.mixed, 'down', notes) : up;
  if (up === m.transactional && down === up && !notes.length) return parsed;
  return {
    ...parsed,
    migration: { ...m, transactional: up, ...(down !== up ? { downTransactional: down } : {}) },
    notes: [...(parsed.notes ?? []), ...notes],
  };
}

function scriptTransaction(
  ops: readonly Operation[],
  configured: boolean | undefined,
  mixed: boolean,
  direction: 'up' | 'down',
  notes: AdapterNote[],
): boolean {
  if (configured !== undefined) return configured;
  // Flyway judges statements; one statement may give several operations (ALTER TABLE with several actions).
  const statements = new Map<string, Operation[]>();
  for (const op of ops) {
    const at = `${op.span.path}:${op.span.line}:${op.span.column}`;
    statements.set(at, [...(statements.get(at) ?? []), op]);
  }
  let transactional: Operation | undefined;
  let outside: Operation | undefined;
  for (const group of statements.values()) {
    const first = group[0] as Operation;
    if (group.some(nonTransactional)) outside ??= first;
    else transactional ??= first;
    if (transactional && outside && !mixed) {
      notes.push({
        rule: 'mixed-transaction-statements',
        direction,
        span: first.span,
        message: `Flyway refuses this script: line ${outside.span.line} must run outside a transaction and line ${transactional.span.line} inside one ("Detected both transactional and non-transactional statements within the same migration (even though mixed is false)").`,
        fix: `Move line ${outside.span.line} into a migration of its own, or set flyway.mixed=true (the whole script then runs without a transaction), or give the script a .sql.conf with executeInTransaction.`,
      });
      return false;
    }
  }
  return outside === undefined;
}
