// Knex: `migrations/*.{js,ts}` exporting up(knex)/down(knex); schema builder calls, query builder writes and knex.raw SQL.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { chooseDialect, declared } from '../discover/dialect.js';
import type { Dialect } from '../ir.js';
import { type ColumnDef, type ConstraintDef, constraintDef, type Operation, type QName, type TypeRef } from '../ir.js';
import type { Migration, ParsedMigration, ReadError, SourceText } from '../migration.js';
import type { Folder, FrameworkAdapter } from './adapter.js';
import {
  chainOf,
  type FunctionNode,
  isFunction,
  moduleExports,
  opaque,
  paramName,
  propsOf,
  resolve,
  type Scope,
  type Step,
  staticValue,
  stringOf,
  stringsOf,
  type t,
  UNKNOWN,
  visitNodes,
} from './js/ast.js';
import {
  dialectOfClient,
  findUp,
  jsMigrationFiles,
  jsSet,
  literalFlag,
  literalProperty,
  migrationFunction,
  orphanErrors,
  scriptMigration,
} from './js/discover.js';
import {
  columnDef,
  Direction,
  defaultFromSql,
  downStatusOf,
  fkTarget,
  functionScope,
  type Handler,
  type Hooks,
  inlineConstraints,
  isRef,
  literalDefault,
  type MigrationOutput,
  qname,
  readScript,
  runFunction,
  runtimeDefault,
  SERIAL_DEFAULT,
  typeFromSql,
  typeRef,
  walkStatements,
  withActions,
} from './js/interpret.js';
import { registerAdapter } from './registry.js';
import { readText } from './sql-files.js';

export const knex: FrameworkAdapter = registerAdapter({
  framework: 'knex',
  detect(folder) {
    // Knex is asked first of the JS frameworks: it also reports a folder's files no framework could claim.
    if (!jsMigrationFiles(folder).byFramework.has('knex')) return orphanErrors(folder);
    const knexfile = findUp(folder.abs, ['knexfile.js', 'knexfile.ts', 'knexfile.cjs', 'knexfile.mjs']);
    const client = knexfile ? literalProperty(knexfile, 'client') : null;
    const choice = chooseDialect(folder, folder.rel, declared(dialectOfClient(client), `${basename(knexfile ?? '')} client: ${client}`));
    // `migrations: { disableTransactions: true }` runs every migration outside a transaction (a migration's own config wins).
    const transactional = !(knexfile && literalFlag(knexfile, 'disableTransactions'));
    const found = jsSet(folder, 'knex', choice, (f) => ({ ...scriptMigration(f, 'knex', choice.dialect), transactional }));
    const set = found?.sets[0];
    const base = set ? baseSchemaScript(folder) : null;
    if (set && base) set.seed = base;
    return found;
  },
  parse: parseKnexMigration,
  parseSeed: parseBaseSchema,
});

/**
 * A script beside the migrations folder that builds the schema the migrations start from with
 * knex.schema.createTable (uptime-kuma's db/knex_init_db.js: "do not add anything here, add it to
 * ./db/knex_migrations"). It runs only on a new database, before the first migration, so its tables
 * are the state before the history, not a dump of the state after it.
 */
function baseSchemaScript(folder: Folder): SourceText | null {
  const parentAbs = dirname(folder.abs);
  if (parentAbs === folder.abs) return null;
  let names: string[];
  try {
    names = readdirSync(parentAbs);
  } catch {
    return null;
  }
  for (const name of names.sort()) {
    if (!/\.(c|m)?(j|t)s$/.test(name) || name.startsWith('knexfile')) continue;
    const abs = join(parentAbs, name);
    const rel = join(dirname(folder.rel), name);
    if (statSync(abs, { throwIfNoEntry: false })?.isFile() !== true) continue;
    const read = readText(abs, rel);
    if (!read.ok || !read.text.includes('schema.createTable(')) continue;
    return { path: rel, text: read.text, startLine: 1, language: name.endsWith('ts') ? 'typescript' : 'javascript' };
  }
  return null;
}

