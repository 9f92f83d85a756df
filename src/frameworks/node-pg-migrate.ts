// node-pg-migrate: `migrations/*.{js,ts}` exporting up(pgm)/down(pgm) (a missing down is derived by the framework,
// `exports.down = false` declares a one-way door), and SQL files with `-- Up Migration` / `-- Down Migration` sections.
import { type ColumnDef, type ConstraintDef, constraintDef, type Operation, type QName } from '../ir.js';
import type { Migration, ParsedMigration } from '../migration.js';
import type { FrameworkAdapter } from './adapter.js';
import { chainOf, moduleExports, propsOf, resolve, type Scope, staticValue, stringOf, stringsOf, type t, UNKNOWN } from './js/ast.js';
import { type JsMigrationFile, jsMigrationFiles, jsSet, migrationFunction, scriptMigration } from './js/discover.js';
import {
  columnDef,
  Direction,
  defaultFromSql,
  downStatusOf,
  fkTarget,
  functionScope,
  type Handler,
  inlineConstraints,
  isRef,
  literalDefault,
  type MigrationOutput,
  readScript,
  runFunction,
  runtimeDefault,
  SERIAL_DEFAULT,
  synthesizedSql,
  typeFromSql,
  withActions,
} from './js/interpret.js';
import { registerAdapter } from './registry.js';
import { parseSqlMigration, sqlSource } from './sql-files.js';

export const nodePgMigrate: FrameworkAdapter = registerAdapter({
  framework: 'node-pg-migrate',
  detect(folder) {
    if (!jsMigrationFiles(folder).byFramework.has('node-pg-migrate')) return null;
    const choice = { dialect: 'postgresql', dialectReason: 'node-pg-migrate runs on PostgreSQL only' } as const;
    return jsSet(folder, 'node-pg-migrate', choice, (f) =>
      f.source.language === 'sql' ? sqlMigration(f) : scriptMigration(f, 'node-pg-migrate', 'postgresql'),
    );
  },
  parse(m) {
    return m.up.language === 'sql' ? parseSqlMigration(m) : parsePgmMigration(m);
  },
});

/** Splits a SQL migration at its `-- Up Migration` / `-- Down Migration` marker lines. */
function sqlMigration(f: JsMigrationFile): Migration {
  const lines = f.source.text.split('\n');
  const marker = (name: string) => lines.findIndex((l) => l.trim().toLowerCase() === `-- ${name} migration`);
  const up = marker('up');
  const down = marker('down');
  const section = (from: number, to: number) => sqlSource(f.rel, lines.slice(from, to).join('\n'), from + 1);
  const base = scriptMigration(f, 'node-pg-migrate', 'postgresql');
  return {
    ...base,
    up: section(up, down > up ? down : lines.length),
    down: down >= 0 ? section(down, down > up ? lines.length : up) : null,
  };
}

/** How a derived down undoes one call: its operations, or why node-pg-migrate cannot. */
type Reversal = { ops: Operation[] } | { cannot: string; at: t.Node };

export function parsePgmMigration(m: Migration): ParsedMigration {
  const read = readScript(m);
  if (!read.ok) return read.parsed;
  const { ast, out } = read;
  const exported = moduleExports(ast);
  const shorthands = propsOf(exported.values.get('shorthands'), exported.scope) ?? new Map<string, t.Node>();
  const reversals: Reversal[] = [];
  const upFn = migrationFunction(exported.values.get('up'), exported.scope);
  // node-pg-migrate runs each migration (each direction) in a transaction unless it calls pgm.noTransaction().
  const up = new Direction(out);
  const upTx = { transactional: true };
  if (upFn) runFunction(upFn, functionScope(exported, m, upFn, 'pgm'), up, pgmHandler(out, shorthands, reversals, upTx));
  out.transactional = upTx.transactional;
  const downNode = exported.values.get('down');
  if (downNode && staticValue(downNode, exported.scope) === false) return out.result(up.ops, null, 'irreversible');
  const downFn = migrationFunction(downNode, exported.scope);
  if (downFn) {
    out.direction = 'down';
    const down = new Direction(out);
    const downTx = { transactional: true };
    runFunction(downFn, functionScope(exported, m, downFn, 'pgm'), down, pgmHandler(out, shorthands, [], downTx));
    return out.result(up.ops, withTransaction(down, downTx.transactional, upTx.transactional, downFn), downStatusOf(down));
  }
  if (downNode) {
    out.direction = 'down';
    out.notAnalyzed(downNode, 'an exported down that is not a function twoway can read');
    return out.result(up.ops, null, 'unreadable');
  }
  // No down: node-pg-migrate reverses the up, call by call, when every call has a reverse.
  const cannot = reversals.filter((r): r is Extract<Reversal, { cannot: string }> => 'cannot' in r);
  for (const c of cannot)
    out.cannotReverse(
      c.at,
      `node-pg-migrate cannot derive the down of this migration: ${c.cannot} has no automatic reverse, so a rollback fails here.`,
      'Export a down that undoes the up (`exports.down = (pgm) => { ... }`), or `exports.down = false` to declare the migration one-way.',
    );
  if (cannot.length) return out.result(up.ops, null, 'none');
  const derived = reversals.flatMap((r) => ('ops' in r ? r.ops : [])).reverse();
  return out.result(up.ops, derived, 'derived');
}

