// Statements node-sql-parser's MySQL and SQLite grammars cannot parse, read from their tokens (sql/tokens.ts), one
// shape each, as the databases' own documentation writes them. Anything else is left unread: a statement these
// readers do not recognise to its end stays a `Raw` that is not analyzed.
import type { Operation, QName, Span } from '../ir.js';
import type { Token } from './tokens.js';

type Base = { span: Span; text: string };
type Dialect = 'mysql' | 'sqlite';

/** A cursor over a statement's tokens: each reader succeeds only if it takes every token. */
class Reader {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  /** Takes the words given, in order, when they come next. */
  words(...words: string[]): boolean {
    if (!words.every((w, k) => this.peek(k)?.kind === 'word' && this.peek(k)?.value === w)) return false;
    this.i += words.length;
    return true;
  }

  punct(p: string): boolean {
    if (this.peek()?.kind !== 'punct' || this.peek()?.text !== p) return false;
    this.i++;
    return true;
  }

  /** A word or a quoted name. */
  name(): string | null {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'name')) return null;
    this.i++;
    return t.kind === 'word' ? t.text : t.value;
  }

  /** [schema.]name */
  qname(): QName | null {
    const first = this.name();
    if (first === null) return null;
    if (!this.punct('.')) return { name: first };
    const second = this.name();
    return second === null ? null : { schema: first, name: second };
  }

  /** The rest of the statement, as written. */
  rest(): Token[] {
    const rest = this.tokens.slice(this.i);
    this.i = this.tokens.length;
    return rest;
  }
}

export function readStatementShape(tokens: readonly Token[], base: Base, dialect: Dialect): Operation[] | null {
  for (const read of [dropIndex, transaction, pragma, dropTrigger, createVirtualTable, alterColumnDefault, renameIndex]) {
    const ops = read(new Reader(tokens), base, dialect);
    if (ops) return ops;
  }
  return null;
}

/** DROP INDEX [IF EXISTS] [schema.]index [ON table] (SQLite's form has no table; MySQL's names it). */
function dropIndex(r: Reader, base: Base, dialect: Dialect): Operation[] | null {
  if (!r.words('DROP', 'INDEX')) return null;
  const ifExists = r.words('IF', 'EXISTS');
  const index = r.qname();
  if (!index) return null;
  if (r.words('ON') && !r.qname()) return null;
  // InnoDB drops a secondary index in place, without blocking writes.
  return r.done ? [{ kind: 'DropIndex', ...base, index, concurrently: dialect === 'mysql', ifExists }] : null;
}

/** BEGIN [DEFERRED | IMMEDIATE | EXCLUSIVE] [TRANSACTION], START TRANSACTION, COMMIT / END [TRANSACTION], ROLLBACK [TRANSACTION]. */
function transaction(r: Reader, base: Base, dialect: Dialect): Operation[] | null {
  let action: 'begin' | 'commit' | 'rollback' | null = null;
  if (r.words('BEGIN')) {
    action = 'begin';
    if (dialect === 'sqlite' && !r.words('DEFERRED') && !r.words('IMMEDIATE')) r.words('EXCLUSIVE');
  } else if (r.words('START', 'TRANSACTION')) action = 'begin';
  else if (r.words('COMMIT') || (dialect === 'sqlite' && r.words('END'))) action = 'commit';
  else if (r.words('ROLLBACK')) action = 'rollback';
  if (!action) return null;
  if (!r.words('TRANSACTION')) r.words('WORK');
  return r.done ? [{ kind: 'Transaction', ...base, action }] : null;
}

/**
 * PRAGMA [schema.]name [= value | (value)]. A setting (foreign_keys = off) is a SetSetting; a pragma that reads
 * (table_info(x)) changes nothing; writable_schema lets the next statements rewrite the schema behind the parser's
 * back, so it is not analyzed.
 */
