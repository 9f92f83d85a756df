// Reads Ruby migration text through the real grammar and SQL parser, for the Rails adapter's tests.
import type { Dialect } from '../../ir.js';
import type { Migration, ParsedMigration } from '../../migration.js';
import { loadSqlParsers } from '../../sql/index.js';
import { parseRailsMigration } from '../rails.js';
import { loadGrammar } from '../tree-sitter.js';
import { loadRubySyntax } from './syntax.js';

export async function loadRails(): Promise<void> {
  await Promise.all([loadGrammar('tree-sitter-ruby'), loadSqlParsers(), loadRubySyntax()]);
}

export function railsMigration(text: string, options: { id?: string; path?: string; dialect?: Dialect } = {}): Migration {
  const id = options.id ?? '20240101000000';
  const path = options.path ?? `db/migrate/${id}_test.rb`;
  return {
    id,
    name: 'test',
    framework: 'rails',
    dialect: options.dialect ?? 'postgresql',
    path,
    files: [path],
    up: { path, text, startLine: 1, language: 'ruby' },
    down: null,
    transactional: true,
  };
}

/** Parses the body of a `change` (or the whole class when `text` starts with `class`). */
export function readRails(text: string, options: { id?: string; dialect?: Dialect } = {}): ParsedMigration {
  const source = text.startsWith('class')
    ? text
    : `class TestMigration < ActiveRecord::Migration[7.1]\n  def change\n${text}\n  end\nend\n`;
  return parseRailsMigration(railsMigration(source, options));
}
