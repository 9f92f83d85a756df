// What a person reading a Python migration knows a name or an expression stands for, without running it:
// constants and locals bound to literals, f-strings, concatenation and formatting of known strings,
// branches on the database the set runs on, values bound by the loops and helper calls a reader unrolls.
import type { Dialect } from '../../ir.js';
import { callArgs, callName, dottedName, lastName, type SyntaxNode, withPythonTree } from './ast.js';

/** A Python literal as a value: strings, numbers, booleans, None, lists/tuples/sets, dicts; undefined when not a literal. */
export type PyLiteral = string | number | boolean | null | PyLiteral[] | { [key: string]: PyLiteral };

/** Where a string's value starts in the file, and the value. */
export interface StringLiteral {
  value: string;
  line: number;
  column: number;
  /** The value is the source text unchanged (no escapes), so positions inside it are exact. */
  exact: boolean;
  /** Built from several parts (an f-string, `+`, `%`, `.format`): positions inside it are the expression's. */
  computed: boolean;
  /** The expression the value was computed from (the literal itself when not computed). */
  node: SyntaxNode;
}

// --- the reading context -------------------------------------------------------------------------

/** Values bound while a reader unrolls a loop or follows a helper call: owner node → name → value. */
interface Frame {
  owner: SyntaxNode;
  values: Map<string, SyntaxNode>;
}

let readingDialect: Dialect | null = null;
const frames: Frame[] = [];

/**
 * What a name or a condition stands for does not change while a file is read (outside unrolled loops and
 * followed calls, whose frames change it): remembered per tree, so that settings modules full of conditions
 * on earlier names cost one lookup per name.
 */
const memo = new WeakMap<object, Map<string, unknown>>();
const MISSING = Symbol('missing');

function remembered<T>(node: SyntaxNode, kind: string, compute: () => T): T {
  if (frames.length) return compute();
  let cache = memo.get(node.tree);
  if (!cache) {
    cache = new Map();
    memo.set(node.tree, cache);
  }
  const key = `${kind}:${readingDialect}:${node.startIndex}:${node.endIndex}`;
  const hit = cache.has(key) ? cache.get(key) : MISSING;
  if (hit !== MISSING) return hit as T;
  // A cycle (a name whose binding's condition asks for the name) reads as unknown.
  cache.set(key, null);
  const value = compute();
  cache.set(key, value);
  return value;
}

/** Runs `use` with `dialect` as the database that branches on the dialect (`op.get_context().dialect.name`) compare with. */
export function withDialect<T>(dialect: Dialect | null, use: () => T): T {
  const saved = readingDialect;
  readingDialect = dialect;
  try {
    return use();
  } finally {
    readingDialect = saved;
  }
}

/** Parses a Python file and runs `use` on it with branches on the dialect read for `dialect`. */
export function readPython<T>(text: string, dialect: Dialect | null, use: (root: SyntaxNode) => T): T {
  return withPythonTree(text, (root) => withDialect(dialect, () => use(root)));
}

/** Runs `use` with `values` bound to the names a loop (or a function's parameters) introduces under `owner`. */
export function withBindings<T>(owner: SyntaxNode, values: Map<string, SyntaxNode>, use: () => T): T {
  frames.push({ owner, values });
  try {
    return use();
  } finally {
    frames.pop();
  }
}

const sameNode = (a: SyntaxNode, b: SyntaxNode) => a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;

function frameValue(owner: SyntaxNode, name: string): SyntaxNode | undefined {
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i] as Frame;
    if (sameNode(f.owner, owner)) return f.values.get(name);
  }
  return undefined;
}

// --- name bindings -------------------------------------------------------------------------------

/** No statement binds the name here. */
const NONE = Symbol('none');
/** Something binds the name to a value no reader can know (a loop variable, an augmented assignment, a branch decided at run time). */
const UNKNOWN = Symbol('unknown');
type Binding = SyntaxNode | typeof NONE | typeof UNKNOWN;

const named = (n: SyntaxNode | null | undefined): SyntaxNode[] =>
  (n?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');

/** Names a target (`x`, `a, b`, `(a, [b, c])`) binds. */
function targetNames(target: SyntaxNode | null): string[] {
  if (!target) return [];
  if (target.type === 'identifier') return [target.text];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'parenthesized_expression', 'tuple', 'list'].includes(target.type))
    return named(target).flatMap(targetNames);
  if (target.type === 'list_splat_pattern') return named(target).flatMap(targetNames);
  return [];
}

