// Reading JS/TS migrations with @babel/parser, never running them: exports, static values, call chains.
import { createRequire } from 'node:module';
import type * as BabelParser from '@babel/parser';
import type * as t from '@babel/types';
import type { Dialect, Span } from '../../ir.js';
import type { ReadError, SourceText } from '../../migration.js';

export type { t };

export type JsModule = { ok: true; ast: t.File } | { ok: false; error: ReadError };

let babel: typeof BabelParser | undefined;

/** @babel/parser on first use: a run with no JS/TS migrations never loads it (a large CommonJS file, ~0.1 s). */
function babelParser(): typeof BabelParser {
  babel ??= createRequire(import.meta.url)('@babel/parser') as typeof BabelParser;
  return babel;
}

export function parseModule(source: SourceText): JsModule {
  try {
    const ast = babelParser().parse(source.text, {
      sourceType: 'unambiguous',
      sourceFilename: source.path,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      // Comments are read from ast.comments (directives); attaching them to nodes only costs time.
      attachComment: false,
      plugins: source.language === 'typescript' ? ['typescript', 'decorators-legacy'] : ['decorators-legacy'],
    });
    return { ok: true, ast };
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    const message = (e as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    return {
      ok: false,
      error: {
        path: source.path,
        line: (loc?.line ?? 1) + source.startLine - 1,
        column: (loc?.column ?? 0) + 1,
        message: `syntax: ${message}`,
      },
    };
  }
}

export function spanOf(node: t.Node, source: SourceText, from?: t.Node): Span {
  const start = (from ?? node).loc?.start ?? { line: 1, column: 0 };
  const end = node.loc?.end ?? start;
  const shift = source.startLine - 1;
  return { path: source.path, line: start.line + shift, column: start.column + 1, endLine: end.line + shift, endColumn: end.column + 1 };
}

export function textOf(node: t.Node, source: SourceText, from?: t.Node): string {
  return source.text.slice((from ?? node).start ?? 0, node.end ?? 0);
}

/** Names bound to the expressions they hold (`const table = 'users'`), innermost scope last. */
export class Scope {
  private readonly bindings = new Map<string, t.Node>();
  /** The SQL dialect of the set: what branches on the database (`isPostgres`, `type === 'sqlite'`) are decided by. */
  readonly dialect: Dialect | null;
  constructor(
    private readonly parent: Scope | null = null,
    dialect: Dialect | null = null,
  ) {
    this.dialect = dialect ?? parent?.dialect ?? null;
  }
  set(name: string, node: t.Node): void {
    this.bindings.set(name, node);
  }
  get(name: string): t.Node | undefined {
    return this.bindings.has(name) ? this.bindings.get(name) : this.parent?.get(name);
  }
  /** `x = value`: rebinds x where it was declared (or here, when it was not). */
  assign(name: string, node: t.Node): void {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.bindings.has(name)) {
        s.bindings.set(name, node);
        return;
      }
    }
    this.bindings.set(name, node);
  }
  child(): Scope {
    return new Scope(this);
  }
}

/** Stand-ins for values only known at run time (a loop variable over rows) and for the framework's own objects. */
const OPAQUE = new WeakMap<t.Node, string>();

/** A node that stands for a value known only at run time; `kind` names framework objects (`queryRunner`, `knex`). */
export function opaque(name: string, kind = 'runtime'): t.Node {
  const node = { type: 'Identifier', name, start: null, end: null, loc: null } as unknown as t.Identifier;
  OPAQUE.set(node, kind);
  return node;
}

/** The kind of an opaque value (`runtime`, or the framework object it is), or null for a node written in the file. */
export function opaqueKind(node: t.Node): string | null {
  return OPAQUE.get(node) ?? null;
}

/** Strips TypeScript casts, `await` and parentheses: they do not change what is called. */
export function unwrap(node: t.Node): t.Node {
  let n = node;
  for (;;) {
    if (n.type === 'AwaitExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression')
      n = n.type === 'AwaitExpression' ? n.argument : n.expression;
    else if (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion') n = n.expression;
    else return n;
  }
}

/**
 * Follows bindings to the expression they name: identifiers, members of object literals and of the
 * migration class (`this.tableName`), and conditionals whose test is known (`sqlite ? 0 : false`).
 */
export function resolve(node: t.Node, scope: Scope | null, seen = 0): t.Node {
  const n = unwrap(node);
  if (seen > 20 || !scope) return n;
  if (n.type === 'Identifier' && !OPAQUE.has(n)) {
    const bound = scope.get(n.name);
    if (bound && bound !== n) return resolve(bound, scope, seen + 1);
  }
  if (n.type === 'ThisExpression') {
    const bound = scope.get('this');
    if (bound) return bound;
  }
  if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && n.property.type !== 'PrivateName') {
    const key = n.computed ? stringOf(n.property, scope) : n.property.type === 'Identifier' ? n.property.name : null;
    const object = resolve(n.object, scope, seen + 1);
    const member = key === null ? undefined : memberOf(object, key, scope);
    if (member) return resolve(member, scope, seen + 1);
  }
  if (n.type === 'ConditionalExpression') {
    const test = truth(n.test, scope);
    if (test !== null) return resolve(test ? n.consequent : n.alternate, scope, seen + 1);
  }
  return n;
}

