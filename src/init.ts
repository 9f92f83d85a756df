// `twoway init`: a commented starter config for the migrations discovery finds here.
import type { MigrationSet } from './frameworks/adapter.js';
import { docsUrl } from './meta.js';
import { allRules } from './rules/index.js';

export function starterConfig(sets: readonly MigrationSet[]): string {
  const frameworks = [...new Set(sets.map((s) => s.framework))];
  const dialects = [...new Set(sets.map((s) => s.dialect))];
  const roots = [...new Set(sets.map((s) => s.root.split('\\').join('/')))];
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
    '# The SQL dialect, for frameworks whose files do not say (plain SQL folders): postgresql | mysql | sqlite.',
    `${dialects.length === 1 ? '' : '# '}dialect: ${dialects[0] ?? 'postgresql'}`,
    '',
    '# The server major version you deploy to: some operations lock less on newer servers.',
    `# serverVersion: "${dialects[0] === 'mysql' ? '8.0' : dialects[0] === 'sqlite' ? '3' : '16'}"`,
    '',
    '# The lowest severity that fails `twoway check` (exit code 1): error | warning | info.',
    'failOn: error',
    '',
    '# Per-rule severity: off | info | warning | error. Every rule, at its default:',
    'rules:',
    ...allRules.map((r) => `  ${r.id}: ${r.severity} # ${r.category}: ${r.summary}`),
    '',
    '# Migrations to leave out entirely (globs relative to this file). With `--since origin/main` in CI,',
    '# old migrations are replayed but not reported, so you rarely need this.',
    `ignore: []${examples.length ? ` # e.g. [${examples.join(', ')}]` : ''}`,
    '',
  );
  return lines.join('\n');
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}