/** The value `target = value` gives `name`: the value itself, the matching element of a tuple, or unknown. */
function assignedValue(target: SyntaxNode, value: SyntaxNode, name: string): Binding {
  if (target.type === 'identifier') return target.text === name ? value : NONE;
  if (!targetNames(target).includes(name)) return NONE;
  const parts = named(target);
  const values = elementNodes(value);
  if (!values || values.length !== parts.length || parts.some((p) => p.type === 'list_splat_pattern')) return UNKNOWN;
  for (let i = 0; i < parts.length; i++) {
    const r = assignedValue(parts[i] as SyntaxNode, values[i] as SyntaxNode, name);
    if (r !== NONE) return r;
  }
  return NONE;
}

/** The last binding of `name` the statements make (in order), as a reader of straight-line code sees it. */
function lastBinding(stmts: readonly SyntaxNode[], name: string): Binding {
  for (let i = stmts.length - 1; i >= 0; i--) {
    const r = statementBinding(stmts[i] as SyntaxNode, name);
    if (r !== NONE) return r;
  }
  return NONE;
}

const blockStatements = (block: SyntaxNode | null | undefined) => named(block);

function statementBinding(stmt: SyntaxNode, name: string): Binding {
  switch (stmt.type) {
    case 'expression_statement': {
      let found: Binding = NONE;
      for (const e of named(stmt)) {
        if (e.type === 'assignment') {
          // a = b = value: every left side gets the innermost value; `x: int` alone binds nothing.
          const lefts: SyntaxNode[] = [];
          let a: SyntaxNode | null = e;
          let value: SyntaxNode | null = null;
          while (a?.type === 'assignment') {
            const left = a.childForFieldName('left');
            if (left) lefts.push(left);
            const right: SyntaxNode | null = a.childForFieldName('right');
            if (right?.type === 'assignment') a = right;
            else {
              value = right;
              a = null;
            }
          }
          for (const l of lefts) {
            const r = value ? assignedValue(l, value, name) : NONE;
            if (r !== NONE) found = r;
          }
        } else if (e.type === 'augmented_assignment') {
          if (targetNames(e.childForFieldName('left')).includes(name)) found = UNKNOWN;
        }
      }
      return found;
    }
    case 'if_statement': {
      const branches = ifBranches(stmt);
      for (let i = 0; i < branches.length; i++) {
        const b = branches[i] as IfBranch;
        const truth = b.condition ? conditionValue(b.condition) : true;
        if (truth === true) return lastBinding(blockStatements(b.body), name);
        if (truth === false) continue;
        // Decided at run time: a binding in any remaining branch makes the name unknown.
        return branches.slice(i).some((r) => lastBinding(blockStatements(r.body), name) !== NONE) ? UNKNOWN : NONE;
      }
      return NONE;
    }
    case 'try_statement': {
      // Read as if the body runs; the handlers are the exception, not the path.
      const parts = [stmt.childForFieldName('body'), ...named(stmt).filter((c) => c.type === 'else_clause' || c.type === 'finally_clause')];
      for (let i = parts.length - 1; i >= 0; i--) {
        const part = parts[i];
        const body = part?.type === 'block' ? part : named(part).find((c) => c.type === 'block');
        const r = lastBinding(blockStatements(body), name);
        if (r !== NONE) return r;
      }
      return NONE;
    }
    case 'with_statement': {
      const aliases = stmt
        .descendantsOfType('as_pattern')
        .flatMap((p) => p?.childForFieldName('alias')?.descendantsOfType('identifier') ?? [])
        .map((i) => i?.text);
      if (aliases.includes(name)) return UNKNOWN;
      return lastBinding(blockStatements(stmt.childForFieldName('body')), name);
    }
    case 'for_statement':
    case 'while_statement': {
      if (stmt.type === 'for_statement' && targetNames(stmt.childForFieldName('left')).includes(name)) return UNKNOWN;
      const inBody = lastBinding(blockStatements(stmt.childForFieldName('body')), name) !== NONE;
      return inBody ? UNKNOWN : NONE;
    }
    case 'function_definition':
    case 'class_definition':
      return stmt.childForFieldName('name')?.text === name ? stmt : NONE;
    case 'decorated_definition': {
      const def = stmt.childForFieldName('definition');
      return def ? statementBinding(def, name) : NONE;
    }
    case 'import_statement':
    case 'import_from_statement':
      return importedNames(stmt).has(name) ? stmt : NONE;
    case 'global_statement':
    case 'nonlocal_statement':
    case 'delete_statement':
      return stmt.descendantsOfType('identifier').some((i) => i?.text === name) ? UNKNOWN : NONE;
    case 'match_statement':
      return stmt.descendantsOfType('identifier').some((i) => i?.text === name) ? UNKNOWN : NONE;
    default:
      return NONE;
  }
}