/** A property of an object literal, or a property or method of a class (the migration's `this`). */
function memberOf(object: t.Node, key: string, scope: Scope): t.Node | undefined {
  if (object.type === 'ObjectExpression') return propsOf(object, scope)?.get(key);
  if (object.type === 'ArrayExpression' && /^\d+$/.test(key)) {
    const el = object.elements[Number(key)];
    return el && el.type !== 'SpreadElement' ? el : undefined;
  }
  if (object.type === 'ClassDeclaration' || object.type === 'ClassExpression') {
    for (const m of object.body.body) {
      if ((m.type === 'ClassProperty' || m.type === 'ClassMethod') && !m.static && m.key.type === 'Identifier' && m.key.name === key)
        return m.type === 'ClassProperty' ? (m.value ?? undefined) : m;
    }
  }
  return undefined;
}

/** A string known without running the code: literals, templates and `+` of known parts, bindings. */
export function stringOf(node: t.Node | undefined | null, scope: Scope | null): string | null {
  if (!node) return null;
  const n = resolve(node, scope);
  if (n.type === 'StringLiteral') return n.value;
  if (n.type === 'TemplateLiteral') {
    let out = n.quasis[0]?.value.cooked ?? n.quasis[0]?.value.raw ?? '';
    for (let i = 0; i < n.expressions.length; i++) {
      const part = scalarText(n.expressions[i] as t.Node, scope);
      if (part === null) return null;
      out += part + (n.quasis[i + 1]?.value.cooked ?? n.quasis[i + 1]?.value.raw ?? '');
    }
    return out;
  }
  if (n.type === 'BinaryExpression' && n.operator === '+' && n.left.type !== 'PrivateName') {
    const a = scalarText(n.left, scope);
    const b = scalarText(n.right, scope);
    return a !== null && b !== null && (stringOf(n.left, scope) !== null || stringOf(n.right, scope) !== null) ? a + b : null;
  }
  return null;
}

/** A string or number as JavaScript writes it into a string. */
function scalarText(node: t.Node, scope: Scope | null): string | null {
  const s = stringOf(node, scope);
  if (s !== null) return s;
  const n = resolve(node, scope);
  if (n.type === 'NumericLiteral') return String(n.value);
  if (n.type === 'BooleanLiteral') return String(n.value);
  return null;
}

/** Database names as code compares them (`options.type === 'postgres'`, knex `client: 'pg'`), by the dialect they are. */
const DATABASE_NAMES: Record<string, Dialect | 'other'> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pg: 'postgresql',
  'pg-native': 'postgresql',
  'aurora-postgres': 'postgresql',
  cockroachdb: 'other',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  'aurora-mysql': 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  sqljs: 'sqlite',
  capacitor: 'sqlite',
  expo: 'sqlite',
  'react-native': 'sqlite',
  nativescript: 'sqlite',
  mssql: 'other',
  oracle: 'other',
  oracledb: 'other',
  sap: 'other',
  spanner: 'other',
};

/** Whether a database name (`'postgres'`, `'better-sqlite3'`) is the set's dialect; null when it names no database. */
export function isDialectName(name: string, dialect: Dialect): boolean | null {
  const d = DATABASE_NAMES[name.toLowerCase()];
  return d === undefined ? null : d === dialect;
}

/**
 * The truth of a condition known without running the code: literals, bindings, `!`, `&&`, `||`, and
 * comparisons with a database name, which the set's dialect decides (`type === 'sqlite'`,
 * `['mysql', 'mariadb'].includes(type)`). Null when only run time tells.
 */