/** The base script's functions run with their `knex` as the knex object; only schema it creates counts. */
function parseBaseSchema(seed: SourceText, dialect: Dialect): { ops: Operation[]; errors: ReadError[]; before: true } {
  const migration: Migration = {
    id: 'base',
    name: basename(seed.path),
    framework: 'knex',
    dialect,
    path: seed.path,
    files: [seed.path],
    up: seed,
    down: null,
    transactional: true,
  };
  const read = readScript(migration);
  if (!read.ok) return { ops: [], errors: read.parsed.errors, before: true };
  const exported = moduleExports(read.ast);
  const ops: Operation[] = [];
  visitNodes(read.ast.program, (n) => {
    if (n.type !== 'FunctionDeclaration' && n.type !== 'FunctionExpression' && n.type !== 'ArrowFunctionExpression') return true;
    if (n.body.type !== 'BlockStatement') return false;
    const scope = functionScope(exported, migration, null, 'knex');
    scope.set('knex', opaque('knex', 'knex'));
    // `const knex = R.knex` names the knex object the caller holds: keep the binding above.
    const body = n.body.body.filter(
      (st) => !(st.type === 'VariableDeclaration' && st.declarations.some((d) => d.id.type === 'Identifier' && d.id.name === 'knex')),
    );
    const dir = new Direction(read.out, KNEX_HOOKS);
    walkStatements(body, scope, dir, knexHandler(true));
    ops.push(...dir.ops.filter((o) => SCHEMA_KINDS.has(o.kind)));
    return false;
  });
  return { ops, errors: read.out.errors, before: true };
}

const SCHEMA_KINDS: ReadonlySet<string> = new Set(['CreateTable', 'AddIndex', 'AddColumn', 'AddConstraint', 'CreateEnum']);

export function parseKnexMigration(m: Migration): ParsedMigration {
  const read = readScript(m);
  if (!read.ok) return read.parsed;
  const { ast, out } = read;
  const exported = moduleExports(ast);
  // Knex runs each migration in a transaction unless `exports.config = { transaction: false }` (or the
  // knexfile's `disableTransactions`, which a migration's own `config.transaction: true` overrides).
  const config = propsOf(exported.values.get('config'), exported.scope);
  const own = config ? staticValue(config.get('transaction'), exported.scope) : UNKNOWN;
  out.transactional = typeof own === 'boolean' ? own : m.transactional;
  const run = (name: 'up' | 'down'): Direction | null => {
    out.direction = name;
    const node = exported.values.get(name);
    const fn = migrationFunction(node, exported.scope);
    if (!fn) {
      if (node) out.notAnalyzed(node, `an exported ${name} that is not a function twoway can read`);
      return null;
    }
    const dir = new Direction(out, KNEX_HOOKS);
    const scope = functionScope(exported, m, fn, 'knex');
    runFunction(fn, scope, dir, knexHandler(out.transactional));
    return dir;
  };
  const up = run('up');
  const down = run('down');
  const downStatus = !down && exported.values.has('down') ? 'unreadable' : downStatusOf(down);
  return out.result(up?.ops ?? [], down?.ops ?? null, downStatus);
}

/** Schema inspection: a condition on these is a guard, judged as if the guarded change happens. */
const KNEX_HOOKS: Hooks = {
  probe(call, scope) {
    const { root, steps } = chainOf(call);
    return isRef(root, scope, 'knex') && steps[0]?.name === 'schema' && ['hasTable', 'hasColumn'].includes(steps[1]?.name ?? '');
  },
};

