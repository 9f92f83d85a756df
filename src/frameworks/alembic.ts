// Alembic: alembic.ini → script_location/versions/*.py, ordered by the revision graph; upgrade()/downgrade() read with tree-sitter-python.
// Transactions: env.py's context.begin_transaction() runs the revisions in one transaction (one per revision with
// transaction_per_migration=True; on databases without transactional DDL Alembic still begins one per revision), so
// every revision is transactional; op.get_context().autocommit_block() commits it and runs its body outside any.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { chooseDialect, declared } from '../discover/dialect.js';
import { type ConstraintDef, constraintDef, type Dialect, type ExistingColumn, type Operation, type QName, type Span } from '../ir.js';
import type { AdapterNote, Directive, DownStatus, Migration, ParsedMigration, ReadError, SourceText } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import {
  argument,
  assignments,
  type CallArgs,
  callArgs,
  callName,
  functionDef,
  isNoop,
  lastName,
  loadPythonGrammar,
  pythonDirectives,
  pythonSyntaxError,
  type SyntaxNode,
  spanOf,
  statements,
} from './python/ast.js';
import { embeddedSql } from './python/embedded-sql.js';
import { topologicalOrder } from './python/graph.js';
import { foreignKeyTarget, type SqlalchemyType, serverDefault, sqlalchemyColumn, sqlalchemyType } from './python/sqlalchemy.js';
import {
  argumentBindings,
  bindTarget,
  resolve as boundValue,
  conditionValue,
  elements,
  functionOf,
  ifBranches,
  iterationItems,
  literal,
  readPython,
  stringLiteral,
  stringValue,
  withBindings,
} from './python/values.js';
import { registerAdapter } from './registry.js';
import { readText } from './sql-files.js';

/** Reads the sections of an INI file (alembic.ini): `[section]`, `key = value`, `#`/`;` comments. */
export function readIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      current = new Map();
      sections.set(line.slice(1, -1).trim(), current);
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq > 0 && raw === raw.trimStart()) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** `postgresql+psycopg2://…` → postgresql; `mysql+pymysql://` → mysql; `sqlite:///` → sqlite. */
export function dialectOfUrl(url: string | undefined): Dialect | null {
  const scheme = url?.split('://')[0]?.split('+')[0]?.toLowerCase();
  if (!scheme || !url?.includes('://')) return null;
  if (scheme === 'postgresql' || scheme === 'postgres') return 'postgresql';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  if (scheme === 'sqlite') return 'sqlite';
  return null;
}

