// Django layout: <app>/migrations/<NNNN>_<name>.py, each depending on the one before, the first on the app's
// leaf migration (read with tree-sitter, never run). SQL goes through RunSQL(sql=..., reverse_sql=...); a
// CONCURRENTLY step sets `atomic = False`. Dropping a column the models still have is preceded by a
// state-only migration (SeparateDatabaseAndState removing the field from Django's state, the database untouched).
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadPythonGrammar, withPythonTree } from '../frameworks/python/ast.js';
import { bindingIn, elements, literal } from '../frameworks/python/values.js';
import type { PlanStep } from './steps.js';
import { codeStepIndex, filesIn, newFiles, quoted, stepHeader } from './write-common.js';
import type { PlannedFile, StopUsing, WriterOptions } from './writer-options.js';

/** The Python grammar the writer reads migrations with (check's Django adapter loads the same one). */
export const loadDjangoWriter = loadPythonGrammar;

interface AppMigration {
  name: string;
  /** Migrations of this app it depends on. */
  after: string[];
  /** Migrations of this app it stands for (`replaces`: a squash, or a plan's last step). */
  replaces: string[];
}

export function djangoFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const app = options.appLabel ?? basename(dirname(resolve(dir)));
  const migrations = filesIn(dir)
    .filter((f) => /^\d{4}_\w*\.py$/.test(f))
    .sort()
    .map((f) => readMigration(join(dir, f), app))
    // A dependency on a migration another replaces is one on the replacing migration, as Django's loader reads it.
    .map((m, _, all) => {
      const by = (n: string) => all.find((o) => o.replaces.includes(n))?.name ?? n;
      return { ...m, after: m.after.map(by) };
    })
    // A replaced migration still on disk is out of the graph while its replacement is used.
    .filter((m, _, all) => !all.some((o) => o.replaces.includes(m.name)));
  const replaced = options.replaces ? migrations.find((m) => resolve(dir, `${m.name}.py`) === resolve(options.replaces ?? '')) : undefined;
  if (options.replaces && !replaced) throw new Error(`${options.replaces}: not a migration of ${dir}`);
  const kept = migrations.filter((m) => m !== replaced);
  // Later migrations depend on the original: the last step `replaces` it, which Django's loader reads as standing for
  // it (as a squashed migration does), so their dependencies name the last step once the original is deleted
  // (twoway never edits them). Only while the original is unapplied: an applied one would mark the last step applied.
  const dependedLater = replaced !== undefined && kept.some((m) => m.after.includes(replaced.name));
  const dependedOn = new Set(kept.flatMap((m) => m.after));
  const leaves = replaced ? replaced.after : kept.map((m) => m.name).filter((n) => !dependedOn.has(n));
  if (leaves.length > 1)
    throw new Error(`${app} has ${leaves.length} leaf migrations (${leaves.join(', ')}): merge them first (makemigrations --merge)`);
  let number = Math.max(0, ...migrations.map((m) => Number(m.name.slice(0, 4)))) + 1;
  let previous = leaves[0] ?? null;
  const codeAt = codeStepIndex(steps, options.stopUsing);
  const files: PlannedFile[] = [];
  const add = (step: number, name: string, header: string[], atomic: boolean, operations: string[], codeStep = false) => {
    const full = `${String(number++).padStart(4, '0')}_${name}`;
    const replacing = dependedLater && step === steps.length - 1 && !codeStep;
    const comments =
      replacing && replaced
        ? [...header, `# Stands for ${replaced.name} (replaces), which later migrations depend on: delete it before migrating.`]
        : header;
    const text = [
      ...comments,
      'from django.db import migrations',
      '',
      '',
      'class Migration(migrations.Migration):',
      ...(atomic ? [] : ['    atomic = False', '']),
      `    dependencies = [${previous ? `(${quoted(app)}, ${quoted(previous)})` : ''}]`,
      ...(replacing && replaced ? [`    replaces = [(${quoted(app)}, ${quoted(replaced.name)})]`] : []),
      '',
      '    operations = [',
      ...operations.map((o) => `        ${o}`),
      '    ]',
    ].join('\n');
    files.push({ path: join(dir, `${full}.py`), text: `${text}\n`, step, ...(codeStep ? { codeStep } : {}) });
    previous = full;
  };
  steps.forEach((step, i) => {
    if (i === codeAt) {
      const stop = options.stopUsing ?? [];
      add(
        i,
        `remove_${stop.flatMap((s) => s.columns).join('_')}_from_state`,
        [
          `# twoway plan: the code step before step ${i + 1}: ship it with the release whose models no longer have the fields.`,
          "# Django's state forgets them; the database keeps the columns until the contract step drops them.",
        ],
        true,
        removeFromState(stop, app),
        true,
      );
    }
    add(i, step.name, stepHeader(step, i, steps, '#'), step.transactional, runSql(step));
  });
  return newFiles(files);
}

function runSql(step: PlanStep): string[] {
  const list = (sql: readonly string[]) => `[${sql.map(quoted).join(', ')}]`;
  return [
    'migrations.RunSQL(',
    `    sql=${list(step.up)},`,
    `    reverse_sql=${step.down.length ? list(step.down) : 'migrations.RunSQL.noop'},`,
    '),',
  ];
}

function removeFromState(stop: readonly StopUsing[], app: string): string[] {
  const model = (s: StopUsing) => (s.model ?? (s.table.startsWith(`${app}_`) ? s.table.slice(app.length + 1) : s.table)).toLowerCase();
  return [
    'migrations.SeparateDatabaseAndState(',
    '    state_operations=[',
    ...stop.flatMap((s) => s.columns.map((c) => `        migrations.RemoveField(model_name=${quoted(model(s))}, name=${quoted(c)}),`)),
    '    ],',
    '    database_operations=[],',
    '),',
  ];
}

/** A migration's name and the migrations of `app` it depends on, read from its `dependencies` literal. */
function readMigration(abs: string, app: string): AppMigration {
  const name = basename(abs, '.py');
  return withPythonTree(readFileSync(abs, 'utf8'), (root) => {
    const cls = root.namedChildren.find((s) => s?.type === 'class_definition' && s.childForFieldName('name')?.text === 'Migration');
    const body = cls?.childForFieldName('body');
    const deps = body ? (elements(bindingIn(body, 'dependencies')) ?? []) : [];
    const ofApp = (list: ReturnType<typeof elements>) =>
      (list ?? []).flatMap((d) => {
        const v = literal(d);
        return Array.isArray(v) && v[0] === app && typeof v[1] === 'string' ? [v[1]] : [];
      });
    return { name, after: ofApp(deps), replaces: body ? ofApp(elements(bindingIn(body, 'replaces'))) : [] };
  });
}
