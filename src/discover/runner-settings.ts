// lock_timeout / statement_timeout that the migration runner sets for every migration, read statically from
// the project's own files (never executed): strong_migrations' initializer, Rails database.yml `variables:`,
// Django settings `OPTIONS.options`, an Alembic env.py executing SET (or its engine's connect_args options),
// Flyway initSql / beforeMigrate.sql / beforeEachMigrate.sql, and database URLs: `options=-c ...` (libpq,
// pgJDBC, Go's drivers) and the server settings Go's drivers take as URL parameters (golang-migrate, dbmate,
// goose). With one found, the timeout rules
// treat the setting as in force from a migration's first statement.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { Node } from 'yaml';
import type { FolderEntry, MigrationSet } from '../frameworks/adapter.js';
import { parseProperties } from '../frameworks/flyway.js';
import { parseToml } from '../frameworks/sql-files.js';
import { grammarParser, type SyntaxNode } from '../frameworks/tree-sitter.js';
import type { SourceText } from '../migration.js';
import { parseSql } from '../sql/index.js';

export type TimeoutSetting = 'lock_timeout' | 'statement_timeout';

export interface DetectedSetting {
  /** As the file writes it, in PostgreSQL's units ("5s", "5000" = milliseconds). */
  value: string;
  /** `path:line`, the path relative to the working directory. */
  source: string;
}

/** What the runner sets, by setting name; empty when nothing was found. */
export type RunnerSettings = Partial<Record<TimeoutSetting, DetectedSetting>>;

// yaml loads only when a database.yml is read (about 35 ms of every run's start-up otherwise).
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export const NAMES: readonly TimeoutSetting[] = ['lock_timeout', 'statement_timeout'];

/** How far above a set's folder the project's config is looked for (db/migrate → the Rails root is two up). */
const LEVELS_UP = 4;

/** Runner settings for one set (PostgreSQL only: the timeout rules are). Unreadable files are skipped. */
/** The detectors that read Python (Django's settings, Alembic's env.py): imported with a set of theirs (`loadRunnerSettings`). */
let python: typeof import('./runner-settings-python.js') | null = null;
const PYTHON_FRAMEWORKS: ReadonlySet<MigrationSet['framework']> = new Set(['django', 'alembic']);

/** Loads what `detectRunnerSettings` needs for a set of this framework; call before it. */
export async function loadRunnerSettings(framework: MigrationSet['framework']): Promise<void> {
  if (PYTHON_FRAMEWORKS.has(framework)) python ??= await import('./runner-settings-python.js');
}

function pythonDetectors(): typeof import('./runner-settings-python.js') {
  if (!python) throw new Error('await loadRunnerSettings(framework) before detectRunnerSettings');
  return python;
}

export function detectRunnerSettings(set: MigrationSet, cwd: string): RunnerSettings {
  if (set.dialect !== 'postgresql') return {};
  // Outside the detectors' try: a detector not loaded is a caller's mistake, not a file twoway cannot read.
  if (PYTHON_FRAMEWORKS.has(set.framework)) pythonDetectors();
  const found: RunnerSettings = {};
  const add = (name: TimeoutSetting, value: string, file: string, line: number) => {
    if (found[name] || isZero(value)) return;
    found[name] = { value, source: `${relative(cwd, file) || file}:${line}` };
  };
  const folders = foldersUp(resolve(cwd, set.root), cwd);
  const migrationFolders = [...new Set(set.migrations.map((m) => dirname(resolve(cwd, m.path))))];
  for (const detect of DETECTORS[set.framework] ?? []) {
    try {
      detect(folders, add, migrationFolders);
    } catch {
      // A file twoway cannot read says nothing about the runner: the rules then ask for the setting.
    }
  }
  return found;
}

export type Add = (name: TimeoutSetting, value: string, file: string, line: number) => void;
/** `folders`: the set's folder and those above it; `migrationFolders`: the folders its migration files are in. */
type Detector = (folders: readonly string[], add: Add, migrationFolders: readonly string[]) => void;

