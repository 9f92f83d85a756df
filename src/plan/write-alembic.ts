// Alembic layout: versions/<rev>_<name>.py, each revision's down_revision the one before it, the first chained
// from the folder's single head (read with tree-sitter, never run). SQL goes through op.execute; a CONCURRENTLY
// step runs in `with op.get_context().autocommit_block():`, which commits Alembic's transaction around its body.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readIni } from '../frameworks/alembic.js';
import { assignments, loadPythonGrammar, withPythonTree } from '../frameworks/python/ast.js';
import { literal } from '../frameworks/python/values.js';
import type { PlanStep } from './steps.js';
import { codeStepIndex, filesIn, newFiles, nothingToUndo, quoted, stepHeader } from './write-common.js';
import type { PlannedFile, StopUsing, WriterOptions } from './writer-options.js';

/** The Python grammar the writer reads revisions with (check's Alembic adapter loads the same one). */
export const loadAlembicWriter = loadPythonGrammar;

interface Revision {
  file: string;
  revision: string;
  parents: string[];
}

export function alembicFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const revisions = filesIn(dir)
    .filter((f) => f.endsWith('.py') && f !== '__init__.py')
    .map((f) => readRevision(join(dir, f)))
    .filter((r): r is Revision => r !== null);
  const replaced = options.replaces ? revisions.find((r) => resolve(dir, r.file) === resolve(options.replaces ?? '')) : undefined;
  if (options.replaces && !replaced) throw new Error(`${options.replaces}: not a revision of ${dir}`);
  const kept = revisions.filter((r) => r !== replaced);
  // Later revisions revise the original: the last step takes its revision id, so their down_revision names the
  // last step once the original is deleted (twoway never edits them), and the steps run where it ran.
  const revisedLater = replaced !== undefined && kept.some((r) => r.parents.includes(replaced.revision));
  const parents = new Set(kept.flatMap((r) => r.parents));
  const heads = replaced
    ? replaced.parents
    : kept
        .map((r) => r.revision)
        .filter((r) => !parents.has(r))
        .sort();
  if (heads.length > 1) throw new Error(`${dir} has ${heads.length} heads (${heads.join(', ')}): merge them first (alembic merge heads)`);
  const taken = new Set(revisions.map((r) => r.revision));
  let previous: string | null = heads[0] ?? null;
  // op.execute wraps a string in SQLAlchemy's text(), which reads `:name` (not `::type`) as a bind parameter (its
  // escape `\\:` check does not model): such SQL is refused rather than written in a form one of them misreads.
  const bound = steps.flatMap((s) => [...s.up, ...s.down]).find((sql) => /(?<![:\w\\]):\w+(?!:)/.test(sql));
  if (bound) throw new Error(`op.execute would read a :name in "${bound}" as a bind parameter: write this step by hand`);
  const codeAt = codeStepIndex(steps, options.stopUsing);
  const fileName = fileTemplate(dir);
  const now = options.now ?? new Date();
  return newFiles(
    steps.map((step, i) => {
      const inherits = revisedLater && i === steps.length - 1;
      const revision = inherits ? replaced.revision : freshRevision(taken, `${previous ?? ''} ${step.name} ${now.toISOString()}`);
      const header = stepHeader(step, i, steps, '#', i === codeAt ? sqlalchemyModel(options.stopUsing ?? []) : undefined);
      if (inherits)
        header.push(`# The revision id of ${replaced.file}, which later revisions revise: delete that file before running this one.`);
      const text = [
        `"""${step.name.replaceAll('_', ' ')}`,
        '',
        `Revision ID: ${revision}`,
        `Revises: ${previous ?? ''}`,
        '"""',
        ...header,
        'from alembic import op',
        '',
        '# revision identifiers, used by Alembic.',
        `revision = ${quoted(revision)}`,
        `down_revision = ${previous ? quoted(previous) : 'None'}`,
        'branch_labels = None',
        'depends_on = None',
        '',
        '',
        ...body('upgrade', step.up, step.transactional),
        '',
        '',
        ...body('downgrade', step.down, step.transactional, nothingToUndo(step).replace('the up ', 'the upgrade ')),
      ].join('\n');
      previous = revision;
      return { path: join(dir, `${fileName(revision, step.name, now)}.py`), text: `${text}\n` };
    }),
  );
}

