// The library API as a consumer meets it: docs/api.md's example runs, and the published declarations
// type-check without @types/node (a consumer's `types: []`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './testing/projects.js';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

function docExample(): string {
  const doc = readFileSync(join(repoRoot, 'docs/api.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/api.md has no ```ts example');
  return block;
}

describe('the library API', () => {
  it("runs docs/api.md's example as written (importing twoway's source)", () => {
    const dir = join(repoRoot, '.twoway-tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `api-example-${process.pid}.mts`);
    writeFileSync(file, docExample().replaceAll(`from 'twoway'`, `from ${JSON.stringify(join(repoRoot, 'src/index.ts'))}`));
    let out: string;
    try {
      out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot, encoding: 'utf8', timeout: 90_000 });
    } finally {
      rmSync(file, { force: true });
    }
    expect(out).toContain('3 migrations, 1 one-way doors');
    expect(out).toContain('000002: one-way (code rollback compatible, db rollback irreversible)');
    expect(out).toMatch(/000002_drop_full_name\.up\.sql:2:1 error drop-column /);
    expect(out).toMatch(/^drop-column \[data-loss, default error\]: /m);
    expect(out).toContain('000001: up ok, down ok, schema restored: true');
  }, 120_000);

  it('publishes declarations a consumer without @types/node can type-check', () => {
    const out = mkdtempSync(join(tmpdir(), 'twoway-dts-'));
    const dist = join(out, 'dist');
    execFileSync(
      process.execPath,
      [
        tsc,
        '-p',
        join(repoRoot, 'tsconfig.build.json'),
        '--outDir',
        dist,
        '--emitDeclarationOnly',
        '--declarationMap',
        'false',
        '--sourceMap',
        'false',
      ],
      { encoding: 'utf8', timeout: 110_000 },
    );
    const consumer = join(out, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'consumer.ts'),
      [
        "import { allRules, check, type CheckResult, formatCompact, rehearse, ruleById, toJsonReport } from 'twoway';",
        '',
        'export async function summary(paths: string[]): Promise<string> {',
        '  const result: CheckResult = await check(paths, { runnerSettings: { lock_timeout: "5s" } });',
        '  const report = toJsonReport(result);',
        '  const rehearsal = await rehearse(paths);',
        "  return [report.summary.oneWayDoors, formatCompact(result), ruleById('drop-column')?.summary, allRules.length, rehearsal.migrations.length].join(' ');",
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          paths: { twoway: [join(dist, 'index.d.ts')] },
        },
        files: ['consumer.ts'],
      }),
    );
    let errors = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], { encoding: 'utf8', timeout: 60_000 });
    } catch (e) {
      errors = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(errors).toBe('');
  }, 180_000);
});