interface Revision {
  migration: Migration;
  revision: string;
  parents: string[];
  dependsOn: string[];
  labels: string[];
  span: Span;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** The script directory (env.py + versions/) this folder is, holds through alembic.ini, or is the versions/ of. */
function scriptDirectory(folder: Folder, errors: ReadError[]): { dir: string; url?: string } | null {
  const has = (name: string, file: boolean) => folder.entries.some((e) => e.name === name && (file ? e.isFile() : e.isDirectory()));
  const iniAt = (dir: string) => {
    const abs = join(dir, 'alembic.ini');
    if (!existsSync(abs)) return null;
    const read = readText(abs, join(folder.rel, relative(folder.abs, abs)));
    if (!read.ok) {
      errors.push(read.error);
      return null;
    }
    return readIni(read.text).get('alembic') ?? new Map<string, string>();
  };
  if (has('alembic.ini', true)) {
    const ini = iniAt(folder.abs);
    const location = ini?.get('script_location');
    // Flask-Migrate's alembic.ini sits in the script directory and sets script_location in code.
    if (!location && has('env.py', true) && has('versions', false)) return { dir: folder.abs, url: ini?.get('sqlalchemy.url') };
    if (!ini || !location) return null;
    if (/^[\w.]+:/.test(location) && !isAbsolute(location)) {
      errors.push({
        path: join(folder.rel, 'alembic.ini'),
        line: 1,
        column: 1,
        message: `script_location ${location} is a package resource: not followed`,
      });
      return null;
    }
    const dir = resolve(folder.abs, location.replace('%(here)s', folder.abs));
    return { dir, url: ini.get('sqlalchemy.url') };
  }
  if (has('env.py', true) && has('versions', false)) return { dir: folder.abs, url: iniAt(dirname(folder.abs))?.get('sqlalchemy.url') };
  if (basename(folder.abs) === 'versions' && existsSync(join(folder.abs, '..', 'env.py'))) {
    const dir = dirname(folder.abs);
    return { dir, url: iniAt(dirname(dir))?.get('sqlalchemy.url') };
  }
  return null;
}

function readRevision(abs: string, rel: string, dialect: Dialect, errors: ReadError[]): Revision | null {
  const read = readText(abs, rel);
  if (!read.ok) {
    errors.push(read.error);
    return null;
  }
  const source: SourceText = { path: rel, text: read.text, startLine: 1, language: 'python' };
  return readPython(read.text, dialect, (root) => {
    const vars = assignments(root);
    const revisionNode = vars.get('revision');
    const revision = stringValue(revisionNode);
    if (!revision) {
      // A file Python cannot read is reported as what it is, not as a file without a revision.
      const syntax = pythonSyntaxError(root, source);
      errors.push(
        syntax
          ? { ...syntax, message: `${syntax.message}: the revision id cannot be read, the file is skipped` }
          : {
              path: rel,
              line: revisionNode ? revisionNode.startPosition.row + 1 : 1,
              column: 1,
              message: revisionNode
                ? 'revision is not a string literal: skipped'
                : 'no `revision = "..."`: not an Alembic revision, skipped',
            },
      );
      return null;
    }
    const ids = (node: SyntaxNode | undefined): string[] => {
      const v = literal(node);
      if (typeof v === 'string') return [v];
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    };
    const stem = basename(rel, '.py');
    const migration: Migration = {
      id: revision,
      name: stem.startsWith(`${revision}_`) ? stem.slice(revision.length + 1) : stem,
      framework: 'alembic',
      dialect,
      path: rel,
      files: [rel],
      up: source,
      down: source,
      // Inside context.begin_transaction(), whatever transaction_per_migration says (see the header).
      transactional: true,
    };
    parsedInDetect.set(migration, parseRevisionTree(migration, root));
    return {
      migration,
      revision,
      parents: ids(vars.get('down_revision')),
      dependsOn: ids(vars.get('depends_on')),
      labels: ids(vars.get('branch_labels')),
      span: spanOf(vars.get('down_revision') ?? revisionNode ?? root, source),
    };
  });
}

/**
 * One revision per id. Alembic's revision map warns "Revision <id> is present more than once" and keeps the
 * one it loads last, so the other never runs: an error naming both files.
 */
function uniqueRevisions(revisions: Revision[], errors: ReadError[]): Revision[] {
  const byId = new Map<string, Revision>();
  for (const r of revisions) {
    const earlier = byId.get(r.revision);
    if (earlier)
      errors.push({
        ...at(r.span),
        message: `revision ${r.revision} is defined twice, in ${basename(earlier.migration.path)} and ${basename(r.migration.path)}: Alembic warns "Revision ${r.revision} is present more than once" and keeps only the one it loads last (${basename(r.migration.path)}), so ${basename(earlier.migration.path)} never runs. Give one of them a new revision id.`,
      });
    byId.set(r.revision, r);
  }
  return [...byId.values()];
}

function orderRevisions(revisions: Revision[], errors: ReadError[]): Migration[] {
  const byLabel = new Map<string, string>();
  for (const r of revisions) for (const l of r.labels) byLabel.set(l, r.revision);
  const order = topologicalOrder(
    revisions.map((r) => ({ key: r.revision, after: [...r.parents, ...r.dependsOn.map((d) => byLabel.get(d) ?? d)], item: r })),
  );
  for (const [r, parent] of order.missing) {
    errors.push({ ...at(r.span), message: `revision ${r.revision} names ${parent} as its parent, but no revision file has that id` });
  }
  if (order.cyclic.length) {
    const first = order.cyclic[0] as Revision;
    errors.push({
      ...at(first.span),
      message: `the revision graph has a cycle through ${order.cyclic.map((r) => r.revision).join(', ')}: these are analyzed last, in id order`,
    });
  }
  return [...order.ordered, ...order.cyclic].map((r) => r.migration);
}

function at(span: Span): Pick<ReadError, 'path' | 'line' | 'column'> {
  return { path: span.path, line: span.line, column: span.column };
}

export const alembic: FrameworkAdapter = registerAdapter({
  framework: 'alembic',
  load: loadPythonGrammar,
  detect(folder: Folder) {
    const errors: ReadError[] = [];
    const script = scriptDirectory(folder, errors);
    if (!script) return errors.length ? { sets: [], errors } : null;
    const versions = join(script.dir, 'versions');
    if (!isDir(versions)) {
      errors.push({
        path: join(folder.rel, relative(folder.abs, script.dir)),
        line: 1,
        column: 1,
        message: 'Alembic script directory without versions/',
      });
      return { sets: [], errors };
    }
    const root = join(folder.rel, relative(folder.abs, script.dir));
    const { dialect, dialectReason } = chooseDialect(folder, root, declared(dialectOfUrl(script.url), 'alembic.ini sqlalchemy.url'));
    const relVersions = join(folder.rel, relative(folder.abs, versions));
    const files = (folder.abs === versions ? folder.entries : [])
      .map((e) => e.name)
      .concat(folder.abs === versions ? [] : readVersionNames(versions))
      .filter((n) => n.endsWith('.py') && n !== '__init__.py')
      .sort();
    const revisions = files.flatMap((f) => readRevision(join(versions, f), join(relVersions, f), dialect, errors) ?? []);
    return {
      sets: [
        {
          framework: 'alembic',
          dialect,
          dialectReason,
          root,
          migrations: orderRevisions(uniqueRevisions(revisions, errors), errors),
          claimed: [script.dir, versions],
        },
      ],
      errors,
    };
  },
  parse: (m) => parseAlembic(m),
});

function readVersionNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

export function parseAlembic(migration: Migration): ParsedMigration {
  return parsedInDetect.get(migration) ?? readPython(migration.up.text, migration.dialect, (root) => parseRevisionTree(migration, root));
}

/** Discovery already parsed each revision file for its ids: the operations are read from the same tree. */
const parsedInDetect = new WeakMap<Migration, ParsedMigration>();

function parseRevisionTree(migration: Migration, root: SyntaxNode): ParsedMigration {
  const source = migration.up;
  const errors: ReadError[] = [];
  const notes: AdapterNote[] = [];
  const syntax = pythonSyntaxError(root, source);
  if (syntax) errors.push(syntax);
  const directives: Directive[] = pythonDirectives(root, source);
  const upgrade = functionDef(root, 'upgrade');
  const downgrade = functionDef(root, 'downgrade');
  if (!upgrade && !syntax) errors.push({ path: source.path, line: 1, column: 1, message: 'no upgrade() function' });
  const up = upgrade ? new AlembicReader(migration, errors, directives, notes, 'up').block(upgrade.childForFieldName('body')) : [];
  const body = statements(downgrade?.childForFieldName('body'));
  let down: Operation[] | null = null;
  let downStatus: DownStatus = 'none';
  if (downgrade && body.some((s) => s.type === 'raise_statement')) downStatus = 'irreversible';
  else if (downgrade && !body.every(isNoop)) {
    down = new AlembicReader(migration, errors, directives, notes, 'down').block(downgrade.childForFieldName('body'));
    downStatus = 'written';
  }
  // Python cannot import a file with a syntax error: nothing of it runs, its answers are unknown.
  if (syntax) return { migration, up: [], down: [], downStatus: 'unreadable', directives, errors };
  return { migration, up, down, downStatus, directives, errors, notes };
}

/** Where the table argument sits in each op.* call; batch_op.* calls leave it out. */
const TABLE_POSITION: Record<string, number> = {
  add_column: 0,
  drop_column: 0,
  alter_column: 0,
  create_index: 1,
  create_unique_constraint: 1,
  create_primary_key: 1,
  create_foreign_key: 1,
  create_check_constraint: 1,
  create_exclude_constraint: 1,
  drop_constraint: 1,
};

const TABLE_KEYWORD: Record<string, string> = {
  add_column: 'table_name',
  drop_column: 'table_name',
  alter_column: 'table_name',
  create_index: 'table_name',
  create_unique_constraint: 'table_name',
  create_primary_key: 'table_name',
  create_foreign_key: 'source_table',
  create_check_constraint: 'table_name',
  create_exclude_constraint: 'table_name',
  drop_constraint: 'table_name',
};

/** Operations that change nothing the IR models (comments, sequences): kept as Raw, not reported. */
const UNMODELLED = new Set(['create_table_comment', 'drop_table_comment', 'create_sequence', 'drop_sequence']);

interface Batch {
  alias: string;
  table: string;
  schema?: string;
}

/** Calls that read or build values and change nothing in the database. */
const PURE_CALLS = new Set([
  'get_bind',
  'get_context',
  'inspect',
  'from_engine',
  'MetaData',
  'Table',
  'table',
  'column',
  'Column',
  'select',
  'text',
  'literal_column',
  'bindparam',
  'and_',
  'or_',
  'not_',
  'Session',
  'sessionmaker',
  'getLogger',
  'print',
  'len',
  'str',
  'int',
  'list',
  'dict',
  'set',
  'tuple',
  'sorted',
  'range',
  'enumerate',
  'zip',
  'uuid4',
  'now',
  'utcnow',
  'dumps',
  'loads',
  'warn',
  'has_table',
  'has_column',
  'has_index',
  'get_columns',
  'get_table_names',
  'get_indexes',
  'get_foreign_keys',
  'get_unique_constraints',
  'get_check_constraints',
  'get_pk_constraint',
  'get_enums',
]);

/** Loggers and print: they write to the console, never to the database. */
function isLogging(call: SyntaxNode): boolean {
  const name = callName(call) ?? '';
  return name === 'print' || /^(logger|log|logging|LOG|LOGGER|_logger|_log)\./.test(name) || name === 'warnings.warn';
}

/** A statement that changes nothing: pass, a docstring, a return, a log line. */
function isInert(stmt: SyntaxNode): boolean {
  if (isNoop(stmt) || stmt.type === 'return_statement') return true;
  const expr = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
  return expr?.type === 'call' && isLogging(expr);
}

/** How deep helper calls are followed (a helper calling a helper…). */
const MAX_HELPER_DEPTH = 8;
/** Loops over literal collections longer than this are not unrolled. */
const MAX_UNROLLED = 200;

/** Reads the statements of upgrade() or downgrade() into operations. */
class AlembicReader {
  private readonly tables = new Map<string, QName>();
  private readonly enums = new Map<string, NonNullable<SqlalchemyType['enum']>>();
  private readonly binds = new Set<string>();
  private readonly source: SourceText;
  private readonly dialect: Dialect;
  /** Helper functions being read (by start offset): a recursive helper is not followed again. */
  private readonly helpers: number[] = [];