function body(name: 'upgrade' | 'downgrade', sql: readonly string[], transactional: boolean, nothing = ''): string[] {
  if (!sql.length) return [`def ${name}():`, `    pass  # ${nothing}`];
  const calls = sql.map((s) => `op.execute(${quoted(s)})`);
  return transactional
    ? [`def ${name}():`, ...calls.map((c) => `    ${c}`)]
    : [`def ${name}():`, '    with op.get_context().autocommit_block():', ...calls.map((c) => `        ${c}`)];
}

function sqlalchemyModel(stopUsing: readonly StopUsing[]): string[] {
  return stopUsing.map(
    (s) =>
      `Ship first, in the release before this revision: the SQLAlchemy models no longer map ${s.table}.${s.columns.join(`, ${s.table}.`)}.`,
  );
}

/**
 * File names from alembic.ini's `file_template` (found beside the script directory, as `alembic revision` reads
 * it): `%%(rev)s_%%(slug)s` by default; the date tokens in UTC, as Alembic does unless `timezone` is set.
 */
function fileTemplate(versions: string): (rev: string, slug: string, now: Date) => string {
  const scriptDir = dirname(resolve(versions));
  const ini = [scriptDir, dirname(scriptDir)].map((d) => join(d, 'alembic.ini')).find(existsSync);
  const template = (ini && readIni(readFileSync(ini, 'utf8')).get('alembic')?.get('file_template')) || '%%(rev)s_%%(slug)s';
  return (rev, slug, now) => {
    const tokens: Record<string, string | number> = {
      rev,
      slug,
      epoch: Math.floor(now.getTime() / 1000),
      year: now.getUTCFullYear(),
      month: now.getUTCMonth() + 1,
      day: now.getUTCDate(),
      hour: now.getUTCHours(),
      minute: now.getUTCMinutes(),
      second: now.getUTCSeconds(),
    };
    // Python %-formatting of named tokens (configparser doubles the %): %(name)s, %(name)d, %(name).2d.
    return template.replaceAll('%%', '%').replace(/%\((\w+)\)(?:\.(\d+))?([sd])/g, (whole, name: string, width?: string) => {
      const value = tokens[name];
      if (value === undefined) throw new Error(`${ini}: file_template token ${whole} is not one twoway plan fills`);
      return width ? String(value).padStart(Number(width), '0') : String(value);
    });
  };
}

/** `revision` and `down_revision` (a string, a tuple of them, or None) of a revision file, as literals. */
function readRevision(abs: string): Revision | null {
  return withPythonTree(readFileSync(abs, 'utf8'), (root) => {
    const vars = assignments(root);
    const revision = literal(vars.get('revision'));
    if (typeof revision !== 'string') return null;
    const down = literal(vars.get('down_revision'));
    const parents = typeof down === 'string' ? [down] : Array.isArray(down) ? down.filter((d): d is string => typeof d === 'string') : [];
    return { file: basename(abs), revision, parents };
  });
}

/**
 * A 12-hex-digit revision id like Alembic's own (uuid4().hex[-12:]), unused in the folder: a hash of what the
 * revision is (its parent, step, the clock), so the same plan at the same time writes the same ids.
 */
function freshRevision(taken: Set<string>, seed: string): string {
  let id = '';
  for (let n = 0; !id || taken.has(id); n++) id = createHash('sha256').update(`${seed}\n${n}`).digest('hex').slice(0, 12);
  taken.add(id);
  return id;
}