/** Calls on the knex object (`knex.schema…`, `knex('t')…`, `knex.raw`, `knex.transaction`). */
function knexHandler(transactional: boolean): Handler {
  const handler: Handler = (e, scope, dir) => {
    if (e.type !== 'CallExpression') return false;
    const { root, steps } = chainOf(e);
    if (!isRef(root, scope, 'knex')) return false;
    const first = steps[0];
    if (!first) return false;
    if (first.name === 'schema' && !first.args) {
      schemaChain(steps.slice(1), root, scope, dir);
      return true;
    }
    if (first.name === 'raw' && first.args) {
      dir.sql(first.args[0], scope, first.node);
      return true;
    }
    if (first.name === 'transaction' && first.args) {
      const fn = first.args.map((a) => resolve(a, scope)).find(isFunction);
      if (!fn) return false;
      // Inside the migration's own transaction knex.transaction() is a savepoint; outside it, a transaction.
      const inner = scope.child();
      const trx = paramName(fn, 0);
      if (trx) inner.set(trx, resolve(root, scope));
      if (!transactional) dir.ops.push({ kind: 'Transaction', ...dir.base(e), action: 'begin', managed: true });
      runFunction(fn, inner, dir, handler);
      if (!transactional) dir.ops.push({ kind: 'Transaction', ...dir.base(e), action: 'commit', managed: true });
      return true;
    }
    if (first.name === '()' || first.name === 'table' || first.name === 'from' || first.name === 'into') {
      return queryChain(e, steps, scope, dir);
    }
    return false;
  };
  return handler;
}

/** `knex('users').where(...).update({...})`: writes to existing rows become DataChange; reads are nothing. */
function queryChain(e: t.Node, steps: Step[], scope: Scope, dir: Direction): boolean {
  const tableName = stringOf(steps[0]?.args?.[0], scope);
  let action: 'update' | 'delete' | 'insert' | 'truncate' | null = null;
  let hasWhere = false;
  let columns: string[] = [];
  let into = tableName;
  for (const s of steps.slice(1)) {
    if (s.name.startsWith('where') || s.name.startsWith('orWhere') || s.name.startsWith('andWhere')) hasWhere = true;
    else if (s.name === 'update') {
      action = 'update';
      const values = propsOf(s.args?.[0], scope);
      const column = stringOf(s.args?.[0], scope);
      if (!values && column === null) dir.out.notAnalyzed(e, 'an update whose columns are known only at run time');
      columns = values ? [...values.keys()] : column !== null ? [column] : [];
    } else if (s.name === 'insert') action = 'insert';
    else if (s.name === 'del' || s.name === 'delete') action = 'delete';
    else if (s.name === 'truncate') action = 'truncate';
    else if (s.name === 'into' || s.name === 'table' || s.name === 'from') into = stringOf(s.args?.[0], scope) ?? into;
  }
  if (!action) return true;
  if (!into) {
    dir.out.notAnalyzed(e, `a ${action} on a table named at run time`);
    return true;
  }
  dir.ops.push({
    kind: 'DataChange',
    ...dir.base(e),
    action,
    table: qname(into),
    hasWhere: action === 'insert' ? false : hasWhere,
    columns,
  });
  return true;
}

const IGNORED_SCHEMA_STEPS = new Set([
  'transacting',
  'debug',
  'queryContext',
  'connection',
  'hasTable',
  'hasColumn',
  'generateDdlCommands',
  'toSQL',
  'toString',
]);

