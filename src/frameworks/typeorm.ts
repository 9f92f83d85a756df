// TypeORM: migration classes (`implements MigrationInterface`) with up(queryRunner)/down(queryRunner): SQL in
// queryRunner.query, schema helpers (createTable(new Table(...)), addColumn(new TableColumn(...)), …).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { chooseDialect, declared } from '../discover/dialect.js';
import { type ColumnDef, type ConstraintDef, constraintDef, type Operation, type QName } from '../ir.js';
import type { Migration, ParsedMigration } from '../migration.js';
import type { FrameworkAdapter } from './adapter.js';
import {
  chainOf,
  isIdentifier,
  migrationClass,
  moduleExports,
  paramName,
  propsOf,
  resolve,
  type Scope,
  staticValue,
  stringOf,
  stringsOf,
  type t,
} from './js/ast.js';
import { dialectOfClient, findUp, idAndName, jsMigrationFiles, jsSet, literalProperty, scriptMigration } from './js/discover.js';
import {
  asSerial,
  columnDef,
  Direction,
  defaultFromSql,
  downStatusOf,
  fkTarget,
  type Handler,
  inlineConstraints,
  literalDefault,
  type MigrationOutput,
  qname,
  readScript,
  runFunction,
  SERIAL_DEFAULT,
  typeFromSql,
  typeRef,
} from './js/interpret.js';

export const typeorm: FrameworkAdapter = {
  framework: 'typeorm',
  detect(folder) {
    if (!jsMigrationFiles(folder).byFramework.has('typeorm')) return null;
    const choice = chooseDialect(folder, folder.rel, configuredDialect(folder.abs));
    return jsSet(
      folder,
      'typeorm',
      choice,
      (f) => {
        // TypeORM orders by the timestamp that ends the class name (`AddUsers1700000000000`).
        const digits = f.className?.match(/(\d+)$/)?.[1];
        const idName = digits ? { id: digits, name: (f.className ?? '').slice(0, -digits.length) } : idAndName(f.file);
        return scriptMigration(f, 'typeorm', choice.dialect, idName);
      },
      byTimestamp,
    );
  },
  parse: parseTypeormMigration,
};