  constructor(
    migration: Migration,
    private readonly errors: ReadError[],
    private readonly directives: Directive[],
    private readonly notes: AdapterNote[],
    private readonly direction: 'up' | 'down',
  ) {
    this.source = migration.up;
    this.dialect = migration.dialect;
  }

  /** The statements of a block in order; a `return` ends it (what follows never runs). */
  block(body: SyntaxNode | null, batch: Batch | null = null): Operation[] {
    const out: Operation[] = [];
    for (const s of statements(body)) {
      if (s.type === 'return_statement') {
        const value = s.namedChildren[0];
        if (value?.type === 'call') out.push(...this.call(value, batch));
        break;
      }
      out.push(...this.statement(s, batch));
    }
    return out;
  }

  private base(node: SyntaxNode): { span: Span; text: string } {
    return { span: spanOf(node, this.source), text: node.text };
  }

  private notAnalyzed(node: SyntaxNode, why: string): Operation {
    return { kind: 'Raw', ...this.base(node), statement: node.type, notAnalyzed: why };
  }

  private statement(stmt: SyntaxNode, batch: Batch | null): Operation[] {
    if (isNoop(stmt)) return [];
    switch (stmt.type) {
      case 'expression_statement': {
        const expr = stmt.namedChildren[0];
        if (expr?.type === 'call') return this.call(expr, batch);
        if (expr?.type === 'assignment') return this.assignment(expr, batch);
        if (expr?.type === 'await') return [this.notAnalyzed(stmt, 'an await twoway does not follow')];
        return [];
      }
      case 'with_statement':
        return this.withStatement(stmt, batch);
      case 'import_statement':
      case 'import_from_statement':
      case 'function_definition':
      case 'decorated_definition':
      case 'class_definition':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'ERROR':
        // A syntax error is reported once, as the file's ReadError.
        return [];
      case 'raise_statement':
        return [this.notAnalyzed(stmt, 'the migration raises here: what runs before it is all twoway reads')];
      case 'if_statement':
        return this.ifStatement(stmt, batch);
      case 'for_statement':
        return this.forStatement(stmt, batch);
      case 'try_statement': {
        // Read as if the body runs (and its else and finally); the except handlers are the exception.
        const parts = [
          stmt.childForFieldName('body'),
          ...stmt.namedChildren
            .filter((c) => c?.type === 'else_clause' || c?.type === 'finally_clause')
            .map((c) => c?.namedChildren.find((b) => b?.type === 'block') ?? null),
        ];
        return parts.flatMap((b) => this.block(b ?? null, batch));
      }
      case 'while_statement':
        return [this.notAnalyzed(stmt, 'a while loop: how often it runs is decided at run time')];
      case 'match_statement':
        return [this.notAnalyzed(stmt, 'a match statement: which case runs is decided at run time')];
      default:
        return [this.notAnalyzed(stmt, `a ${stmt.type.replaceAll('_', ' ')} twoway does not follow`)];
    }
  }