export function truth(node: t.Node, scope: Scope | null, seen = 0): boolean | null {
  if (seen > 20) return null;
  const n = resolve(node, scope);
  switch (n.type) {
    case 'BooleanLiteral':
      return n.value;
    case 'NumericLiteral':
      return n.value !== 0;
    case 'StringLiteral':
      return n.value !== '';
    case 'NullLiteral':
      return false;
    case 'UnaryExpression': {
      if (n.operator !== '!') return null;
      const v = truth(n.argument, scope, seen + 1);
      return v === null ? null : !v;
    }
    case 'LogicalExpression': {
      const a = truth(n.left, scope, seen + 1);
      const b = truth(n.right, scope, seen + 1);
      if (n.operator === '&&') return a === false || b === false ? false : a === true && b === true ? true : null;
      if (n.operator === '||') return a === true || b === true ? true : a === false && b === false ? false : null;
      return null;
    }
    case 'BinaryExpression': {
      if (!['===', '==', '!==', '!='].includes(n.operator) || n.left.type === 'PrivateName') return null;
      const equal = n.operator === '===' || n.operator === '==';
      const left = stringOf(n.left, scope);
      const right = stringOf(n.right, scope);
      if (left !== null && right !== null) return (left === right) === equal;
      const name = left ?? right;
      const dialect = scope?.dialect;
      if (name === null || !dialect) return null;
      const is = isDialectName(name, dialect);
      return is === null ? null : is === equal;
    }
    case 'CallExpression': {
      // ['mysql', 'mariadb'].includes(type)
      const callee = unwrap(n.callee);
      if (callee.type !== 'MemberExpression' || callee.computed || !isIdentifier(callee.property, 'includes')) return null;
      const names = stringsOf(callee.object, scope);
      const dialect = scope?.dialect;
      if (!names || !dialect || n.arguments.length !== 1 || stringOf(n.arguments[0], scope) !== null) return null;
      const known = names.map((x) => isDialectName(x, dialect));
      if (known.some((k) => k === null)) return null;
      return known.some((k) => k === true);
    }
    default:
      return null;
  }
}

export const UNKNOWN = Symbol('not statically known');
export type StaticValue = string | number | boolean | null | StaticValue[] | { [key: string]: StaticValue };

/** A literal value (string, number, boolean, null, array or object of those), or UNKNOWN. */
export function staticValue(node: t.Node | undefined | null, scope: Scope | null): StaticValue | typeof UNKNOWN {
  if (!node) return UNKNOWN;
  const n = resolve(node, scope);
  const s = stringOf(n, scope);
  if (s !== null) return s;
  switch (n.type) {
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return n.value;
    case 'NullLiteral':
      return null;
    case 'UnaryExpression':
      if (n.operator === '-' && n.argument.type === 'NumericLiteral') return -n.argument.value;
      return UNKNOWN;
    case 'ArrayExpression': {
      const out: StaticValue[] = [];
      for (const el of n.elements) {
        const v = el && el.type !== 'SpreadElement' ? staticValue(el, scope) : UNKNOWN;
        if (v === UNKNOWN) return UNKNOWN;
        out.push(v);
      }
      return out;
    }
    case 'ObjectExpression': {
      const props = propsOf(n, scope);
      if (!props) return UNKNOWN;
      const out: Record<string, StaticValue> = {};
      for (const [k, v] of props) {
        const value = staticValue(v, scope);
        if (value === UNKNOWN) return UNKNOWN;
        out[k] = value;
      }
      return out;
    }
    default:
      return UNKNOWN;
  }
}

/** The properties of an object literal by key, or null when a key is computed or spread in. */
export function propsOf(node: t.Node | undefined | null, scope: Scope | null): Map<string, t.Node> | null {
  if (!node) return null;
  const n = resolve(node, scope);
  if (n.type !== 'ObjectExpression') return null;
  const out = new Map<string, t.Node>();
  for (const p of n.properties) {
    if (p.type === 'SpreadElement') return null;
    const key = p.computed ? stringOf(p.key, scope) : p.key.type === 'Identifier' ? p.key.name : stringOf(p.key, scope);
    if (key === null) return null;
    out.set(key, p.type === 'ObjectProperty' ? p.value : p);
  }
  return out;
}

