// Sequelize (sequelize-cli / umzug): `migrations/*.js` exporting up(queryInterface, Sequelize)/down(...): queryInterface.*
// schema calls with Sequelize data types, bulk writes, and SQL in queryInterface.sequelize.query.
// A down's dropAllTables() drops every table there is (QueryInterface.dropAllTables: showAllTables, then dropTable with
// cascade for each but `skip`); it is written as the down of a history's first migration, where those are the tables
// its up made: it is read as dropping them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chooseDialect, declared } from '../discover/dialect.js';
import { type ColumnDef, type ConstraintDef, constraintDef, type Operation, type QName, qnameKey, type TypeRef } from '../ir.js';
import type { Migration, ParsedMigration } from '../migration.js';
import type { FrameworkAdapter } from './adapter.js';
import {
  chainOf,
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
} from './js/ast.js';
import { dialectOfClient, findUp, jsMigrationFiles, jsSet, migrationFunction, scriptMigration } from './js/discover.js';
import {
  asSerial,
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
  substituteReplacements,
  typeFromSql,
  typeRef,
  withActions,
} from './js/interpret.js';
import { registerAdapter } from './registry.js';

export const sequelize: FrameworkAdapter = registerAdapter({
  framework: 'sequelize',
  detect(folder) {
    if (!jsMigrationFiles(folder).byFramework.has('sequelize')) return null;
    const choice = chooseDialect(folder, folder.rel, declared(configuredDialect(folder.abs), 'config/config.json dialect'));
    return jsSet(folder, 'sequelize', choice, (f) => scriptMigration(f, 'sequelize', choice.dialect));
  },
  parse: parseSequelizeMigration,
});

/** `dialect` of config/config.json (the development environment first), when it is written there. */
function configuredDialect(start: string) {
  const file = findUp(start, ['config/config.json']);
  if (!file) return null;
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { dialect?: unknown }>;
    const envs = [config.development, ...Object.values(config)];
    const dialect = envs.map((e) => e?.dialect).find((d): d is string => typeof d === 'string');
    return dialectOfClient(dialect);
  } catch {
    return null;
  }
}

export function parseSequelizeMigration(m: Migration): ParsedMigration {
  const read = readScript(m);
  if (!read.ok) return read.parsed;
  const { ast, out } = read;
  const exported = moduleExports(ast);
  out.transactional = false;
  const made: QName[] = [];
  const run = (name: 'up' | 'down'): Direction | null => {
    out.direction = name;
    const node = exported.values.get(name);
    const fn = migrationFunction(node, exported.scope);
    if (!fn) {
      if (node) out.notAnalyzed(node, `an exported ${name} that is not a function twoway can read`);
      return null;
    }
    const dir = new Direction(out, SEQUELIZE_HOOKS);
    const scope = functionScope(exported, m, fn, 'queryInterface');
    const types = paramName(fn, 1);
    if (types) scope.set(types, opaque(types, 'value:Sequelize'));
    runFunction(fn, scope, dir, sequelizeHandler(out, made));
    return dir;
  };
  const up = run('up');
  for (const op of up?.ops ?? []) {
    if (op.kind !== 'CreateTable' && op.kind !== 'DropTable') continue;
    const at = made.findIndex((q) => qnameKey(q) === qnameKey(op.table));
    if (op.kind === 'CreateTable' && at < 0) made.push(op.table);
    else if (op.kind === 'DropTable' && at >= 0) made.splice(at, 1);
  }
  const down = run('down');
  const downStatus = !down && exported.values.has('down') ? 'unreadable' : downStatusOf(down);
  return out.result(up?.ops ?? [], down?.ops ?? null, downStatus);
}

const READS = new Set([
  'describeTable',
  'showAllTables',
  'showAllSchemas',
  'tableExists',
  'select',
  'rawSelect',
  'showIndex',
  'getForeignKeyReferencesForTable',
  'getForeignKeysForTables',
]);

const SEQUELIZE_HOOKS: Hooks = {
  probe(call, scope) {
    const { root, steps } = chainOf(call);
    return isRef(root, scope, 'queryInterface') && steps.length === 1 && READS.has(steps[0]?.name ?? '') && steps[0]?.name !== 'select';
  },
  value(call, scope) {
    // const transaction = await queryInterface.sequelize.transaction(): an unmanaged transaction.
    const { root, steps } = chainOf(call);
    if (
      isRef(root, scope, 'queryInterface') &&
      steps[0]?.name === 'sequelize' &&
      steps[1]?.name === 'transaction' &&
      !steps[1].args?.length
    )
      return opaque('transaction', 'sequelize-transaction');
    return null;
  },
};

