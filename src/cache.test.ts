import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckCache } from './cache.js';
import { type CheckOptions, check } from './check.js';
import { main } from './cli.js';
import { formatHuman } from './report/human.js';
import { formatJson } from './report/json.js';
import { releaseRepo } from './testing/git-repo.js';
import { repoRoot, tempProject } from './testing/projects.js';

const CORPUS = [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find(
  (p): p is string => !!p && existsSync(join(p, 'pg')),
);

const tempDir = () => mkdtempSync(join(tmpdir(), 'twoway-cache-'));

/** Everything a user sees of a result, in two formats. */
async function answers(paths: string[], options: CheckOptions): Promise<string> {
  const result = await check(paths, options);
  return `${formatJson(result)}\n${formatHuman(result, { color: false, verbose: true })}`;
}

function entries(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'dialect-markers.json')
    .map((f) => join(dir, f));
}

const examples = join(repoRoot, 'examples');

describe('check cache', () => {
  it('a re-run reads every set from the cache, and the answers are those of a run without it (examples)', async () => {
    const dir = tempDir();
    const uncached = await answers(['.'], { cwd: examples });
    const first = await answers(['.'], { cwd: examples, cacheLocation: dir });
    const written = entries(dir);
    expect(written.length).toBeGreaterThan(10);
    const stamps = written.map((f) => statSync(f).mtimeMs);
    const second = await answers(['.'], { cwd: examples, cacheLocation: dir });
    expect(first).toBe(uncached);
    expect(second).toBe(uncached);
    // A hit writes nothing.
    expect(written.map((f) => statSync(f).mtimeMs)).toEqual(stamps);
  });

  it.skipIf(!CORPUS)('same answers with and without the cache on a corpus project', async () => {
    const cwd = join(CORPUS as string, 'pg/supabase__auth');
    const dir = tempDir();
    const uncached = await answers(['.'], { cwd });
    expect(await answers(['.'], { cwd, cacheLocation: dir })).toBe(uncached);
    expect(await answers(['.'], { cwd, cacheLocation: dir })).toBe(uncached);
  });

  it('a changed migration misses; the other sets still hit', async () => {
    const cwd = tempProject({
      'a/migrations/1_init.up.sql': 'CREATE TABLE t (id int);\n',
      'a/migrations/1_init.down.sql': 'DROP TABLE t;\n',
      'b/migrations/1_init.up.sql': 'CREATE TABLE u (id int);\n',
      'b/migrations/1_init.down.sql': 'DROP TABLE u;\n',
    });
    const dir = tempDir();
    await check(['.'], { cwd, cacheLocation: dir });
    const before = new Map(entries(dir).map((f) => [f, readFileSync(f, 'utf8')]));
    writeFileSync(join(cwd, 'a/migrations/1_init.down.sql'), 'SELECT 1;\n');
    const result = await check(['.'], { cwd, cacheLocation: dir });
    const changed = [...before].filter(([f, text]) => readFileSync(f, 'utf8') !== text);
    expect(changed).toHaveLength(1);
    // The new down no longer undoes the up: the answer is recomputed, not read from the stale entry.
    expect(formatJson(result)).toBe(formatJson(await check(['.'], { cwd })));
    expect(result.sets.find((s) => s.set.root.startsWith('a'))?.reports[0]?.dbRollback).not.toBe('reversible');
  });

  it('a changed helper file a JS migration imports misses, though no migration changed', async () => {
    const helper = (column: string) => `import { QueryRunner } from 'typeorm';
export const change = async (queryRunner: QueryRunner) => {
  await queryRunner.query('ALTER TABLE organization DROP COLUMN ${column}');
};
`;
    const cwd = tempProject({
      'migrations/helpers.ts': helper('sso_config'),
      'migrations/1700000000000-Change.ts': `import { MigrationInterface, QueryRunner } from 'typeorm';
import { change } from './helpers';
export class Change1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await change(queryRunner);
  }
  public async down(queryRunner: QueryRunner): Promise<void> {}
}
`,
    });
    const dir = tempDir();
    const first = await check(['.'], { cwd, cacheLocation: dir });
    expect(first.sets[0]?.reports[0]?.findings.map((f) => f.message).join('\n')).toMatch(/organization\.sso_config/);
    writeFileSync(join(cwd, 'migrations/helpers.ts'), helper('legacy_flag'));
    const second = await check(['.'], { cwd, cacheLocation: dir });
    const messages = second.sets[0]?.reports[0]?.findings.map((f) => f.message).join('\n');
    expect(messages).toMatch(/organization\.legacy_flag/);
    expect(messages).not.toMatch(/sso_config/);
  });

  it('a corrupt, truncated or foreign entry is ignored and rewritten', async () => {
    const dir = tempDir();
    const uncached = await answers(['golang-migrate'], { cwd: examples });
    await check(['golang-migrate'], { cwd: examples, cacheLocation: dir });
    const [file] = entries(dir);
    const good = readFileSync(file as string, 'utf8');
    const entry = JSON.parse(good);
    const bad = [
      'not json',
      good.slice(0, good.length / 2),
      JSON.stringify({ ...entry, reports: [{ parsed: {} }] }),
      JSON.stringify({
        ...entry,
        reports: entry.reports.map((r: { parsed: object }) => ({ ...r, parsed: { ...r.parsed, migration: 999 } })),
      }),
      JSON.stringify({ ...entry, format: 0 }),
    ];
    for (const text of bad) {
      writeFileSync(file as string, text);
      expect(await answers(['golang-migrate'], { cwd: examples, cacheLocation: dir })).toBe(uncached);
      expect(readFileSync(file as string, 'utf8')).toBe(good);
    }
  });

  it("a hit reads the operations only when asked for them, and they are the run's own; a changed operations file is a miss", async () => {
    const dir = tempDir();
    const fresh = await check(['golang-migrate'], { cwd: examples });
    await check(['golang-migrate'], { cwd: examples, cacheLocation: dir });
    const [file] = entries(dir);
    const opsFile = (file as string).replace(/\.json$/, '.ops');
    const good = readFileSync(opsFile, 'utf8');
    // The entry itself holds no operations: they are in the file beside it.
    expect(readFileSync(file as string, 'utf8')).not.toContain('"kind":"CreateTable"');
    expect(good).toContain('"kind":"CreateTable"');
    const hit = await check(['golang-migrate'], { cwd: examples, cacheLocation: dir });
    const parsed = (r: { sets: Awaited<ReturnType<typeof check>>['sets'] }) =>
      r.sets.flatMap((s) => s.reports.map((x) => ({ up: x.parsed.up, down: x.parsed.down })));
    expect(parsed(hit)).toEqual(parsed(fresh));
    const uncached = await answers(['golang-migrate'], { cwd: examples });
    for (const text of [good.slice(0, -1), good.replace(/"key":"[0-9a-f]{4}/, '"key":"0000'), '']) {
      writeFileSync(opsFile, text);
      expect(await answers(['golang-migrate'], { cwd: examples, cacheLocation: dir })).toBe(uncached);
      expect(readFileSync(opsFile, 'utf8')).toBe(good);
    }
    rmSync(opsFile);
    expect(await answers(['golang-migrate'], { cwd: examples, cacheLocation: dir })).toBe(uncached);
    expect(readFileSync(opsFile, 'utf8')).toBe(good);
  });

  it('a re-run answered from the cache never loads the PostgreSQL parser; a changed file loads it', () => {
    const project = tempProject({
      'db/migrations/1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'db/migrations/1_users.down.sql': 'DROP TABLE users;\n',
      'db/migrations/2_name.up.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
    });
    const dir = tempDir();
    // Prints the report, then whether libpg-query was required in this process.
    const run = () =>
      spawnSync(
        process.execPath,
        [
          '--import',
          join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs'),
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module';
const m = await import('${join(repoRoot, 'src/cli.ts')}');
process.exitCode = await m.main(process.argv.slice(1));
const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('libpg-query'));
console.log(loaded ? 'libpg-query loaded' : 'libpg-query not loaded');`,
          '--',
          'check',
          '--format',
          'json',
          '--no-evidence',
          '--cache-location',
          dir,
          'db',
        ],
        { cwd: project, encoding: 'utf8' },
      ).stdout;
    const first = run();
    expect(first).toMatch(/libpg-query loaded\n$/);
    const again = run();
    expect(again).toMatch(/libpg-query not loaded\n$/);
    expect(again.replace(/libpg-query.*\n$/, '')).toBe(first.replace(/libpg-query.*\n$/, ''));
    writeFileSync(join(project, 'db/migrations/2_name.up.sql'), 'ALTER TABLE users ADD COLUMN name text NOT NULL;\n');
    const changed = run();
    expect(changed).toMatch(/libpg-query loaded\n$/);
    expect(changed).toContain('NOT NULL');
  });

  it("discovery's dialect markers are kept for the next process; a corrupt store is ignored and rewritten", () => {
    // Another process each time: discovery remembers markers within one process anyway.
    const project = tempProject({ 'db/1_users.sql': 'CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n' });
    const dir = tempDir();
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs'),
          '-e',
          `import('${join(repoRoot, 'src/cli.ts')}').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`,
          '--',
          'check',
          '--format',
          'json',
          '--no-evidence',
          ...args,
          'db',
        ],
        {
          cwd: project,
          encoding: 'utf8',
        },
      ).stdout;
    const uncached = run('--no-cache');
    expect(uncached).toContain('AUTO_INCREMENT');
    expect(run('--cache-location', dir)).toBe(uncached);
    const store = join(dir, 'dialect-markers.json');
    const good = readFileSync(store, 'utf8');
    expect(good).toContain('AUTO_INCREMENT');
    rmSync(join(dir, entries(dir)[0] as string), { force: true });
    expect(run('--cache-location', dir)).toBe(uncached);
    writeFileSync(store, good.replace('"mysql"', '"postgresql"'));
    rmSync(join(dir, entries(dir)[0] as string), { force: true });
    expect(run('--cache-location', dir)).toBe(uncached);
    expect(readFileSync(store, 'utf8')).toBe(good);
  });

  it('an entry stored by another twoway version or for other options is stale: its key does not match', async () => {
    const dir = tempDir();
    await check(['golang-migrate'], { cwd: examples, cacheLocation: dir });
    const [file] = entries(dir);
    const entry = JSON.parse(readFileSync(file as string, 'utf8'));
    // What another version wrote: same place, another key. It must not be used even though it parses.
    const tampered = {
      ...entry,
      key: 'f'.repeat(64),
      reports: entry.reports.map((r: { phase: string }) => ({ ...r, phase: 'expand', findings: [] })),
    };
    writeFileSync(file as string, JSON.stringify(tampered));
    const uncached = await answers(['golang-migrate'], { cwd: examples });
    expect(await answers(['golang-migrate'], { cwd: examples, cacheLocation: dir })).toBe(uncached);
    // The options are part of the key: a rule turned off is another entry's answer.
    const { sets } = await check(['golang-migrate'], { cwd: examples });
    const cache = new CheckCache(dir, examples);
    const set = sets[0]?.set;
    if (!set) throw new Error('no set');
    expect(cache.keyOf(set, { rules: { 'drop-column': 'off' } })).not.toBe(cache.keyOf(set, { rules: null }));
    expect(cache.keyOf(set, { rules: null })).toBe(cache.keyOf(set, { rules: null }));
  });

  it('the CLI writes the cache where --cache-location says, and --no-cache neither reads nor writes it', async () => {
    const io = { out: () => {}, err: () => {}, cwd: examples };
    const dir = join(tempDir(), 'cache');
    await main(['check', 'golang-migrate', '--no-evidence', '--no-cache', '--cache-location', dir], io);
    expect(existsSync(dir)).toBe(false);
    const code = await main(['check', 'golang-migrate', '--no-evidence', '--cache-location', dir], io);
    expect(entries(dir)).toHaveLength(1);
    // Exit code and output are the same when read from the cache.
    let cachedOut = '';
    let freshOut = '';
    const cachedCode = await main(['check', 'golang-migrate', '--no-evidence', '--cache-location', dir], {
      ...io,
      out: (s) => (cachedOut += s),
    });
    await main(['check', 'golang-migrate', '--no-evidence', '--no-cache'], { ...io, out: (s) => (freshOut += s) });
    expect(cachedCode).toBe(code);
    expect(cachedOut).toBe(freshOut);
  });
});

describe('release evidence in the cache', () => {
  /** Release v1 reads users.full_name in a SQL string; v2 renames it. */
  function renameAfterRelease() {
    const repo = releaseRepo();
    repo.commit(
      {
        'db/000001_create_users.up.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, full_name text);\n',
        'db/000001_create_users.down.sql': 'DROP TABLE users;\n',
        'src/users.js': "export const names = (db) => db.query('SELECT id, full_name FROM users');\n",
      },
      'v1',
    );
    repo.commit({ 'db/000002_rename.up.sql': 'ALTER TABLE users RENAME COLUMN full_name TO display_name;\n' });
    return repo;
  }
  const run = async (cwd: string, cacheLocation: string) => {
    let out = '';
    await main(['check', '--since', 'v1', '--format', 'json', '--cache-location', cacheLocation], {
      out: (s) => (out += s),
      err: () => {},
      cwd,
    });
    return out;
  };
  const dropSetEntries = (dir: string) => {
    for (const name of readdirSync(dir)) if (!name.startsWith('value-') && name !== 'dialect-markers.json') rmSync(join(dir, name));
  };

  it("reads a commit's code once: a later run judges by the stored facts, even when git no longer has the file", async () => {
    const repo = renameAfterRelease();
    const dir = mkdtempSync(join(tmpdir(), 'twoway-cache-'));
    const first = await run(repo.dir, dir);
    expect(first).toContain('src/users.js');
    // Without the blob of src/users.js, git cannot give the release's code: no evidence unless it was stored.
    const blob = repo.git('rev-parse', 'v1:src/users.js').trim();
    const object = join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    renameSync(object, `${object}.saved`);
    try {
      dropSetEntries(dir);
      expect(await run(repo.dir, dir)).toBe(first);
      dropSetEntries(dir);
      for (const name of readdirSync(dir)) if (name.startsWith('value-')) rmSync(join(dir, name));
      const uncached = await run(repo.dir, dir);
      expect(uncached).toContain('000002');
      expect(uncached).not.toContain('src/users.js');
    } finally {
      renameSync(`${object}.saved`, object);
    }
  });

  it('ignores a corrupt or reshaped evidence entry and reads the release again', async () => {
    const repo = renameAfterRelease();
    const dir = mkdtempSync(join(tmpdir(), 'twoway-cache-'));
    const first = await run(repo.dir, dir);
    for (const [i, name] of readdirSync(dir)
      .filter((n) => n.startsWith('value-'))
      .entries()) {
      const entry = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      writeFileSync(join(dir, name), i % 2 ? '{"format": 2, "key"' : JSON.stringify({ ...entry, value: { models: 'x' } }));
    }
    dropSetEntries(dir);
    expect(await run(repo.dir, dir)).toBe(first);
  });
});