/** Files of a project that hold the migration runner's database URL. */
const URL_FILES = [
  '.env',
  '.env.example',
  '.env.production',
  'Makefile',
  'dbmate.yml',
  'docker-compose.yml',
  'compose.yml',
  'justfile',
  'Taskfile.yml',
];

/** Where Flyway's JDBC URL (`flyway.url`, `url = ...`) is written. */
const FLYWAY_FILES = ['flyway.conf', 'flyway.toml', join('conf', 'flyway.conf')];

// Go's drivers (lib/pq, pgx) send a URL parameter they do not know (`?lock_timeout=5s`) as a server setting;
// libpq (psycopg) and pgJDBC take server settings only through `options`.
const urlDetectors: Detector[] = [databaseUrls(URL_FILES, { runtimeParameters: true })];

const DETECTORS: Partial<Record<MigrationSet['framework'], Detector[]>> = {
  rails: [strongMigrations, databaseYml],
  django: [(folders, add) => pythonDetectors().djangoSettings(folders, add)],
  alembic: [(folders, add) => pythonDetectors().alembicEnv(folders, add), databaseUrls(['alembic.ini'], { runtimeParameters: false })],
  flyway: [flywayConfig, flywayCallbacks, databaseUrls(FLYWAY_FILES, { runtimeParameters: false })],
  'golang-migrate': urlDetectors,
  dbmate: urlDetectors,
  goose: urlDetectors,
};

/** The set's folder and those above it, up to LEVELS_UP (never above the working directory when inside it). */
function foldersUp(start: string, cwd: string): string[] {
  const out: string[] = [];
  const top = resolve(cwd);
  const inside = !relative(top, start).startsWith('..');
  for (let dir = start, i = 0; i <= LEVELS_UP; i++, dir = dirname(dir)) {
    out.push(dir);
    if ((inside && dir === top) || dirname(dir) === dir) break;
  }
  return out;
}

export function readText(file: string): string | null {
  try {
    return statSync(file).isFile() ? readFileSync(file, 'utf8') : null;
  } catch {
    return null;
  }
}

/** A folder's entries (typed without node:fs: the published declarations need no @types/node). */
export function entries(dir: string): FolderEntry[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** `0` (and `0s`, `0ms`) turns a timeout off in PostgreSQL: that is no setting. */
function isZero(value: string): boolean {
  return /^\s*(0+(\.0+)?\s*[a-z]*|default)\s*$/i.test(value);
}

/** `-c lock_timeout=5s -c statement_timeout=0` / `--lock_timeout=5s`: libpq's `options`, server settings as on a command line. */
export function commandLineSettings(options: string): Array<[TimeoutSetting, string]> {
  const words = options.trim().split(/\s+/);
  const out: Array<[TimeoutSetting, string]> = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    let setting: string | undefined;
    if (word === '-c') setting = words[++i];
    else if (word.startsWith('-c')) setting = word.slice(2);
    else if (word.startsWith('--')) setting = word.slice(2);
    const eq = setting?.indexOf('=') ?? -1;
    if (!setting || eq < 0) continue;
    const name = setting.slice(0, eq).toLowerCase().replace(/-/g, '_');
    if ((NAMES as readonly string[]).includes(name)) out.push([name as TimeoutSetting, setting.slice(eq + 1)]);
  }
  return out;
}

/** SET statements in SQL text, parsed by the SQL parser; line numbers from `startLine`. */
function sqlSettings(source: SourceText): Array<[TimeoutSetting, string, number]> {
  return parseSql(source, 'postgresql').ops.flatMap((op) =>
    op.kind === 'SetSetting' && (NAMES as readonly string[]).includes(op.name.toLowerCase())
      ? [[op.name.toLowerCase() as TimeoutSetting, unquoted(op.value), op.span.line] as [TimeoutSetting, string, number]]
      : [],
  );
}

/** `'5s'` → `5s`: the value as a setting, not as a literal. */
export function unquoted(value: string): string {
  return /^'.*'$/s.test(value) ? value.slice(1, -1).replace(/''/g, "'") : value;
}

// --- Rails -----------------------------------------------------------------------------------------