/**
 * Whether a call passes a transaction (`{ transaction }`, `{ transaction: t }`): without one, Sequelize runs it on
 * another connection, outside the transaction (unless the app enables CLS).
 */
function passesTransaction(call: t.CallExpression, scope: Scope): boolean {
  return call.arguments.some((a) => {
    const props = propsOf(a, scope);
    return !!props?.has('transaction');
  });
}

function sequelizeHandler(out: MigrationOutput, made: readonly QName[]): Handler {
  // sequelize-cli (umzug) runs a migration outside any transaction; the migration may open one itself.
  let open = false;
  const handler: Handler = (e, scope, dir) => {
    if (e.type !== 'CallExpression') return false;
    const { root, steps } = chainOf(e);
    if (isRef(root, scope, 'sequelize-transaction') && steps.length === 1) {
      const action = steps[0]?.name === 'commit' ? 'commit' : steps[0]?.name === 'rollback' ? 'rollback' : null;
      if (!action) return false;
      // The catch block's rollback is what happens on failure; the commit is where the transaction ends.
      if (action === 'commit' && open) {
        dir.ops.push({ kind: 'Transaction', ...dir.base(e), action: 'commit', managed: true });
        open = false;
      }
      return true;
    }
    if (!isRef(root, scope, 'queryInterface')) return false;
    // Statements in an open transaction that do not pass it run outside it, on another connection.
    const inTransaction = open && passesTransaction(e, scope);
    const outside = open && !inTransaction;
    const before = dir.ops.length;
    const handled = call(e, steps, scope, dir);
    if (handled && outside && dir.ops.length > before) {
      const base = dir.base(e);
      dir.ops.splice(before, 0, { kind: 'Transaction', ...base, action: 'commit', managed: true });
      dir.ops.push({ kind: 'Transaction', ...base, action: 'begin', managed: true });
    }
    return handled;
  };
  const call = (e: t.CallExpression, steps: Step[], scope: Scope, dir: Direction): boolean => {
    if (steps[0]?.name === 'sequelize' && !steps[0].args && steps.length === 2) {
      const call = steps[1];
      if (call?.name === 'query' && call.args) {
        // `:name` and `?` are replaced by Sequelize with the values of `replacements` before the query is sent.
        const replaced = propsOf(call.args[1], scope)?.has('replacements');
        dir.sql(call.args[0], scope, e, replaced ? substituteReplacements : undefined);
        return true;
      }
      if (call?.name === 'transaction' && call.args) {
        const fn = call.args.map((a) => resolve(a, scope)).find(isFunction);
        if (!fn) {
          if (call.args.length) return false;
          // The unmanaged form: the transaction object is committed by the migration itself.
          dir.ops.push({ kind: 'Transaction', ...dir.base(e), action: 'begin', managed: true });
          open = true;
          return true;
        }
        const inner = scope.child();
        const name = paramName(fn, 0);
        if (name) inner.set(name, opaque(name, 'sequelize-transaction'));
        const wasOpen = open;
        if (!wasOpen) dir.ops.push({ kind: 'Transaction', ...dir.base(e), action: 'begin', managed: true });
        open = true;
        runFunction(fn, inner, dir, handler);
        open = wasOpen;
        if (!wasOpen) dir.ops.push({ kind: 'Transaction', ...dir.base(e), action: 'commit', managed: true });
        return true;
      }
      return false;
    }
    const call = steps.length === 1 ? steps[0] : null;
    if (!call?.args) return false;
    const args = call.args;
    const base = dir.base(e);
    const ops: Operation[] = [];
    const table = (n: t.Node | undefined): QName | null => {
      const s = stringOf(n, scope);
      const props = s === null ? propsOf(n, scope) : null;
      const name = s ?? stringOf(props?.get('tableName'), scope);
      if (name === null) {
        out.notAnalyzed(e, `queryInterface.${call.name} on a table known only at run time`);
        return null;
      }
      const schema = stringOf(props?.get('schema'), scope);
      return schema ? { schema, name } : qname(name);
    };
    const name = (n: t.Node | undefined): string | null => {
      const s = stringOf(n, scope);
      if (s === null) out.notAnalyzed(e, `queryInterface.${call.name} with a name known only at run time`);
      return s;
    };
    switch (call.name) {
      case 'createTable': {
        const target = table(args[0]);
        const attrs = propsOf(args[1], scope);
        if (!target) return true;
        if (!attrs) {
          out.notAnalyzed(e, 'column definitions built at run time');
          return true;
        }
        const cols = [...attrs].map(([col, def]) => attribute(col, def, target.name, scope, out, e));
        ops.push(...enumsOf(cols, base));
        ops.push({
          kind: 'CreateTable',
          ...base,
          table: target,
          columns: cols.map((c) => c.column),
          constraints: inlineConstraints(cols.map((c) => c.column)),
          ifNotExists: false,
          derived: false,
        });
        break;
      }
      case 'dropTable': {
        const target = table(args[0]);
        if (!target) return true;
        ops.push({
          kind: 'DropTable',
          ...base,
          table: target,
          ifExists: false,
          cascade: staticValue(propsOf(args[1], scope)?.get('cascade'), scope) === true,
        });
        break;
      }
      case 'dropAllTables': {
        if (out.direction !== 'down' || !made.length) return false;
        const skip = new Set(stringsOf(propsOf(args[0], scope)?.get('skip'), scope) ?? []);
        for (const q of [...made].reverse())
          if (!skip.has(q.name)) ops.push({ kind: 'DropTable', ...base, table: q, ifExists: false, cascade: true });
        break;
      }
      case 'renameTable': {
        const target = table(args[0]);
        const to = name(args[1]);
        if (!target || to === null) return true;
        ops.push({ kind: 'RenameTable', ...base, table: target, newName: to });
        break;
      }
      case 'addColumn': {
        const target = table(args[0]);
        const col = name(args[1]);
        if (!target || col === null || !args[2]) return true;
        const c = attribute(col, args[2], target.name, scope, out, e);
        ops.push(...enumsOf([c], base));
        ops.push({ kind: 'AddColumn', ...base, table: target, column: c.column, ifNotExists: false });
        break;
      }
      case 'removeColumn': {
        const target = table(args[0]);
        const col = name(args[1]);
        if (!target || col === null) return true;
        ops.push({ kind: 'DropColumn', ...base, table: target, column: col, ifExists: false, cascade: false });
        break;
      }
      case 'changeColumn': {
        const target = table(args[0]);
        const col = name(args[1]);
        if (!target || col === null || !args[2]) return true;
        const c = attribute(col, args[2], target.name, scope, out, e);
        // PostgresQueryGenerator.changeColumnQuery: SET NOT NULL or DROP NOT NULL, SET DEFAULT or DROP DEFAULT, ADD UNIQUE,
        // then TYPE; with `references` it adds the foreign key instead of TYPE and leaves nullability and default alone.
        const refs = c.column.references;
        const pg = out.dialect === 'postgresql';
        const keep = refs && pg;
        ops.push(...enumsOf([c], base));
        if (!c.column.nullable) ops.push({ kind: 'SetNotNull', ...base, table: target, column: col });
        else if (!keep) ops.push({ kind: 'DropNotNull', ...base, table: target, column: col });
        if (c.hasDefault) ops.push({ kind: 'SetDefault', ...base, table: target, column: col, default: c.column.default });
        else if (!keep) ops.push({ kind: 'SetDefault', ...base, table: target, column: col, default: null });
        // Unnamed constraints get PostgreSQL's names: <table>_<column>_key, <table>_<column>_fkey.
        if (c.column.unique)
          ops.push({
            kind: 'AddConstraint',
            ...base,
            table: target,
            constraint: constraintDef('unique', [col], { name: `${target.name}_${col}_key` }),
          });
        if (refs)
          ops.push({
            kind: 'AddConstraint',
            ...base,
            table: target,
            constraint: constraintDef('foreign-key', [col], { name: `${target.name}_${col}_fkey`, references: refs }),
          });
        if (!keep) ops.push({ kind: 'AlterColumnType', ...base, table: target, column: col, type: c.column.type, using: null });
        break;
      }
      case 'renameColumn': {
        const target = table(args[0]);
        const from = name(args[1]);
        const to = name(args[2]);
        if (!target || from === null || to === null) return true;
        ops.push({ kind: 'RenameColumn', ...base, table: target, column: from, newName: to });
        break;
      }
      case 'addIndex': {
        const target = table(args[0]);
        if (!target) return true;
        const inline = propsOf(args[1], scope);
        const opts = inline ?? propsOf(args[2], scope);
        const fields = indexFields(inline ? inline.get('fields') : args[1], scope);
        if (!fields) {
          out.notAnalyzed(e, 'index fields known only at run time');
          return true;
        }
        const unique = staticValue(opts?.get('unique'), scope) === true || stringOf(opts?.get('type'), scope)?.toUpperCase() === 'UNIQUE';
        ops.push({
          kind: 'AddIndex',
          ...base,
          table: target,
          name: stringOf(opts?.get('name'), scope) ?? defaultIndexName(target, fields),
          columns: fields,
          unique,
          concurrently: staticValue(opts?.get('concurrently'), scope) === true,
          ifNotExists: false,
          method: stringOf(opts?.get('using'), scope)?.toLowerCase() ?? 'btree',
          where: opts?.has('where') ? '<where>' : null,
        });
        break;
      }
      case 'removeIndex': {
        const target = table(args[0]);
        if (!target) return true;
        const fields = stringOf(args[1], scope) === null ? indexFields(args[1], scope) : null;
        const index = fields ? defaultIndexName(target, fields) : stringOf(args[1], scope);
        if (index === null) {
          out.notAnalyzed(e, 'an index known only at run time');
          return true;
        }
        const concurrently = staticValue(propsOf(args[2], scope)?.get('concurrently'), scope) === true;
        // Sequelize 6 writes DROP INDEX IF EXISTS on PostgreSQL and SQLite (its abstract query generator), a plain
        // DROP INDEX … ON on MySQL and MariaDB.
        ops.push({ kind: 'DropIndex', ...base, index: { ...target, name: index }, concurrently, ifExists: out.dialect !== 'mysql' });
        break;
      }
      case 'addConstraint': {
        const target = table(args[0]);
        if (!target) return true;
        // Sequelize 5+: addConstraint(table, { fields, type, … }); 4: addConstraint(table, fields, { type, … }).
        const opts = propsOf(args[1], scope) ?? propsOf(args[2], scope);
        const fields = stringsOf(opts?.get('fields') ?? args[1], scope);
        const c = opts && fields ? constraintOf(opts, fields, target, scope) : null;
        if (!c) {
          out.notAnalyzed(e, 'a constraint built at run time');
          return true;
        }
        ops.push({ kind: 'AddConstraint', ...base, table: target, constraint: c });
        break;
      }
      case 'removeConstraint': {
        const target = table(args[0]);
        const c = name(args[1]);
        if (!target || c === null) return true;
        ops.push({ kind: 'DropConstraint', ...base, table: target, name: c, ifExists: false });
        break;
      }
      case 'bulkInsert':
      case 'bulkDelete':
      case 'bulkUpdate': {
        const target = table(args[0]);
        if (!target) return true;
        const action = call.name === 'bulkInsert' ? 'insert' : call.name === 'bulkDelete' ? 'delete' : 'update';
        const whereArg = action === 'delete' ? args[1] : action === 'update' ? args[2] : undefined;
        const where = whereArg ? staticValue(whereArg, scope) : null;
        const hasWhere =
          action !== 'insert' &&
          !(where === null || (typeof where === 'object' && !Array.isArray(where) && Object.keys(where).length === 0));
        const columns = action === 'update' ? [...(propsOf(args[1], scope)?.keys() ?? [])] : [];
        ops.push({ kind: 'DataChange', ...base, action, table: target, hasWhere: where === UNKNOWN ? true : hasWhere, columns });
        break;
      }
      default:
        if (!READS.has(call.name)) return false;
    }
    dir.ops.push(...ops);
    return true;
  };
  return handler;
}