/** Strings of a literal array (`['a', 'b']`) or a single string; null when not static. */
export function stringsOf(node: t.Node | undefined | null, scope: Scope | null): string[] | null {
  const v = staticValue(node, scope);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

/** One link of `a.b(x).c(y)`: a property read (args null) or a method call. `()` is a call of the root itself (`knex('users')`). */
export interface Step {
  name: string;
  args: t.Node[] | null;
  /** The call (or member) expression this step ends. */
  node: t.Node;
  /** The property name node, where the step starts when it is not the first. */
  property: t.Node | null;
}

/** Flattens a call chain into its root and steps, left to right. Computed members stop the chain. */
export function chainOf(expr: t.Node): { root: t.Node; steps: Step[] } {
  const steps: Step[] = [];
  let n = unwrap(expr);
  for (;;) {
    if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
      const callee = unwrap(n.callee);
      if (
        (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
        !callee.computed &&
        callee.property.type === 'Identifier'
      ) {
        steps.push({ name: callee.property.name, args: n.arguments, node: n, property: callee.property });
        n = unwrap(callee.object);
        continue;
      }
      if (callee.type === 'Identifier') {
        steps.push({ name: '()', args: n.arguments, node: n, property: null });
        n = callee;
      }
      break;
    }
    if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed && n.property.type === 'Identifier') {
      steps.push({ name: n.property.name, args: null, node: n, property: n.property });
      n = unwrap(n.object);
      continue;
    }
    break;
  }
  return { root: n, steps: steps.reverse() };
}

export function isIdentifier(node: t.Node, name: string | null): boolean {
  return node.type === 'Identifier' && name !== null && node.name === name;
}

export type FunctionNode = t.Function;

export function isFunction(node: t.Node | undefined | null): node is FunctionNode {
  return (
    !!node &&
    (node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression' ||
      node.type === 'FunctionDeclaration' ||
      node.type === 'ObjectMethod' ||
      node.type === 'ClassMethod')
  );
}

/** Name of a function's nth parameter (defaults and type annotations allowed), or null. */
export function paramName(fn: FunctionNode, index: number): string | null {
  let p: t.Node | undefined = fn.params[index];
  if (p?.type === 'AssignmentPattern') p = p.left;
  return p?.type === 'Identifier' ? p.name : null;
}

/** The type written on a parameter (`queryRunner: QueryRunner` → QueryRunner). */
export function paramTypeName(fn: FunctionNode, index: number): string | null {
  const p = fn.params[index];
  const ann = p && 'typeAnnotation' in p ? p.typeAnnotation : null;
  const type = ann && ann.type === 'TSTypeAnnotation' ? ann.typeAnnotation : null;
  if (type?.type !== 'TSTypeReference') return null;
  return type.typeName.type === 'Identifier'
    ? type.typeName.name
    : type.typeName.type === 'TSQualifiedName'
      ? type.typeName.right.name
      : null;
}

export interface ModuleExports {
  /** Exported names (`exports.up`, `module.exports = { up }`, `export function up`, `export default { up }`) → their value. */
  values: Map<string, t.Node>;
  /** Top-level constant bindings, for names used inside the functions. */
  scope: Scope;
  /** Classes defined at top level (TypeORM migrations). */
  classes: Array<t.ClassDeclaration | t.ClassExpression>;
  /** Names imported from other modules (`import { a } from './x'`, `const { a } = require('./x')`). */
  imports: Array<{ local: string; source: string; imported: string | null }>;
}