function schemaChain(steps: Step[], root: t.Node, scope: Scope, dir: Direction): void {
  let schema: string | null = null;
  // The first call of a chain starts at `knex`; later ones at their own name.
  let first = true;
  steps.forEach((s) => {
    const at = first ? root : (s.property ?? undefined);
    if (s.name !== 'withSchema') first = false;
    const args = s.args ?? [];
    const base = dir.base(s.node, at);
    const name = (n: t.Node | undefined, what: string): string | null => {
      const v = stringOf(n, scope);
      if (v === null) dir.out.notAnalyzed(s.node, `knex.schema.${s.name} on a ${what} named at run time`);
      return v;
    };
    if (!s.args) {
      dir.out.notAnalyzed(s.node, `knex.schema.${s.name}`);
      return;
    }
    switch (s.name) {
      case 'withSchema':
        schema = stringOf(args[0], scope);
        return;
      case 'createTable':
      case 'createTableIfNotExists':
      case 'alterTable':
      case 'table': {
        const table = name(args[0], 'table');
        if (table === null) return;
        const fn = args[1] ? resolve(args[1], scope) : null;
        const target = qname(table, schema);
        const create = s.name.startsWith('createTable');
        const builder = new TableBuilder(target, create ? 'create' : 'alter', dir.out);
        // The callback's calls are read into a direction of their own, then assembled into the CREATE TABLE.
        const body = new Direction(dir.out, dir.hooks);
        if (fn && isFunction(fn)) runFunction(fn, tableScope(scope, fn), body, builder.handler());
        else if (fn) dir.out.notAnalyzed(fn, 'a table callback that is not an inline function');
        if (!create) {
          dir.ops.push(...body.ops);
          return;
        }
        const columns = body.ops.flatMap((o) => (o.kind === 'AddColumn' && o.table === target ? [o.column] : []));
        const constraints = body.ops.flatMap((o) => (o.kind === 'AddConstraint' && o.table === target ? [o.constraint] : []));
        dir.ops.push(...body.ops.filter((o) => o.kind === 'CreateEnum'));
        dir.ops.push({
          kind: 'CreateTable',
          ...base,
          table: target,
          columns,
          constraints: [...inlineConstraints(columns), ...constraints],
          ifNotExists: s.name === 'createTableIfNotExists',
          derived: false,
        });
        dir.ops.push(
          ...body.ops.filter(
            (o) => o.kind !== 'CreateEnum' && !((o.kind === 'AddColumn' || o.kind === 'AddConstraint') && o.table === target),
          ),
        );
        return;
      }
      case 'dropTable':
      case 'dropTableIfExists': {
        const table = name(args[0], 'table');
        if (table !== null)
          dir.ops.push({
            kind: 'DropTable',
            ...base,
            table: qname(table, schema),
            ifExists: s.name === 'dropTableIfExists',
            cascade: false,
          });
        return;
      }
      case 'renameTable': {
        const from = name(args[0], 'table');
        const to = name(args[1], 'table');
        if (from !== null && to !== null) dir.ops.push({ kind: 'RenameTable', ...base, table: qname(from, schema), newName: to });
        return;
      }
      case 'raw':
        dir.sql(args[0], scope, s.node);
        return;
      case 'createView':
      case 'createViewOrReplace':
      case 'createMaterializedView': {
        const view = name(args[0], 'view');
        if (view !== null)
          dir.ops.push({
            kind: 'CreateView',
            ...base,
            name: qname(view, schema),
            materialized: s.name === 'createMaterializedView',
            orReplace: s.name === 'createViewOrReplace',
          });
        return;
      }
      case 'dropView':
      case 'dropViewIfExists':
      case 'dropMaterializedView':
      case 'dropMaterializedViewIfExists': {
        const view = name(args[0], 'view');
        if (view !== null)
          dir.ops.push({
            kind: 'DropView',
            ...base,
            name: qname(view, schema),
            materialized: s.name.includes('Materialized'),
            ifExists: s.name.endsWith('IfExists'),
          });
        return;
      }
      case 'createSchema':
      case 'createSchemaIfNotExists':
      case 'dropSchema':
      case 'dropSchemaIfExists':
      case 'createExtension':
      case 'createExtensionIfNotExists':
      case 'dropExtension':
      case 'dropExtensionIfExists':
        dir.ops.push({ kind: 'Raw', ...base, statement: `knex.schema.${s.name}`, notAnalyzed: null });
        return;
      default:
        if (!IGNORED_SCHEMA_STEPS.has(s.name)) dir.out.notAnalyzed(s.node, `knex.schema.${s.name}()`);
    }
  });
}

/** The scope of a table callback: its parameter is the table builder. */
function tableScope(scope: Scope, fn: FunctionNode): Scope {
  const inner = scope.child();
  const name = paramName(fn, 0);
  if (name) inner.set(name, opaque(name, 'knex-table'));
  return inner;
}

