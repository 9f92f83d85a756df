// TypeORM entities, Sequelize models, Knex query chains and SQL in strings of a release's JS/TS
// source, read with @babel/parser (never run). TypeORM: `@Entity("t")` classes (default name: the
// class in snake_case, TypeORM's DefaultNamingStrategy), columns from `@Column`/`@PrimaryColumn`/… (the
// property name, or `{ name }`), `@JoinColumn({ name })`. Sequelize: `sequelize.define("User", {…},
// { tableName })` and `User.init({…}, { tableName })` (default: the model name pluralized), attributes
// by key or `field`. Both read only the columns they declare.
import { parse } from '@babel/parser';
import inflection from 'inflection';
import { type Line, lineAt, type ReleaseFacts } from './facts.js';
import { queriesIn } from './sql.js';

type N = { type: string; loc?: { start: { line: number } } | null; [k: string]: unknown };

const COLUMN_DECORATORS = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
  'ObjectIdColumn',
]);
/** A Knex builder's methods whose string arguments are column names. */
const KNEX_COLUMN_METHODS = new Set([
  'select',
  'column',
  'columns',
  'where',
  'orWhere',
  'andWhere',
  'whereIn',
  'whereNot',
  'whereNull',
  'whereNotNull',
  'orderBy',
  'groupBy',
  'pluck',
  'first',
  'returning',
  'increment',
  'decrement',
  'distinct',
]);
const KNEX_ROW_METHODS = new Set(['insert', 'update', 'where', 'orWhere', 'andWhere']);

export function readJs(files: ReadonlyArray<{ path: string; text: string }>, facts: ReleaseFacts): void {
  for (const f of files) {
    let ast: N;
    try {
      ast = parse(f.text, {
        sourceType: 'unambiguous',
        errorRecovery: true,
        plugins: /\.tsx?$/.test(f.path) ? ['typescript', 'decorators-legacy', 'jsx'] : ['decorators-legacy', 'jsx'],
      }) as unknown as N;
    } catch (e) {
      const line = (e as { loc?: { line: number } }).loc?.line ?? 1;
      facts.unparsed.push(lineAt(f.path, f.text, line));
      continue;
    }
    facts.filesRead++;
    const at = (n: N) => lineAt(f.path, f.text, n.loc?.start.line ?? 1);
    walk(ast, (n) => {
      if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') readEntity(n, at, facts);
      if (n.type === 'CallExpression') {
        readSequelize(n, at, facts);
        readKnex(n, at, facts);
      }
      const text = n.type === 'StringLiteral' ? (n.value as string) : templateText(n);
      if (text) facts.queries.push(...queriesIn(text, at(n)));
    });
  }
}

function readEntity(cls: N, at: (n: N) => Line, facts: ReleaseFacts): void {
  const entity = decorators(cls).find((d) => d.name === 'Entity');
  if (!entity) return;
  const className = (cls.id as N | null)?.name as string | undefined;
  const arg = entity.args[0];
  const table = stringValue(arg) ?? optionString(arg, 'name') ?? (className ? inflection.underscore(className) : null);
  if (!table) return;
  const columns = new Map<string, Line>();
  for (const member of ((cls.body as N).body as N[]) ?? []) {
    if (member.type !== 'ClassProperty' && member.type !== 'PropertyDefinition') continue;
    const prop = (member.key as N).name as string | undefined;
    if (!prop) continue;
    for (const d of decorators(member)) {
      if (COLUMN_DECORATORS.has(d.name)) {
        const options = d.args.find((a) => a.type === 'ObjectExpression');
        columns.set(optionString(options, 'name') ?? prop, at(member));
      } else if (d.name === 'JoinColumn') {
        columns.set(optionString(d.args[0], 'name') ?? `${prop}Id`, at(member));
      }
    }
  }
  facts.models.push({ orm: 'typeorm', table, at: at(cls), columns, ignored: new Map() });
}