/** What a module exports, read from its top-level statements (CommonJS and ES modules). */
export function moduleExports(ast: t.File): ModuleExports {
  const scope = new Scope();
  const values = new Map<string, t.Node>();
  const classes: ModuleExports['classes'] = [];
  const imports: ModuleExports['imports'] = [];
  const declared = new Map<string, t.Node>();
  const addObject = (obj: t.Node) => {
    const props = propsOf(obj, scope);
    for (const [k, v] of props ?? []) values.set(k, v);
  };
  const declare = (d: t.Node) => {
    if (d.type === 'FunctionDeclaration' && d.id) {
      declared.set(d.id.name, d);
      scope.set(d.id.name, d);
    }
    if (d.type === 'ClassDeclaration') {
      classes.push(d);
      if (d.id) declared.set(d.id.name, d);
    }
    if (d.type === 'ImportDeclaration') {
      for (const sp of d.specifiers) {
        const imported = sp.type === 'ImportSpecifier' ? (sp.imported.type === 'Identifier' ? sp.imported.name : sp.imported.value) : null;
        imports.push({ local: sp.local.name, source: d.source.value, imported });
        scope.set(sp.local.name, opaque(sp.local.name, `import:${d.source.value}`));
      }
    }
    if (d.type === 'VariableDeclaration') {
      for (const v of d.declarations) {
        if (!v.init) continue;
        const init = unwrap(v.init);
        // const x = require('y'), const { a, b } = require('y')
        const required = init.type === 'CallExpression' && isIdentifier(init.callee, 'require') ? stringOf(init.arguments[0], null) : null;
        if (required !== null) {
          const names =
            v.id.type === 'Identifier'
              ? [{ local: v.id.name, imported: null }]
              : v.id.type === 'ObjectPattern'
                ? v.id.properties.flatMap((p) =>
                    p.type === 'ObjectProperty' && p.value.type === 'Identifier' && p.key.type === 'Identifier'
                      ? [{ local: p.value.name, imported: p.key.name }]
                      : [],
                  )
                : [];
          for (const n of names) {
            imports.push({ ...n, source: required });
            scope.set(n.local, opaque(n.local, `import:${required}`));
          }
          continue;
        }
        if (v.id.type !== 'Identifier') continue;
        declared.set(v.id.name, v.init);
        scope.set(v.id.name, v.init);
        if (init.type === 'ClassExpression') classes.push(init);
      }
    }
  };
  const exportTarget = (left: t.Node): string | null => {
    const c = chainOf(left);
    const names = c.steps.map((s) => s.name);
    if (isIdentifier(c.root, 'exports') && names.length === 1) return names[0] ?? null;
    if (isIdentifier(c.root, 'module') && names[0] === 'exports' && names.length === 2) return names[1] ?? null;
    if (isIdentifier(c.root, 'module') && names[0] === 'exports' && names.length === 1) return '*';
    return null;
  };
  for (const s of ast.program.body) {
    declare(s);
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=') {
      const target = exportTarget(s.expression.left);
      const right = unwrap(s.expression.right);
      if (target === '*') {
        if (right.type === 'ClassExpression') classes.push(right);
        else addObject(right.type === 'Identifier' ? (declared.get(right.name) ?? right) : right);
      } else if (target) values.set(target, right);
    } else if (s.type === 'ExportNamedDeclaration') {
      if (s.declaration) {
        declare(s.declaration);
        const d = s.declaration;
        if (d.type === 'FunctionDeclaration' && d.id) values.set(d.id.name, d);
        if (d.type === 'VariableDeclaration')
          for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) values.set(v.id.name, v.init);
      }
      for (const sp of s.specifiers) {
        if (sp.type !== 'ExportSpecifier') continue;
        const exported = sp.exported.type === 'Identifier' ? sp.exported.name : sp.exported.value;
        values.set(exported, sp.local);
      }
    } else if (s.type === 'ExportDefaultDeclaration') {
      const d = s.declaration;
      if (d.type === 'ClassDeclaration') classes.push(d);
      else if (d.type === 'ObjectExpression') addObject(d);
      else if (d.type === 'Identifier' && declared.get(d.name)?.type === 'ObjectExpression') addObject(declared.get(d.name) as t.Node);
    }
  }
  // `module.exports = { up }` and `export { up }` name functions declared elsewhere in the module.
  for (const [k, v] of values) if (v.type === 'Identifier' && declared.has(v.name)) values.set(k, declared.get(v.name) as t.Node);
  return { values, scope, classes, imports };
}

/** The migration class of a TypeORM file: a class with an `up` method. */
export function migrationClass(
  classes: ModuleExports['classes'],
): { node: t.ClassDeclaration | t.ClassExpression; name: string | null; up: t.ClassMethod; down: t.ClassMethod | null } | null {
  for (const c of classes) {
    const methods = c.body.body.filter((m): m is t.ClassMethod => m.type === 'ClassMethod' && m.key.type === 'Identifier');
    const named = (n: string) => methods.find((m) => (m.key as t.Identifier).name === n) ?? null;
    const up = named('up');
    if (up) return { node: c, name: c.id?.name ?? null, up, down: named('down') };
  }
  return null;
}

/** Every member access `<name>.<prop>` on an identifier, anywhere under `node`. */
export function memberAccesses(node: t.Node, name: string): Set<string> {
  const out = new Set<string>();
  visit(node, (n) => {
    if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed && isIdentifier(n.object, name)) {
      if (n.property.type === 'Identifier') out.add(n.property.name);
    }
  });
  return out;
}

function visit(node: t.Node, fn: (n: t.Node) => void): void {
  visitNodes(node, (n) => {
    fn(n);
    return true;
  });
}

/** Visits a node and its descendants, depth first; `fn` returns false to skip a node's children. */
export function visitNodes(node: t.Node, fn: (n: t.Node) => boolean): void {
  if (!fn(node)) return;
  for (const key of Object.keys(node) as Array<keyof t.Node>) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
    const v = node[key] as unknown;
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object' && typeof (x as t.Node).type === 'string') visitNodes(x as t.Node, fn);
    } else if (v && typeof v === 'object' && typeof (v as t.Node).type === 'string') visitNodes(v as t.Node, fn);
  }
}
