// The previous release's code as evidence (issue 13): read the application code of the release
// running today (a git ref) from git objects, never checked out and never run, and tell for a table
// or column a migration drops, renames, retypes or makes NOT NULL whether that release still uses it.
// The answer is the judge's `usage` input: a drop still used is breaking, one no longer used is the
// contract step it looks like, and where nothing can be told the core rules decide.
import { posix } from 'node:path';
import type { Evidence, Usage } from '../findings.js';
import type { UsageOf } from '../judge/judge.js';
import { loadSqlParsers } from '../sql/index.js';
import { emptyFacts, type Line, type ReleaseFacts } from './facts.js';
import { listFiles, readFiles } from './release.js';

export { factsFromJson, factsToJson } from './facts.js';
export { defaultBase, repositoryRoot, resolveRef } from './release.js';

export interface Release {
  /** The ref as the user named it (or `merge-base(main)`). */
  ref: string;
  commit: string;
  facts: ReleaseFacts;
}

export interface ReadReleaseOptions {
  /** The repository's top folder (git runs there). */
  repo: string;
  ref: string;
  commit: string;
  /** Repository-relative folders holding the application ('' for the whole repository). */
  folders: readonly string[];
  /** Repository-relative folders left out: the migrations themselves, whose code names every column. */
  exclude: readonly string[];
}

const SKIP_DIRS = new Set([
  'node_modules',
  'vendor',
  'dist',
  'build',
  'coverage',
  'tmp',
  'log',
  '.git',
  'test',
  'tests',
  'spec',
  '__tests__',
  'fixtures',
  'migrations',
  'migrate',
]);
const JS = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;

/** Reads the application code of a release: its models and the queries in its source strings. */
export async function readRelease(o: ReadReleaseOptions): Promise<Release> {
  await loadSqlParsers();
  const facts = emptyFacts();
  const excluded = (p: string) => o.exclude.some((x) => x && (p === x || p.startsWith(`${x}/`)));
  const paths = new Set<string>();
  for (const folder of o.folders) {
    for (const f of listFiles(o.repo, o.commit, folder)) {
      if (excluded(f.path) || f.size > 1024 * 1024) continue;
      const parts = f.path.split('/');
      if (parts.slice(0, -1).some((d) => SKIP_DIRS.has(d))) continue;
      const name = parts.at(-1) as string;
      // Tests do not run in production; a schema dump is no code.
      if (
        /(?:_spec\.rb|_test\.rb|\.test\.[jt]sx?|\.spec\.[jt]sx?|\.d\.ts)$/.test(name) ||
        /^test_.*\.py$/.test(name) ||
        name === 'schema.rb'
      )
        continue;
      if (name.endsWith('.rb') || name.endsWith('.py') || name.endsWith('.prisma') || JS.test(name)) paths.add(f.path);
    }
  }
  const files = readFiles(o.repo, o.commit, [...paths].sort());
  // Each reader (its tree-sitter grammar, Babel, prisma-ast) is imported only for a release holding its files.
  const rb = files.filter((f) => f.path.endsWith('.rb'));
  const py = files.filter((f) => f.path.endsWith('.py'));
  const prisma = files.filter((f) => f.path.endsWith('.prisma'));
  const js = files.filter((f) => JS.test(f.path));
  if (rb.length) {
    const { loadRails, readRails } = await import('./rails.js');
    await loadRails();
    readRails(rb, facts);
  }
  if (py.length) {
    const { loadPython, readPython } = await import('./python.js');
    await loadPython();
    readPython(py, facts);
  }
  if (prisma.length) (await import('./prisma.js')).readPrisma(prisma, facts);
  if (js.length) (await import('./js.js')).readJs(js, facts);
  return { ref: o.ref, commit: o.commit, facts };
}