  /**
   * `if`/`elif`/`else`: a branch on the set's dialect or on literals takes the branch that runs; a guard on the
   * current schema (`if not has_column(...)`, an inspector check) is judged as if the guarded change happens.
   */
  private ifStatement(stmt: SyntaxNode, batch: Batch | null): Operation[] {
    const branches = ifBranches(stmt);
    const acts = (b: { body: SyntaxNode | null }) => statements(b.body).some((s) => !isInert(s));
    for (let i = 0; i < branches.length; i++) {
      const b = branches[i] as (typeof branches)[number];
      const value = b.condition ? conditionValue(b.condition) : true;
      if (value === true) return this.block(b.body, batch);
      if (value === false) continue;
      const rest = branches.slice(i);
      const acting = rest.filter(acts);
      if (!acting.length) return [];
      if (value === 'guard' && acting.length === 1) return this.block((acting[0] as (typeof branches)[number]).body, batch);
      return [
        this.notAnalyzed(
          b.condition ?? stmt,
          value === 'guard'
            ? 'a condition on the current schema with changes in more than one branch: which runs depends on the database'
            : 'a condition: which operations run is decided at run time',
        ),
      ];
    }
    return [];
  }

  /** `for x in [...]` over a literal collection (or a constant bound to one): the body once per element. */
  private forStatement(stmt: SyntaxNode, batch: Batch | null): Operation[] {
    const left = stmt.childForFieldName('left');
    const right = stmt.childForFieldName('right');
    const body = stmt.childForFieldName('body');
    const items = right ? iterationItems(right) : null;
    if (!left || !items || items.length > MAX_UNROLLED || stmt.namedChildren.some((c) => c?.type === 'else_clause'))
      return [this.notAnalyzed(stmt, 'a loop over values known only at run time')];
    return items.flatMap((item) => withBindings(stmt, bindTarget(left, item), () => this.block(body, batch)));
  }

  /** A function of the same file called as a statement: its body read with the call's arguments bound. */
  private helper(call: SyntaxNode, def: SyntaxNode, batch: Batch | null): Operation[] {
    if (this.helpers.length >= MAX_HELPER_DEPTH || this.helpers.includes(def.startIndex))
      return [this.notAnalyzed(call, `a recursive or deeply nested call to ${def.childForFieldName('name')?.text}()`)];
    const bindings = argumentBindings(def, callArgs(call));
    if (!bindings)
      return [this.notAnalyzed(call, `a call to ${def.childForFieldName('name')?.text}() with arguments unpacked at run time`)];
    this.helpers.push(def.startIndex);
    try {
      return withBindings(def, bindings, () => this.block(def.childForFieldName('body'), batch));
    } finally {
      this.helpers.pop();
    }
  }