const RUBY_DURATIONS: Record<string, string> = {
  second: 's',
  seconds: 's',
  minute: 'min',
  minutes: 'min',
  hour: 'h',
  hours: 'h',
};

/** `StrongMigrations.lock_timeout = 10.seconds` in config/initializers/strong_migrations.rb. */
function strongMigrations(folders: readonly string[], add: Add): void {
  for (const dir of folders) {
    const file = join(dir, 'config', 'initializers', 'strong_migrations.rb');
    const text = readText(file);
    if (text === null) continue;
    const tree = grammarParser('tree-sitter-ruby').parse(text);
    if (!tree) return;
    try {
      for (const node of tree.rootNode.descendantsOfType('assignment')) {
        const left = node?.childForFieldName('left');
        const right = node?.childForFieldName('right');
        if (!left || !right || left.type !== 'call') continue;
        const receiver = left.childForFieldName('receiver');
        const method = left.childForFieldName('method')?.text;
        if (receiver?.text !== 'StrongMigrations' || !(NAMES as readonly string[]).includes(method ?? '')) continue;
        const value = rubyDuration(right);
        if (value) add(method as TimeoutSetting, value, file, left.startPosition.row + 1);
      }
    } finally {
      tree.delete();
    }
    return;
  }
}

/** `10.seconds`, `1.minute`, `10` (strong_migrations reads a number as seconds), `"5s"` (passed to PostgreSQL as is). */
function rubyDuration(node: SyntaxNode): string | null {
  if (node.type === 'integer' || node.type === 'float') return `${node.text.replace(/_/g, '')}s`;
  if (node.type === 'string') {
    const content = node.namedChildren.filter((n) => n?.type === 'string_content');
    return content.length === 1 && node.namedChildren.length === 1 ? (content[0] as SyntaxNode).text : null;
  }
  if (node.type === 'call') {
    const receiver = node.childForFieldName('receiver');
    const unit = RUBY_DURATIONS[node.childForFieldName('method')?.text ?? ''];
    if (receiver && unit && (receiver.type === 'integer' || receiver.type === 'float')) return `${receiver.text.replace(/_/g, '')}${unit}`;
  }
  return null;
}

/**
 * `variables: { lock_timeout: 5s }` in config/database.yml. The file is ERB: its tags are blanked (same length,
 * so lines and columns stay) before the YAML is read; a value that is an ERB tag is not known and not used.
 */
function databaseYml(folders: readonly string[], add: Add): void {
  for (const dir of folders) {
    const file = join(dir, 'config', 'database.yml');
    const text = readText(file);
    if (text === null) continue;
    const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yaml();
    const lines = new LineCounter();
    const doc = parseDocument(blankErb(text), { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
    const candidates: Array<{ env: string; name: TimeoutSetting; value: string; line: number }> = [];
    const visit = (node: unknown, env: string): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          if (key === 'variables' && isMap(pair.value)) {
            for (const v of pair.value.items) {
              const name = isScalar(v.key) ? String(v.key.value).toLowerCase() : '';
              if (!(NAMES as readonly string[]).includes(name) || !isScalar(v.value)) continue;
              const value = String(v.value.value ?? '').trim();
              if (!value || value.includes(ERB_BLANK)) continue;
              const at = (v.key as Node).range?.[0] ?? 0;
              candidates.push({ env, name: name as TimeoutSetting, value, line: lines.linePos(at).line });
            }
          } else visit(pair.value, env || key);
        }
      } else if (isSeq(node)) for (const item of node.items) visit(item, env);
      else if (isPair(node)) visit(node.value, env);
    };
    visit(doc.contents, '');
    // The environment deploys migrate: production's, else a shared anchor or another deployed one (staging);
    // a setting only development or test has says nothing about the deploy.
    const rank = (env: string) => (env === 'production' ? 0 : env === 'development' || env === 'test' ? 2 : 1);
    for (const c of candidates.sort((a, b) => rank(a.env) - rank(b.env))) if (rank(c.env) < 2) add(c.name, c.value, file, c.line);
    return;
  }
}

const ERB_BLANK = '\u2060';