/** Names an import statement binds, with the module path each stands for (`from a.b import C as D` → D: a.b.C). */
export function importedNames(stmt: SyntaxNode): Map<string, string> {
  const out = new Map<string, string>();
  const from = stmt.type === 'import_from_statement' ? stmt.childForFieldName('module_name')?.text : undefined;
  for (const n of stmt.childrenForFieldName('name')) {
    if (!n) continue;
    const path = n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? '') : n.text;
    const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : undefined;
    if (from !== undefined) out.set(alias ?? path, `${from}.${path}`);
    // `import a.b` binds `a` (to the package a); `import a.b as c` binds c to a.b.
    else if (alias) out.set(alias, path);
    else out.set(path.split('.')[0] as string, path.split('.')[0] as string);
  }
  return out;
}

interface IfBranch {
  condition: SyntaxNode | null;
  body: SyntaxNode | null;
}

/** `if` / `elif` / `else` of an if statement, in order (the else has no condition). */
export function ifBranches(stmt: SyntaxNode): IfBranch[] {
  const out: IfBranch[] = [{ condition: stmt.childForFieldName('condition'), body: stmt.childForFieldName('consequence') }];
  for (const alt of stmt.childrenForFieldName('alternative')) {
    if (alt?.type === 'elif_clause')
      out.push({ condition: alt.childForFieldName('condition'), body: alt.childForFieldName('consequence') });
    else if (alt?.type === 'else_clause') out.push({ condition: null, body: alt.childForFieldName('body') });
  }
  return out;
}

function parameterNames(def: SyntaxNode): Map<string, SyntaxNode | null> {
  const out = new Map<string, SyntaxNode | null>();
  for (const p of named(def.childForFieldName('parameters'))) {
    if (p.type === 'identifier') out.set(p.text, null);
    else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const n = p.childForFieldName('name')?.text;
      if (n) out.set(n, p.childForFieldName('value'));
    } else if (p.type === 'typed_parameter') {
      const n = named(p).find((c) => c.type === 'identifier')?.text;
      if (n) out.set(n, null);
    } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
      const n = named(p)[0]?.text;
      if (n) out.set(n, null);
    }
  }
  return out;
}

/** What the name `id` is bound to where it is used: the value node, a def/class/import statement, or null when unknown. */
export function bindingOf(id: SyntaxNode): SyntaxNode | null {
  return remembered(id, 'binding', () => lookupBinding(id));
}

function lookupBinding(id: SyntaxNode): SyntaxNode | null {
  const name = id.text;
  let child: SyntaxNode = id;
  let node = id.parent;
  // Inside a function, names resolve at call time: the enclosing class body is not a scope, the module's last binding is.
  let inFunction = false;
  while (node) {
    switch (node.type) {
      case 'block':
      case 'module': {
        if (node.type === 'block' && inFunction && node.parent?.type === 'class_definition') break;
        const stmts = named(node);
        const at = stmts.findIndex((s) => sameNode(s, child));
        const before = node.type === 'module' && inFunction ? stmts : stmts.slice(0, Math.max(at, 0));
        const r = lastBinding(before, name);
        if (r === UNKNOWN) return null;
        if (r !== NONE) return r;
        break;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const inLoop = node.type === 'for_in_clause' || !sameNode(child, node.childForFieldName('right') ?? node);
        if (inLoop && targetNames(node.childForFieldName('left')).includes(name)) return frameValue(node, name) ?? null;
        break;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        for (const clause of named(node).filter((c) => c.type === 'for_in_clause')) {
          if (targetNames(clause.childForFieldName('left')).includes(name)) return frameValue(clause, name) ?? null;
        }
        break;
      }
      case 'lambda':
        if (node.descendantsOfType('identifier').some((p) => p?.text === name && p.parent?.type === 'lambda_parameters')) return null;
        break;
      case 'function_definition': {
        if (sameNode(child, node.childForFieldName('body') ?? node)) {
          const params = parameterNames(node);
          if (params.has(name)) return frameValue(node, name) ?? null;
          inFunction = true;
        }
        break;
      }
    }
    child = node;
    node = node.parent;
  }
  return null;
}