/** Knex's own names for indexes and constraints it names itself. */
function knexName(table: QName, columns: string[], suffix: string): string {
  // TableCompiler._indexCommand: dots and dashes of the table name become underscores, the whole name lower case.
  return `${table.name.replaceAll('.', '_').replaceAll('-', '_')}_${columns.join('_')}_${suffix}`.toLowerCase();
}

/** What a column chain (`t.string('email', 100).notNullable().unique()`) says. */
interface ColumnSpec {
  column: ColumnDef;
  index: string | null | false;
  unique: boolean;
  alter: { type: boolean; nullable: boolean } | null;
  extra: Operation[];
  checks: ConstraintDef[];
}

/** The body of a createTable/alterTable callback: each call becomes operations of the direction it is read into. */
class TableBuilder {
  constructor(
    readonly table: QName,
    readonly mode: 'create' | 'alter',
    readonly out: MigrationOutput,
  ) {}

  handler(): Handler {
    return (e, scope, dir) => {
      if (e.type !== 'CallExpression') return false;
      const { root, steps } = chainOf(e);
      if (!isRef(root, scope, 'knex-table') || !steps[0]?.args) return false;
      this.statement(e, steps, scope, dir);
      return true;
    };
  }

  private statement(e: t.Node, steps: Step[], scope: Scope, dir: Direction): void {
    const [head, ...mods] = steps as [Step, ...Step[]];
    const args = head.args ?? [];
    const base = dir.base(e);
    const table = this.table;
    const strs = (from: number) => args.slice(from).flatMap((a) => stringsOf(a, scope) ?? []);
    const column = (n: t.Node | undefined): string | null => {
      const v = stringOf(n, scope);
      if (v === null) this.out.notAnalyzed(e, `table.${head.name} on a column named at run time`);
      return v;
    };
    const add = (op: Operation) => dir.ops.push(op);
    const constraint = (c: ConstraintDef) => add({ kind: 'AddConstraint', ...base, table, constraint: c });
    switch (head.name) {
      case 'dropColumn':
      case 'dropColumns':
        for (const c of strs(0)) add({ kind: 'DropColumn', ...base, table, column: c, ifExists: false, cascade: false });
        return;
      case 'renameColumn': {
        const from = column(args[0]);
        const to = column(args[1]);
        if (from !== null && to !== null) add({ kind: 'RenameColumn', ...base, table, column: from, newName: to });
        return;
      }
      case 'setNullable':
      case 'dropNullable': {
        const c = column(args[0]);
        if (c !== null) add({ kind: head.name === 'setNullable' ? 'DropNotNull' : 'SetNotNull', ...base, table, column: c });
        return;
      }
      case 'dropTimestamps':
        for (const c of ['created_at', 'updated_at'])
          add({ kind: 'DropColumn', ...base, table, column: c, ifExists: false, cascade: false });
        return;
      case 'timestamps': {
        const defaultToNow = staticValue(args[1], scope) === true;
        const camel = staticValue(args[2], scope) === true;
        for (const c of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) {
          const def = columnDef(
            c,
            typeRef('timestamptz'),
            defaultToNow ? { nullable: false, default: defaultFromSql('CURRENT_TIMESTAMP') } : {},
          );
          add({ kind: 'AddColumn', ...base, table, column: def, ifNotExists: false });
        }
        return;
      }
      case 'index':
      case 'unique':
      case 'primary': {
        const cols = stringsOf(args[0], scope);
        if (!cols) {
          this.out.notAnalyzed(e, `table.${head.name} on columns named at run time`);
          return;
        }
        const opts = propsOf(args[1], scope) ?? propsOf(args[2], scope);
        const given = stringOf(args[1], scope) ?? stringOf(opts?.get('indexName') ?? opts?.get('constraintName'), scope);
        const predicate = opts?.get('predicate');
        const where = predicate ? predicateOf(predicate, scope) : null;
        if (predicate && where === null) {
          this.out.notAnalyzed(e, `table.${head.name} with a predicate built at run time`);
          return;
        }
        if (head.name === 'index') {
          const indexType = stringOf(args[2], scope) ?? stringOf(opts?.get('indexType'), scope);
          add({
            kind: 'AddIndex',
            ...base,
            table,
            name: given ?? knexName(table, cols, 'index'),
            columns: cols,
            unique: false,
            concurrently: false,
            ifNotExists: false,
            method: indexType ?? 'btree',
            where,
          });
          return;
        }
        constraint(
          constraintDef(head.name === 'unique' ? 'unique' : 'primary-key', cols, {
            name: given ?? (head.name === 'unique' ? knexName(table, cols, 'unique') : `${table.name}_pkey`),
          }),
        );
        return;
      }
      case 'foreign': {
        const cols = stringsOf(args[0], scope);
        const ref = this.references(mods, scope);
        if (!cols || !ref) {
          this.out.notAnalyzed(e, 'a foreign key whose columns or target are not literal');
          return;
        }
        constraint(
          constraintDef('foreign-key', cols, {
            name: stringOf(args[1], scope) ?? knexName(table, cols, 'foreign'),
            references: ref,
          }),
        );
        return;
      }
      case 'dropIndex':
      case 'dropUnique':
      case 'dropForeign':
      case 'dropPrimary': {
        const cols = head.name === 'dropPrimary' ? [] : stringsOf(args[0], scope);
        const given = stringOf(head.name === 'dropPrimary' ? args[0] : args[1], scope);
        if (!cols) {
          this.out.notAnalyzed(e, `table.${head.name} on columns named at run time`);
          return;
        }
        const suffix = { dropIndex: 'index', dropUnique: 'unique', dropForeign: 'foreign', dropPrimary: 'pkey' }[head.name];
        const name = given ?? (head.name === 'dropPrimary' ? `${table.name}_pkey` : knexName(table, cols, suffix));
        if (head.name === 'dropIndex') add({ kind: 'DropIndex', ...base, index: { ...table, name }, concurrently: false, ifExists: false });
        else add({ kind: 'DropConstraint', ...base, table, name, ifExists: false });
        return;
      }
      case 'check': {
        const expression = stringOf(args[0], scope);
        constraint(constraintDef('check', [], { name: stringOf(args[2], scope), expression }));
        return;
      }
      case 'comment':
      case 'engine':
      case 'charset':
      case 'collate':
      case 'inherits':
        return;
    }
    const spec = this.column(head, mods, scope, e, dir);
    if (!spec) return;
    this.applyColumn(spec, base, dir);
  }

