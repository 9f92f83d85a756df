// The runner settings (runner-settings.ts) that Python files set: Django's settings `OPTIONS.options` and the SET
// statements an Alembic env.py executes. Apart so that the Python readers load only with a set of those frameworks.
import { join } from 'node:path';
import { withPythonTree } from '../frameworks/python/ast.js';
import { embeddedSql } from '../frameworks/python/embedded-sql.js';
import { stringValue } from '../frameworks/python/values.js';
import type { SyntaxNode } from '../frameworks/tree-sitter.js';
import { type Add, commandLineSettings, entries, NAMES, readText, type TimeoutSetting, unquoted } from './runner-settings.js';

// --- Django ----------------------------------------------------------------------------------------

/** The settings modules of the Django project holding the set: settings.py or settings/*.py beside manage.py. */
export function djangoSettings(folders: readonly string[], add: Add): void {
  const root = folders.find((dir) => readText(join(dir, 'manage.py')) !== null);
  if (!root) return;
  for (const file of settingsFiles(root, 2)) {
    const text = readText(file);
    if (text === null) continue;
    withPythonTree(text, (module) => {
      for (const node of module.descendantsOfType(['pair', 'assignment'])) {
        if (!node) continue;
        const options = node.type === 'pair' ? optionsPairValue(node) : optionsAssignmentValue(node);
        const value = options && stringValue(options);
        if (!value) continue;
        for (const [name, v] of commandLineSettings(value)) add(name, v, file, options.startPosition.row + 1);
      }
    });
  }
}

function settingsFiles(dir: string, depth: number): string[] {
  const out: string[] = [];
  for (const e of entries(dir)) {
    const path = join(dir, e.name);
    if (e.isFile() && e.name === 'settings.py') out.push(path);
    else if (e.isDirectory() && e.name === 'settings')
      out.push(
        ...entries(path).flatMap((f) => (f.isFile() && f.name.endsWith('.py') && !TEST_SETTINGS.test(f.name) ? [join(path, f.name)] : [])),
      );
    else if (e.isDirectory() && depth > 0 && !e.name.startsWith('.') && !SKIPPED.has(e.name)) out.push(...settingsFiles(path, depth - 1));
  }
  return out;
}

/** settings/test.py, settings/testing.py, settings/test_ci.py: the test run's database, not the deploy's. */
const TEST_SETTINGS = /^tests?(ing)?(_.*)?\.py$/;

const SKIPPED = new Set(['node_modules', 'migrations', 'venv', '.venv', '__pycache__', 'static', 'templates', 'tests']);

/** `"options": "-c ..."` inside the dict that is the value of `"OPTIONS"`. */
function optionsPairValue(pair: SyntaxNode): SyntaxNode | null {
  if (stringValue(pair.childForFieldName('key')) !== 'options') return null;
  const outer = pair.parent?.parent;
  if (pair.parent?.type !== 'dictionary' || outer?.type !== 'pair' || stringValue(outer.childForFieldName('key')) !== 'OPTIONS')
    return null;
  return pair.childForFieldName('value');
}

/** `DATABASES["default"]["OPTIONS"]["options"] = "-c ..."`. */
function optionsAssignmentValue(assignment: SyntaxNode): SyntaxNode | null {
  const left = assignment.childForFieldName('left');
  if (left?.type !== 'subscript' || stringValue(left.childForFieldName('subscript')) !== 'options') return null;
  const inner = left.childForFieldName('value');
  if (inner?.type !== 'subscript' || stringValue(inner.childForFieldName('subscript')) !== 'OPTIONS') return null;
  return assignment.childForFieldName('right');
}

// --- Alembic ---------------------------------------------------------------------------------------

/** SET statements in the strings env.py executes (connection.execute(text("SET ...")), op.execute, exec_driver_sql), and its engine's connect_args options. */
export function alembicEnv(folders: readonly string[], add: Add): void {
  for (const dir of folders.slice(0, 2)) {
    const file = join(dir, 'env.py');
    const text = readText(file);
    if (text === null) continue;
    const path = file;
    withPythonTree(text, (module) => {
      for (const call of module.descendantsOfType('call')) {
        const name = call?.childForFieldName('function')?.text.split('.').at(-1);
        if (!call || (name !== 'execute' && name !== 'exec_driver_sql')) continue;
        let arg = call.childForFieldName('arguments')?.namedChildren[0] ?? null;
        // text("SET ...") / sa.text(...) wraps the SQL.
        if (arg?.type === 'call' && arg.childForFieldName('function')?.text.split('.').at(-1) === 'text')
          arg = arg.childForFieldName('arguments')?.namedChildren[0] ?? null;
        const sql = embeddedSql(arg, { path, text, startLine: 1, language: 'python' }, 'postgresql');
        for (const op of sql?.ops ?? []) {
          const setting = op.kind === 'SetSetting' ? op.name.toLowerCase() : '';
          if (op.kind === 'SetSetting' && (NAMES as readonly string[]).includes(setting))
            add(setting as TimeoutSetting, unquoted(op.value), file, op.span.line);
        }
      }
      // create_engine(url, connect_args={"options": "-c lock_timeout=5s"}): libpq's options for every connection.
      for (const argument of module.descendantsOfType('keyword_argument')) {
        if (argument?.childForFieldName('name')?.text !== 'connect_args') continue;
        const dict = argument.childForFieldName('value');
        if (dict?.type !== 'dictionary') continue;
        for (const pair of dict.namedChildren) {
          if (pair?.type !== 'pair' || stringValue(pair.childForFieldName('key')) !== 'options') continue;
          const value = pair.childForFieldName('value');
          const options = value && stringValue(value);
          if (options)
            for (const [name, v] of commandLineSettings(options)) add(name, v, file, (value as SyntaxNode).startPosition.row + 1);
        }
      }
    });
    return;
  }
}
