// The files that put twoway in other people's CI: the GitHub Action, the pre-commit hook and the
// recipes in docs/ci.md must parse and must only use flags the CLI has.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from './cli.js';
import { gitRepo, repoRoot } from './testing/projects.js';

const read = (file: string) => readFileSync(resolve(repoRoot, file), 'utf8');

async function helpOf(command: string): Promise<string> {
  let out = '';
  await main([command, '--help'], { out: (s) => (out += s), err: () => {} });
  return out;
}

/** Every `--flag` written after `twoway … <command>` in a text, with the command it belongs to. */
function flagsUsed(text: string): Array<[string, string]> {
  return [...text.matchAll(/twoway\S*\)?"?\s+(check|report|init)\b([^\n]*)/g)].flatMap((m) =>
    [...(m[2] ?? '').matchAll(/(?<![\w-])--?[a-z][a-z-]*/g)].map((f): [string, string] => [m[1] as string, f[0]]),
  );
}

async function expectKnownFlags(text: string): Promise<void> {
  const used = flagsUsed(text);
  expect(used.length).toBeGreaterThan(0);
  for (const [command, flag] of used) expect(await helpOf(command), `${command} ${flag}`).toMatch(new RegExp(`(^|[ ,])${flag}\\b`, 'm'));
}

describe('action.yml', () => {
  const action = parse(read('action.yml'));

  it('is a composite action whose scripts are valid bash', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps.filter((s: { run?: string }) => s.run)) {
      expect(step.shell).toBe('bash');
      const file = join(tmpdir(), `twoway-action-step-${process.pid}.sh`);
      writeFileSync(file, step.run);
      execFileSync('bash', ['-n', file]);
    }
  });

  it('uses only flags the CLI has, and every input it reads is declared', async () => {
    const text = read('action.yml');
    await expectKnownFlags(text);
    for (const m of text.matchAll(/inputs\.([\w-]+)/g)) expect(Object.keys(action.inputs)).toContain(m[1]);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const [hook] = parse(read('.pre-commit-hooks.yaml'));

  it('its entry reports the migration you are about to commit, with the history replayed', async () => {
    const repo = gitRepo();
    repo.write('db/000001_create_users.up.sql', read('examples/golang-migrate/000001_create_users.up.sql'));
    repo.git('add', '.');
    repo.git('commit', '-qm', 'history');
    repo.write('db/000002_drop_email.up.sql', 'ALTER TABLE users DROP COLUMN email;\n');
    repo.git('add', '.');
    expect(new RegExp(hook.files).test('db/000002_drop_email.up.sql')).toBe(true);
    expect(hook.entry).toMatch(/^twoway /);
    let out = '';
    const code = await main([...hook.entry.split(' ').slice(1), '--format', 'json'], {
      out: (s) => (out += s),
      err: () => {},
      cwd: repo.dir,
    });
    expect(code).toBe(1);
    expect(JSON.parse(out).migrations.map((m: { id: string }) => m.id)).toEqual(['000002']);
  });
});

describe('docs/ci.md', () => {
  const doc = read('docs/ci.md');

  it('every YAML recipe parses', () => {
    const blocks = [...doc.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(() => parse(block)).not.toThrow();
  });

  it('uses only flags the CLI has (and so does the README)', async () => {
    await expectKnownFlags(doc);
    await expectKnownFlags(read('README.md'));
  });
});

describe('the published package', () => {
  it('builds no test helpers into dist/ (their declarations need @types/node; no consumer imports them)', () => {
    const tsc = resolve(repoRoot, 'node_modules/typescript/bin/tsc');
    const files = execFileSync(process.execPath, [tsc, '-p', resolve(repoRoot, 'tsconfig.build.json'), '--listFilesOnly'], {
      encoding: 'utf8',
      timeout: 110_000,
    })
      .split('\n')
      .filter((f) => f.startsWith(resolve(repoRoot, 'src')));
    expect(files).toContain(resolve(repoRoot, 'src/index.ts'));
    expect(files.filter((f) => /\/testing(\/|\.ts$)|\.test\.ts$/.test(f))).toEqual([]);
  }, 120_000);
});
