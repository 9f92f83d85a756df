// Django migration operations as written (`migrations.AddField(...)`), read from the Migration class without running it.
import type { SyntaxNode } from './ast.js';
import { argument, callArgs, callName, dottedName, isNoop, lastName, statements } from './ast.js';
import { type DjangoField, djangoField, type FieldContext } from './django-fields.js';
import {
  bindTarget,
  elements,
  functionOf,
  iterationItems,
  literal,
  resolve,
  type StringLiteral,
  stringLiteral,
  stringValue,
  withBindings,
} from './values.js';

export interface DjangoIndex {
  name: string;
  /** Field names; a leading '-' means descending. */
  fields: string[];
  /** Operator classes of the fields, by position (gin_trgm_ops…). */
  opclasses?: string[];
  /** The index's access method: btree, or the one of django.contrib.postgres.indexes' class (GinIndex → gin). */
  method?: string;
  /** Index expressions (Lower('name')…), as written. */
  expressions: string[];
  condition: string | null;
  unique: boolean;
}

export interface DjangoConstraint {
  name: string;
  type: 'unique' | 'check';
  fields: string[];
  /** Check condition, or the condition of a partial unique constraint (then it is a unique index). */
  condition: string | null;
}

export interface ModelOptions {
  dbTable: string | null;
  managed: boolean;
  proxy: boolean;
  indexes: DjangoIndex[];
  constraints: DjangoConstraint[];
  uniqueTogether: string[][];
  indexTogether: string[][];
  /** Meta.order_with_respect_to: Django keeps an `_order` column. */
  orderWithRespectTo: string | null;
  /** Meta.swappable: the setting naming the model that may replace this one (AUTH_USER_MODEL). */
  swappable: string | null;
}

/** A SQL argument of RunSQL: its statements (read when the operation is), RunSQL.noop, or `unreadable` when built at run time. */
export type SqlArgument = { type: 'sql'; strings: StringLiteral[] } | { type: 'noop' } | { type: 'unreadable' };

/** What a RunPython code or reverse_code argument is: absent, RunPython.noop (or a function that does nothing), or code. */
export type PythonCode = 'none' | 'noop' | { text: string };

export type DjangoOp = { node: SyntaxNode } & (
  | { type: 'CreateModel'; model: string; fields: DjangoField[]; options: ModelOptions }
  | { type: 'DeleteModel'; model: string }
  | { type: 'AddField'; model: string; field: DjangoField }
  | { type: 'RemoveField'; model: string; name: string }
  | { type: 'AlterField'; model: string; field: DjangoField }
  | { type: 'RenameField'; model: string; from: string; to: string }
  | { type: 'RenameModel'; from: string; to: string }
  | { type: 'AlterModelTable'; model: string; table: string | null }
  | { type: 'AddIndex'; model: string; index: DjangoIndex; concurrently: boolean }
  | { type: 'RemoveIndex'; model: string; name: string; concurrently: boolean }
  | { type: 'AddConstraint'; model: string; constraint: DjangoConstraint; notValid: boolean }
  | { type: 'RemoveConstraint'; model: string; name: string }
  | { type: 'AlterUniqueTogether'; model: string; sets: string[][] }
  | { type: 'RunSQL'; sql: SqlArgument; reverse: SqlArgument | null }
  | { type: 'RunPython'; code: PythonCode; reverse: PythonCode }
  | { type: 'SeparateDatabaseAndState'; database: DjangoOp[]; state: DjangoOp[] }
  | { type: 'AlterIndexTogether'; model: string; sets: string[][] }
  | { type: 'AlterOrderWithRespectTo'; model: string; to: string | null }
  | { type: 'RenameIndex'; model: string; from: string | null; fields: string[]; to: string }
  | { type: 'ValidateConstraint'; model: string; name: string }
  /** django.contrib.postgres CreateExtension and its named subclasses (HStoreExtension…): PostgreSQL only. */
  | { type: 'CreateExtension'; name: string; drop: boolean }
  /** An operation that changes only Django's state (AlterModelOptions, AlterModelManagers…). */
  | { type: 'StateOnly' }
  | { type: 'Unknown'; why: string }
);

/** Operations that change only Django's state: nothing reaches the database (a table comment changes no answer). */
const STATE_ONLY = new Set(['AlterModelOptions', 'AlterModelManagers', 'AlterModelTableComment', 'AlterConstraint']);