  private assignment(a: SyntaxNode, batch: Batch | null): Operation[] {
    const left = a.childForFieldName('left');
    let right = a.childForFieldName('right');
    while (right?.type === 'assignment') right = right.childForFieldName('right');
    if (right?.type !== 'call') return [];
    const name = callName(right);
    const last = lastName(name);
    if (left?.type === 'identifier') {
      if (
        name === 'op.get_bind' ||
        lastName(callName(right.childForFieldName('function')?.childForFieldName('object') ?? right)) === 'get_bind'
      ) {
        this.binds.add(left.text);
        return [];
      }
      if (last === 'table' || last === 'Table') {
        const args = callArgs(right);
        const table = stringValue(args.positional[0]);
        if (table) this.tables.set(left.text, withSchema(table, stringValue(args.keywords.get('schema'))));
        return [];
      }
      const type = last && /^(Enum|ENUM)$/.test(last) ? sqlalchemyType(right) : null;
      if (type?.enum) {
        this.enums.set(left.text, type.enum);
        return [];
      }
    }
    return this.call(right, batch);
  }

  private withStatement(stmt: SyntaxNode, batch: Batch | null): Operation[] {
    const item = stmt.descendantsOfType('with_item')[0];
    const value = item?.childForFieldName('value');
    const call = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
    const alias = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.text : undefined;
    const body = stmt.childForFieldName('body');
    if (call?.type === 'call' && callName(call) === 'op.batch_alter_table') {
      const args = callArgs(call);
      const table = stringValue(argument(args, 0, 'table_name'));
      if (table && alias) return this.block(body, { alias, table, schema: stringValue(args.keywords.get('schema')) ?? undefined });
    }
    const fn = call?.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'autocommit_block') {
      // autocommit_block commits the migration's transaction, runs its body outside any, then begins a new one.
      const header = this.base(stmt);
      const headerSpan = { ...header.span, endLine: header.span.line, endColumn: header.span.column + (stmt.text.indexOf(':') + 1) };
      const commit: Operation = { kind: 'Transaction', span: headerSpan, text: 'COMMIT', action: 'commit', managed: true };
      const begin: Operation = { kind: 'Transaction', span: headerSpan, text: 'BEGIN', action: 'begin', managed: true };
      return [commit, ...this.block(body, batch), begin];
    }
    return [this.notAnalyzed(stmt, 'a with block twoway does not follow')];
  }

  private call(call: SyntaxNode, batch: Batch | null): Operation[] {
    const name = callName(call);
    const fn = call.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (name?.startsWith('op.') && name.split('.').length === 2) return this.op(name.slice(3), call, null);
    if (batch && name?.startsWith(`${batch.alias}.`)) return this.op(name.slice(batch.alias.length + 1), call, batch);
    if (method === 'execute' && receiver && this.isConnection(receiver)) return this.execute(call);
    if ((method === 'create' || method === 'drop') && receiver) {
      const bound = boundValue(receiver);
      const type =
        (receiver.type === 'identifier' ? this.enums.get(receiver.text) : undefined) ??
        (bound.type === 'call' ? sqlalchemyType(bound)?.enum : null);
      if (type) {
        const base = this.base(call);
        return method === 'create'
          ? [{ kind: 'CreateEnum', ...base, name: { name: type.name }, values: type.values }]
          : [
              {
                kind: 'DropEnum',
                ...base,
                name: { name: type.name },
                ifExists: literal(callArgs(call).keywords.get('checkfirst')) === true,
              },
            ];
      }
    }
    const fnNode = call.childForFieldName('function');
    const def = fnNode?.type === 'identifier' ? functionOf(fnNode) : null;
    if (def) return this.helper(call, def, batch);
    if (isLogging(call) || PURE_CALLS.has(lastName(name) ?? '') || (name && /^(sa|sqlalchemy|datetime|uuid|json|re|os)\./.test(name)))
      return [];
    return [this.notAnalyzed(call, `a call to ${name ?? 'an expression'}(): twoway does not run code it cannot read`)];
  }

  /**
   * `op.drop_constraint(None, ...)` (what autogenerate writes for a constraint created without a name): Alembic
   * cannot emit DROP CONSTRAINT without a name, so the function fails at this call.
   */
  private unnamedConstraintDrop(call: SyntaxNode, table: QName): Operation[] {
    const base = this.base(call);
    const type = stringValue(callArgs(call).keywords.get('type_'));
    const pgName =
      type === 'foreignkey' ? 'fkey' : type === 'unique' ? 'key' : type === 'check' ? 'check' : type === 'primary' ? 'pkey' : null;
    const hint =
      pgName && this.dialect === 'postgresql'
        ? ` (PostgreSQL names it <table>_<column>_${pgName}, e.g. ${table.name}_<column>_${pgName})`
        : '';
    const message = `op.drop_constraint(None, '${table.name}') cannot run: Alembic needs the constraint's name to drop it, so the ${this.direction === 'down' ? 'downgrade' : 'upgrade'} fails here.`;
    const fix = `Give the constraint's real name${hint}, or name constraints with a naming convention (MetaData(naming_convention=...)) and op.f().`;
    if (this.direction === 'up') return [{ kind: 'Raw', ...base, statement: 'op.drop_constraint', notAnalyzed: message }];
    this.notes.push({ rule: 'down-references-missing', message, fix, span: base.span, severity: 'error', direction: 'down' });
    return [{ kind: 'Raw', ...base, statement: 'op.drop_constraint', notAnalyzed: null }];
  }

