// The CLI in CI: every format, config files, --since on a real git repository, init and report.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { loadConfig } from './config.js';
import type { JsonReport } from './report/json.js';
import { plain, shortPath } from './report/markdown.js';
import { dropColumnHistory, gitRepo, repoRoot, tempProject } from './testing/projects.js';

async function run(argv: string[], cwd = repoRoot) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

/** A project of the tests' own: dropColumnHistory() in db/ (2 migrations, 1 one-way door), plus `files`. */
function exampleProject(files: Record<string, string> = {}): string {
  return tempProject({ ...dropColumnHistory(), ...files });
}

describe('twoway check --format', () => {
  it.each([
    ['json', (out: string) => expect(JSON.parse(out).migrations).toHaveLength(2)],
    [
      'sarif',
      (out: string, json: JsonReport) => {
        const results = JSON.parse(out).runs[0].results as { ruleId: string; level: string }[];
        expect(results.map((r) => r.ruleId)).toEqual(json.migrations.flatMap((m) => m.findings.map((f) => f.rule)));
        expect(results.filter((r) => r.level === 'error').map((r) => r.ruleId)).toEqual(['drop-column']);
      },
    ],
    ['github', (out: string) => expect(out).toMatch(/^::error file=db\/000002_drop_full_name\.up\.sql,line=2,col=1,/m)],
    ['markdown', (out: string) => expect(out).toMatch(/^<!-- twoway-report -->\n### 🔴 twoway: 1 one-way door in 2 migrations\n/)],
    ['html', (out: string) => expect(out).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/)],
    ['human', (out: string) => expect(out).toContain('2 migrations · 1 one-way door')],
  ])('%s on a history with one one-way door', async (format, expectOutput: (out: string, json: JsonReport) => void) => {
    const dir = exampleProject();
    const { code, out, err } = await run(['check', 'db', '--format', format], dir);
    expect(err).toBe('');
    expect(code).toBe(1);
    expectOutput(out, JSON.parse((await run(['check', 'db', '--format', 'json'], dir)).out));
  });

  it('every format on all the bundled examples: no complaint, and the exit code the JSON report’s errors call for', async () => {
    const json = JSON.parse((await run(['check', 'examples', '--format', 'json'])).out) as JsonReport;
    const errors = json.migrations.flatMap((m) => m.findings).filter((f) => !f.suppressed && f.severity === 'error');
    for (const format of ['sarif', 'github', 'markdown', 'html', 'human']) {
      const { code, out, err } = await run(['check', 'examples', '--format', format]);
      expect({ format, err }).toEqual({ format, err: '' });
      expect(code).toBe(errors.length > 0 ? 1 : 0);
      const path = json.migrations[0]?.path ?? '';
      expect(out).toContain(
        format === 'human' ? `${json.migrations.length} migrations` : format === 'markdown' ? plain(shortPath(path)) : path,
      );
    }
  });

  it('human output says how many findings are suppressed and why; --verbose shows them', async () => {
    const dir = exampleProject({
      'db/000002_drop_full_name.up.sql': '-- twoway-ignore drop-column: nobody reads it\nALTER TABLE users DROP COLUMN full_name;\n',
    });
    const { out } = await run(['check', 'db/000002_drop_full_name.up.sql'], dir);
    // After the info count (the down's lock-timeout finding is info: the up's warning asked already).
    expect(out).toContain('  1 info, 1 suppressed (nobody reads it): --verbose shows them\n');
    expect(out).not.toContain('error drop-column');
    const verbose = (await run(['check', 'db/000002_drop_full_name.up.sql', '--verbose'], dir)).out;
    expect(verbose).toContain('drop-column (data-loss) db/000002_drop_full_name.up.sql:2:1 [suppressed: nobody reads it]');
    expect(verbose).not.toContain('--verbose shows them');
  });

  it('an unknown format is a usage error', async () => {
    const { code, err } = await run(['check', 'examples', '--format', 'xml']);
    expect(code).toBe(2);
    expect(err).toMatch(/argument 'xml' is invalid/);
  });

  it('--output writes the report to a file instead of standard output', async () => {
    const dir = exampleProject();
    const { code, out } = await run(['check', '--format', 'sarif', '-o', 'twoway.sarif'], dir);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'twoway.sarif'), 'utf8')).version).toBe('2.1.0');
  });
});