function byTimestamp(a: Migration, b: Migration): number {
  const numeric = /^\d+$/;
  if (numeric.test(a.id) && numeric.test(b.id)) {
    const x = BigInt(a.id);
    const y = BigInt(b.id);
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
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
  // `transaction = false` on the class runs the migration outside a transaction.
  const txField = cls?.node.body.body.find(
    (p) => p.type === 'ClassProperty' && p.key.type === 'Identifier' && p.key.name === 'transaction',
  );
  if (txField?.type === 'ClassProperty' && staticValue(txField.value, exported.scope) === false) out.transactional = false;
  const run = (fn: t.ClassMethod | null | undefined): Direction | null => {
    if (!fn) return null;
    const dir = new Direction(out);
    runFunction(fn, exported.scope, dir, typeormHandler(paramName(fn, 0), out));
    return dir;
  };
  const up = run(cls?.up);
  const down = run(cls?.down);
  return out.result(up?.ops ?? [], down?.ops ?? null, downStatusOf(down));
}

const READS = new Set([
  'hasTable',
  'hasColumn',
  'getTable',
  'getTables',
  'hasSchema',
  'hasDatabase',
  'clearSqlMemory',
  'release',
  'connect',
]);

function typeormHandler(param: string | null, out: MigrationOutput): Handler {
  return (e, scope, dir) => {
    if (e.type !== 'CallExpression') return false;
    const { root, steps } = chainOf(e);
    if (!isIdentifier(root, param)) return false;
    // queryRunner.manager.query(...) and queryRunner.connection.query(...) run SQL too.
    const call =
      steps.length === 2 && (steps[0]?.name === 'manager' || steps[0]?.name === 'connection')
        ? steps[1]
        : steps.length === 1
          ? steps[0]
          : null;
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
        const constraints: ConstraintDef[] = [...inlineConstraints(cols)];
        for (const fk of list(props.get('foreignKeys'))) {
          const c = foreignKey(fk, scope);
          if (c) constraints.push(c);
        }
        for (const u of list(props.get('uniques'))) {
          const p = newArgs(resolve(u, scope), 'TableUnique', scope) ?? propsOf(u, scope);
          const columnsOfUnique = stringsOf(p?.get('columnNames'), scope);
          if (columnsOfUnique) constraints.push(constraintDef('unique', columnsOfUnique, { name: stringOf(p?.get('name'), scope) }));
        }
        for (const k of list(props.get('checks'))) {
          const p = newArgs(resolve(k, scope), 'TableCheck', scope) ?? propsOf(k, scope);
          constraints.push(
            constraintDef('check', [], { name: stringOf(p?.get('name'), scope), expression: stringOf(p?.get('expression'), scope) }),
          );
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
        const props = args[2] ? (newArgs(resolve(args[2], scope), 'TableColumn', scope) ?? propsOf(args[2], scope)) : null;
        const col = props ? typeormColumn(props, scope, t?.name ?? '')?.column : null;
        if (!t || from === null || !props || !col) {
          if (t && from !== null) out.notAnalyzed(e, 'a column definition built at run time in queryRunner.changeColumn');
          return true;
        }
        if (col.name !== from) ops.push({ kind: 'RenameColumn', ...base, table: t, column: from, newName: col.name });
        ops.push({ kind: 'AlterColumnType', ...base, table: t, column: col.name, type: col.type, using: null });
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
      case 'createCheckConstraint': {
        const t = table(args[0]);
        if (!t) return true;
        const c =
          call.name === 'createForeignKey'
            ? foreignKey(args[1], scope)
            : call.name === 'createUniqueConstraint'
              ? namedConstraint(args[1], 'TableUnique', 'unique', scope)
              : call.name === 'createCheckConstraint'
                ? namedConstraint(args[1], 'TableCheck', 'check', scope)
                : null;
        const all = call.name === 'createForeignKeys' ? list(args[1]).map((fk) => foreignKey(fk, scope)) : [c];
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
      case 'rollbackTransaction':
        ops.push({
          kind: 'Transaction',
          ...base,
          action: call.name === 'startTransaction' ? 'begin' : call.name === 'commitTransaction' ? 'commit' : 'rollback',
        });
        break;
      default:
        if (!READS.has(call.name)) return false;
    }
    dir.ops.push(...ops);
    return true;
  };
}

/** The options object of `new <Class>({...})`. */
function newArgs(n: t.Node, className: string, scope: Scope): Map<string, t.Node> | null {
  if (n.type !== 'NewExpression' || !isIdentifier(n.callee, className)) return null;
  return propsOf(n.arguments[0], scope);
}

function foreignKey(n: t.Node | undefined, scope: Scope): ConstraintDef | null {
  if (!n) return null;
  const p = newArgs(resolve(n, scope), 'TableForeignKey', scope) ?? propsOf(n, scope);
  const columns = stringsOf(p?.get('columnNames'), scope);
  const refTable = stringOf(p?.get('referencedTableName'), scope);
  if (!p || !columns || refTable === null) return null;
  return constraintDef('foreign-key', columns, {
    name: stringOf(p.get('name'), scope),
    references: { table: fkTarget(refTable, null).table, columns: stringsOf(p.get('referencedColumnNames'), scope) ?? [] },
  });
}

function namedConstraint(n: t.Node | undefined, className: string, type: 'unique' | 'check', scope: Scope): ConstraintDef | null {
  if (!n) return null;
  const p = newArgs(resolve(n, scope), className, scope) ?? propsOf(n, scope);
  if (!p) return null;
  const columns = stringsOf(p.get('columnNames'), scope) ?? [];
  return constraintDef(type, columns, {
    name: stringOf(p.get('name'), scope),
    expression: type === 'check' ? stringOf(p.get('expression'), scope) : null,
  });
}

function index(n: t.Node, table: QName, scope: Scope, base: { span: import('../ir.js').Span; text: string }): Operation | null {
  const p = newArgs(resolve(n, scope), 'TableIndex', scope) ?? propsOf(n, scope);
  const columns = stringsOf(p?.get('columnNames'), scope);
  if (!p || !columns) return null;
  return {
    kind: 'AddIndex',
    ...base,
    table,
    name: stringOf(p.get('name'), scope),
    columns,
    unique: staticValue(p.get('isUnique'), scope) === true,
    concurrently: false,
    ifNotExists: false,
    method: staticValue(p.get('isSpatial'), scope) === true ? 'gist' : 'btree',
    where: stringOf(p.get('where'), scope),
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
  const typeName = stringOf(p.get('type'), scope);
  if (name === null || typeName === null) return null;
  const flag = (k: string) => staticValue(p.get(k), scope) === true;
  const length = staticValue(p.get('length'), scope);
  const precision = staticValue(p.get('precision'), scope);
  const scale = staticValue(p.get('scale'), scope);
  const args = [length, precision, scale].filter((x) => x !== undefined && (typeof x === 'number' || typeof x === 'string')).map(Number);
  const values = stringsOf(p.get('enum'), scope);
  const isEnum = typeName === 'enum' || typeName === 'simple-enum';
  const enumName = stringOf(p.get('enumName'), scope) ?? `${table}_${name}_enum`;
  let type = isEnum ? typeRef(enumName) : typeFromSql(args.length ? `${typeName}(${args.join(',')})` : typeName).type;
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
      typeof v === 'string' ? defaultFromSql(v) : typeof v === 'number' || typeof v === 'boolean' || v === null ? literalDefault(v) : null;
  }
  return { column: col, enumValues: isEnum ? values : null };
}