  private applyColumn(spec: ColumnSpec, base: { span: import('../ir.js').Span; text: string }, dir: Direction): void {
    const { column } = spec;
    const table = this.table;
    const add = (op: Operation) => dir.ops.push(op);
    for (const op of spec.extra) add(op);
    if (spec.alter) {
      if (spec.alter.type) add({ kind: 'AlterColumnType', ...base, table, column: column.name, type: column.type, using: null });
      add({ kind: 'SetDefault', ...base, table, column: column.name, default: column.default });
      if (spec.alter.nullable) add({ kind: column.nullable ? 'DropNotNull' : 'SetNotNull', ...base, table, column: column.name });
    } else if (this.mode === 'create') {
      add({ kind: 'AddColumn', ...base, table, column, ifNotExists: false });
      for (const c of spec.checks) add({ kind: 'AddConstraint', ...base, table, constraint: c });
    } else {
      const unique = column.unique;
      add({ kind: 'AddColumn', ...base, table, column: { ...column, unique: false }, ifNotExists: false });
      for (const c of spec.checks) add({ kind: 'AddConstraint', ...base, table, constraint: c });
      if (unique)
        add({
          kind: 'AddConstraint',
          ...base,
          table,
          constraint: constraintDef('unique', [column.name], { name: knexName(table, [column.name], 'unique') }),
        });
    }
    if (spec.index !== false)
      add({
        kind: 'AddIndex',
        ...base,
        table,
        name: spec.index ?? knexName(table, [column.name], 'index'),
        columns: [column.name],
        unique: false,
        concurrently: false,
        ifNotExists: false,
        method: 'btree',
        where: null,
      });
  }