/** Sequelize names an unnamed index `underscore('<table>_<field>_<field>')` (Utils.nameIndex): `teams_google_id` for googleId. */
function defaultIndexName(table: QName, fields: string[]): string {
  const { underscore } = createRequire(import.meta.url)('inflection') as typeof import('inflection');
  return underscore(`${table.name}_${fields.join('_')}`);
}

function indexFields(n: t.Node | undefined, scope: Scope): string[] | null {
  const plain = stringsOf(n, scope);
  if (plain) return plain;
  const v = staticValue(n, scope);
  if (!Array.isArray(v)) return null;
  const names = v.map((f) =>
    typeof f === 'string' ? f : f && typeof f === 'object' && !Array.isArray(f) && typeof f.name === 'string' ? f.name : null,
  );
  return names.every((x) => x !== null) ? (names as string[]) : null;
}

const CONSTRAINT_TYPES: Record<string, [ConstraintDef['type'], string]> = {
  unique: ['unique', 'uk'],
  check: ['check', 'ck'],
  'primary key': ['primary-key', 'pk'],
  'foreign key': ['foreign-key', 'fk'],
};

function constraintOf(opts: Map<string, t.Node>, fields: string[], table: QName, scope: Scope): ConstraintDef | null {
  const kind = CONSTRAINT_TYPES[(stringOf(opts.get('type'), scope) ?? '').toLowerCase()];
  if (!kind) return null;
  const [type, suffix] = kind;
  const ref = propsOf(opts.get('references'), scope);
  const refTable = stringOf(ref?.get('table'), scope) ?? stringOf(propsOf(ref?.get('table'), scope)?.get('tableName'), scope);
  return constraintDef(type, fields, {
    // QueryGenerator.getConstraintSnippet: `<table>_<fields>_<suffix>`, a foreign key also names the table it references.
    name:
      stringOf(opts.get('name'), scope) ??
      `${table.name}_${fields.join('_')}_${type === 'foreign-key' && refTable ? `${refTable}_` : ''}${suffix}`,
    references:
      type === 'foreign-key' && refTable
        ? withActions(
            fkTarget(refTable, stringOf(ref?.get('field'), scope)),
            stringOf(opts.get('onDelete'), scope),
            stringOf(opts.get('onUpdate'), scope),
          )
        : null,
    expression: type === 'check' ? '<where>' : null,
  });
}

