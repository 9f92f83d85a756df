// IR → PostgreSQL SQL. Used to run migrations written in a DSL (Rails, Alembic, Django, JS
// frameworks) on a real PostgreSQL, and to run downs twoway derives from the IR. Statements kept as
// text are checked with libpg-query: call loadSqlParsers() first.

import type { ColumnDef, ConstraintDef, ForeignKeyTarget, Operation, QName } from '../ir.js';
import { parseSync } from './libpg.js';

export type Emitted = { ok: true; sql: string | null } | { ok: false; reason: string };

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qname(q: QName): string {
  return q.schema ? `${ident(q.schema)}.${ident(q.name)}` : ident(q.name);
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The statement for one operation. `sql: null` means the operation needs no statement of its own
 * (a transaction marker the runner handles). Operations kept only as text (Raw, DataChange, CreateView)
 * are emitted as their text when that text is PostgreSQL, and refused otherwise (DSL code).
 */
export function emitPostgres(op: Operation): Emitted {
  const ok = (sql: string | null): Emitted => ({ ok: true, sql });
  // The operations of a batched DO block carry the block: it runs as written, once for all of them.
  if (isDoBlock(op.text)) return ok(op.text);
  switch (op.kind) {
    case 'CreateTable': {
      if (op.derived) return asSql(op, 'CREATE TABLE … AS / LIKE / PARTITION OF');
      const parts = [...op.columns.map(columnSql), ...op.constraints.filter((c) => !inlineConstraint(c, op.columns)).map(constraintSql)];
      return ok(`CREATE TABLE ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${qname(op.table)} (\n  ${parts.join(',\n  ')}\n)`);
    }
    case 'DropTable':
      return ok(`DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${qname(op.table)}${op.cascade ? ' CASCADE' : ''}`);
    case 'RenameTable':
      return ok(`ALTER TABLE ${qname(op.table)} RENAME TO ${ident(op.newName)}`);
    case 'AddColumn':
      return ok(`ALTER TABLE ${qname(op.table)} ADD COLUMN ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${columnSql(op.column)}`);
    case 'DropColumn':
      return ok(
        `ALTER TABLE ${qname(op.table)} DROP COLUMN ${op.ifExists ? 'IF EXISTS ' : ''}${ident(op.column)}${op.cascade ? ' CASCADE' : ''}`,
      );
    case 'RenameColumn':
      return ok(`ALTER TABLE ${qname(op.table)} RENAME COLUMN ${ident(op.column)} TO ${ident(op.newName)}`);
    case 'AlterColumnType':
      return ok(
        `ALTER TABLE ${qname(op.table)} ALTER COLUMN ${ident(op.column)} TYPE ${op.type.text}${op.using ? ` USING ${op.using}` : ''}`,
      );
    case 'SetNotNull':
      return ok(`ALTER TABLE ${qname(op.table)} ALTER COLUMN ${ident(op.column)} SET NOT NULL`);
    case 'DropNotNull':
      return ok(`ALTER TABLE ${qname(op.table)} ALTER COLUMN ${ident(op.column)} DROP NOT NULL`);
    case 'SetDefault':
      return ok(
        `ALTER TABLE ${qname(op.table)} ALTER COLUMN ${ident(op.column)} ${op.default ? `SET DEFAULT ${op.default.text}` : 'DROP DEFAULT'}`,
      );
    case 'AddIndex': {
      const name = op.name ? `${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${ident(op.name)} ` : '';
      const columns = op.columns.map((c) => (isIdentifier(c) ? ident(c) : `(${c})`)).join(', ');
      return ok(
        `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${name}ON ${qname(op.table)} USING ${op.method} (${columns})${op.where ? ` WHERE ${op.where}` : ''}`,
      );
    }
    case 'DropIndex':
      return ok(`DROP INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${op.ifExists ? 'IF EXISTS ' : ''}${qname(op.index)}`);
    case 'RenameIndex':
      return ok(`ALTER INDEX ${qname(op.index)} RENAME TO ${ident(op.newName)}`);
    case 'AddConstraint':
      return ok(`ALTER TABLE ${qname(op.table)} ADD ${constraintSql(op.constraint)}${op.constraint.notValid ? ' NOT VALID' : ''}`);
    case 'ValidateConstraint':
      return ok(`ALTER TABLE ${qname(op.table)} VALIDATE CONSTRAINT ${ident(op.name)}`);
    case 'DropConstraint':
      return ok(`ALTER TABLE ${qname(op.table)} DROP CONSTRAINT ${op.ifExists ? 'IF EXISTS ' : ''}${ident(op.name)}`);
    case 'RenameConstraint':
      return ok(`ALTER TABLE ${qname(op.table)} RENAME CONSTRAINT ${ident(op.name)} TO ${ident(op.newName)}`);
    case 'CreateEnum':
      return ok(`CREATE TYPE ${qname(op.name)} AS ENUM (${op.values.map(literal).join(', ')})`);
    case 'AlterEnum': {
      const a = op.action;
      if (a.type === 'rename') return ok(`ALTER TYPE ${qname(op.name)} RENAME VALUE ${literal(a.from)} TO ${literal(a.to)}`);
      const position = a.before ? ` BEFORE ${literal(a.before)}` : a.after ? ` AFTER ${literal(a.after)}` : '';
      return ok(`ALTER TYPE ${qname(op.name)} ADD VALUE ${a.ifNotExists ? 'IF NOT EXISTS ' : ''}${literal(a.value)}${position}`);
    }
    case 'RenameType':
      return ok(`ALTER TYPE ${qname(op.name)} RENAME TO ${ident(op.newName)}`);
    case 'DropEnum':
      return ok(`DROP TYPE ${op.ifExists ? 'IF EXISTS ' : ''}${qname(op.name)}`);
    case 'DropView':
      return ok(`DROP ${op.materialized ? 'MATERIALIZED ' : ''}VIEW ${op.ifExists ? 'IF EXISTS ' : ''}${qname(op.name)}`);
    case 'SetSetting':
      return ok(`SET ${op.local ? 'LOCAL ' : ''}${op.name} = ${op.value}`);
    case 'Transaction':
      return ok(null);
    case 'CreateView':
      return asSql(op, 'a view body');
    case 'DataChange':
      return asSql(op, `a data change (${op.action})`);
    case 'Raw':
      return asSql(op, op.statement);
  }
}

/** A DO block alone (the cheap test on its first word spares parsing every operation's text). */
function isDoBlock(text: string): boolean {
  if (text.trimStart().slice(0, 2).toUpperCase() !== 'DO') return false;
  try {
    const stmts = parseSync(text).stmts ?? [];
    return stmts.length === 1 && 'DoStmt' in (stmts[0]?.stmt ?? {});
  } catch {
    return false;
  }
}

/**
 * Operations the IR keeps only as text run as that text when it is the PostgreSQL statement the IR
 * recorded: DSL code (`execute "…"`) may parse as some other statement, so the kind must match too.
 */
function asSql(op: Operation, what: string): Emitted {
  const expected = expectedStatements(op);
  try {
    const kinds = (parseSync(op.text).stmts ?? []).map((s) => Object.keys(s.stmt ?? {})[0] ?? '');
    if (kinds.length > 0 && kinds.every((k) => expected.has(k))) return { ok: true, sql: op.text };
  } catch {
    // Not SQL: DSL code twoway cannot run.
  }
  return { ok: false, reason: `${what} is not PostgreSQL text (${op.span.path}:${op.span.line}): not run` };
}

const DATA_STATEMENTS = { update: 'UpdateStmt', delete: 'DeleteStmt', insert: 'InsertStmt', truncate: 'TruncateStmt' } as const;

function expectedStatements(op: Operation): Set<string> {
  switch (op.kind) {
    case 'DataChange':
      // CREATE TABLE … AS SELECT is read as the table and the rows it is filled with.
      return new Set([DATA_STATEMENTS[op.action], ...(op.action === 'insert' ? ['CreateTableAsStmt'] : [])]);
    case 'CreateView':
      return new Set(['ViewStmt', 'CreateTableAsStmt']);
    case 'CreateTable':
      return new Set(['CreateStmt', 'CreateTableAsStmt']);
    case 'Raw': {
      // `AlterTable:AT_…`, `DropStmt:OBJECT_…`, `CreateFunctionStmt`: the parser's statement type comes first.
      const head = op.statement.split(':')[0] ?? '';
      return new Set([head === 'AlterTable' ? 'AlterTableStmt' : head]);
    }
    default:
      return new Set();
  }
}

/** A plain lower-case column name (the IR keeps index expressions as their text). */
function isIdentifier(s: string): boolean {
  return [...s].every((ch, i) => ch === '_' || (ch >= 'a' && ch <= 'z') || (i > 0 && ((ch >= '0' && ch <= '9') || ch === '$')));
}

function columnSql(c: ColumnDef): string {
  const parts = [ident(c.name), c.type.text];
  if (c.identity) parts.push('GENERATED BY DEFAULT AS IDENTITY');
  if (c.default && !c.default.text.startsWith('nextval(<')) parts.push(`DEFAULT ${c.default.text}`);
  if (!c.nullable && !c.primaryKey) parts.push('NOT NULL');
  if (c.primaryKey) parts.push('PRIMARY KEY');
  if (c.unique) parts.push('UNIQUE');
  if (c.references) parts.push(referencesSql(c.references));
  return parts.join(' ');
}

/**
 * Column-level constraints the column definition already carries (PRIMARY KEY, UNIQUE, REFERENCES on one
 * column). Adapters may also name them (Django's `<table>_pkey`): emitting both would declare them twice.
 */
function inlineConstraint(k: ConstraintDef, columns: ColumnDef[]): boolean {
  if (k.columns.length !== 1) return false;
  const c = columns.find((col) => col.name === k.columns[0]);
  if (!c) return false;
  return (
    (k.type === 'primary-key' && c.primaryKey) || (k.type === 'unique' && c.unique) || (k.type === 'foreign-key' && c.references !== null)
  );
}

function referencesSql(t: ForeignKeyTarget): string {
  return `REFERENCES ${qname(t.table)}${t.columns.length ? ` (${t.columns.map(ident).join(', ')})` : ''}`;
}

function constraintSql(k: ConstraintDef): string {
  const name = k.name ? `CONSTRAINT ${ident(k.name)} ` : '';
  const cols = `(${k.columns.map(ident).join(', ')})`;
  switch (k.type) {
    case 'primary-key':
      return k.usingIndex ? `${name}PRIMARY KEY USING INDEX ${ident(k.usingIndex)}` : `${name}PRIMARY KEY ${cols}`;
    case 'unique':
      return k.usingIndex ? `${name}UNIQUE USING INDEX ${ident(k.usingIndex)}` : `${name}UNIQUE ${cols}`;
    case 'check':
      return `${name}CHECK (${k.expression ?? 'true'})`;
    case 'foreign-key':
      return `${name}FOREIGN KEY ${cols} ${k.references ? referencesSql(k.references) : ''}`;
    case 'exclude':
      return `${name}EXCLUDE ${k.expression ?? ''}`;
    case 'not-null':
      return `${name}CHECK (${k.columns.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ')})`;
  }
}
