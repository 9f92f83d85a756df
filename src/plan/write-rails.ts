// Rails layout: db/migrate/<YYYYMMDDHHMMSS>_<name>.rb, one class per step under the Migration[x.y] the project uses.
// SQL goes through `execute <<~SQL` in up/down; a CONCURRENTLY step declares `disable_ddl_transaction!`, which
// Rails' Migrator reads to run the migration without its transaction.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { camelize, classify, underscore } from 'inflection';
import { parseRailsFileName } from '../frameworks/rails.js';
import { grammarParser, loadGrammar, namedChildren } from '../frameworks/tree-sitter.js';
import type { PlanStep } from './steps.js';
import { codeStepIndex, filesIn, newFiles, nextTimestamps, nothingToUndo, slotVersions, stepHeader } from './write-common.js';
import type { PlannedFile, StopUsing, WriterOptions } from './writer-options.js';

/** The Ruby grammar the writer reads the folder's migrations with (check's Rails adapter loads the same one). */
export const loadRailsWriter = (): Promise<unknown> => loadGrammar('tree-sitter-ruby');

export function railsFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const existing = filesIn(dir)
    .map(parseRailsFileName)
    .filter((f) => f !== null);
  const version =
    options.railsVersion ??
    newestMigrationVersion(
      dir,
      existing.map((f) => `${f.id}_${f.name}.rb`),
    );
  if (!version) throw new Error(`${dir}: no migration says its ActiveRecord::Migration[x.y] version; pass railsVersion`);
  const stamps = nextTimestamps(
    existing.map((f) => f.id),
    steps.length,
    options.now ?? new Date(),
    'stamp14',
    slotVersions(options),
  );
  // Rails refuses two migrations of one name (DuplicateMigrationNameError): a taken name gets a number.
  const taken = new Set(existing.map((f) => f.name));
  const codeAt = codeStepIndex(steps, options.stopUsing);
  return newFiles(
    steps.map((step, i) => {
      let name = step.name;
      for (let n = 2; taken.has(name); n++) name = `${step.name}_${n}`;
      taken.add(name);
      const header = stepHeader(step, i, steps, '#', i === codeAt ? ignoredColumns(options.stopUsing ?? []) : undefined);
      const lines = [
        ...header,
        `class ${camelize(name)} < ActiveRecord::Migration[${version}]`,
        ...(step.transactional ? [] : ['  disable_ddl_transaction!', '']),
        ...method('up', step.up),
        '',
        ...method('down', step.down, nothingToUndo(step)),
        'end',
      ];
      return { path: join(dir, `${stamps[i]}_${name}.rb`), text: `${lines.join('\n')}\n` };
    }),
  );
}

function method(name: 'up' | 'down', sql: readonly string[], nothing = ''): string[] {
  if (!sql.length) return [`  def ${name}`, `    # ${nothing}`, '  end'];
  // A quoted heredoc (<<~'SQL') keeps `#{` and backslashes in the SQL literal.
  const tag = sql.some((s) => s.includes('#{') || s.includes('\\')) ? "<<~'SQL'" : '<<~SQL';
  return [`  def ${name}`, `    execute ${tag}`, ...sql.map((s) => `      ${s}`), '    SQL', '  end'];
}

/** The code step in Rails' words: the model ignores the columns, so Active Record stops reading and writing them. */
function ignoredColumns(stopUsing: readonly StopUsing[]): string[] {
  return [
    'Ship first, in the release before this migration:',
    ...stopUsing.map((s) => {
      const model = s.model ?? classify(s.table);
      return `  app/models/${underscore(model)}.rb, class ${model}: self.ignored_columns += [${s.columns.map((c) => `"${c}"`).join(', ')}]`;
    }),
  ];
}

/** The newest `ActiveRecord::Migration[x.y]` among the folder's migrations, as written. */
function newestMigrationVersion(dir: string, names: readonly string[]): string | null {
  let newest: string | null = null;
  const parser = grammarParser('tree-sitter-ruby');
  for (const name of names) {
    const tree = parser.parse(readFileSync(join(dir, name), 'utf8'));
    if (!tree) continue;
    try {
      for (const ref of tree.rootNode.descendantsOfType('element_reference')) {
        if (ref?.childForFieldName('object')?.text !== 'ActiveRecord::Migration') continue;
        const index = namedChildren(ref)[1];
        if (index && (index.type === 'float' || index.type === 'integer') && (!newest || Number(index.text) > Number(newest)))
          newest = index.text;
      }
    } finally {
      tree.delete();
    }
  }
  return newest;
}