interface Attribute {
  column: ColumnDef;
  enumValues: string[] | null;
  hasDefault: boolean;
}

function enumsOf(cols: Attribute[], base: { span: import('../ir.js').Span; text: string }): Operation[] {
  return cols.flatMap((c) =>
    c.enumValues ? [{ kind: 'CreateEnum', ...base, name: { name: c.column.type.name }, values: c.enumValues } as Operation] : [],
  );
}

/** One attribute: `Sequelize.STRING` or `{ type, allowNull, defaultValue, primaryKey, autoIncrement, unique, references }`. */
function attribute(name: string, def: t.Node, table: string, scope: Scope, out: MigrationOutput, at: t.Node): Attribute {
  const props = propsOf(def, scope);
  const typeNode = props ? props.get('type') : def;
  const type = typeNode ? dataType(typeNode, scope, `enum_${table}_${name}`) : null;
  if (!type) {
    out.notAnalyzed(at, `the type of ${table}.${name}`);
    return { column: columnDef(name, typeRef('unknown')), enumValues: null, hasDefault: false };
  }
  const flag = (k: string) => staticValue(props?.get(k), scope) === true;
  const column = columnDef(name, type.type, {
    nullable: staticValue(props?.get('allowNull'), scope) !== false && !flag('primaryKey'),
    primaryKey: flag('primaryKey'),
    unique: flag('unique') || typeof staticValue(props?.get('unique'), scope) === 'string',
  });
  if (flag('autoIncrement')) {
    column.type = asSerial(column.type);
    column.default = SERIAL_DEFAULT;
  }
  const hasDefault = props?.has('defaultValue') ?? false;
  if (hasDefault) column.default = defaultValue(props?.get('defaultValue'), scope, out, at);
  const refs = propsOf(props?.get('references'), scope);
  if (refs) {
    const model = stringOf(refs.get('model'), scope) ?? stringOf(propsOf(refs.get('model'), scope)?.get('tableName'), scope);
    if (model)
      column.references = withActions(
        fkTarget(model, stringOf(refs.get('key'), scope) ?? 'id'),
        stringOf(props?.get('onDelete'), scope),
        stringOf(props?.get('onUpdate'), scope),
      );
  }
  return { column, enumValues: type.enumValues, hasDefault };
}