/**
 * The down's operations, run as node-pg-migrate runs them when its transaction differs from the up's (which
 * Migration.transactional records): `BEGIN … COMMIT` around it, or out of the transaction (`COMMIT … BEGIN`).
 */
function withTransaction(down: Direction, own: boolean, up: boolean, at: t.Node): Operation[] {
  if (own === up) return down.ops;
  const base = down.base(at);
  const [first, last] = own ? (['begin', 'commit'] as const) : (['commit', 'begin'] as const);
  return [
    { kind: 'Transaction', ...base, action: first, managed: true },
    ...down.ops,
    { kind: 'Transaction', ...base, action: last, managed: true },
  ];
}

/** node-pg-migrate's built-in type aliases. */
const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  string: 'varchar',
  float: 'real',
  double: 'double precision',
  datetime: 'timestamp',
  bool: 'boolean',
};

function pgmHandler(out: MigrationOutput, shorthands: Map<string, t.Node>, reversals: Reversal[], tx: { transactional: boolean }): Handler {
  return (e, scope, dir) => {
    if (e.type !== 'CallExpression') return false;
    const { root, steps } = chainOf(e);
    if (!isRef(root, scope, 'pgm') || steps.length !== 1 || !steps[0]?.args) return false;
    const call = steps[0];
    const args = call.args ?? [];
    const base = dir.base(e);
    const ops: Operation[] = [];
    const reverse = (r: Operation[] | string) => reversals.push(typeof r === 'string' ? { cannot: r, at: e } : { ops: r });
    const tableOf = (n: t.Node | undefined): QName | null => {
      const q = qnameOf(n, scope);
      if (!q) out.notAnalyzed(e, `pgm.${call.name} on a name known only at run time`);
      return q;
    };
    const str = (n: t.Node | undefined): string | null => {
      const v = stringOf(n, scope);
      if (v === null) out.notAnalyzed(e, `pgm.${call.name} with a name known only at run time`);
      return v;
    };
    const columnsOf = (n: t.Node | undefined, table: QName) => {
      const props = propsOf(n, scope);
      if (!props) {
        out.notAnalyzed(e, 'column definitions built at run time');
        return null;
      }
      return [...props].map(([name, def]) => pgmColumn(name, def, scope, shorthands, out, e, table));
    };
    switch (call.name) {
      case 'createTable': {
        const table = tableOf(args[0]);
        const cols = table && columnsOf(args[1], table);
        if (!table || !cols) return true;
        const opts = propsOf(args[2], scope);
        const constraints = tableConstraints(opts?.get('constraints'), scope);
        ops.push({
          kind: 'CreateTable',
          ...base,
          table,
          columns: cols.map((c) => c.column),
          constraints: [...inlineConstraints(cols.map((c) => c.column)), ...cols.flatMap((c) => c.checks), ...constraints],
          ifNotExists: staticValue(opts?.get('ifNotExists'), scope) === true,
          derived: opts?.has('like') ?? false,
        });
        reverse([{ kind: 'DropTable', ...base, table, ifExists: false, cascade: false }]);
        break;
      }
      case 'dropTable': {
        const table = tableOf(args[0]);
        if (!table) return true;
        const opts = propsOf(args[1], scope);
        ops.push({
          kind: 'DropTable',
          ...base,
          table,
          ifExists: staticValue(opts?.get('ifExists'), scope) === true,
          cascade: staticValue(opts?.get('cascade'), scope) === true,
        });
        reverse('pgm.dropTable');
        break;
      }
      case 'renameTable': {
        const table = tableOf(args[0]);
        const to = str(args[1]);
        if (!table || to === null) return true;
        ops.push({ kind: 'RenameTable', ...base, table, newName: to });
        reverse([{ kind: 'RenameTable', ...base, table: { ...table, name: to }, newName: table.name }]);
        break;
      }
      case 'addColumns':
      case 'addColumn': {
        const table = tableOf(args[0]);
        const cols = table && columnsOf(args[1], table);
        if (!table || !cols) return true;
        const ifNotExists = staticValue(propsOf(args[2], scope)?.get('ifNotExists'), scope) === true;
        for (const c of cols) {
          ops.push({ kind: 'AddColumn', ...base, table, column: c.column, ifNotExists });
          for (const k of c.checks) ops.push({ kind: 'AddConstraint', ...base, table, constraint: k });
        }
        reverse(cols.map((c) => ({ kind: 'DropColumn', ...base, table, column: c.column.name, ifExists: false, cascade: false })));
        break;
      }
      case 'dropColumns':
      case 'dropColumn': {
        const table = tableOf(args[0]);
        if (!table) return true;
        const names = stringsOf(args[1], scope);
        const defs = names ? null : columnsOf(args[1], table);
        const cols = names ?? defs?.map((d) => d.column.name);
        if (!cols) return true;
        const opts = propsOf(args[2], scope);
        for (const c of cols)
          ops.push({
            kind: 'DropColumn',
            ...base,
            table,
            column: c,
            ifExists: staticValue(opts?.get('ifExists'), scope) === true,
            cascade: staticValue(opts?.get('cascade'), scope) === true,
          });
        // Given as definitions ({ col: { type } }) the columns can be added back; given as names they cannot.
        if (defs) reverse(defs.map((d) => ({ kind: 'AddColumn', ...base, table, column: d.column, ifNotExists: false })));
        else reverse(`pgm.${call.name} without the columns' definitions`);
        break;
      }
      case 'renameColumn': {
        const table = tableOf(args[0]);
        const from = str(args[1]);
        const to = str(args[2]);
        if (!table || from === null || to === null) return true;
        ops.push({ kind: 'RenameColumn', ...base, table, column: from, newName: to });
        reverse([{ kind: 'RenameColumn', ...base, table, column: to, newName: from }]);
        break;
      }
      case 'alterColumn': {
        const table = tableOf(args[0]);
        const column = str(args[1]);
        const opts = propsOf(args[2], scope);
        if (!table || column === null) return true;
        if (!opts) {
          out.notAnalyzed(e, 'pgm.alterColumn options built at run time');
          return true;
        }
        const type = stringOf(opts.get('type'), scope);
        if (type !== null)
          ops.push({
            kind: 'AlterColumnType',
            ...base,
            table,
            column,
            type: pgmType(type).type,
            using: stringOf(opts.get('using'), scope),
          });
        if (opts.has('default'))
          ops.push({ kind: 'SetDefault', ...base, table, column, default: pgmDefault(opts.get('default'), scope, out, e) });
        const notNull = staticValue(opts.get('notNull'), scope);
        const allowNull = staticValue(opts.get('allowNull'), scope);
        if (notNull === true || allowNull === false) ops.push({ kind: 'SetNotNull', ...base, table, column });
        if (notNull === false || allowNull === true) ops.push({ kind: 'DropNotNull', ...base, table, column });
        reverse('pgm.alterColumn');
        break;
      }
      case 'addIndex':
      case 'createIndex':
      case 'dropIndex': {
        const table = tableOf(args[0]);
        const cols = indexColumns(args[1], scope);
        if (!table || !cols) {
          if (table) out.notAnalyzed(e, 'index columns known only at run time');
          return true;
        }
        const opts = propsOf(args[2], scope);
        const unique = staticValue(opts?.get('unique'), scope) === true;
        const name = stringOf(opts?.get('name'), scope) ?? `${table.name}_${cols.join('_')}${unique ? '_unique' : ''}_index`;
        const concurrently = staticValue(opts?.get('concurrently'), scope) === true;
        const ifExists = staticValue(opts?.get('ifExists'), scope) === true;
        const drop: Operation = { kind: 'DropIndex', ...base, index: { ...table, name }, concurrently, ifExists };
        if (call.name === 'dropIndex') {
          ops.push(drop);
          reverse('pgm.dropIndex');
          break;
        }
        ops.push({
          kind: 'AddIndex',
          ...base,
          table,
          name,
          columns: cols,
          unique,
          concurrently,
          ifNotExists: staticValue(opts?.get('ifNotExists'), scope) === true,
          method: stringOf(opts?.get('method'), scope) ?? 'btree',
          where: stringOf(opts?.get('where'), scope),
        });
        reverse([{ ...drop, ifExists: false }]);
        break;
      }
      case 'addConstraint':
      case 'createConstraint': {
        const table = tableOf(args[0]);
        if (!table) return true;
        const name = stringOf(args[1], scope);
        const sql = stringOf(args[2], scope);
        const added =
          sql !== null
            ? synthesizedSql(`ALTER TABLE ${sqlName(table)} ADD ${name ? `CONSTRAINT "${name}" ` : ''}${sql}`, base)
            : tableConstraints(args[2], scope, name).map((c): Operation => ({ kind: 'AddConstraint', ...base, table, constraint: c }));
        if (!added?.length) {
          out.notAnalyzed(e, 'a constraint built at run time');
          return true;
        }
        ops.push(...added);
        if (name) reverse([{ kind: 'DropConstraint', ...base, table, name, ifExists: false }]);
        else reverse('pgm.addConstraint without a constraint name');
        break;
      }
      case 'dropConstraint': {
        const table = tableOf(args[0]);
        const name = str(args[1]);
        if (!table || name === null) return true;
        ops.push({
          kind: 'DropConstraint',
          ...base,
          table,
          name,
          ifExists: staticValue(propsOf(args[2], scope)?.get('ifExists'), scope) === true,
        });
        reverse('pgm.dropConstraint');
        break;
      }
      case 'renameConstraint': {
        const table = tableOf(args[0]);
        const from = str(args[1]);
        const to = str(args[2]);
        if (!table || from === null || to === null) return true;
        ops.push({ kind: 'RenameConstraint', ...base, table, name: from, newName: to });
        reverse([{ kind: 'RenameConstraint', ...base, table, name: to, newName: from }]);
        break;
      }
      case 'createType': {
        const name = qnameOf(args[0], scope);
        const values = stringsOf(args[1], scope);
        if (!name || !values) {
          out.notAnalyzed(e, 'pgm.createType with a name or values known only at run time');
          return true;
        }
        ops.push({ kind: 'CreateEnum', ...base, name, values });
        reverse([{ kind: 'DropEnum', ...base, name, ifExists: false }]);
        break;
      }
      case 'dropType': {
        const name = tableOf(args[0]);
        if (!name) return true;
        ops.push({ kind: 'DropEnum', ...base, name, ifExists: staticValue(propsOf(args[1], scope)?.get('ifExists'), scope) === true });
        reverse('pgm.dropType');
        break;
      }
      case 'addTypeValue': {
        const name = tableOf(args[0]);
        const value = str(args[1]);
        if (!name || value === null) return true;
        const opts = propsOf(args[2], scope);
        ops.push({
          kind: 'AlterEnum',
          ...base,
          name,
          action: {
            type: 'add',
            value,
            before: stringOf(opts?.get('before'), scope),
            after: stringOf(opts?.get('after'), scope),
            ifNotExists: staticValue(opts?.get('ifNotExists'), scope) === true,
          },
        });
        reverse('pgm.addTypeValue (PostgreSQL cannot remove an enum value)');
        break;
      }
      case 'renameTypeValue': {
        const name = tableOf(args[0]);
        const from = str(args[1]);
        const to = str(args[2]);
        if (!name || from === null || to === null) return true;
        ops.push({ kind: 'AlterEnum', ...base, name, action: { type: 'rename', from, to } });
        reverse([{ kind: 'AlterEnum', ...base, name, action: { type: 'rename', from: to, to: from } }]);
        break;
      }
      case 'sql':
        dir.sql(args[0], scope, e);
        reverse('pgm.sql');
        return true;
      case 'noTransaction':
        tx.transactional = false;
        return true;
      case 'createView':
      case 'createMaterializedView': {
        const name = tableOf(args[0]);
        if (!name) return true;
        const materialized = call.name === 'createMaterializedView';
        const replace = staticValue(propsOf(args[1], scope)?.get('replace'), scope) === true;
        ops.push({ kind: 'CreateView', ...base, name, materialized, orReplace: replace });
        reverse([{ kind: 'DropView', ...base, name, materialized, ifExists: false }]);
        break;
      }
      case 'dropView':
      case 'dropMaterializedView': {
        const name = tableOf(args[0]);
        if (!name) return true;
        const materialized = call.name === 'dropMaterializedView';
        ops.push({
          kind: 'DropView',
          ...base,
          name,
          materialized,
          ifExists: staticValue(propsOf(args[1], scope)?.get('ifExists'), scope) === true,
        });
        reverse(`pgm.${call.name}`);
        break;
      }
      default: {
        // Functions, triggers, extensions, schemas, sequences, policies, grants: kept as statements twoway does not model.
        const known = /^(create|add|drop|alter|rename|set|grant|revoke|comment|refresh)[A-Z]/.test(call.name);
        if (!known) return false;
        ops.push({ kind: 'Raw', ...base, statement: `pgm.${call.name}`, notAnalyzed: null });
        if (/^(create|add)[A-Z]/.test(call.name))
          reverse([{ kind: 'Raw', ...base, statement: `reverse of pgm.${call.name}`, notAnalyzed: null }]);
        else reverse(`pgm.${call.name}`);
      }
    }
    dir.ops.push(...ops);
    return true;
  };
}

