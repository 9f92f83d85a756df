// TypeORM: migration classes (`implements MigrationInterface`) with up(queryRunner)/down(queryRunner): SQL in
// queryRunner.query, schema helpers (createTable(new Table(...)), addColumn(new TableColumn(...)), …).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve as resolvePath } from 'node:path';
import { chooseDialect, declared } from '../discover/dialect.js';
import { type ColumnDef, type ConstraintDef, constraintDef, type Operation, type QName } from '../ir.js';
import type { Migration, ParsedMigration, SourceText } from '../migration.js';
import type { FrameworkAdapter, MigrationSet } from './adapter.js';
import {
  chainOf,
  isFunction,
  isIdentifier,
  migrationClass,
  moduleExports,
  opaque,
  opaqueKind,
  paramName,
  parseModule,
  propsOf,
  resolve,
  type Scope,
  type Step,
  staticValue,
  stringOf,
  stringsOf,
  type t,
  UNKNOWN,
} from './js/ast.js';
import { dialectOfClient, findUp, idAndName, jsMigrationFiles, jsSet, literalProperty, scriptMigration } from './js/discover.js';
import {
  asSerial,
  columnDef,
  copyOf,
  Direction,
  defaultFromSql,
  downStatusOf,
  fkTarget,
  functionScope,
  type Handler,
  type Hooks,
  isRef,
  literal,
  literalDefault,
  type MigrationOutput,
  originOf,
  qname,
  RUNTIME_DEFAULT,
  readScript,
  runFunction,
  SERIAL_DEFAULT,
  typeFromSql,
  typeRef,
  withActions,
} from './js/interpret.js';
import { registerAdapter } from './registry.js';

export const typeorm: FrameworkAdapter = registerAdapter({
  framework: 'typeorm',
  detect(folder) {
    if (!jsMigrationFiles(folder).byFramework.has('typeorm')) return null;
    const choice = chooseDialect(folder, folder.rel, configuredDialect(folder.abs));
    // Unknown (no data source found, or not a literal): TypeORM's default, every migration in one transaction.
    const mode = transactionMode(folder.abs);
    const transactional = mode !== 'none';
    return jsSet(
      folder,
      'typeorm',
      choice,
      (f) => {
        // TypeORM orders by the timestamp that ends the class name (`AddUsers1700000000000`).
        const digits = f.className?.match(/(\d+)$/)?.[1];
        const idName = digits ? { id: digits, name: (f.className ?? '').slice(0, -digits.length) } : idAndName(f.file);
        return {
          ...scriptMigration(f, 'typeorm', choice.dialect, idName),
          transactional,
          ...(mode === 'all' ? { sharedTransaction: true } : {}),
        };
      },
      byTimestamp,
    );
  },
  parse: parseTypeormMigration,
  joinSets: joinImportedMigrations,
});