  /** `.references('id').inTable('users')`, `.references('users.id')`, `.references({column, table})`. */
  private references(mods: Step[], scope: Scope) {
    const ref = mods.find((m) => m.name === 'references');
    if (!ref) return null;
    const inTable = stringOf(mods.find((m) => m.name === 'inTable')?.args?.[0], scope);
    const target = stringOf(ref.args?.[0], scope);
    if (target === null) return null;
    const action = (name: string) => stringOf(mods.find((m) => m.name === name)?.args?.[0], scope);
    return withActions(fkTarget(inTable ?? target, inTable ? target : null), action('onDelete'), action('onUpdate'));
  }

  private column(head: Step, mods: Step[], scope: Scope, e: t.Node, dir: Direction): ColumnSpec | null {
    const args = head.args ?? [];
    // increments() and bigIncrements() name their column `id` when no name is given.
    const name = args.length === 0 && head.name.toLowerCase().endsWith('increments') ? 'id' : stringOf(args[0], scope);
    const type = knexType(head.name, args, scope);
    if (!type) {
      this.out.notAnalyzed(e, `table.${head.name}()`);
      return null;
    }
    if (name === null) {
      this.out.notAnalyzed(e, `a ${head.name} column named at run time`);
      return null;
    }
    const spec: ColumnSpec = {
      column: columnDef(name, type.type, type.serial ? { nullable: false, default: SERIAL_DEFAULT, primaryKey: type.primaryKey } : {}),
      index: false,
      unique: false,
      alter: null,
      extra: [],
      checks: [],
    };
    const col = spec.column;
    if (type.enumValues) {
      if (type.native) {
        if (!type.existing)
          spec.extra.push({ kind: 'CreateEnum', ...dir.base(e), name: { name: type.type.name }, values: type.enumValues });
      } else {
        const list = type.enumValues.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
        spec.checks.push(constraintDef('check', [name], { expression: `"${name}" IN (${list})` }));
      }
    }
    for (const m of mods) {
      const a = m.args ?? [];
      switch (m.name) {
        case 'notNullable':
          col.nullable = false;
          break;
        case 'nullable':
          col.nullable = true;
          break;
        case 'defaultTo':
          col.default = this.defaultOf(a[0], scope, m.node);
          break;
        case 'primary':
          col.primaryKey = true;
          col.nullable = false;
          break;
        case 'unique':
          col.unique = true;
          break;
        case 'index':
          spec.index = stringOf(a[0], scope);
          break;
        case 'references':
          col.references = this.references(mods, scope);
          break;
        case 'alter': {
          const opts = propsOf(a[0], scope);
          spec.alter = {
            type: staticValue(opts?.get('alterType'), scope) !== false,
            nullable: staticValue(opts?.get('alterNullable'), scope) !== false,
          };
          break;
        }
        default:
          if (!METADATA_MODIFIERS.has(m.name)) this.out.notAnalyzed(m.node, `the column modifier .${m.name}()`);
      }
    }
    return spec;
  }

  private defaultOf(n: t.Node | undefined, scope: Scope, at: t.Node) {
    const v = staticValue(n, scope);
    if (v !== UNKNOWN && !Array.isArray(v) && (v === null || typeof v !== 'object')) return literalDefault(v);
    if (n) {
      const { root, steps } = chainOf(n);
      if (isRef(root, scope, 'knex') && steps[0]?.name === 'raw') {
        const sql = stringOf(steps[0].args?.[0], scope);
        if (sql !== null) return defaultFromSql(sql);
      }
      if (isRef(root, scope, 'knex') && steps[0]?.name === 'fn' && steps[1]?.name === 'now') return defaultFromSql('CURRENT_TIMESTAMP');
      if (isRef(root, scope, 'knex') && steps[0]?.name === 'fn' && steps[1]?.name === 'uuid') return defaultFromSql('gen_random_uuid()');
    }
    return runtimeDefault(n, at, this.out);
  }
}