/** `'users'`, `'app.users'` or `{ schema: 'app', name: 'users' }`. */
function qnameOf(n: t.Node | undefined, scope: Scope): QName | null {
  const s = stringOf(n, scope);
  if (s !== null) return { name: s };
  const props = propsOf(n, scope);
  const name = stringOf(props?.get('name'), scope);
  if (!props || name === null) return null;
  const schema = stringOf(props.get('schema'), scope);
  return schema ? { schema, name } : { name };
}

function sqlName(q: QName): string {
  return q.schema ? `"${q.schema}"."${q.name}"` : `"${q.name}"`;
}

/** Index columns: `'a'`, `['a', 'b']` or `[{ name: 'a', sort: 'DESC' }]`. */
function indexColumns(n: t.Node | undefined, scope: Scope): string[] | null {
  const plain = stringsOf(n, scope);
  if (plain) return plain;
  const v = staticValue(n, scope);
  if (!Array.isArray(v)) return null;
  const names = v.map((c) => (c && typeof c === 'object' && !Array.isArray(c) && typeof c.name === 'string' ? c.name : null));
  return names.every((x) => x !== null) ? (names as string[]) : null;
}

function pgmType(text: string): ReturnType<typeof typeFromSql> {
  return typeFromSql(TYPE_ALIASES[text] ?? text);
}