function readSequelize(call: N, at: (n: N) => Line, facts: ReleaseFacts): void {
  const callee = call.callee as N;
  if (callee.type !== 'MemberExpression') return;
  const method = (callee.property as N).name;
  const args = call.arguments as N[];
  let modelName: string | null = null;
  let attributes: N | undefined;
  let options: N | undefined;
  if (method === 'define') {
    modelName = stringValue(args[0]);
    attributes = args[1];
    options = args[2];
  } else if (method === 'init' && args[0]?.type === 'ObjectExpression' && args[1]?.type === 'ObjectExpression') {
    const obj = callee.object as N;
    modelName = optionString(args[1], 'modelName') ?? (obj.type === 'Identifier' ? (obj.name as string) : null);
    attributes = args[0];
    options = args[1];
    // `X.init` needs a sequelize instance in its options: anything else is another library's init.
    if (!objectProperty(options, 'sequelize')) return;
  } else return;
  if (!modelName || attributes?.type !== 'ObjectExpression') return;
  const freeze = (objectProperty(options, 'freezeTableName')?.value as N | undefined)?.value === true;
  const underscored = (objectProperty(options, 'underscored')?.value as N | undefined)?.value === true;
  const table = optionString(options, 'tableName') ?? (freeze ? modelName : inflection.pluralize(modelName));
  const columns = new Map<string, Line>();
  for (const p of (attributes.properties as N[]) ?? []) {
    if (p.type !== 'ObjectProperty') continue;
    const key = keyName(p.key as N);
    if (!key) continue;
    const field = optionString(p.value as N, 'field');
    columns.set(field ?? (underscored ? inflection.underscore(key) : key), at(p));
  }
  columns.set('id', at(call));
  facts.models.push({ orm: 'sequelize', table, at: at(call), columns, ignored: new Map() });
}

/**
 * `knex('users').where('full_name', x).update({ full_name: y })`: walking down a chain from its outer call to
 * its root (`knex('t')`, `db('t')`, `.from('t')`, `.into('t')`, `.table('t')`), the columns its methods name.
 */
function readKnex(outer: N, at: (n: N) => Line, facts: ReleaseFacts): void {
  const columns = new Set<string>();
  let n: N = outer;
  while (n.type === 'CallExpression') {
    const callee = n.callee as N;
    const args = n.arguments as N[];
    const first = stringValue(args[0]);
    const method = callee.type === 'MemberExpression' ? ((callee.property as N).name as string) : null;
    const root =
      (callee.type === 'Identifier' && KNEX_ROOTS.has(callee.name as string)) || (method && KNEX_TABLE_METHODS.has(method)) ? first : null;
    if (root) {
      const table = root.split(/\s+as\s+/i)[0]?.trim();
      if (table && n !== outer) facts.queries.push({ table, columns, at: at(outer) });
      return;
    }
    if (!method) return;
    for (const a of args) {
      const s = stringValue(a);
      if (s && KNEX_COLUMN_METHODS.has(method)) columns.add(s.split('.').at(-1) as string);
      if (a.type === 'ObjectExpression' && KNEX_ROW_METHODS.has(method))
        for (const p of a.properties as N[]) if (p.type === 'ObjectProperty') columns.add(keyName(p.key as N) ?? '');
    }
    n = callee.object as N;
  }
}

const KNEX_ROOTS = new Set(['knex', 'db', 'trx']);
const KNEX_TABLE_METHODS = new Set(['from', 'into', 'table']);

function decorators(n: N): Array<{ name: string; args: N[] }> {
  return ((n.decorators as N[]) ?? []).flatMap((d) => {
    const e = d.expression as N;
    if (e.type === 'CallExpression' && (e.callee as N).type === 'Identifier')
      return [{ name: (e.callee as N).name as string, args: e.arguments as N[] }];
    if (e.type === 'Identifier') return [{ name: e.name as string, args: [] }];
    return [];
  });
}

function stringValue(n: N | undefined): string | null {
  if (!n) return null;
  if (n.type === 'StringLiteral') return n.value as string;
  return templateText(n);
}

function templateText(n: N): string | null {
  if (n.type !== 'TemplateLiteral' || (n.expressions as N[]).length) return null;
  return ((n.quasis as N[])[0]?.value as { cooked?: string })?.cooked ?? null;
}

function objectProperty(n: N | undefined, name: string): N | undefined {
  if (n?.type !== 'ObjectExpression') return undefined;
  return (n.properties as N[]).find((p) => p.type === 'ObjectProperty' && keyName(p.key as N) === name);
}

function optionString(n: N | undefined, name: string): string | null {
  return stringValue(objectProperty(n, name)?.value as N | undefined);
}

function keyName(k: N): string | null {
  return k.type === 'Identifier' ? (k.name as string) : k.type === 'StringLiteral' ? (k.value as string) : null;
}

/** Visits every node, parents before children. */
function walk(root: N, visit: (n: N) => void): void {
  const stack: N[] = [root];
  while (stack.length) {
    const n = stack.pop() as N;
    visit(n);
    for (const [key, value] of Object.entries(n)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'extra') continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (value[i] && typeof value[i].type === 'string') stack.push(value[i]);
      } else if (value && typeof value === 'object' && typeof (value as N).type === 'string') stack.push(value as N);
    }
  }
}