  /** `op.get_bind()`, a name bound to it (also a helper's parameter), `op.get_context().connection`, `engine.connect()`. */
  private isConnection(receiver: SyntaxNode): boolean {
    if (receiver.type === 'identifier' && this.binds.has(receiver.text)) return true;
    const r = boundValue(receiver);
    if (r.type === 'call') return ['get_bind', 'connect', 'begin'].includes(lastName(callName(r)) ?? '');
    return r.type === 'attribute' && ['connection', 'bind'].includes(r.childForFieldName('attribute')?.text ?? '');
  }

  private op(method: string, call: SyntaxNode, batch: Batch | null): Operation[] {
    const args = callArgs(call);
    const base = this.base(call);
    const tablePos = TABLE_POSITION[method];
    const arg = (i: number, keyword: string): SyntaxNode | undefined =>
      args.keywords.get(keyword) ?? args.positional[batch && tablePos !== undefined && i > tablePos ? i - 1 : i];
    const schema = batch?.schema ?? stringValue(args.keywords.get('schema')) ?? undefined;
    const table = (): QName | null => {
      const name = batch?.table ?? stringValue(arg(tablePos ?? 0, TABLE_KEYWORD[method] ?? 'table_name'));
      return name ? withSchema(name, schema) : null;
    };
    const unreadable = (what: string): Operation[] => [this.notAnalyzed(call, `op.${method}: ${what} is not a literal`)];
    switch (method) {
      case 'create_table':
        return this.createTable(call, args, schema);
      case 'drop_table': {
        const name = stringValue(argument(args, 0, 'table_name'));
        if (!name) return unreadable('the table name');
        return [
          {
            kind: 'DropTable',
            ...base,
            table: withSchema(name, schema),
            ifExists: literal(args.keywords.get('if_exists')) === true,
            cascade: false,
          },
        ];
      }
      case 'rename_table': {
        const from = stringValue(argument(args, 0, 'old_table_name'));
        const to = stringValue(argument(args, 1, 'new_table_name'));
        if (!from || !to) return unreadable('a table name');
        return [{ kind: 'RenameTable', ...base, table: withSchema(from, schema), newName: to }];
      }
      case 'add_column': {
        const t = table();
        const columnNode = arg(1, 'column');
        const parsed = columnNode?.type === 'call' ? sqlalchemyColumn(columnNode) : null;
        if (!t || !parsed) return unreadable('the table or column');
        const { references, ...column } = parsed.column;
        const ops: Operation[] = [{ kind: 'AddColumn', ...base, table: t, column: { ...column, references: null }, ifNotExists: false }];
        // Alembic's add_column creates the column's foreign key and index=True index after the column.
        if (references) ops.push({ kind: 'AddConstraint', ...base, table: t, constraint: fkConstraint(null, [column.name], references) });
        if (parsed.index) ops.push(indexOp(base, t, `ix_${t.name}_${column.name}`, [column.name], false));
        return ops;
      }
      case 'drop_column': {
        const t = table();
        const column = stringValue(arg(1, 'column_name'));
        if (!t || !column) return unreadable('the table or column');
        return [
          { kind: 'DropColumn', ...base, table: t, column, ifExists: literal(args.keywords.get('if_exists')) === true, cascade: false },
        ];
      }
      case 'alter_column': {
        const t = table();
        const column = stringValue(arg(1, 'column_name'));
        if (!t || !column) return unreadable('the table or column');
        return this.alterColumn(base, t, column, args);
      }
      case 'create_index': {
        const t = table();
        const name = nameValue(arg(0, 'index_name'));
        const columns = elements(arg(2, 'columns'));
        if (!t || !columns) return unreadable('the table or columns');
        const where = args.keywords.get('postgresql_where');
        return [
          {
            ...indexOp(base, t, name, columns.map(indexColumn), literal(args.keywords.get('unique')) === true),
            concurrently: literal(args.keywords.get('postgresql_concurrently')) === true,
            ifNotExists: literal(args.keywords.get('if_not_exists')) === true,
            method: stringValue(args.keywords.get('postgresql_using')) ?? 'btree',
            where: where ? sqlText(where) : null,
          },
        ];
      }
      case 'drop_index': {
        const name = nameValue(argument(args, 0, 'index_name'));
        if (!name) return unreadable('the index name');
        return [
          {
            kind: 'DropIndex',
            ...base,
            index: withSchema(name, schema),
            concurrently: literal(args.keywords.get('postgresql_concurrently')) === true,
            ifExists: literal(args.keywords.get('if_exists')) === true,
          },
        ];
      }
      case 'create_unique_constraint':
      case 'create_primary_key': {
        const t = table();
        const columns = stringList(arg(2, 'columns'));
        if (!t || !columns) return unreadable('the table or columns');
        const type = method === 'create_primary_key' ? 'primary-key' : 'unique';
        return [
          {
            kind: 'AddConstraint',
            ...base,
            table: t,
            constraint: constraintDef(type, columns, { name: nameValue(arg(0, 'constraint_name')) }),
          },
        ];
      }
      case 'create_foreign_key': {
        const t = table();
        const referent = stringValue(arg(2, 'referent_table'));
        const local = stringList(arg(3, 'local_cols'));
        const remote = stringList(arg(4, 'remote_cols'));
        if (!t || !referent || !local || !remote) return unreadable('the tables or columns');
        const target = { table: withSchema(referent, stringValue(args.keywords.get('referent_schema')) ?? undefined), columns: remote };
        return [
          { kind: 'AddConstraint', ...base, table: t, constraint: fkConstraint(nameValue(arg(0, 'constraint_name')), local, target) },
        ];
      }
      case 'create_check_constraint': {
        const t = table();
        const condition = arg(2, 'condition');
        if (!t || !condition) return unreadable('the table or condition');
        return [
          {
            kind: 'AddConstraint',
            ...base,
            table: t,
            constraint: constraintDef('check', [], { name: nameValue(arg(0, 'constraint_name')), expression: sqlText(condition) }),
          },
        ];
      }
      case 'create_exclude_constraint': {
        const t = table();
        if (!t) return unreadable('the table');
        return [
          {
            kind: 'AddConstraint',
            ...base,
            table: t,
            constraint: constraintDef('exclude', [], { name: nameValue(arg(0, 'constraint_name')) }),
          },
        ];
      }
      case 'drop_constraint': {
        const t = table();
        const nameNode = arg(0, 'constraint_name');
        if (t && nameNode && boundValue(nameNode).type === 'none') return this.unnamedConstraintDrop(call, t);
        const name = nameValue(nameNode);
        if (!t || !name) return unreadable('the table or constraint name');
        return [{ kind: 'DropConstraint', ...base, table: t, name, ifExists: literal(args.keywords.get('if_exists')) === true }];
      }
      case 'execute':
        return this.execute(call);
      case 'bulk_insert': {
        const target = args.positional[0];
        const t = target?.type === 'identifier' ? this.tables.get(target.text) : undefined;
        if (!t) return [this.notAnalyzed(call, 'op.bulk_insert into a table defined outside this function')];
        return [{ kind: 'DataChange', ...base, action: 'insert', table: t, hasWhere: false, columns: [] }];
      }
      case 'f':
      case 'get_bind':
      case 'get_context':
      case 'inline_literal':
        return [];
      default:
        if (UNMODELLED.has(method)) return [{ kind: 'Raw', ...base, statement: `op.${method}`, notAnalyzed: null }];
        return [this.notAnalyzed(call, `op.${method} is not modelled by twoway`)];
    }
  }

