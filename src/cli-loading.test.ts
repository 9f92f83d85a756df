// What a `check` run loads: a folder of plain SQL must not import the DSL frameworks' readers (tree-sitter, Prism,
// Babel and twoway's Ruby/Python/JS code), nor the rehearse, HTML or SARIF code, for the human report. The CLI runs
// in a child process with a module hook that records every module it resolves.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './testing/projects.js';

/** The modules (file URLs and package entry points) a CLI run resolves. */
function modulesLoaded(argv: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'twoway-loading-'));
  const out = join(dir, 'modules.txt');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(out)}, resolved.url + '\\n');
  return resolved;
}`,
  );
  // CommonJS requires (createRequire) do not pass through the ESM hooks on Node 20: the require cache lists them.
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
writeFileSync(${JSON.stringify(out)}, '');
register(${JSON.stringify(`file://${join(dir, 'hooks.mjs')}`)});
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(${JSON.stringify(out)}, Object.keys(require.cache).join('\\n') + '\\n'));`,
  );
  writeFileSync(
    join(dir, 'cli.mjs'),
    `const { main } = await import(${JSON.stringify(join(repoRoot, 'src/cli.ts'))});
process.exitCode = await main(process.argv.slice(2));`,
  );
  const run = spawnSync('node', ['--import', join(dir, 'register.mjs'), '--import', 'tsx', join(dir, 'cli.mjs'), ...argv], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  return readFileSync(out, 'utf8').split('\n').filter(Boolean);
}

const DSL_READERS = [
  /\/src\/frameworks\/(rails|alembic|django|knex|node-pg-migrate|typeorm|sequelize)\.ts$/,
  /\/src\/frameworks\/(rails\/reader|python\/|js\/(ast|interpret|discover))/,
  /node_modules\/(web-tree-sitter|tree-sitter-|@ruby\/prism|@babel\/parser|@mrleebo\/prisma-ast|node-sql-parser)/,
];
// The rehearse engine's default time limit is a constant the help text quotes: that module holds nothing else.
const OTHER_COMMANDS = [
  /\/src\/rehearse\/(?!engine\.ts$)/,
  /\/src\/report\/(html|sarif)/,
  /node_modules\/(@electric-sql|pg|mysql2|sql\.js)\//,
];

describe('what check loads', () => {
  it('reads a plain SQL folder without any DSL reader nor rehearse, HTML or SARIF code', () => {
    const loaded = modulesLoaded(['check', '--no-cache', '--no-evidence', 'examples/sql']);
    expect(loaded.some((m) => m.endsWith('/src/frameworks/sql.ts'))).toBe(true);
    expect(loaded.filter((m) => [...DSL_READERS, ...OTHER_COMMANDS].some((re) => re.test(m)))).toEqual([]);
  });

  it('loads the Ruby reader when the folder is a Rails history', () => {
    const loaded = modulesLoaded(['check', '--no-cache', '--no-evidence', 'examples/rails']);
    expect(loaded.some((m) => m.endsWith('/src/frameworks/rails/reader.ts'))).toBe(true);
    expect(loaded.some((m) => /\/src\/frameworks\/(python\/|js\/interpret)/.test(m))).toBe(false);
  });
});