/** The judge's `usage` for a release. */
export function usageOf(release: Release): UsageOf {
  const byTable = groupByTable(release.facts.models);
  const queries = groupByTable(release.facts.queries);
  const queriesOf = (table: string) => queries.get(table) ?? [];
  const ev = (l: Line): Evidence => ({ ref: release.ref, path: l.path, line: l.line, text: l.text });
  const where = (l: Line) => `${l.path}:${l.line}`;
  const cache = new Map<string, Usage | undefined>();
  return (tableKey, column) => {
    const key = `${tableKey}\0${column ?? ''}`;
    if (!cache.has(key)) cache.set(key, decide(tableKey.split('.').at(-1)?.toLowerCase() ?? tableKey, column));
    return cache.get(key);
  };

  function decide(table: string, column: string | undefined): Usage | undefined {
    const models = byTable.get(table) ?? [];
    const ref = release.ref;
    if (release.facts.filesRead === 0)
      return { uses: null, summary: `Release ${ref} has no application code twoway reads next to these migrations.`, evidence: [] };
    if (column === undefined) {
      const queries = queriesOf(table);
      const lines = [...models.map((m) => m.at), ...queries.map((q) => q.at)];
      if (lines.length)
        return {
          uses: true,
          summary: `Release ${ref} still uses table ${table}: ${models.length ? `${where(models[0]!.at)} maps it` : `${where(queries[0]!.at)} queries it`}.`,
          evidence: lines.slice(0, 5).map(ev),
        };
      return {
        uses: false,
        summary: `Release ${ref} does not use it: no model or query among the ${release.facts.filesRead} files read at ${ref} names table ${table}.`,
        evidence: [],
      };
    }
    const target = `${table}.${column}`;
    const uses: Line[] = [];
    const reasons: string[] = [];
    const stopped: Array<{ line: Line; why: string }> = [];
    let activeRecord = false;
    for (const m of models) {
      if (m.columns === 'all') {
        const ignored = m.ignored.get(column);
        if (ignored) stopped.push({ line: ignored, why: `ignored since ${where(ignored)}` });
        else {
          uses.push(m.at);
          reasons.push(`${where(m.at)} maps ${table} and has no ignored_columns entry for ${column}`);
          activeRecord = true;
        }
        continue;
      }
      const field = m.columns.get(column);
      if (field) {
        uses.push(field);
        reasons.push(`${where(field)} declares it`);
      } else stopped.push({ line: m.at, why: `${where(m.at)} (${m.orm}) declares no field for it` });
    }
    if (activeRecord) {
      // Lines that name the attribute: not needed for the answer (the model loads it), but where the code reads it.
      const refs = (release.facts.rubyReferences.get(column) ?? []).slice(0, 3);
      uses.push(...refs);
      if (refs[0]) reasons.splice(1, 0, `${where(refs[0])} names it`);
    }
    for (const q of queriesOf(table)) {
      if (!q.columns.has(column)) continue;
      uses.push(q.at);
      reasons.push(`${where(q.at)} names it in a query`);
    }
    if (uses.length)
      return {
        uses: true,
        summary: `Release ${ref} still uses ${target}: ${reasons.slice(0, 2).join('; ')}.`,
        evidence: uses.slice(0, 5).map(ev),
      };
    if (stopped.length)
      return {
        uses: false,
        summary: `Release ${ref} does not use ${target}: ${stopped.map((s) => s.why).join('; ')}.`,
        evidence: stopped.slice(0, 5).map((s) => ev(s.line)),
      };
    return { uses: null, summary: `Nothing in release ${ref} tells whether it uses ${target}: no model maps ${table}.`, evidence: [] };
  }
}

function groupByTable<T extends { table: string }>(facts: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const f of facts) {
    const key = f.table.toLowerCase();
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  return out;
}

/**
 * The folder of the application a migration set belongs to, repository-relative: the nearest folder
 * at most three above the set holding a project file (Gemfile, manage.py, alembic.ini, package.json,
 * pyproject.toml…), else the set's parent.
 */
export function applicationFolder(setRoot: string, exists: (relativePath: string) => boolean): string {
  const markers = [
    'Gemfile',
    'manage.py',
    'alembic.ini',
    'package.json',
    'pyproject.toml',
    'setup.py',
    'requirements.txt',
    'go.mod',
    'composer.json',
  ];
  // Three folders up at most: a project file higher up is a monorepo's or a tool's, not this application's.
  let dir = setRoot;
  for (let up = 0; up <= 3; up++, dir = posix.dirname(dir)) {
    const d = dir === '.' ? '' : dir;
    if (markers.some((m) => exists(d ? `${d}/${m}` : m))) return d;
    if (!d) break;
  }
  const parent = posix.dirname(setRoot);
  return parent === '.' ? '' : parent;
}