/** The expression a node stands for: names followed to what they are bound to, parentheses removed. */
export function resolve(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let depth = 0; depth < 32; depth++) {
    if (current.type === 'parenthesized_expression' && current.namedChildren.length === 1) {
      current = current.namedChildren[0] as SyntaxNode;
      continue;
    }
    if (current.type === 'identifier') {
      const b = bindingOf(current);
      if (!b || ['function_definition', 'class_definition', 'import_statement', 'import_from_statement'].includes(b.type)) return current;
      current = b;
      continue;
    }
    return current;
  }
  return current;
}

/** The function definition a name (or a `def` itself) stands for, in the same file. */
export function functionOf(node: SyntaxNode | null | undefined): SyntaxNode | null {
  if (!node) return null;
  if (node.type === 'function_definition') return node;
  if (node.type !== 'identifier') return null;
  const b = bindingOf(node);
  return b?.type === 'function_definition' ? b : null;
}

/** The full dotted path a name stands for through the file's imports: `models.CharField` → django.db.models.CharField. */
export function qualifiedName(node: SyntaxNode | null | undefined): string | null {
  const written = dottedName(node);
  if (!written || !node) return null;
  const head = written.split('.')[0] as string;
  let first: SyntaxNode | null = node;
  while (first && first.type === 'attribute') first = first.childForFieldName('object');
  const b = first?.type === 'identifier' ? bindingOf(first) : null;
  if (b && (b.type === 'import_statement' || b.type === 'import_from_statement')) {
    const path = importedNames(b).get(head);
    if (path) return path + written.slice(head.length);
  }
  return written;
}

// --- values --------------------------------------------------------------------------------------

/** A string the expression stands for: literals, constants, f-strings of known values, `+`, `%`, `.format`, `.join`, dedent. */
export function stringLiteral(node: SyntaxNode | null | undefined): StringLiteral | null {
  if (!node) return null;
  const r = resolve(node);
  if (r.type === 'string') {
    const plain = plainString(r);
    if (plain) return plain;
    const value = fString(r);
    return value === null ? null : computed(r, value);
  }
  if (r.type === 'concatenated_string') {
    const parts = named(r).map((n) => stringLiteral(n));
    if (parts.some((p) => p === null) || !parts[0]) return null;
    const first = parts[0];
    const value = parts.map((p) => p?.value).join('');
    if (parts.length === 1) return first;
    return parts.every((p) => !p?.computed) && parts.length > 1
      ? { ...first, value, exact: false, computed: false, node: r }
      : computed(r, value);
  }
  const value = computedString(r);
  return value === null ? null : computed(r, value);
}

function computed(node: SyntaxNode, value: string): StringLiteral {
  return { value, line: node.startPosition.row + 1, column: node.startPosition.column + 1, exact: false, computed: true, node };
}

export function stringValue(node: SyntaxNode | null | undefined): string | null {
  return stringLiteral(node)?.value ?? null;
}