/** django.contrib.postgres.operations: the extension each CreateExtension subclass creates. */
const EXTENSIONS: Record<string, string> = {
  BloomExtension: 'bloom',
  BtreeGinExtension: 'btree_gin',
  BtreeGistExtension: 'btree_gist',
  CITextExtension: 'citext',
  CryptoExtension: 'pgcrypto',
  HStoreExtension: 'hstore',
  TrigramExtension: 'pg_trgm',
  UnaccentExtension: 'unaccent',
};

/** Operations whose model argument is `name` (the others take `model_name`). */
const MODEL_BY_NAME = new Set([
  'CreateModel',
  'DeleteModel',
  'AlterModelTable',
  'AlterUniqueTogether',
  'AlterIndexTogether',
  'AlterOrderWithRespectTo',
]);

function modelName(args: ReturnType<typeof callArgs>, position: number, keyword: string): string | null {
  return stringValue(argument(args, position, keyword))?.toLowerCase() ?? null;
}

function stringList(node: SyntaxNode | undefined): string[] {
  const v = literal(node);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `models.Index(fields=['a'], name='x', condition=Q(...))` and `models.UniqueConstraint(...)` / `CheckConstraint(...)`. */
export function djangoIndex(node: SyntaxNode | undefined): DjangoIndex | null {
  if (node?.type !== 'call') return null;
  const args = callArgs(node);
  const name = stringValue(args.keywords.get('name'));
  if (!name) return null;
  const condition = args.keywords.get('condition');
  const cls = lastName(callName(node)) ?? '';
  return {
    name,
    fields: stringList(args.keywords.get('fields')),
    opclasses: stringList(args.keywords.get('opclasses')),
    method: INDEX_METHODS[cls] ?? 'btree',
    expressions: args.positional.map((n) => n.text),
    condition: condition ? condition.text : null,
    unique: cls === 'UniqueConstraint',
  };
}

/** django.contrib.postgres.indexes: the access method of each Index class. */
const INDEX_METHODS: Record<string, string> = {
  BTreeIndex: 'btree',
  GinIndex: 'gin',
  GistIndex: 'gist',
  HashIndex: 'hash',
  BrinIndex: 'brin',
  SpGistIndex: 'spgist',
  BloomIndex: 'bloom',
};

export function djangoConstraint(node: SyntaxNode | undefined): DjangoConstraint | null {
  if (node?.type !== 'call') return null;
  const args = callArgs(node);
  const name = stringValue(args.keywords.get('name'));
  if (!name) return null;
  const kind = lastName(callName(node));
  if (kind === 'CheckConstraint') {
    const check = args.keywords.get('condition') ?? args.keywords.get('check');
    return { name, type: 'check', fields: [], condition: check ? check.text : null };
  }
  if (kind === 'UniqueConstraint') {
    const condition = args.keywords.get('condition');
    return { name, type: 'unique', fields: stringList(args.keywords.get('fields')), condition: condition ? condition.text : null };
  }
  return null;
}

export function emptyOptions(): ModelOptions {
  return {
    dbTable: null,
    managed: true,
    proxy: false,
    indexes: [],
    constraints: [],
    uniqueTogether: [],
    indexTogether: [],
    orderWithRespectTo: null,
    swappable: null,
  };
}

function options(written: SyntaxNode | undefined): ModelOptions {
  const out = emptyOptions();
  const node = written ? resolve(written) : undefined;
  if (node?.type !== 'dictionary') return out;
  for (const pair of node.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = stringValue(pair.childForFieldName('key'));
    const value = pair.childForFieldName('value');
    if (!value) continue;
    if (key === 'db_table') out.dbTable = stringValue(value);
    else if (key === 'managed') out.managed = literal(value) !== false;
    else if (key === 'proxy') out.proxy = literal(value) === true;
    else if (key === 'indexes') out.indexes = (elements(value) ?? []).flatMap((n) => djangoIndex(n) ?? []);
    else if (key === 'constraints') out.constraints = (elements(value) ?? []).flatMap((n) => djangoConstraint(n) ?? []);
    else if (key === 'unique_together') out.uniqueTogether = togetherSets(value);
    else if (key === 'index_together') out.indexTogether = togetherSets(value);
    else if (key === 'order_with_respect_to') out.orderWithRespectTo = stringValue(value);
    else if (key === 'swappable') out.swappable = stringValue(value);
  }
  return out;
}

/** unique_together: {('a', 'b')} or ('a', 'b') or None. */
function togetherSets(node: SyntaxNode | undefined): string[][] {
  const v = literal(node);
  if (!Array.isArray(v) || !v.length) return [];
  if (v.every((x) => typeof x === 'string')) return [v as string[]];
  return v.filter((x): x is string[] => Array.isArray(x)).map((x) => x.filter((s): s is string => typeof s === 'string'));
}

function sqlArgument(node: SyntaxNode | undefined): SqlArgument {
  if (!node) return { type: 'unreadable' };
  if (dottedName(resolve(node))?.endsWith('RunSQL.noop')) return { type: 'noop' };
  const single = stringLiteral(node);
  if (single) return { type: 'sql', strings: [single] };
  const items = elements(node);
  if (!items) return { type: 'unreadable' };
  // A list of statements, each a string or a (sql, params) tuple.
  const strings = items.map((n) => stringLiteral(resolve(n).type === 'tuple' ? elements(n)?.[0] : n));
  return strings.every((x) => x !== null) ? { type: 'sql', strings: strings as StringLiteral[] } : { type: 'unreadable' };
}

/** RunPython's code: RunPython.noop, a function of this file whose body does nothing, or code twoway never runs. */
function pythonCode(node: SyntaxNode | undefined): PythonCode {
  if (!node || node.type === 'none') return 'none';
  if (dottedName(node)?.endsWith('RunPython.noop')) return 'noop';
  const def = functionOf(node);
  if (def && statements(def.childForFieldName('body')).every((s) => isNoop(s) || (s.type === 'return_statement' && !s.namedChildren[0])))
    return 'noop';
  return { text: node.text };
}

/** `operations = [...]` (through names and `+`), or a comprehension over a literal collection: one op per element. */
export function djangoOperations(list: SyntaxNode, ctx: FieldContext): DjangoOp[] | null {
  const r = resolve(list);
  if (r.type === 'list_comprehension') {
    const clauses = r.namedChildren.filter((c) => c?.type === 'for_in_clause' || c?.type === 'if_clause');
    const clause = clauses[0];
    const body = r.childForFieldName('body');
    const left = clause?.childForFieldName('left');
    const right = clause?.childForFieldName('right');
    const items = clauses.length === 1 && right ? iterationItems(right) : null;
    if (!clause || !body || !left || !items) return null;
    return items.map((item) => withBindings(clause, bindTarget(left, item), () => djangoOperation(body, ctx)));
  }
  const items = elements(r);
  return items ? items.map((n) => djangoOperation(n, ctx)) : null;
}

/** One element of `operations = [...]`. */
export function djangoOperation(written: SyntaxNode, ctx: FieldContext): DjangoOp {
  const node = resolve(written);
  const kind = node.type === 'call' ? lastName(callName(node)) : null;
  if (!kind) return { node, type: 'Unknown', why: 'an operation built at run time' };
  const args = callArgs(node);
  const model = modelName(args, 0, MODEL_BY_NAME.has(kind) ? 'name' : 'model_name');
  const field = (): DjangoField | null => {
    const name = stringValue(argument(args, 1, 'name'));
    const def = argument(args, 2, 'field');
    return name && def ? djangoField(name, resolve(def), ctx) : null;
  };
  const unknown = (why: string): DjangoOp => ({ node, type: 'Unknown', why: `${kind}: ${why}` });
  switch (kind) {
    case 'CreateModel': {
      const list = elements(argument(args, 1, 'fields'));
      if (!model || !list) return unknown('its name or fields are not literal');
      const fields: DjangoField[] = [];
      for (const item of list) {
        const [nameNode, def] = elements(item) ?? [];
        const name = stringValue(nameNode);
        const f = name && def ? djangoField(name, resolve(def), ctx) : null;
        if (!f) return unknown(`the field ${item.text.slice(0, 40)} is not literal`);
        fields.push(f);
      }
      return { node, type: 'CreateModel', model, fields, options: options(argument(args, 2, 'options')) };
    }
    case 'DeleteModel':
      return model ? { node, type: 'DeleteModel', model } : unknown('the model name is not literal');
    case 'AddField':
    case 'AlterField': {
      const f = field();
      if (!model || !f) return unknown('the model or field is not literal');
      return { node, type: kind, model, field: f };
    }
    case 'RemoveField': {
      const name = stringValue(argument(args, 1, 'name'));
      return model && name ? { node, type: 'RemoveField', model, name } : unknown('the model or field name is not literal');
    }
    case 'RenameField': {
      const from = stringValue(argument(args, 1, 'old_name'));
      const to = stringValue(argument(args, 2, 'new_name'));
      return model && from && to ? { node, type: 'RenameField', model, from, to } : unknown('the names are not literal');
    }
    case 'RenameModel': {
      const from = modelName(args, 0, 'old_name');
      const to = modelName(args, 1, 'new_name');
      return from && to ? { node, type: 'RenameModel', from, to } : unknown('the names are not literal');
    }
    case 'AlterModelTable': {
      const table = argument(args, 1, 'table');
      if (!model || !table) return unknown('the model or table is not literal');
      return { node, type: 'AlterModelTable', model, table: stringValue(table) };
    }
    case 'AddIndex':
    case 'AddIndexConcurrently': {
      const index = djangoIndex(argument(args, 1, 'index'));
      if (!model || !index) return unknown('the index is not a literal models.Index with a name');
      return { node, type: 'AddIndex', model, index, concurrently: kind === 'AddIndexConcurrently' };
    }
    case 'RemoveIndex':
    case 'RemoveIndexConcurrently': {
      const name = stringValue(argument(args, 1, 'name'));
      if (!model || !name) return unknown('the index name is not literal');
      return { node, type: 'RemoveIndex', model, name, concurrently: kind === 'RemoveIndexConcurrently' };
    }
    case 'AddConstraint':
    case 'AddConstraintNotValid': {
      const constraint = djangoConstraint(argument(args, 1, 'constraint'));
      if (!model || !constraint) return unknown('the constraint is not a literal UniqueConstraint/CheckConstraint with a name');
      return { node, type: 'AddConstraint', model, constraint, notValid: kind === 'AddConstraintNotValid' };
    }
    case 'ValidateConstraint': {
      const name = stringValue(argument(args, 1, 'name'));
      return model && name ? { node, type: 'ValidateConstraint', model, name } : unknown('the constraint name is not literal');
    }
    case 'RenameIndex': {
      const to = stringValue(argument(args, 1, 'new_name'));
      const from = stringValue(args.keywords.get('old_name') ?? args.positional[2]);
      const fields = (elements(args.keywords.get('old_fields')) ?? []).map((n) => stringValue(n) ?? '');
      if (!model || !to || (!from && !fields.length)) return unknown('the index names are not literal');
      return { node, type: 'RenameIndex', model, from, fields, to };
    }
    case 'AlterIndexTogether':
      return model
        ? { node, type: 'AlterIndexTogether', model, sets: togetherSets(argument(args, 1, 'index_together')) }
        : unknown('no model');
    case 'AlterOrderWithRespectTo': {
      const to = argument(args, 1, 'order_with_respect_to');
      return model ? { node, type: 'AlterOrderWithRespectTo', model, to: to ? stringValue(to) : null } : unknown('no model');
    }
    case 'CreateExtension': {
      const name = stringValue(argument(args, 0, 'name'));
      return name ? { node, type: 'CreateExtension', name, drop: false } : unknown('the extension name is not literal');
    }
    case 'RemoveConstraint': {
      const name = stringValue(argument(args, 1, 'name'));
      return model && name ? { node, type: 'RemoveConstraint', model, name } : unknown('the constraint name is not literal');
    }
    case 'AlterUniqueTogether':
      return model
        ? { node, type: 'AlterUniqueTogether', model, sets: togetherSets(argument(args, 1, 'unique_together')) }
        : unknown('no model');
    case 'RunSQL': {
      const reverse = argument(args, 1, 'reverse_sql');
      return {
        node,
        type: 'RunSQL',
        sql: sqlArgument(argument(args, 0, 'sql')),
        reverse: reverse && reverse.type !== 'none' ? sqlArgument(reverse) : null,
      };
    }
    case 'RunPython': {
      const code = pythonCode(argument(args, 0, 'code'));
      return {
        node,
        type: 'RunPython',
        code: code === 'none' ? { text: '?' } : code,
        reverse: pythonCode(argument(args, 1, 'reverse_code')),
      };
    }
    case 'SeparateDatabaseAndState': {
      const read = (n: SyntaxNode | undefined) =>
        n ? (djangoOperations(n, ctx) ?? [{ node: n, type: 'Unknown' as const, why: 'operations built at run time' }]) : [];
      return {
        node,
        type: 'SeparateDatabaseAndState',
        database: read(args.keywords.get('database_operations')),
        state: read(args.keywords.get('state_operations')),
      };
    }
    default:
      if (STATE_ONLY.has(kind)) return { node, type: 'StateOnly' };
      if (EXTENSIONS[kind]) return { node, type: 'CreateExtension', name: EXTENSIONS[kind] as string, drop: false };
      return { node, type: 'Unknown', why: `${kind} is not an operation twoway models` };
  }
}