function pragma(r: Reader, base: Base): Operation[] | null {
  if (!r.words('PRAGMA')) return null;
  const name = r.qname();
  if (!name) return null;
  const key = name.name.toLowerCase();
  if (key === 'writable_schema')
    return [
      {
        kind: 'Raw',
        ...base,
        statement: 'pragma',
        notAnalyzed: 'PRAGMA writable_schema lets the statements after it edit the schema directly',
      },
    ];
  if (r.done) return [{ kind: 'Raw', ...base, statement: `pragma:${key}`, notAnalyzed: null }];
  const call = r.punct('(');
  if (!call && !r.punct('=')) return null;
  const value = r.rest();
  if (call && value.at(-1)?.text !== ')') return null;
  const written = call ? value.slice(0, -1) : value;
  if (!written.length || written.some((t) => t.kind === 'punct' && t.text !== '-' && t.text !== '+')) return null;
  if (call) return [{ kind: 'Raw', ...base, statement: `pragma:${key}`, notAnalyzed: null }];
  const text = written.map((t) => (t.kind === 'word' ? t.text : t.value)).join('');
  return [{ kind: 'SetSetting', ...base, name: key, value: text, local: false }];
}

/** DROP TRIGGER [IF EXISTS] [schema.]name */
function dropTrigger(r: Reader, base: Base): Operation[] | null {
  if (!r.words('DROP', 'TRIGGER')) return null;
  r.words('IF', 'EXISTS');
  const name = r.qname();
  return name && r.done
    ? [{ kind: 'Raw', ...base, statement: 'drop trigger', notAnalyzed: null, object: { type: 'trigger', name: name.name, action: 'drop' } }]
    : null;
}

/** SQLite: CREATE VIRTUAL TABLE [IF NOT EXISTS] name USING module(args): a table whose columns its module decides. */
function createVirtualTable(r: Reader, base: Base, dialect: Dialect): Operation[] | null {
  if (dialect !== 'sqlite' || !r.words('CREATE', 'VIRTUAL', 'TABLE')) return null;
  const ifNotExists = r.words('IF', 'NOT', 'EXISTS');
  const table = r.qname();
  if (!table || !r.words('USING') || !r.name()) return null;
  const args = r.rest();
  if (args.length && (args[0]?.text !== '(' || args.at(-1)?.text !== ')')) return null;
  return [{ kind: 'CreateTable', ...base, table, columns: [], constraints: [], ifNotExists, derived: true }];
}

/** MySQL: ALTER TABLE t ALTER [COLUMN] c {SET DEFAULT literal | DROP DEFAULT}, the statement's only action. */
function alterColumnDefault(r: Reader, base: Base, dialect: Dialect): Operation[] | null {
  if (dialect !== 'mysql' || !r.words('ALTER', 'TABLE')) return null;
  const table = r.qname();
  if (!table || !r.words('ALTER')) return null;
  r.words('COLUMN');
  const column = r.name();
  if (column === null) return null;
  if (r.words('DROP', 'DEFAULT')) return r.done ? [{ kind: 'SetDefault', ...base, table, column, default: null }] : null;
  if (!r.words('SET', 'DEFAULT')) return null;
  const value = r.rest();
  const literal = value.length === 1 ? value[0] : value.length === 2 && value[0]?.text === '-' ? value[1] : undefined;
  if (!literal || (!['number', 'string'].includes(literal.kind) && !['NULL', 'TRUE', 'FALSE', 'CURRENT_TIMESTAMP'].includes(literal.value)))
    return null;
  const text = value.map((t) => t.text).join('');
  return [{ kind: 'SetDefault', ...base, table, column, default: { text, volatile: false } }];
}

/** MySQL: ALTER TABLE t RENAME {INDEX | KEY} a TO b, the statement's only action. */
function renameIndex(r: Reader, base: Base, dialect: Dialect): Operation[] | null {
  if (dialect !== 'mysql' || !r.words('ALTER', 'TABLE')) return null;
  const table = r.qname();
  if (!table || !r.words('RENAME') || !(r.words('INDEX') || r.words('KEY'))) return null;
  const from = r.name();
  if (from === null || !r.words('TO')) return null;
  const to = r.name();
  // MySQL names an index within its table; the IR's other MySQL index operations name it alone, as here.
  return to !== null && r.done ? [{ kind: 'RenameIndex', ...base, index: { name: from }, newName: to }] : null;
}