function stringParts(node: SyntaxNode): { start: SyntaxNode; end: SyntaxNode; prefix: string } | null {
  const start = node.namedChildren.find((n) => n?.type === 'string_start');
  const end = node.namedChildren.find((n) => n?.type === 'string_end');
  if (!start || !end) return null;
  const prefix = start.text.replace(/["']+$/, '').toLowerCase();
  return prefix.includes('b') ? null : { start, end, prefix };
}

/** A string literal without interpolations, with its exact position. */
function plainString(node: SyntaxNode): StringLiteral | null {
  const parts = stringParts(node);
  if (!parts || node.namedChildren.some((n) => n?.type === 'interpolation')) return null;
  const { start, end, prefix } = parts;
  const body = node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
  const value = prefix.includes('r') ? body : decodeEscapes(body);
  return {
    value,
    line: start.endPosition.row + 1,
    column: start.endPosition.column + 1,
    exact: value === body,
    computed: false,
    node,
  };
}

/** An f-string whose fields are known values (`f"ALTER TABLE {TABLE} ..."`). */
function fString(node: SyntaxNode): string | null {
  const parts = stringParts(node);
  if (!parts) return null;
  const raw = parts.prefix.includes('r');
  let out = '';
  let cursor = parts.start.endIndex;
  for (const child of node.namedChildren) {
    if (child?.type !== 'interpolation') continue;
    out += literalText(node.text.slice(cursor - node.startIndex, child.startIndex - node.startIndex), raw);
    if (child.childForFieldName('format_specifier')) return null;
    const conversion = child.childForFieldName('type_conversion')?.text;
    const expr = child.childForFieldName('expression');
    const v = expr ? literal(expr) : undefined;
    if (v === undefined) return null;
    const text = conversion === '!r' ? pyRepr(v) : pyStr(v);
    if (text === null) return null;
    out += text;
    cursor = child.endIndex;
  }
  return out + literalText(node.text.slice(cursor - node.startIndex, parts.end.startIndex - node.startIndex), raw);
}

/** Text between an f-string's fields: escapes decoded and `{{`/`}}` halved. */
function literalText(text: string, raw: boolean): string {
  return (raw ? text : decodeEscapes(text)).replaceAll('{{', '{').replaceAll('}}', '}');
}

/** `a + b`, `"..." % args`, `"...".format(...)`, `sep.join([...])`, `dedent("...")`, `str(x)`. */
function computedString(node: SyntaxNode): string | null {
  if (node.type === 'binary_operator') {
    const op = node.childForFieldName('operator')?.text;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return null;
    if (op === '+') {
      const a = stringValue(left);
      const b = a === null ? null : stringValue(right);
      return a !== null && b !== null ? a + b : null;
    }
    if (op === '%') {
      const format = stringValue(left);
      return format === null ? null : percentFormat(format, literal(right));
    }
    return null;
  }
  if (node.type !== 'call') return null;
  const fn = node.childForFieldName('function');
  const args = callArgs(node);
  if (args.splat) return null;
  if (fn?.type === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text;
    const object = fn.childForFieldName('object');
    const receiver = object ? stringValue(object) : null;
    if (receiver !== null && method === 'format') return braceFormat(receiver, args);
    if (receiver !== null && method === 'join') {
      const items = literal(args.positional[0]);
      return Array.isArray(items) && items.every((i) => typeof i === 'string') ? (items as string[]).join(receiver) : null;
    }
    if (receiver !== null && ['strip', 'lstrip', 'rstrip'].includes(method ?? '') && !args.positional.length)
      return method === 'strip' ? receiver.trim() : method === 'lstrip' ? receiver.trimStart() : receiver.trimEnd();
  }
  const name = lastName(callName(node));
  if (name === 'dedent' && args.positional.length === 1) {
    const text = stringValue(args.positional[0]);
    return text === null ? null : dedent(text);
  }
  if (name === 'str' && fn?.type === 'identifier' && args.positional.length === 1) {
    const v = literal(args.positional[0]);
    return v === undefined ? null : pyStr(v);
  }
  return null;
}

/** Python's `%` formatting for %s, %d, %i, %r and %(name)s. */
function percentFormat(format: string, args: PyLiteral | undefined): string | null {
  if (args === undefined) return null;
  const positional = Array.isArray(args) ? args : [args];
  const byName = args !== null && typeof args === 'object' && !Array.isArray(args) ? args : null;
  let i = 0;
  let failed = false;
  const out = format.replace(/%(\((\w+)\))?([sdir%])/g, (_m, _g, key: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = key !== undefined ? byName?.[key] : byName ? undefined : positional[i++];
    const text = v === undefined ? null : conv === 'r' ? pyRepr(v) : pyStr(v);
    if (text === null) failed = true;
    return text ?? '';
  });
  if (failed || (!byName && i !== positional.length)) return null;
  return out;
}

/** `str.format` with `{}`, `{0}`, `{name}` fields (no format specs). */
function braceFormat(format: string, args: ReturnType<typeof callArgs>): string | null {
  let auto = 0;
  let failed = false;
  const out = format.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    if (field === undefined || field.includes(':') || field.includes('!')) {
      failed = true;
      return '';
    }
    const node = field === '' ? args.positional[auto++] : /^\d+$/.test(field) ? args.positional[Number(field)] : args.keywords.get(field);
    const v = node ? literal(node) : undefined;
    const text = v === undefined ? null : pyStr(v);
    if (text === null) failed = true;
    return text ?? '';
  });
  return failed ? null : out;
}