  private createTable(call: SyntaxNode, args: CallArgs, schema: string | undefined): Operation[] {
    const base = this.base(call);
    const name = stringValue(argument(args, 0, 'table_name'));
    if (!name || args.splat) return [this.notAnalyzed(call, 'op.create_table with a computed name or columns')];
    const table = withSchema(name, schema);
    const before: Operation[] = [];
    const after: Operation[] = [];
    const columns: Extract<Operation, { kind: 'CreateTable' }>['columns'] = [];
    const constraints: ConstraintDef[] = [];
    for (const item of args.positional.slice(1)) {
      const parsed = item.type === 'call' ? sqlalchemyColumn(item) : null;
      if (parsed) {
        columns.push(parsed.column);
        if (parsed.column.references) constraints.push(fkConstraint(null, [parsed.column.name], parsed.column.references));
        if (parsed.column.unique) constraints.push(constraintDef('unique', [parsed.column.name]));
        // SQLAlchemy creates the enum type with the table unless create_type=False.
        if (parsed.enum?.createType && parsed.enum.values.length && this.dialect === 'postgresql')
          before.push({ kind: 'CreateEnum', ...base, name: { name: parsed.enum.name }, values: parsed.enum.values });
        if (parsed.index) after.push(indexOp(base, table, `ix_${name}_${parsed.column.name}`, [parsed.column.name], false));
        continue;
      }
      const c = item.type === 'call' ? tableConstraint(item) : null;
      if (c) {
        constraints.push(c);
        if (c.type === 'primary-key') for (const col of columns) if (c.columns.includes(col.name)) col.primaryKey = true;
        continue;
      }
      return [this.notAnalyzed(item, `op.create_table: ${item.text.slice(0, 60)} is not a Column or constraint twoway reads`)];
    }
    for (const col of columns) if (col.primaryKey) col.nullable = false;
    return [...before, { kind: 'CreateTable', ...base, table, columns, constraints, ifNotExists: false, derived: false }, ...after];
  }

  private alterColumn(base: { span: Span; text: string }, table: QName, column: string, args: CallArgs): Operation[] {
    const ops: Operation[] = [];
    const existing = existingColumn(args);
    const typeNode = args.keywords.get('type_');
    const type = typeNode ? sqlalchemyType(typeNode) : null;
    if (typeNode) {
      const using = args.keywords.get('postgresql_using');
      ops.push({
        kind: 'AlterColumnType',
        ...base,
        table,
        column,
        type: type?.type ?? { name: 'unknown', args: [], arrayDims: 0, text: typeNode.text },
        using: using ? (stringValue(using) ?? using.text) : null,
        ...existing,
      });
    }
    const nullable = literal(args.keywords.get('nullable'));
    if (nullable === false) ops.push({ kind: 'SetNotNull', ...base, table, column, ...existing });
    if (nullable === true) ops.push({ kind: 'DropNotNull', ...base, table, column, ...existing });
    // server_default=False (the default) means "leave it"; None drops it.
    const defaultNode = args.keywords.get('server_default');
    if (defaultNode && defaultNode.type !== 'false')
      ops.push({ kind: 'SetDefault', ...base, table, column, default: serverDefault(defaultNode) ?? null, ...existing });
    const newName = stringValue(args.keywords.get('new_column_name'));
    if (newName) ops.push({ kind: 'RenameColumn', ...base, table, column, newName });
    if (!ops.length) ops.push({ kind: 'Raw', ...base, statement: 'op.alter_column', notAnalyzed: null });
    return ops;
  }