describe('config', () => {
  const json = (out: string) => JSON.parse(out) as JsonReport;

  it('a rule set to "warning" no longer fails the run; failOn "warning" makes it fail again; --fail-on overrides the config', async () => {
    const dir = exampleProject({ 'twoway.config.json': '{ "rules": { "drop-column": "warning" } }' });
    const relaxed = await run(['check', '--format', 'json'], dir);
    expect(relaxed.code).toBe(0);
    expect(json(relaxed.out).migrations[1]?.findings[0]?.severity).toBe('warning');

    writeFileSync(join(dir, 'twoway.config.json'), '{ "rules": { "drop-column": "warning" }, "failOn": "warning" }');
    expect((await run(['check'], dir)).code).toBe(1);
    expect((await run(['check', '--fail-on', 'error'], dir)).code).toBe(0);
  });

  it('a rule turned off hides its findings but not the verdict', async () => {
    const dir = exampleProject({ 'twoway.config.yaml': 'rules:\n  drop-column: "off"\n' });
    const { code, out } = await run(['check', '--format', 'json'], dir);
    expect(code).toBe(0);
    const dropFullName = json(out).migrations[1];
    expect(dropFullName?.dbRollback).toBe('irreversible');
    expect(dropFullName?.findings.map((f) => f.rule)).not.toContain('drop-column');
    // Without the config the same migration has the finding.
    writeFileSync(join(dir, 'twoway.config.yaml'), '{}\n');
    const withRule = json((await run(['check', '--format', 'json'], dir)).out).migrations[1];
    expect(withRule?.findings.filter((f) => f.rule === 'drop-column')).toHaveLength(1);
  });

  it('"paths" is what check checks without a path, and "ignore" leaves migrations out', async () => {
    const dir = tempProject({
      ...dropColumnHistory('services/db'),
      'package.json': JSON.stringify({ name: 'app', twoway: { paths: ['services/db'], ignore: ['**/000002_*'] } }),
    });
    const { code, out } = await run(['check', '--format', 'json'], dir);
    expect(code).toBe(0);
    expect(json(out).migrations.map((m) => m.path)).toEqual(['services/db/000001_create_users.up.sql']);
    expect(json(out).errors).toEqual([]);
  });

  it('a mistake in the config is a usage error naming the file, the line and the key', async () => {
    const dir = exampleProject({ 'twoway.config.json': '{\n  "failOn": "error",\n  "ignored": ["x"]\n}\n' });
    const { code, err, out } = await run(['check'], dir);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^twoway: twoway\.config\.json:3: unknown key "ignored"/);
  });

  it('the config’s dialect applies, and --dialect overrides it', async () => {
    const dir = exampleProject({ 'twoway.config.yaml': 'dialect: sqlite\n' });
    expect(json((await run(['check', '--format', 'json'], dir)).out).migrations[0]?.dialect).toBe('sqlite');
    expect(json((await run(['check', '--format', 'json', '--dialect', 'postgresql'], dir)).out).migrations[0]?.dialect).toBe('postgresql');
  });

  it('--config names the file to use', async () => {
    const dir = exampleProject({ 'ci/strict.yaml': 'rules:\n  drop-column: info\n' });
    expect((await run(['check'], dir)).code).toBe(1);
    expect((await run(['check', '--config', 'ci/strict.yaml'], dir)).code).toBe(0);
  });
});