/** textwrap.dedent: removes the common leading whitespace of the non-blank lines. */
function dedent(text: string): string {
  const lines = text.split('\n');
  const margins = lines.filter((l) => l.trim()).map((l) => (l.match(/^[ \t]*/) as RegExpMatchArray)[0]);
  let common = margins[0] ?? '';
  for (const m of margins) while (!m.startsWith(common)) common = common.slice(0, -1);
  return lines.map((l) => (l.trim() ? l.slice(common.length) : l.replace(/^[ \t]+$/, ''))).join('\n');
}

function pyStr(v: PyLiteral): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  return null;
}

function pyRepr(v: PyLiteral): string | null {
  return typeof v === 'string' ? `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'` : pyStr(v);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '', '0': '\0' };

function decodeEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const mapped = ESCAPES[next];
    if (mapped !== undefined) {
      out += mapped;
      i++;
    } else out += ch;
  }
  return out;
}

export function literal(node: SyntaxNode | null | undefined): PyLiteral | undefined {
  if (!node) return undefined;
  const r = resolve(node);
  switch (r.type) {
    case 'string':
    case 'concatenated_string':
    case 'call':
      return stringValue(r) ?? undefined;
    case 'integer':
    case 'float': {
      const n = Number(r.text.replaceAll('_', ''));
      return Number.isNaN(n) ? undefined : n;
    }
    case 'unary_operator': {
      const inner = literal(r.childForFieldName('argument'));
      return typeof inner === 'number' && r.text.startsWith('-') ? -inner : undefined;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'binary_operator': {
      const s = stringValue(r);
      if (s !== null) return s;
      const items = elements(r);
      if (items) return listOf(items);
      return undefined;
    }
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
      return listOf(named(r));
    case 'dictionary': {
      const out: Record<string, PyLiteral> = {};
      for (const pair of named(r)) {
        if (pair.type !== 'pair') return undefined;
        const key = literal(pair.childForFieldName('key'));
        const value = literal(pair.childForFieldName('value'));
        if (typeof key !== 'string' || value === undefined) return undefined;
        out[key] = value;
      }
      return out;
    }
    default:
      return undefined;
  }
}

function listOf(nodes: SyntaxNode[]): PyLiteral[] | undefined {
  const items = nodes.map((n) => literal(n));
  return items.some((i) => i === undefined) ? undefined : (items as PyLiteral[]);
}

/** The element nodes of a list/tuple/set (also `a + b` of two such, through names); null when not a literal collection. */
export function elements(node: SyntaxNode | null | undefined): SyntaxNode[] | null {
  if (!node) return null;
  const r = resolve(node);
  return elementNodes(r);
}

function elementNodes(r: SyntaxNode): SyntaxNode[] | null {
  if (r.type === 'parenthesized_expression') return elements(r.namedChildren[0]);
  if (['list', 'tuple', 'set', 'expression_list'].includes(r.type)) {
    const items = named(r);
    // `[*A, x]`: the splatted collection's elements in place.
    const out: SyntaxNode[] = [];
    for (const item of items) {
      if (item.type === 'list_splat') {
        // Unknown contents stay one element the caller cannot read (`*make_operations()`).
        const inner = elements(item.namedChildren[0]);
        out.push(...(inner ?? [item]));
      } else out.push(item);
    }
    return out;
  }
  if (r.type === 'binary_operator' && r.childForFieldName('operator')?.text === '+') {
    const a = elements(r.childForFieldName('left'));
    const b = a ? elements(r.childForFieldName('right')) : null;
    return a && b ? [...a, ...b] : null;
  }
  return null;
}

// --- conditions ----------------------------------------------------------------------------------

/** Calls that ask the database what exists (a schema guard): SQLAlchemy's inspector, has_table, `*_exists` helpers. */
const PROBES =
  /^(has_(table|column|index|constraint|schema|sequence)|get_(columns|table_names|indexes|foreign_keys|unique_constraints|check_constraints|pk_constraint|view_names|sequence_names|enums)|\w*_exists?|exists_\w+|inspect|from_engine|table_names|column_names)$/;

/** True when the condition depends on what the database holds (`if not has_column(...)`, an inspector check). */
export function isSchemaProbe(cond: SyntaxNode): boolean {
  const seen = new Set<number>();
  const visit = (n: SyntaxNode, depth: number): boolean => {
    if (depth > 8 || seen.has(n.startIndex)) return false;
    seen.add(n.startIndex);
    if (n.type === 'call' && PROBES.test(lastName(callName(n)) ?? '')) return true;
    if (n.type === 'identifier') {
      const b = bindingOf(n);
      if (b && b.type !== 'function_definition' && !b.type.startsWith('import') && b.type !== 'class_definition')
        return visit(b, depth + 1);
      if (b?.type === 'function_definition') return PROBES.test(n.text);
      return false;
    }
    return named(n).some((c) => visit(c, depth + 1));
  };
  return visit(cond, 0);
}

/** `op.get_context().dialect.name`, `op.get_bind().dialect.name`, `bind.engine.name`, `connection.vendor`: the database's name. */
function isDialectName(node: SyntaxNode): boolean {
  const r = resolve(node);
  if (r.type !== 'attribute') return false;
  const attr = r.childForFieldName('attribute')?.text;
  const object = r.childForFieldName('object');
  if (!object) return false;
  if (attr === 'vendor') return true;
  if (attr === 'name') {
    const o = resolve(object);
    const last = o.type === 'attribute' ? o.childForFieldName('attribute')?.text : o.type === 'identifier' ? o.text : null;
    return last === 'dialect' || last === 'engine';
  }
  return false;
}

/** The names a dialect has in SQLAlchemy (`dialect.name`) and Django (`connection.vendor`). */
const DIALECT_NAMES: Record<Dialect, string[]> = {
  postgresql: ['postgresql', 'postgres'],
  mysql: ['mysql', 'mariadb'],
  sqlite: ['sqlite'],
};

function dialectMatches(name: string): boolean | null {
  if (!readingDialect) return null;
  const mine = DIALECT_NAMES[readingDialect];
  if (mine.includes(name)) return readingDialect === 'mysql' && name === 'mariadb' ? null : true;
  return Object.values(DIALECT_NAMES).some((names) => names.includes(name)) || name === 'oracle' || name === 'mssql' ? false : null;
}

/**
 * What a condition is for a static reader: true/false when it is decided by the set's dialect or by literals,
 * 'guard' when it asks the database what exists, null when only running the code tells.
 */
export function conditionValue(cond: SyntaxNode): boolean | 'guard' | null {
  return remembered(cond, 'condition', () => {
    const v = truth(cond, 0);
    if (v !== null) return v;
    return isSchemaProbe(cond) ? 'guard' : null;
  });
}

function truth(node: SyntaxNode, depth: number): boolean | null {
  if (depth > 16) return null;
  const r = resolve(node);
  switch (r.type) {
    case 'true':
      return true;
    case 'false':
    case 'none':
      return false;
    case 'not_operator': {
      const inner = truth(r.childForFieldName('argument') ?? r, depth + 1);
      return inner === null ? null : !inner;
    }
    case 'boolean_operator': {
      const op = r.childForFieldName('operator')?.text;
      const a = truth(r.childForFieldName('left') ?? r, depth + 1);
      const b = truth(r.childForFieldName('right') ?? r, depth + 1);
      if (op === 'and') return a === false || b === false ? false : a === true && b === true ? true : null;
      if (op === 'or') return a === true || b === true ? true : a === false && b === false ? false : null;
      return null;
    }
    case 'comparison_operator':
      return comparison(r);
    case 'call': {
      // dialect.name.startswith("postgres")
      const fn = r.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'startswith') {
        const object = fn.childForFieldName('object');
        const prefix = stringValue(callArgs(r).positional[0]);
        if (object && prefix !== null && isDialectName(object)) {
          const hits = (readingDialect ? DIALECT_NAMES[readingDialect] : []).filter((n) => n.startsWith(prefix));
          return readingDialect ? hits.length > 0 : null;
        }
      }
      return null;
    }
    default: {
      const v = literal(r);
      if (v === undefined) return null;
      return Array.isArray(v) ? v.length > 0 : typeof v === 'object' && v !== null ? Object.keys(v).length > 0 : Boolean(v);
    }
  }
}