function pgmDefault(n: t.Node | undefined, scope: Scope, out: MigrationOutput, at: t.Node) {
  const v = staticValue(n, scope);
  if (v !== UNKNOWN && (v === null || typeof v !== 'object')) return v === null ? null : literalDefault(v);
  if (n) {
    const r = resolve(n, scope);
    // pgm.func('now()') and new PgLiteral('now()') are SQL expressions written as strings.
    const { steps } = chainOf(r);
    const fromCall = r.type === 'CallExpression' && steps.at(-1)?.name === 'func' ? stringOf(steps.at(-1)?.args?.[0], scope) : null;
    const fromNew =
      r.type === 'NewExpression' && r.callee.type === 'Identifier' && r.callee.name === 'PgLiteral'
        ? stringOf(r.arguments[0], scope)
        : null;
    const sql = fromCall ?? fromNew;
    if (sql !== null) return defaultFromSql(sql);
  }
  return runtimeDefault(n, at, out);
}

/** One entry of a columns object: `'id'`, `'varchar(100)'`, a shorthand, or `{ type, notNull, default, references, … }`. */
function pgmColumn(
  name: string,
  def: t.Node,
  scope: Scope,
  shorthands: Map<string, t.Node>,
  out: MigrationOutput,
  at: t.Node,
  table: QName,
): { column: ColumnDef; checks: ConstraintDef[] } {
  let spec = def;
  const typeText = stringOf(def, scope);
  if (typeText !== null) {
    const shorthand = shorthands.get(typeText);
    if (shorthand) spec = shorthand;
    else if (typeText === 'id')
      return {
        column: columnDef(name, pgmType('serial').type, { nullable: false, default: SERIAL_DEFAULT, primaryKey: true }),
        checks: [],
      };
    else return { column: columnFromType(name, typeText), checks: [] };
  }
  const props = propsOf(spec, scope);
  const type = stringOf(props?.get('type'), scope);
  if (!props || type === null) {
    out.notAnalyzed(at, `the definition of column ${table.name}.${name}`);
    return { column: columnDef(name, pgmType('unknown').type), checks: [] };
  }
  const column = columnFromType(name, type);
  const flag = (k: string) => staticValue(props.get(k), scope) === true;
  if (flag('notNull') || flag('primaryKey')) column.nullable = false;
  if (flag('primaryKey')) column.primaryKey = true;
  if (flag('unique')) column.unique = true;
  if (props.has('default')) column.default = pgmDefault(props.get('default'), scope, out, at) ?? column.default;
  if (props.has('sequenceGenerated')) column.identity = true;
  if (props.has('expressionGenerated') || props.has('generated')) column.generated = true;
  const ref = props.get('references');
  if (ref) {
    const target = stringOf(ref, scope);
    const q = target === null ? qnameOf(ref, scope) : null;
    if (target !== null) {
      const paren = target.indexOf('(');
      column.references =
        paren > 0
          ? fkTarget(target.slice(0, paren).trim(), target.slice(paren + 1, target.lastIndexOf(')')).trim())
          : fkTarget(target, null);
    } else if (q) column.references = { table: q, columns: [] };
    if (column.references)
      column.references = withActions(column.references, stringOf(props.get('onDelete'), scope), stringOf(props.get('onUpdate'), scope));
  }
  const check = stringOf(props.get('check'), scope);
  return { column, checks: check ? [constraintDef('check', [name], { expression: check })] : [] };
}