/** Column modifiers that change nothing twoway checks (comments, ordering, FK actions, collation). */
const METADATA_MODIFIERS = new Set([
  'inTable',
  'onDelete',
  'onUpdate',
  'comment',
  'unsigned',
  'collate',
  'after',
  'first',
  'deferrable',
  'withKeyName',
  'charset',
  'transacting',
]);

interface KnexType {
  type: TypeRef;
  serial?: boolean;
  primaryKey?: boolean;
  enumValues?: string[];
  native?: boolean;
  existing?: boolean;
}

/** Knex column methods → the PostgreSQL types Knex creates. */
function knexType(method: string, args: t.Node[], scope: Scope): KnexType | null {
  const num = (i: number): number | null => {
    const v = staticValue(args[i], scope);
    return typeof v === 'number' ? v : null;
  };
  const opts = propsOf(args[1], scope);
  switch (method) {
    case 'increments':
    case 'bigIncrements':
    case 'bigincrements':
      return {
        type: typeRef(method === 'increments' ? 'int4' : 'int8', [], method === 'increments' ? 'serial' : 'bigserial'),
        serial: true,
        primaryKey: staticValue(opts?.get('primaryKey'), scope) !== false,
      };
    case 'integer':
    case 'int':
    case 'mediumint':
      return { type: typeRef('int4', [], 'integer') };
    case 'bigInteger':
    case 'biginteger':
    case 'bigint':
      return { type: typeRef('int8', [], 'bigint') };
    case 'tinyint':
    case 'smallint':
      return { type: typeRef('int2', [], 'smallint') };
    case 'string':
    case 'varchar':
      return { type: typeRef('varchar', [num(1) ?? 255]) };
    case 'text':
      return { type: typeRef('text') };
    case 'float':
      return { type: typeRef('float4', [], 'real') };
    case 'double':
      return { type: typeRef('float8', [], 'double precision') };
    case 'decimal': {
      const explicitNull = args[1]?.type === 'NullLiteral';
      return { type: explicitNull ? typeRef('numeric') : typeRef('numeric', [num(1) ?? 8, num(2) ?? 2]) };
    }
    case 'boolean':
      return { type: typeRef('bool', [], 'boolean') };
    case 'date':
      return { type: typeRef('date') };
    case 'datetime':
    case 'timestamp': {
      const withoutTz = staticValue(args[1], scope) === true || staticValue(opts?.get('useTz'), scope) === false;
      return { type: withoutTz ? typeRef('timestamp') : typeRef('timestamptz') };
    }
    case 'time':
      return { type: typeRef('time') };
    case 'binary':
      return { type: typeRef('bytea') };
    case 'json':
    case 'jsonb':
    case 'uuid':
      return { type: typeRef(method) };
    case 'enu':
    case 'enum': {
      const values = stringsOf(args[1], scope);
      if (!values) return null;
      const o = propsOf(args[2], scope);
      const native = staticValue(o?.get('useNative'), scope) === true;
      const enumName = stringOf(o?.get('enumName'), scope);
      if (native && enumName)
        return { type: typeRef(enumName), enumValues: values, native, existing: staticValue(o?.get('existingType'), scope) === true };
      return { type: typeRef('text'), enumValues: values };
    }
    case 'specificType': {
      const text = stringOf(args[1], scope);
      return text === null ? null : { type: typeFromSql(text).type };
    }
    default:
      return null;
  }
}

/** An index's `predicate` option as SQL: `knex.whereRaw('important = 1')`; null when it is built some other way. */
function predicateOf(node: t.Node, scope: Scope | null): string | null {
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return null;
  const method = node.callee.property;
  if (method.type !== 'Identifier' || method.name !== 'whereRaw' || node.arguments.length !== 1) return null;
  return stringOf(node.arguments[0] as t.Node, scope);
}