function byTimestamp(a: Migration, b: Migration): number {
  const numeric = /^\d+$/;
  if (numeric.test(a.id) && numeric.test(b.id)) {
    const x = BigInt(a.id);
    const y = BigInt(b.id);
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * The data source's `migrationsTransactionMode` ("all" by default, "each", "none"), read as a literal; "all"
 * when the data source file is found without the key, null when no data source is found or its value is not a literal.
 */
function transactionMode(start: string): string | null {
  const file = findUp(start, ['ormconfig.json', 'ormconfig.js', 'ormconfig.ts', 'data-source.ts', 'data-source.js']);
  if (!file) return null;
  if (file.endsWith('.json')) {
    try {
      const mode = JSON.parse(readFileSync(file, 'utf8'))?.migrationsTransactionMode;
      return typeof mode === 'string' ? mode : mode === undefined ? 'all' : null;
    } catch {
      return null;
    }
  }
  const mode = literalProperty(file, 'migrationsTransactionMode');
  if (mode !== null) return mode;
  return readFileSync(file, 'utf8').includes('migrationsTransactionMode') ? null : 'all';
}

/** The `type` of the data source (ormconfig.json, ormconfig.js/ts, data-source.ts), read as literals only. */
function configuredDialect(start: string) {
  const file = findUp(start, ['ormconfig.json', 'ormconfig.js', 'ormconfig.ts', 'data-source.ts', 'data-source.js']);
  if (!file) return null;
  let type: string | null = null;
  if (file.endsWith('.json')) {
    try {
      const config = JSON.parse(readFileSync(file, 'utf8'));
      type = typeof config?.type === 'string' ? config.type : null;
    } catch {
      return null;
    }
  } else type = literalProperty(file, 'type');
  return declared(dialectOfClient(type), `${basename(file)} type: ${type}`);
}

export function parseTypeormMigration(m: Migration): ParsedMigration {
  const read = readScript(m);
  if (!read.ok) return read.parsed;
  const { ast, out } = read;
  const exported = moduleExports(ast);
  const cls = migrationClass(exported.classes);
  // `transaction = false` on the class runs the migration outside a transaction (TypeORM honours it in
  // migrationsTransactionMode "each"; in the default "all" every migration shares one transaction).
  const txField = cls?.node.body.body.find(
    (p) => p.type === 'ClassProperty' && p.key.type === 'Identifier' && p.key.name === 'transaction',
  );
  const own = txField?.type === 'ClassProperty' ? staticValue(txField.value, exported.scope) : null;
  if (txField && m.sharedTransaction) {
    // MigrationExecutor: under "all", any migration with `transaction` set (true too) throws before the run starts.
    out.notes.push({
      rule: 'mixed-transaction-statements',
      span: out.span(txField),
      message: `TypeORM refuses to run this migration: it sets transaction = ${txField.type === 'ClassProperty' && txField.value ? out.source.text.slice(txField.value.start ?? 0, txField.value.end ?? 0) : '…'} while the data source runs every migration in one transaction (migrationsTransactionMode "all", the default): "Migrations … override the transaction mode, but the global transaction mode is "all"".`,
      fix: 'Set migrationsTransactionMode: "each" on the data source (each migration in its own transaction, this one outside), or remove the transaction property.',
    });
  }
  // Judged as the author meant it (the refusal above says why it will not run so).
  if (typeof own === 'boolean') out.transactional = own;
  const run = (name: 'up' | 'down', fn: t.ClassMethod | null | undefined): Direction | null => {
    if (!fn) return null;
    out.direction = name;
    const dir = new Direction(out, TYPEORM_HOOKS);
    const scope = functionScope(exported, m, fn, 'queryRunner');
    if (cls) scope.set('this', cls.node);
    runFunction(fn, scope, dir, typeormHandler(out));
    return dir;
  };
  const up = run('up', cls?.up);
  const down = run('down', cls?.down);
  return out.result(up?.ops ?? [], down?.ops ?? null, downStatusOf(down));
}

const READS = new Set([
  'hasTable',
  'hasColumn',
  'hasIndex',
  'hasForeignKey',
  'hasPrimaryKey',
  'hasUniqueConstraint',
  'hasCheckConstraint',
  'getTable',
  'getTables',
  'getView',
  'hasSchema',
  'hasDatabase',
  'hasEnum',
  'getCurrentSchema',
  'getCurrentDatabase',
  'clearSqlMemory',
  'release',
  'connect',
]);

/** What TypeORM reads of the current schema: a condition on these is a guard. */
const PROBES = new Set([...READS].filter((r) => r.startsWith('has') || r.startsWith('get')));

/** Columns of tables as they are now (`table.findColumnByName('c')`): only what the migration sets on a copy is known. */
const EXISTING = new WeakSet<t.Node>();

const TYPEORM_HOOKS: Hooks = {
  probe(call, scope) {
    const { root, steps } = chainOf(call);
    if (isRef(root, scope, 'queryRunner')) return PROBES.has(steps.at(-1)?.name ?? '');
    return opaqueKind(resolve(root, scope))?.startsWith('value:table') ?? false;
  },
  value(call, scope) {
    if (call.type !== 'CallExpression') return null;
    const { root, steps } = chainOf(call);
    const last = steps.at(-1);
    if (isRef(root, scope, 'queryRunner') && last?.name === 'getTable' && steps.length === 1) {
      const table = stringOf(last.args?.[0], scope);
      return opaque('table', `value:table:${table ?? ''}`);
    }
    const receiver = resolve(root, scope);
    if (opaqueKind(receiver)?.startsWith('value:table') && last?.name === 'findColumnByName' && steps.length === 1) {
      const name = stringOf(last.args?.[0], scope);
      if (name === null) return null;
      const column = newTableColumn({ name: literal(name) });
      EXISTING.add(column);
      return column;
    }
    // column.clone(): a copy of the column, with everything the original has.
    if (last?.name === 'clone' && steps.length === 1 && receiver.type === 'NewExpression') return copyOf(receiver, { ...receiver });
    return null;
  },
};

/** `new TableColumn({ ... })` as twoway makes it for a column of the current schema. */
function newTableColumn(props: Record<string, t.Node>): t.NewExpression {
  const properties = Object.entries(props).map(([k, v]) => ({
    type: 'ObjectProperty',
    key: { type: 'Identifier', name: k },
    value: v,
    computed: false,
    shorthand: false,
  }));
  return {
    type: 'NewExpression',
    callee: { type: 'Identifier', name: 'TableColumn' },
    arguments: [{ type: 'ObjectExpression', properties }],
  } as unknown as t.NewExpression;
}

/** TypeORM's DefaultNamingStrategy: the names it gives indexes and constraints the migration leaves unnamed. */
export const typeormNames = {
  key(table: string, columns: readonly string[]): string {
    const name = (table.split('.').pop() ?? table).replace('.', '_');
    return `${name}_${[...columns].sort().join('_')}`;
  },
  primaryKey: (table: string, columns: readonly string[]) => `PK_${sha1(typeormNames.key(table, columns)).slice(0, 27)}`,
  unique: (table: string, columns: readonly string[]) => `UQ_${sha1(typeormNames.key(table, columns)).slice(0, 27)}`,
  foreignKey: (table: string, columns: readonly string[]) => `FK_${sha1(typeormNames.key(table, columns)).slice(0, 27)}`,
  index: (table: string, columns: readonly string[], where: string | null) =>
    `IDX_${sha1(typeormNames.key(table, columns) + (where ? `_${where}` : '')).slice(0, 26)}`,
  check: (table: string, expression: string) =>
    `CHK_${sha1(`${(table.split('.').pop() ?? table).replace('.', '_')}_${expression}`).slice(0, 26)}`,
  /** PostgresQueryRunner.buildEnumName. */
  enum: (table: string, column: string) => `${table.split('.').pop() ?? table}_${column.toLowerCase()}_enum`,
};

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function typeormHandler(out: MigrationOutput): Handler {
  // TypeORM nests transactions with savepoints: only the outermost start/commit begins or ends one.
  let depth = out.transactional ? 1 : 0;
  return (e, scope, dir) => {
    if (e.type !== 'CallExpression') return false;
    const { root, steps } = chainOf(e);
    const receiver = resolve(root, scope);
    // Reading a table or a column of the current schema (findColumnByName, clone) changes nothing.
    if (opaqueKind(receiver)?.startsWith('value:') || EXISTING.has(originOf(receiver))) return true;
    if (receiver.type === 'NewExpression' && steps.length === 1 && steps[0]?.name === 'clone') return true;
    // queryRunner.connection.transaction(async (manager) => ...): the callback's writes through its manager.
    if (opaqueKind(receiver) === 'typeorm-manager') return managerCall(e, steps, scope, dir);
    if (!isRef(root, scope, 'queryRunner')) return false;
    // queryRunner.manager.query(...) and queryRunner.connection.query(...) run SQL too.
    const via = steps[0]?.name === 'manager' || steps[0]?.name === 'connection' ? steps[0].name : null;
    if (via && steps[1]?.name === 'transaction' && steps.length === 2) {
      const fn = steps[1].args?.map((a) => resolve(a, scope)).find(isFunction);
      if (!fn) return false;
      const inner = scope.child();
      const manager = paramName(fn, 0);
      if (manager) inner.set(manager, opaque(manager, 'typeorm-manager'));
      runFunction(fn, inner, dir, typeormHandler(out));
      return true;
    }
    if (via && steps[1]?.name !== 'query') return managerCall(e, steps.slice(1), scope, dir);
    const call = via ? steps[1] : steps.length === 1 ? steps[0] : null;
    if (!call?.args) return false;
    const args = call.args;
    const base = dir.base(e);
    const ops: Operation[] = [];
    const table = (n: t.Node | undefined): QName | null => {
      const r = n ? resolve(n, scope) : null;
      const name = stringOf(r, scope) ?? (r ? stringOf(newArgs(r, 'Table', scope)?.get('name'), scope) : null);
      if (name === null) out.notAnalyzed(e, `queryRunner.${call.name} on a table known only at run time`);
      return name === null ? null : qname(name);
    };
    /** A column given by name or as `new TableColumn({ name })`. */
    const columnName = (n: t.Node | undefined): string | null => {
      const r = n ? resolve(n, scope) : null;
      const name = stringOf(r, scope) ?? (r ? stringOf(newArgs(r, 'TableColumn', scope)?.get('name'), scope) : null);
      if (name === null) out.notAnalyzed(e, `queryRunner.${call.name} on a column known only at run time`);
      return name;
    };
    const columnOf = (n: t.Node | undefined, tableName: string): TypeormColumn | null => {
      const props = n ? (newArgs(resolve(n, scope), 'TableColumn', scope) ?? propsOf(n, scope)) : null;
      const col = props ? typeormColumn(props, scope, tableName) : null;
      if (!col) out.notAnalyzed(e, `a column definition built at run time in queryRunner.${call.name}`);
      return col;
    };
    const list = (n: t.Node | undefined): t.Node[] => {
      const r = n ? resolve(n, scope) : null;
      return r?.type === 'ArrayExpression' ? r.elements.filter((x): x is t.Expression => !!x && x.type !== 'SpreadElement') : [];
    };
    switch (call.name) {
      case 'query':
        dir.sql(args[0], scope, e);
        return true;
      case 'createTable': {
        const props = newArgs(resolve(args[0] ?? e, scope), 'Table', scope);
        const name = stringOf(props?.get('name'), scope);
        if (!props || name === null) {
          out.notAnalyzed(e, 'a table definition built at run time');
          return true;
        }
        const target = qname(name);
        const columns = list(props.get('columns')).map((c) => columnOf(c, name));
        if (columns.some((c) => !c)) return true;
        const defs = columns as TypeormColumn[];
        const cols = defs.map((c) => c.column);
        // TypeORM makes one primary key of the isPrimary columns and a unique constraint per isUnique column, named by its naming strategy.
        const pk = cols.filter((c) => c.primaryKey).map((c) => c.name);
        const constraints: ConstraintDef[] = pk.length
          ? [
              constraintDef('primary-key', pk, {
                name: stringOf(props.get('primaryKeyConstraintName'), scope) ?? typeormNames.primaryKey(name, pk),
              }),
            ]
          : [];
        for (const c of cols.filter((x) => x.unique))
          constraints.push(constraintDef('unique', [c.name], { name: typeormNames.unique(name, [c.name]) }));
        for (const fk of list(props.get('foreignKeys'))) {
          const c = foreignKey(fk, scope, name);
          if (c) constraints.push(c);
        }
        for (const u of list(props.get('uniques'))) {
          const c = namedConstraint(u, 'TableUnique', 'unique', scope, name);
          if (c) constraints.push(c);
        }
        for (const k of list(props.get('checks'))) {
          const c = namedConstraint(k, 'TableCheck', 'check', scope, name);
          if (c) constraints.push(c);
        }
        ops.push(...enumsOf(defs, base));
        ops.push({
          kind: 'CreateTable',
          ...base,
          table: target,
          columns: cols,
          constraints,
          ifNotExists: staticValue(args[1], scope) === true,
          derived: false,
        });
        for (const i of list(props.get('indices'))) {
          const op = index(i, target, scope, base);
          if (op) ops.push(op);
        }
        break;
      }
      case 'dropTable': {
        const t = table(args[0]);
        if (!t) return true;
        ops.push({ kind: 'DropTable', ...base, table: t, ifExists: staticValue(args[1], scope) === true, cascade: false });
        break;
      }
      case 'renameTable': {
        const t = table(args[0]);
        const to = stringOf(args[1], scope);
        if (!t || to === null) {
          if (t) out.notAnalyzed(e, 'a table renamed to a name known only at run time');
          return true;
        }
        ops.push({ kind: 'RenameTable', ...base, table: t, newName: to });
        break;
      }
      case 'addColumn':
      case 'addColumns': {
        const t = table(args[0]);
        if (!t) return true;
        const cols = (call.name === 'addColumn' ? [args[1]] : list(args[1])).map((c) => columnOf(c, t.name));
        if (cols.some((c) => !c)) return true;
        ops.push(...enumsOf(cols as TypeormColumn[], base));
        for (const c of cols as TypeormColumn[]) ops.push({ kind: 'AddColumn', ...base, table: t, column: c.column, ifNotExists: false });
        break;
      }
      case 'dropColumn':
      case 'dropColumns': {
        const t = table(args[0]);
        if (!t) return true;
        for (const n of call.name === 'dropColumn' ? [args[1]] : list(args[1])) {
          const c = columnName(n);
          if (c !== null) ops.push({ kind: 'DropColumn', ...base, table: t, column: c, ifExists: false, cascade: false });
        }
        break;
      }
      case 'renameColumn': {
        const t = table(args[0]);
        const from = columnName(args[1]);
        const to = columnName(args[2]);
        if (!t || from === null || to === null) return true;
        ops.push({ kind: 'RenameColumn', ...base, table: t, column: from, newName: to });
        break;
      }
      case 'changeColumn': {
        const t = table(args[0]);
        const from = columnName(args[1]);
        const next = args[2] ? resolve(args[2], scope) : null;
        const props = next ? (newArgs(next, 'TableColumn', scope) ?? propsOf(next, scope)) : null;
        const old = args[1] ? resolve(args[1], scope) : null;
        const oldProps = old ? newArgs(old, 'TableColumn', scope) : null;
        if (t && from !== null && props && oldProps) {
          // TypeORM changes what differs between the column given as it is and the new one (a clone with some properties set).
          ops.push(...changedProperties(differing(oldProps, props, scope), props, t, from, scope, base, e, out));
          break;
        }
        const col = props ? typeormColumn(props, scope, t?.name ?? '')?.column : null;
        if (!t || from === null || !props || !col) {
          if (t && from !== null) out.notAnalyzed(e, 'a column definition built at run time in queryRunner.changeColumn');
          return true;
        }
        if (col.name !== from) ops.push({ kind: 'RenameColumn', ...base, table: t, column: from, newName: col.name });
        if (col.type.name === 'unknown') out.notAnalyzed(e, 'a column type known only at run time in queryRunner.changeColumn');
        else ops.push({ kind: 'AlterColumnType', ...base, table: t, column: col.name, type: col.type, using: null });
        // Only what the new definition states: TypeORM compares it with the column as it is.
        if (props.has('isNullable')) ops.push({ kind: col.nullable ? 'DropNotNull' : 'SetNotNull', ...base, table: t, column: col.name });
        if (props.has('default')) ops.push({ kind: 'SetDefault', ...base, table: t, column: col.name, default: col.default });
        break;
      }
      case 'createIndex':
      case 'createIndices': {
        const t = table(args[0]);
        if (!t) return true;
        for (const i of call.name === 'createIndex' ? [args[1]] : list(args[1])) {
          const op = i ? index(i, t, scope, base) : null;
          if (op) ops.push(op);
          else out.notAnalyzed(e, 'an index definition built at run time');
        }
        break;
      }
      case 'dropIndex': {
        const t = table(args[0]);
        const r = args[1] ? resolve(args[1], scope) : null;
        const name = stringOf(r, scope) ?? (r ? stringOf(newArgs(r, 'TableIndex', scope)?.get('name'), scope) : null);
        if (!t) return true;
        if (name === null) {
          out.notAnalyzed(e, 'an index known only at run time');
          return true;
        }
        ops.push({ kind: 'DropIndex', ...base, index: { ...t, name }, concurrently: false, ifExists: false });
        break;
      }
      case 'createForeignKey':
      case 'createForeignKeys':
      case 'createUniqueConstraint':
      case 'createUniqueConstraints':
      case 'createCheckConstraint':
      case 'createCheckConstraints': {
        const t = table(args[0]);
        if (!t) return true;
        const one = (n: t.Node | undefined) =>
          call.name.startsWith('createForeignKey')
            ? foreignKey(n, scope, t.name)
            : call.name.startsWith('createUniqueConstraint')
              ? namedConstraint(n, 'TableUnique', 'unique', scope, t.name)
              : namedConstraint(n, 'TableCheck', 'check', scope, t.name);
        const all = call.name.endsWith('s') ? list(args[1]).map(one) : [one(args[1])];
        for (const k of all) {
          if (k) ops.push({ kind: 'AddConstraint', ...base, table: t, constraint: k });
          else out.notAnalyzed(e, 'a constraint definition built at run time');
        }
        break;
      }
      case 'createPrimaryKey': {
        const t = table(args[0]);
        const cols = stringsOf(args[1], scope);
        if (!t || !cols) return true;
        ops.push({
          kind: 'AddConstraint',
          ...base,
          table: t,
          constraint: constraintDef('primary-key', cols, { name: stringOf(args[2], scope) }),
        });
        break;
      }
      case 'dropForeignKey':
      case 'dropUniqueConstraint':
      case 'dropCheckConstraint':
      case 'dropPrimaryKey': {
        const t = table(args[0]);
        if (!t) return true;
        const r = args[1] ? resolve(args[1], scope) : null;
        const name =
          call.name === 'dropPrimaryKey'
            ? (stringOf(r, scope) ?? `${t.name}_pkey`)
            : (stringOf(r, scope) ??
              (r && r.type === 'NewExpression' ? stringOf(propsOf(r.arguments[0], scope)?.get('name'), scope) : null));
        if (name === null) {
          out.notAnalyzed(e, 'a constraint known only at run time');
          return true;
        }
        ops.push({ kind: 'DropConstraint', ...base, table: t, name, ifExists: false });
        break;
      }
      case 'startTransaction':
      case 'commitTransaction':
      case 'rollbackTransaction': {
        const begin = call.name === 'startTransaction';
        const real = begin ? depth === 0 : depth === 1;
        depth = Math.max(0, depth + (begin ? 1 : -1));
        if (real)
          ops.push({ kind: 'Transaction', ...base, action: begin ? 'begin' : call.name === 'commitTransaction' ? 'commit' : 'rollback' });
        break;
      }
      default:
        if (!READS.has(call.name)) return false;
    }
    dir.ops.push(...ops);
    return true;
  };
}

/**
 * `queryRunner.manager.update('users', id, values)`, `.delete(...)`, `.insert(...)` and query builders
 * (`createQueryBuilder().update('t').set(...).execute()`): writes to rows; selects read nothing into the schema.
 */
function managerCall(e: t.Node, steps: Step[], scope: Scope, dir: Direction): boolean {
  const first = steps[0];
  if (!first?.args) return false;
  const action = (name: string) =>
    name === 'update' ? 'update' : name === 'delete' || name === 'softDelete' ? 'delete' : name === 'insert' ? 'insert' : null;
  const direct = action(first.name);
  if (direct) {
    const table = stringOf(first.args[0], scope);
    if (table === null) {
      dir.out.notAnalyzed(e, `a ${direct} of an entity or table known only at run time`);
      return true;
    }
    const values = direct === 'update' ? propsOf(first.args[2], scope) : null;
    if (direct === 'update' && !values) dir.out.notAnalyzed(e, 'an update whose columns are known only at run time');
    const columns = [...(values?.keys() ?? [])];
    dir.ops.push({ kind: 'DataChange', ...dir.base(e), action: direct, table: qname(table), hasWhere: direct !== 'insert', columns });
    return true;
  }
  if (first.name !== 'createQueryBuilder') return false;
  const write = steps.map((s) => action(s.name)).find((a) => a !== null) ?? null;
  if (!write) return true;
  const named = steps.find((s) => ['update', 'into', 'from', 'delete'].includes(s.name) && s.args?.length);
  const table = named ? stringOf(named.args?.[0], scope) : null;
  if (table === null) {
    dir.out.notAnalyzed(e, `a ${write} through a query builder on an entity or table known only at run time`);
    return true;
  }
  const set = steps.find((s) => s.name === 'set');
  dir.ops.push({
    kind: 'DataChange',
    ...dir.base(e),
    action: write,
    table: qname(table),
    hasWhere: steps.some((s) => s.name.toLowerCase().includes('where')),
    columns: write === 'update' ? [...(propsOf(set?.args?.[0], scope)?.keys() ?? [])] : [],
  });
  return true;
}

/** The properties of a new column definition that differ from the old one (a property the old one lacks differs). */
function differing(old: Map<string, t.Node>, next: Map<string, t.Node>, scope: Scope): Map<string, t.Node> {
  const out = new Map<string, t.Node>();
  for (const [k, v] of next) {
    if (old.get(k) === v) continue;
    const a = old.has(k) ? JSON.stringify(staticValue(old.get(k), scope)) : undefined;
    const b = JSON.stringify(staticValue(v, scope));
    if (a === undefined || a !== b || staticValue(v, scope) === UNKNOWN) out.set(k, v);
  }
  return out;
}

/** What `changeColumn(table, column, copy)` does when the copy differs from the column only in the properties set on it. */
function changedProperties(
  changed: Map<string, t.Node>,
  props: Map<string, t.Node>,
  table: QName,
  column: string,
  scope: Scope,
  base: { span: import('../ir.js').Span; text: string },
  at: t.Node,
  out: MigrationOutput,
): Operation[] {
  const ops: Operation[] = [];
  const name = stringOf(props.get('name'), scope) ?? column;
  if (name !== column) ops.push({ kind: 'RenameColumn', ...base, table, column, newName: name });
  let typeChanged = false;
  for (const [key, value] of changed) {
    const v = staticValue(value, scope);
    switch (key) {
      case 'name':
        break;
      case 'type':
      case 'length':
      case 'precision':
      case 'scale':
      case 'isArray': {
        if (typeChanged) break;
        typeChanged = true;
        const col = typeormColumn(props, scope, table.name);
        if (!col || col.column.type.name === 'unknown') out.notAnalyzed(at, 'a column type known only at run time');
        else ops.push({ kind: 'AlterColumnType', ...base, table, column: name, type: col.column.type, using: null });
        break;
      }
      case 'isNullable':
        if (typeof v === 'boolean') ops.push({ kind: v ? 'DropNotNull' : 'SetNotNull', ...base, table, column: name });
        else out.notAnalyzed(at, 'a nullability known only at run time');
        break;
      case 'isUnique':
        if (v === true)
          ops.push({
            kind: 'AddConstraint',
            ...base,
            table,
            constraint: constraintDef('unique', [name], { name: typeormNames.unique(table.name, [name]) }),
          });
        else if (v === false)
          ops.push({ kind: 'DropConstraint', ...base, table, name: typeormNames.unique(table.name, [name]), ifExists: false });
        else out.notAnalyzed(at, 'a uniqueness known only at run time');
        break;
      case 'default': {
        const col = typeormColumn(
          new Map([
            ['name', literal(name)],
            ['type', literal('text')],
            ['default', value],
          ]),
          scope,
          table.name,
        );
        ops.push({ kind: 'SetDefault', ...base, table, column: name, default: col?.column.default ?? null });
        break;
      }
      case 'comment':
        break;
      default:
        out.notAnalyzed(at, `a change of the column's ${key} on a copy of the column as it is`);
    }
  }
  return ops;
}

/** The options object of `new <Class>({...})`. */
function newArgs(n: t.Node, className: string, scope: Scope): Map<string, t.Node> | null {
  if (n.type !== 'NewExpression' || !isIdentifier(n.callee, className)) return null;
  return propsOf(n.arguments[0], scope);
}

function foreignKey(n: t.Node | undefined, scope: Scope, table: string): ConstraintDef | null {
  if (!n) return null;
  const p = newArgs(resolve(n, scope), 'TableForeignKey', scope) ?? propsOf(n, scope);
  const columns = stringsOf(p?.get('columnNames'), scope);
  const refTable = stringOf(p?.get('referencedTableName'), scope);
  if (!p || !columns || refTable === null) return null;
  return constraintDef('foreign-key', columns, {
    name: stringOf(p.get('name'), scope) ?? typeormNames.foreignKey(table, columns),
    references: withActions(
      { table: fkTarget(refTable, null).table, columns: stringsOf(p.get('referencedColumnNames'), scope) ?? [] },
      stringOf(p.get('onDelete'), scope),
      stringOf(p.get('onUpdate'), scope),
    ),
  });
}

function namedConstraint(
  n: t.Node | undefined,
  className: string,
  type: 'unique' | 'check',
  scope: Scope,
  table: string,
): ConstraintDef | null {
  if (!n) return null;
  const p = newArgs(resolve(n, scope), className, scope) ?? propsOf(n, scope);
  if (!p) return null;
  const columns = stringsOf(p.get('columnNames'), scope) ?? [];
  const expression = type === 'check' ? stringOf(p.get('expression'), scope) : null;
  const generated =
    type === 'unique' ? typeormNames.unique(table, columns) : expression !== null ? typeormNames.check(table, expression) : null;
  return constraintDef(type, columns, { name: stringOf(p.get('name'), scope) ?? generated, expression });
}

function index(n: t.Node, table: QName, scope: Scope, base: { span: import('../ir.js').Span; text: string }): Operation | null {
  const p = newArgs(resolve(n, scope), 'TableIndex', scope) ?? propsOf(n, scope);
  const columns = stringsOf(p?.get('columnNames'), scope);
  if (!p || !columns) return null;
  const where = stringOf(p.get('where'), scope);
  return {
    kind: 'AddIndex',
    ...base,
    table,
    name: stringOf(p.get('name'), scope) ?? typeormNames.index(table.name, columns, where),
    columns,
    unique: staticValue(p.get('isUnique'), scope) === true,
    concurrently: false,
    ifNotExists: false,
    method: staticValue(p.get('isSpatial'), scope) === true ? 'gist' : 'btree',
    where,
  };
}

/** Native enum types TypeORM creates for `type: 'enum'` columns (named `<table>_<column>_enum` unless enumName is given). */
function enumsOf(cols: TypeormColumn[], base: { span: import('../ir.js').Span; text: string }): Operation[] {
  return cols.flatMap((c) =>
    c.enumValues ? [{ kind: 'CreateEnum', ...base, name: { name: c.column.type.name }, values: c.enumValues } as Operation] : [],
  );
}

interface TypeormColumn {
  column: ColumnDef;
  enumValues: string[] | null;
}

/** A TableColumn's options → ColumnDef. TypeORM columns are NOT NULL unless `isNullable: true`. */
function typeormColumn(p: Map<string, t.Node>, scope: Scope, table: string): TypeormColumn | null {
  const name = stringOf(p.get('name'), scope);
  // A type the file does not spell out (a helper's constant): the column is known, its type is not.
  const typeName = stringOf(p.get('type'), scope) ?? (p.has('type') ? 'unknown' : null);
  if (name === null || typeName === null) return null;
  const flag = (k: string) => staticValue(p.get(k), scope) === true;
  const length = staticValue(p.get('length'), scope);
  const precision = staticValue(p.get('precision'), scope);
  const scale = staticValue(p.get('scale'), scope);
  const args = [length, precision, scale].filter((x) => x !== undefined && (typeof x === 'number' || typeof x === 'string')).map(Number);
  const values = stringsOf(p.get('enum'), scope);
  const isEnum = typeName === 'enum' || typeName === 'simple-enum';
  const enumName = stringOf(p.get('enumName'), scope) ?? typeormNames.enum(table, name);
  let type = isEnum
    ? typeRef(enumName)
    : typeName === 'unknown'
      ? typeRef('unknown', [], '<type known at run time>')
      : typeFromSql(args.length ? `${typeName}(${args.join(',')})` : typeName).type;
  if (flag('isArray')) type = { ...type, arrayDims: 1, text: `${type.text}[]` };
  const generated = stringOf(p.get('generationStrategy'), scope);
  const isGenerated = flag('isGenerated');
  if (isGenerated && (generated ?? 'increment') === 'increment') type = asSerial(type);
  const col = columnDef(name, type, {
    nullable: flag('isNullable'),
    primaryKey: flag('isPrimary'),
    unique: flag('isUnique'),
    identity: isGenerated && generated === 'identity',
    default:
      isGenerated && (generated ?? 'increment') === 'increment'
        ? SERIAL_DEFAULT
        : isGenerated && generated === 'uuid'
          ? defaultFromSql('uuid_generate_v4()')
          : null,
  });
  if (p.has('default')) {
    // TypeORM writes a column default into the SQL as given: strings are SQL expressions.
    const v = staticValue(p.get('default'), scope);
    col.default =
      typeof v === 'string'
        ? defaultFromSql(v)
        : typeof v === 'number' || typeof v === 'boolean' || v === null
          ? literalDefault(v)
          : RUNTIME_DEFAULT;
  }
  return { column: col, enumValues: isEnum ? values : null };
}

/**
 * A migrations folder whose `index.ts` imports migration classes from other folders runs them as one list: TypeORM
 * sorts every class the data source is given by its timestamp (Flowise's `database/migrations/sqlite/index.ts`
 * pulls in `enterprise/database/migrations/sqlite/*`). Those migrations join the importing set, in timestamp order,
 * and a set left empty by it is gone.
 */
export function joinImportedMigrations(sets: MigrationSet[], cwd: string): void {
  const typeormSets = sets.filter((s) => s.framework === 'typeorm');
  if (typeormSets.length < 2) return;
  const owner = new Map<string, MigrationSet>();
  for (const s of typeormSets) for (const m of s.migrations) owner.set(m.path, s);
  for (const set of typeormSets) {
    const imported = importedFiles(join(cwd, set.root), cwd);
    const joining = imported.flatMap((rel) => {
      const from = owner.get(rel);
      return from && from !== set ? [{ from, migration: from.migrations.find((m) => m.path === rel) as Migration }] : [];
    });
    if (!joining.length) continue;
    for (const { from, migration } of joining) {
      from.migrations = from.migrations.filter((m) => m !== migration);
      owner.set(migration.path, set);
      set.migrations.push({ ...migration, dialect: set.dialect });
    }
    set.migrations.sort(byTimestamp);
  }
  for (let i = sets.length - 1; i >= 0; i--) if (sets[i]?.framework === 'typeorm' && sets[i]?.migrations.length === 0) sets.splice(i, 1);
}

/** The relative imports of a folder's index.ts / index.js, as paths relative to cwd (the file each names). */
function importedFiles(folder: string, cwd: string): string[] {
  for (const name of ['index.ts', 'index.js']) {
    const file = join(folder, name);
    if (!existsSync(file)) continue;
    const source: SourceText = {
      path: file,
      text: readFileSync(file, 'utf8'),
      startLine: 1,
      language: name.endsWith('ts') ? 'typescript' : 'javascript',
    };
    const parsed = parseModule(source);
    if (!parsed.ok) return [];
    const out: string[] = [];
    for (const stmt of parsed.ast.program.body) {
      if (stmt.type !== 'ImportDeclaration' || !stmt.source.value.startsWith('.')) continue;
      const base = resolvePath(folder, stmt.source.value);
      const found = ['', '.ts', '.js'].map((ext) => base + ext).find((p) => existsSync(p) && statSync(p).isFile());
      if (found) out.push(relative(cwd, found));
    }
    return out;
  }
  return [];
}