describe('--since', () => {
  function branchAddingAMigration() {
    const repo = gitRepo();
    for (const [path, text] of Object.entries(dropColumnHistory())) if (path.includes('000001_')) repo.write(path, text);
    repo.write('db/000002_drop_full_name.up.sql', 'ALTER TABLE users DROP COLUMN full_name;\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'history');
    repo.git('checkout', '-qb', 'feature');
    repo.write('db/000003_drop_email.up.sql', 'ALTER TABLE users DROP COLUMN email;\n');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'drop email');
    return repo;
  }

  it('reports only the migrations the branch adds, with the schema of the whole history', async () => {
    const { dir } = branchAddingAMigration();
    const { code, out } = await run(['check', '--since', 'main', '--format', 'json'], dir);
    expect(code).toBe(1);
    const report = JSON.parse(out) as JsonReport;
    expect(report.migrations.map((m) => m.id)).toEqual(['000003']);
    // The column's type comes from 000001, which is replayed but not reported.
    expect(report.migrations[0]?.findings[0]?.message).toContain('users.email (varchar(255), NOT NULL)');
    expect((await run(['check', '--format', 'json'], dir)).out).toContain('"id": "000002"');
  });

  it('uncommitted and untracked migrations count as changed', async () => {
    const repo = branchAddingAMigration();
    repo.write('db/000004_add_bio.up.sql', 'ALTER TABLE users ADD COLUMN bio text;\n');
    const { out } = await run(['check', '--since', 'HEAD', '--format', 'json'], repo.dir);
    expect((JSON.parse(out) as JsonReport).migrations.map((m) => m.id)).toEqual(['000004']);
  });

  it('nothing changed: a clean run that says so', async () => {
    const { dir } = branchAddingAMigration();
    const { code, out } = await run(['check', '--since', 'HEAD'], dir);
    expect(code).toBe(0);
    expect(out).toContain('0 migrations');
  });

  it('paths are relative to the working directory, even below the repository root', async () => {
    const { dir } = branchAddingAMigration();
    const { out } = await run(['check', '.', '--since', 'main', '--format', 'github'], join(dir, 'db'));
    expect(out).toMatch(/^::error file=000003_drop_email\.up\.sql,line=1,col=1,/);
  });

  it('an unknown ref is a usage error with git’s message', async () => {
    const { dir } = branchAddingAMigration();
    const { code, err } = await run(['check', '--since', 'origin/nope'], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/^twoway: --since origin\/nope: fatal: .*origin\/nope/);
  });

  it('outside a git repository it is a usage error', async () => {
    const { code, err } = await run(['check', '--since', 'main'], exampleProject());
    expect(code).toBe(2);
    expect(err).toMatch(/not a git repository/i);
  });
});