function comparison(node: SyntaxNode): boolean | null {
  const operands = named(node);
  const operators = node.childrenForFieldName('operators').map((o) => o?.text ?? '');
  if (operands.length !== 2 || operators.length < 1) return null;
  const op = operators.join(' ');
  const [left, right] = operands as [SyntaxNode, SyntaxNode];
  const dialectSide = isDialectName(left) ? right : isDialectName(right) ? left : null;
  if (dialectSide) {
    const v = literal(dialectSide);
    const names = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
    if (!names) return null;
    const results = names.map(dialectMatches);
    const any = results.some((x) => x === true) ? true : results.every((x) => x === false) ? false : null;
    if (op === '==' || op === 'in' || op === 'is') return any;
    if (op === '!=' || op === 'not in' || op === 'is not') return any === null ? null : !any;
    return null;
  }
  const a = literal(left);
  const b = literal(right);
  if (a === undefined || b === undefined) return null;
  const eq = JSON.stringify(a) === JSON.stringify(b);
  const contains = Array.isArray(b)
    ? b.some((x) => JSON.stringify(x) === JSON.stringify(a))
    : typeof b === 'string' && typeof a === 'string'
      ? b.includes(a)
      : null;
  switch (op) {
    case '==':
    case 'is':
      return eq;
    case '!=':
    case 'is not':
      return !eq;
    case 'in':
      return contains;
    case 'not in':
      return contains === null ? null : !contains;
    default:
      if (typeof a === 'number' && typeof b === 'number') {
        if (op === '<') return a < b;
        if (op === '<=') return a <= b;
        if (op === '>') return a > b;
        if (op === '>=') return a >= b;
      }
      return null;
  }
}