  private execute(call: SyntaxNode): Operation[] {
    const args = callArgs(call);
    let sql = argument(args, 0, 'sqltext');
    if (sql?.type === 'call' && ['text', 'literal_column'].includes(lastName(callName(sql)) ?? '')) sql = callArgs(sql).positional[0];
    const parsed = embeddedSql(sql, this.source, this.dialect);
    if (parsed) {
      this.errors.push(...parsed.errors);
      this.directives.push(...parsed.directives);
      return parsed.ops;
    }
    const change = sql ? this.expressionChange(call, sql) : null;
    if (change) return [change];
    return [this.notAnalyzed(call, 'SQL built at run time (not a string literal)')];
  }

  /** `op.execute(accounts.update().where(...).values(x=1))` on a table declared with sa.table(). */
  private expressionChange(call: SyntaxNode, expr: SyntaxNode): Operation | null {
    const methods: string[] = [];
    const keywords: string[] = [];
    let node: SyntaxNode | null = expr;
    while (node?.type === 'call') {
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute') return null;
      const method = fn.childForFieldName('attribute')?.text ?? '';
      methods.push(method);
      if (method === 'values') keywords.push(...callArgs(node).keywords.keys());
      node = fn.childForFieldName('object');
    }
    const table = node?.type === 'identifier' ? this.tables.get(node.text) : undefined;
    const action = (['update', 'delete', 'insert'] as const).find((a) => methods.includes(a));
    if (!table || !action) return null;
    return {
      kind: 'DataChange',
      ...this.base(call),
      action,
      table,
      hasWhere: methods.includes('where'),
      columns: action === 'update' ? keywords : [],
    };
  }
}

/** existing_type=, existing_nullable=, existing_server_default=: the column before, as the migration states it. */
function existingColumn(args: CallArgs): { existing?: ExistingColumn } {
  const existing: ExistingColumn = {};
  const type = args.keywords.get('existing_type');
  const parsed = type ? sqlalchemyType(type) : null;
  if (parsed) existing.type = parsed.type;
  const nullable = literal(args.keywords.get('existing_nullable'));
  if (typeof nullable === 'boolean') existing.nullable = nullable;
  const def = args.keywords.get('existing_server_default');
  if (def && def.type !== 'false') existing.default = serverDefault(def) ?? null;
  return Object.keys(existing).length ? { existing } : {};
}

function withSchema(name: string, schema: string | null | undefined): QName {
  return schema ? { schema, name } : { name };
}

/** A name given as a string or through op.f() / conv() (naming conventions). */
function nameValue(node: SyntaxNode | undefined): string | null {
  if (!node) return null;
  if (node.type === 'call' && ['f', 'conv'].includes(lastName(callName(node)) ?? '')) return nameValue(callArgs(node).positional[0]);
  return stringValue(node);
}

function stringList(node: SyntaxNode | undefined): string[] | null {
  const v = literal(node);
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}

/** A SQL fragment given as a string or sa.text('...'). */
function sqlText(node: SyntaxNode): string {
  if (node.type === 'call') {
    const inner = stringValue(callArgs(node).positional[0]);
    if (inner !== null) return inner;
  }
  return stringValue(node) ?? node.text;
}

function indexColumn(node: SyntaxNode): string {
  return stringLiteral(node)?.value ?? sqlText(node);
}

function fkConstraint(name: string | null, columns: string[], references: NonNullable<ConstraintDef['references']>): ConstraintDef {
  return constraintDef('foreign-key', columns, { name, references });
}

function indexOp(base: { span: Span; text: string }, table: QName, name: string | null, columns: string[], unique: boolean) {
  return {
    kind: 'AddIndex' as const,
    ...base,
    table,
    name,
    columns,
    unique,
    concurrently: false,
    ifNotExists: false,
    method: 'btree',
    where: null,
  };
}

/** sa.PrimaryKeyConstraint / UniqueConstraint / ForeignKeyConstraint / CheckConstraint inside create_table. */
function tableConstraint(call: SyntaxNode): ConstraintDef | null {
  const cls = lastName(callName(call));
  const args = callArgs(call);
  const name = nameValue(args.keywords.get('name'));
  const names = args.positional.map((n) => stringValue(n)).filter((v): v is string => v !== null);
  switch (cls) {
    case 'PrimaryKeyConstraint':
      return constraintDef('primary-key', names, { name });
    case 'UniqueConstraint':
      return constraintDef('unique', names, { name });
    case 'CheckConstraint': {
      const expr = args.positional[0];
      return constraintDef('check', [], { name: name, expression: expr ? sqlText(expr) : null });
    }
    case 'ForeignKeyConstraint': {
      const local = stringList(argument(args, 0, 'columns')) ?? [];
      const remote = (stringList(argument(args, 1, 'refcolumns')) ?? []).map((spec) => foreignKeyTarget(spec));
      const first = remote[0];
      if (!first) return null;
      return fkConstraint(name, local, { table: first.table, columns: remote.flatMap((r) => r?.columns ?? []) });
    }
    default:
      return null;
  }
}
