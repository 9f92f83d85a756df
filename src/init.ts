// `twoway init`: a commented starter config for the migrations discovery finds here.
import type { RunnerSettings } from './discover/runner-settings.js';
import type { MigrationSet } from './frameworks/adapter.js';
import { docsUrl } from './meta.js';
import { allRules } from './rules/index.js';

/**
 * `paths`: the folders `twoway check` finds the sets in (default: the sets' roots). `runner`: per set (same order),
 * the timeouts its runner sets, as the project's files say (discover/runner-settings.ts).
 */
export function starterConfig(sets: readonly MigrationSet[], paths?: readonly string[], runner?: readonly RunnerSettings[]): string {
  const frameworks = [...new Set(sets.map((s) => s.framework))];
  const dialects = [...new Set(sets.map((s) => s.dialect))];
  const roots = [...new Set((paths ?? sets.map((s) => s.root)).map((r) => r.split('\\').join('/')))];
  const examples = sets.flatMap((s) => (s.migrations[0] ? [yamlString(s.migrations[0].path.split('\\').join('/'))] : []));
  const lines = [`# twoway config: ${docsUrl('docs/ci.md#configuration')}`, '#'];
  lines.push(
    frameworks.length
      ? `# Found: ${sets.map((s) => `${s.framework} (${s.dialect}) in ${s.root}, ${s.migrations.length} migration${s.migrations.length === 1 ? '' : 's'}`).join('; ')}.`
      : '# No migrations were found here: set "paths" to the folders that hold them.',
    '',
    '# Folders twoway checks when given no path (relative to this file).',
    'paths:',
    ...(roots.length ? roots : ['db/migrations']).map((r) => `  - ${yamlString(r)}`),
    '',
    ...dialectLines(sets),
    '',
    '# The server major version you deploy to: some operations lock less on newer servers.',
    `# serverVersion: "${dialects[0] === 'mysql' ? '8.0' : dialects[0] === 'sqlite' ? '3' : '16'}"`,
    '',
    ...runnerLines(sets, runner),
    '# The lowest severity that fails `twoway check` (exit code 1): error | warning | info.',
    'failOn: error',
    '',
    '# Per-rule severity: off | info | warning | error. A rule left out keeps its default, which depends on the',
    '# context (a lock on a table the same migration creates, a down, the server version): set only what you change.',
    '# Every rule, with its usual severity:',
    'rules: {}',
    ...allRules.map((r) => `#   ${r.id}: ${r.severity} # ${r.category}: ${r.summary}`),
    '',
    '# Migrations to leave out entirely (globs relative to this file). With `--since origin/main` in CI,',
    '# old migrations are replayed but not reported, so you rarely need this.',
    `ignore: []${examples.length ? ` # e.g. [${examples.join(', ')}]` : ''}`,
    '',
  );
  return lines.join('\n');
}

/** The timeouts the runner sets: what was read from the project's files, and the keys for what it sets otherwise. */
function runnerLines(sets: readonly MigrationSet[], runner: readonly RunnerSettings[] = []): string[] {
  if (!sets.some((s) => s.dialect === 'postgresql')) return [];
  const found = sets.flatMap((s, i) =>
    Object.entries(runner[i] ?? {}).map(([name, d]) => `#   ${s.root.split('\\').join('/')}: ${name} ${d?.value} (${d?.source})`),
  );
  return [
    '# lock_timeout / statement_timeout your migration runner sets before every migration: no finding asks for them then.',
    "# twoway reads them itself from strong_migrations, database.yml, Django settings, Alembic's env.py, Flyway's",
    '# initSql / beforeMigrate.sql and database URLs; set them here when your runner sets them another way.',
    ...(found.length ? ['# Read from the project:', ...found] : []),
    '# lockTimeout: "5s"',
    '# statementTimeout: "15min"',
    '',
  ];
}

/**
 * The dialect detected for each set, and why. One for all: `dialect`. Several: a `dialects` entry per folder, which
 * then wins over what detection would say (a folder holding one set per dialect, as pop's, needs none).
 */
function dialectLines(sets: readonly MigrationSet[]): string[] {
  const dialects = [...new Set(sets.map((s) => s.dialect))];
  const root = (s: MigrationSet) => s.root.split('\\').join('/');
  const why = sets.map((s) => `#   ${root(s)} (${s.framework}): ${s.dialect}, ${s.dialectReason}`);
  if (dialects.length <= 1)
    return [
      '# The SQL dialect of sets whose framework config, file names or folder do not say: postgresql | mysql | sqlite.',
      ...(why.length ? ['# Detected:', ...why] : []),
      `dialect: ${dialects[0] ?? 'postgresql'}`,
    ];
  const byRoot = new Map<string, MigrationSet[]>();
  for (const s of sets) byRoot.set(root(s), [...(byRoot.get(root(s)) ?? []), s]);
  const lines = ['# The SQL dialect of the sets in each folder, as detected; an entry here wins over every other source.', 'dialects:'];
  for (const [folder, inFolder] of byRoot) {
    const one = new Set(inFolder.map((s) => s.dialect)).size === 1;
    const reasons = one
      ? [...new Set(inFolder.map((s) => s.dialectReason))].join('; ')
      : `one set per dialect (${inFolder.map((s) => `${s.dialect}: ${s.dialectReason}`).join('; ')})`;
    lines.push(`${one ? '' : '# '}  ${yamlString(folder)}: ${inFolder[0]?.dialect} # ${reasons}`);
  }
  lines.push('# The dialect of any other set whose framework config, file names and folder do not say.', '# dialect: postgresql');
  return lines;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}