// --- unrolling loops and following helpers -------------------------------------------------------

/** What a `for` loop takes from a literal collection: its elements, a dict's keys, or `.items()` as [key, value]. */
export function iterationItems(iterable: SyntaxNode): Array<SyntaxNode | [SyntaxNode, SyntaxNode]> | null {
  const r = resolve(iterable);
  if (r.type === 'call') {
    const fn = r.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    const dict = object ? resolve(object) : null;
    if (dict?.type === 'dictionary' && (method === 'items' || method === 'keys' || method === 'values')) {
      const pairs = named(dict).filter((p) => p.type === 'pair');
      if (pairs.length !== named(dict).length) return null;
      return pairs.map((p) => {
        const key = p.childForFieldName('key') as SyntaxNode;
        const value = p.childForFieldName('value') as SyntaxNode;
        return method === 'items' ? ([key, value] as [SyntaxNode, SyntaxNode]) : method === 'keys' ? key : value;
      });
    }
    return null;
  }
  if (r.type === 'dictionary') {
    const pairs = named(r).filter((p) => p.type === 'pair');
    return pairs.length === named(r).length ? pairs.map((p) => p.childForFieldName('key') as SyntaxNode) : null;
  }
  const items = elements(r);
  return items && !items.some((i) => i.type === 'list_splat') ? items : null;
}

/** The names a loop target binds to one item: `x` → item, `a, b` → the item's elements (or a pair). */
export function bindTarget(target: SyntaxNode, item: SyntaxNode | [SyntaxNode, SyntaxNode]): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  const bind = (t: SyntaxNode, v: SyntaxNode | [SyntaxNode, SyntaxNode]) => {
    if (t.type === 'identifier') {
      if (!Array.isArray(v)) out.set(t.text, v);
      return;
    }
    const parts = named(t);
    const values = Array.isArray(v) ? v : elements(v);
    if (!values || values.length !== parts.length) return;
    for (let i = 0; i < parts.length; i++) bind(parts[i] as SyntaxNode, values[i] as SyntaxNode);
  };
  bind(target, item);
  return out;
}

/** A call's arguments bound to a function's parameters (defaults for the missing); null when `*args`/`**kw` hide them. */
export function argumentBindings(def: SyntaxNode, args: ReturnType<typeof callArgs>): Map<string, SyntaxNode> | null {
  if (args.splat) return null;
  const out = new Map<string, SyntaxNode>();
  const params = [...parameterNames(def)];
  let position = 0;
  for (const [name, fallback] of params) {
    const given = args.keywords.get(name) ?? args.positional[position];
    if (args.positional[position] && !args.keywords.has(name)) position++;
    const value = given ?? fallback;
    if (value) out.set(name, value);
  }
  return out;
}

/** What `name` is bound to at the end of a block (a class body, a module), as a reader of straight-line code sees it. */
export function bindingIn(block: SyntaxNode, name: string): SyntaxNode | null {
  const r = lastBinding(named(block), name);
  return r === NONE || r === UNKNOWN ? null : r;
}