function columnFromType(name: string, type: string): ColumnDef {
  const t = pgmType(type);
  return t.serial ? columnDef(name, t.type, { nullable: false, default: SERIAL_DEFAULT }) : columnDef(name, t.type);
}

/** `constraints: { primaryKey, unique, foreignKeys, check }` of createTable, or addConstraint's object form. */
function tableConstraints(n: t.Node | undefined, scope: Scope, name: string | null = null): ConstraintDef[] {
  const props = propsOf(n, scope);
  if (!props) return [];
  const out: ConstraintDef[] = [];
  const named = { name };
  const pk = stringsOf(props.get('primaryKey'), scope);
  if (pk) out.push(constraintDef('primary-key', pk, named));
  const unique = staticValue(props.get('unique'), scope);
  if (typeof unique === 'string') out.push(constraintDef('unique', [unique], named));
  else if (Array.isArray(unique)) {
    if (unique.every((u) => typeof u === 'string')) out.push(constraintDef('unique', unique as string[], named));
    else for (const u of unique) if (Array.isArray(u)) out.push(constraintDef('unique', u as string[], named));
  }
  for (const check of stringsOf(props.get('check'), scope) ?? []) out.push(constraintDef('check', [], { ...named, expression: check }));
  const fks = resolve(props.get('foreignKeys') ?? { type: 'NullLiteral' }, scope);
  for (const fk of fks.type === 'ArrayExpression' ? fks.elements : [fks]) {
    const p = fk ? propsOf(fk, scope) : null;
    const columns = stringsOf(p?.get('columns'), scope);
    const refTable = stringOf(p?.get('references'), scope);
    if (!p || !columns || refTable === null) continue;
    const paren = refTable.indexOf('(');
    const target =
      paren > 0
        ? fkTarget(refTable.slice(0, paren).trim(), refTable.slice(paren + 1, refTable.lastIndexOf(')')).trim())
        : fkTarget(refTable, null);
    out.push(
      constraintDef('foreign-key', columns, {
        ...named,
        references: withActions(target, stringOf(p.get('onDelete'), scope), stringOf(p.get('onUpdate'), scope)),
      }),
    );
  }
  return out;
}