/** ERB tags replaced by as many filler characters (`<%= ... %>`) or spaces (`<% ... %>`, `<%# ... %>`). */
function blankErb(text: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = text.indexOf('<%', i);
    if (open < 0) return out + text.slice(i);
    const close = text.indexOf('%>', open + 2);
    const end = close < 0 ? text.length : close + 2;
    const tag = text.slice(open, end);
    const output = tag.startsWith('<%=');
    out += text.slice(i, open) + tag.replace(/[^\n]/g, output ? ERB_BLANK : ' ');
    i = end;
  }
}

// --- Flyway ----------------------------------------------------------------------------------------

/** `flyway.initSql=SET lock_timeout ...` in flyway.conf, or `initSql` in flyway.toml (any environment or [flyway]). */
function flywayConfig(folders: readonly string[], add: Add): void {
  for (const dir of folders) {
    for (const name of ['flyway.conf', 'flyway.toml', join('conf', 'flyway.conf')]) {
      const file = join(dir, name);
      const text = readText(file);
      if (text === null) continue;
      const initSqls: string[] = [];
      if (name.endsWith('.toml')) {
        const collect = (v: unknown): void => {
          if (typeof v !== 'object' || v === null) return;
          for (const [k, x] of Object.entries(v)) {
            if (k === 'initSql' && typeof x === 'string') initSqls.push(x);
            else collect(x);
          }
        };
        collect(parseToml(text));
      } else {
        const sql = parseProperties(text).get('flyway.initSql');
        if (sql) initSqls.push(sql);
      }
      for (const sql of initSqls) {
        const line = lineOf(text, 'initSql');
        for (const [setting, value] of sqlSettings({ path: file, text: sql, startLine: line, language: 'sql' }))
          add(setting, value, file, line);
      }
    }
  }
}

/** A `beforeMigrate.sql` / `beforeEachMigrate.sql` (or `…__name.sql`) callback beside the migrations: Flyway runs it before the migrate / each migration. */
function flywayCallbacks(_folders: readonly string[], add: Add, migrationFolders: readonly string[]): void {
  for (const dir of migrationFolders) {
    for (const e of entries(dir)) {
      if (!e.isFile() || !/^before(Each)?Migrate(__.*)?\.sql$/.test(e.name)) continue;
      const file = join(dir, e.name);
      const text = readText(file);
      if (text === null) continue;
      for (const [setting, value, line] of sqlSettings({ path: file, text, startLine: 1, language: 'sql' }))
        add(setting, value, file, line);
    }
  }
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

// --- URLs: golang-migrate, dbmate, goose; Alembic's alembic.ini, Flyway's JDBC URL -------------------

/**
 * `postgres://...?options=-c%20lock_timeout%3D5s`, golang-migrate's `x-statement-timeout=60000` (milliseconds) and,
 * for Go's drivers, `?lock_timeout=5s` in the URLs these files hold.
 */
function databaseUrls(files: readonly string[], how: { runtimeParameters: boolean }): Detector {
  return (folders, add) => {
    for (const dir of folders) urlSettingsIn(dir, files, how.runtimeParameters, add);
  };
}

function urlSettingsIn(dir: string, files: readonly string[], runtimeParameters: boolean, add: Add): void {
  for (const name of files) {
    const file = join(dir, name);
    const text = readText(file);
    if (text === null) continue;
    text.split('\n').forEach((line, i) => {
      for (const candidate of line.match(/\b(?:postgres|postgresql(?:\+\w+)?|pgx5?|cockroachdb):\/\/[^\s"'`]+/g) ?? []) {
        let url: URL;
        try {
          url = new URL(candidate);
        } catch {
          continue;
        }
        for (const [setting, value] of commandLineSettings(url.searchParams.get('options') ?? '')) add(setting, value, file, i + 1);
        if (!runtimeParameters) continue;
        const statement = url.searchParams.get('x-statement-timeout');
        if (statement) add('statement_timeout', statement, file, i + 1);
        for (const setting of NAMES) {
          const value = url.searchParams.get(setting);
          if (value) add(setting, value, file, i + 1);
        }
      }
    });
  }
}
