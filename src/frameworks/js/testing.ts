// Test helpers for the JS/TS adapters: parse inline source as a migration file, and print operations compactly.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ColumnDef, Operation } from '../../ir.js';
import { qnameText } from '../../ir.js';
import type { Migration, ParsedMigration } from '../../migration.js';
import { loadSqlParsers } from '../../sql/index.js';
import type { FrameworkAdapter } from '../adapter.js';
// Tests call the synchronous `discover`: every adapter is imported first.
import '../all.js';

export async function parseSource(
  adapter: FrameworkAdapter,
  text: string,
  options: { path?: string; dialect?: Migration['dialect'] } = {},
): Promise<ParsedMigration> {
  await loadSqlParsers();
  const path = options.path ?? 'migrations/20240101000000_test.js';
  const language = path.endsWith('.sql') ? 'sql' : /\.[cm]?ts$/.test(path) ? 'typescript' : 'javascript';
  return adapter.parse({
    id: '20240101000000',
    name: 'test',
    framework: adapter.framework,
    dialect: options.dialect ?? 'postgresql',
    path,
    files: [path],
    up: { path, text, startLine: 1, language },
    down: null,
    transactional: true,
  });
}

export function columnText(c: ColumnDef): string {
  const ref = c.references ? ` REFERENCES ${qnameText(c.references.table)}(${c.references.columns.join(',')})` : '';
  return `${c.name} ${c.type.text}${c.nullable ? '' : ' NOT NULL'}${c.default ? ` DEFAULT ${c.default.text}` : ''}${c.primaryKey ? ' PK' : ''}${c.unique ? ' UNIQUE' : ''}${ref}`;
}

/** One line per operation: what it does and where (`@line:column`). */
export function describeOp(op: Operation): string {
  const at = `@${op.span.line}:${op.span.column}`;
  switch (op.kind) {
    case 'CreateTable':
      return `CreateTable ${qnameText(op.table)} (${op.columns.map(columnText).join(', ')}) ${at}`;
    case 'AddColumn':
      return `AddColumn ${qnameText(op.table)}.${columnText(op.column)} ${at}`;
    case 'DropColumn':
    case 'SetNotNull':
    case 'DropNotNull':
      return `${op.kind} ${qnameText(op.table)}.${op.column} ${at}`;
    case 'RenameColumn':
      return `RenameColumn ${qnameText(op.table)}.${op.column} -> ${op.newName} ${at}`;
    case 'AlterColumnType':
      return `AlterColumnType ${qnameText(op.table)}.${op.column} ${op.type.text} ${at}`;
    case 'SetDefault':
      return `SetDefault ${qnameText(op.table)}.${op.column} ${op.default?.text ?? 'DROP'} ${at}`;
    case 'DropTable':
      return `DropTable ${qnameText(op.table)} ${at}`;
    case 'RenameTable':
      return `RenameTable ${qnameText(op.table)} -> ${op.newName} ${at}`;
    case 'AddIndex':
      return `AddIndex ${op.name} on ${qnameText(op.table)}(${op.columns.join(',')})${op.unique ? ' unique' : ''}${op.concurrently ? ' concurrently' : ''} ${at}`;
    case 'DropIndex':
      return `DropIndex ${qnameText(op.index)}${op.concurrently ? ' concurrently' : ''} ${at}`;
    case 'AddConstraint': {
      const c = op.constraint;
      const ref = c.references ? ` -> ${qnameText(c.references.table)}(${c.references.columns.join(',')})` : '';
      return `AddConstraint ${c.type} ${c.name ?? '(unnamed)'} on ${qnameText(op.table)}(${c.columns.join(',')})${ref}${c.expression ? ` ${c.expression}` : ''} ${at}`;
    }
    case 'DropConstraint':
      return `DropConstraint ${op.name} on ${qnameText(op.table)} ${at}`;
    case 'CreateEnum':
      return `CreateEnum ${qnameText(op.name)} (${op.values.join(',')}) ${at}`;
    case 'AlterEnum':
      return `AlterEnum ${qnameText(op.name)} ${op.action.type === 'add' ? `add ${op.action.value}` : `rename ${op.action.from} -> ${op.action.to}`} ${at}`;
    case 'DropEnum':
      return `DropEnum ${qnameText(op.name)} ${at}`;
    case 'DataChange':
      return `DataChange ${op.action} ${qnameText(op.table)}${op.columns.length ? `(${op.columns.join(',')})` : ''}${op.hasWhere ? ' where' : ''} ${at}`;
    case 'Raw':
      return `Raw ${op.statement} ${at}`;
    default:
      return `${op.kind} ${at}`;
  }
}

export function describeOps(ops: readonly Operation[] | null): string[] | null {
  return ops ? ops.map(describeOp) : null;
}

export function notesOf(parsed: ParsedMigration): string[] {
  return (parsed.notes ?? []).map((n) => `${n.rule} @${n.span.line}:${n.span.column} ${n.message}`);
}

/** A project folder of ../shared/corpus/apps (real migrations read in place), or null when the corpus is absent. */
export function corpusApp(project: string): string | null {
  const root = [resolve(import.meta.dirname, '../../../../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));
  const dir = root ? join(root, 'apps', project) : null;
  return dir && existsSync(dir) ? dir : null;
}