describe('twoway init', () => {
  it('writes a commented config for the framework it finds, which check then uses, reporting what it did before', async () => {
    const dir = exampleProject();
    const before = JSON.parse((await run(['check', 'db', '--format', 'json'], dir)).out) as JsonReport;
    const { code, out } = await run(['init'], dir);
    expect(code).toBe(0);
    expect(out).toBe('wrote twoway.config.yaml\n');
    const text = readFileSync(join(dir, 'twoway.config.yaml'), 'utf8');
    expect(text).toContain('# Found: golang-migrate (postgresql) in db, 2 migrations.');
    // Severities stay at their context-dependent defaults: listed for reference, not pinned.
    expect(text).toMatch(/^# {3}drop-column: error # data-loss: /m);
    expect(loadConfig(dir)).toMatchObject({ file: 'twoway.config.yaml', paths: ['db'], dialect: 'postgresql', failOn: 'error', rules: {} });
    const after = JSON.parse((await run(['check', '--format', 'json'], dir)).out) as JsonReport;
    expect([after.summary, after.migrations]).toEqual([before.summary, before.migrations]);
    expect((await run(['check', '--format', 'json'], dir)).out).toContain('"path": "db/000002_drop_full_name.up.sql"');
  });

  it('writes the dialect detected for each set, and why; check then reads each folder in it', async () => {
    const dir = tempProject({
      'migrations/mysql/1_init.up.sql': 'CREATE TABLE t (id int);',
      'migrations/sqlite/1_init.up.sql': 'CREATE TABLE t (id integer);',
      'legacy/1_init.up.sql': 'CREATE TABLE `t` (id int);',
      'pop/20200101000000_init.mysql.up.sql': 'CREATE TABLE t (id int);',
      'pop/20200101000000_init.postgres.up.sql': 'CREATE TABLE t (id int);',
    });
    expect((await run(['init'], dir)).code).toBe(0);
    const text = readFileSync(join(dir, 'twoway.config.yaml'), 'utf8');
    expect(text).toContain(
      [
        'dialects:',
        '  "legacy": mysql # SQL quotes names with backticks (legacy/1_init.up.sql:1)',
        '  "migrations/mysql": mysql # folder mysql/',
        '  "migrations/sqlite": sqlite # folder sqlite/',
        '#   "pop": mysql # one set per dialect (mysql: file names *.mysql.up.sql; postgresql: file names *.postgres.up.sql)',
      ].join('\n'),
    );
    expect(loadConfig(dir)?.dialects?.map((d) => [d.folder, d.dialect])).toEqual([
      ['legacy', 'mysql'],
      ['migrations/mysql', 'mysql'],
      ['migrations/sqlite', 'sqlite'],
    ]);
    const json = JSON.parse((await run(['check', '--format', 'json'], dir)).out) as JsonReport;
    expect(json.migrations.map((m) => [m.path, m.dialect])).toEqual([
      ['legacy/1_init.up.sql', 'mysql'],
      ['migrations/mysql/1_init.up.sql', 'mysql'],
      ['migrations/sqlite/1_init.up.sql', 'sqlite'],
      ['pop/20200101000000_init.mysql.up.sql', 'mysql'],
      ['pop/20200101000000_init.postgres.up.sql', 'postgresql'],
    ]);
  });

  it('names the timeouts the runner sets, as read from the project, and leaves the keys commented', async () => {
    const dir = exampleProject({ '.env': 'DATABASE_URL=postgres://app@localhost/app?options=-c%20lock_timeout%3D3s\n' });
    expect((await run(['init'], dir)).code).toBe(0);
    const text = readFileSync(join(dir, 'twoway.config.yaml'), 'utf8');
    expect(text).toContain('# Read from the project:\n#   db: lock_timeout 3s (.env:1)\n# lockTimeout: "5s"\n');
    expect(loadConfig(dir)?.runnerSettings).toBeUndefined();
  });

  it('never overwrites a config without --force', async () => {
    const dir = exampleProject({ 'twoway.config.yaml': 'failOn: info\n' });
    const { code, err } = await run(['init'], dir);
    expect(code).toBe(2);
    expect(err).toContain('twoway.config.yaml already exists');
    expect(readFileSync(join(dir, 'twoway.config.yaml'), 'utf8')).toBe('failOn: info\n');
    expect((await run(['init', '--force'], dir)).code).toBe(0);
  });

  it('an empty folder gets a starter config that says what to fill in', async () => {
    const dir = tempProject();
    expect((await run(['init'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'twoway.config.yaml'), 'utf8')).toContain('No migrations were found here');
    expect(loadConfig(dir)?.paths).toEqual(['db/migrations']);
  });
});

describe('twoway report', () => {
  it('writes one HTML page and exits as check would', async () => {
    const dir = exampleProject();
    const { code, out, err } = await run(['report', '-o', 'review.html'], dir);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe('twoway: wrote review.html (2 migrations)\n');
    expect(readFileSync(join(dir, 'review.html'), 'utf8')).toContain('data-count="migrations">2<');
  });

  it('defaults to twoway-report.html', async () => {
    const dir = exampleProject();
    await run(['report'], dir);
    expect(existsSync(join(dir, 'twoway-report.html'))).toBe(true);
  });
});