function defaultValue(n: t.Node | undefined, scope: Scope, out: MigrationOutput, at: t.Node) {
  const v = staticValue(n, scope);
  if (v !== UNKNOWN && (v === null || typeof v !== 'object')) return v === null ? null : literalDefault(v);
  // An array default (`defaultValue: []`) is written as an array literal.
  if (Array.isArray(v)) return { text: `'${JSON.stringify(v).replace(/^\[/, '{').replace(/\]$/, '}')}'`, volatile: false };
  if (n) {
    const { steps } = chainOf(resolve(n, scope));
    const last = steps.at(-1);
    if (last?.name === 'NOW' && !last.args) return defaultFromSql('now()');
    // UUIDV1/UUIDV4 are generated by Sequelize in JS: the database column gets no default.
    if ((last?.name === 'UUIDV4' || last?.name === 'UUIDV1') && !last.args) return null;
    if (last?.name === 'literal' && last.args) {
      const sql = stringOf(last.args[0], scope);
      if (sql !== null) return defaultFromSql(sql);
    }
    if (last?.name === 'fn' && last.args) {
      const fn = stringOf(last.args[0], scope);
      if (fn !== null) return defaultFromSql(`${fn}()`);
    }
  }
  return runtimeDefault(n, at, out);
}

/** Sequelize data types → the PostgreSQL types Sequelize creates. */
function dataType(n: t.Node, scope: Scope, enumName: string): { type: TypeRef; enumValues: string[] | null } | null {
  const text = stringOf(n, scope);
  if (text !== null) return { type: typeFromSql(text).type, enumValues: null };
  const { steps } = chainOf(resolve(n, scope));
  const at = steps.findIndex((s) => s.name === s.name.toUpperCase() && s.name !== s.name.toLowerCase());
  const step = steps[at];
  if (!step) return null;
  const args = step.args ?? [];
  const num = (i: number): number | null => {
    const v = staticValue(args[i], scope);
    return typeof v === 'number' ? v : null;
  };
  const plain = (name: string, text = name) => ({ type: typeRef(name, [], text), enumValues: null });
  switch (step.name) {
    case 'STRING':
      return { type: typeRef('varchar', [num(0) ?? 255]), enumValues: null };
    case 'CHAR':
      return { type: typeRef('bpchar', [num(0) ?? 255], `char(${num(0) ?? 255})`), enumValues: null };
    case 'TEXT':
      return plain('text');
    case 'CITEXT':
      return plain('citext');
    case 'INTEGER':
    case 'MEDIUMINT':
      return plain('int4', 'integer');
    case 'BIGINT':
      return plain('int8', 'bigint');
    case 'SMALLINT':
    case 'TINYINT':
      return plain('int2', 'smallint');
    case 'FLOAT':
    case 'DOUBLE':
      return plain('float8', 'double precision');
    case 'REAL':
      return plain('float4', 'real');
    case 'DECIMAL': {
      const p = num(0);
      return { type: p === null ? typeRef('numeric') : typeRef('numeric', [p, num(1) ?? 0]), enumValues: null };
    }
    case 'BOOLEAN':
      return plain('bool', 'boolean');
    case 'DATE':
      return plain('timestamptz', 'timestamp with time zone');
    case 'DATEONLY':
      return plain('date');
    case 'TIME':
      return plain('time');
    case 'UUID':
    case 'JSON':
    case 'JSONB':
    case 'INET':
      return plain(step.name.toLowerCase());
    case 'BLOB':
      return plain('bytea');
    case 'ENUM': {
      // ENUM('a', 'b') or ENUM({ values: ['a', 'b'] })
      const opts = args.length === 1 ? propsOf(args[0], scope) : null;
      const listed = args.map((a) => stringOf(a, scope));
      const values = opts ? stringsOf(opts.get('values'), scope) : listed.every((v) => v !== null) ? (listed as string[]) : null;
      return values?.length ? { type: typeRef(enumName), enumValues: values } : null;
    }
    case 'ARRAY': {
      const inner = args[0] ? dataType(args[0], scope, enumName) : null;
      return inner
        ? { type: { ...inner.type, arrayDims: inner.type.arrayDims + 1, text: `${inner.type.text}[]` }, enumValues: null }
        : null;
    }
    default:
      return null;
  }
}
