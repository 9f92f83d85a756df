// The CLI details people hit in the first hour: version, help, mistakes in what they typed, pipes.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { TOOL } from './meta.js';
import { plain } from './report/markdown.js';
import { dropColumnHistory, gitRepo, repoRoot, tempProject } from './testing/projects.js';

async function run(argv: string[], cwd = repoRoot) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

describe('version and help', () => {
  it('--version prints the version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: `${TOOL.version}\n`, err: '' });
  });

  it('-h works on every command the top-level help lists', async () => {
    const help = (await run(['-h'])).out;
    const commands = [...help.split('Commands:')[1]!.matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['check', 'report', 'init', 'rehearse', 'explain']));
    for (const command of commands) {
      const { code, out } = await run([command, '-h']);
      expect({ command, code }).toEqual({ command, code: 0 });
      expect(out).toMatch(new RegExp(`^Usage: twoway ${command} `));
    }
  });
});

describe('a mistake in what the user typed is one line and exit 2, never an internal error', () => {
  it('a YAML alias bomb in the config', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(',')}]`,
      );
    const dir = tempProject({ ...dropColumnHistory(), 'twoway.config.yaml': `${levels.join('\n')}\n` });
    const { code, err } = await run(['check', 'db'], dir);
    expect({ code, err }).toEqual({
      code: 2,
      err: 'twoway: twoway.config.yaml: YAML aliases expand too far (more than 100 uses): write the values out\n',
    });
  });

  it('serverVersion that is not a version', async () => {
    const dir = tempProject({ ...dropColumnHistory(), 'twoway.config.yaml': 'serverVersion: [16]\n' });
    const { code, err } = await run(['check', 'db'], dir);
    expect(code).toBe(2);
    expect(err).toBe(
      'twoway: twoway.config.yaml:1: "serverVersion": [16] is not allowed (expected a server version such as 16, "9.6" or "8.0")\n',
    );
  });

  it.each(['0.5', '"0"'])('serverVersion: %s, a major version 0, is not a version', async (value) => {
    const dir = tempProject({ ...dropColumnHistory(), 'twoway.config.yaml': `serverVersion: ${value}\n` });
    const { code, err } = await run(['check', 'db'], dir);
    expect({ code, err }).toEqual({
      code: 2,
      err: `twoway: twoway.config.yaml:1: "serverVersion": ${value} is not allowed (expected a server version such as 16, "9.6" or "8.0")\n`,
    });
  });

  it('a port out of range in --database-url', async () => {
    const { code, err } = await run(['rehearse', '--database-url', 'postgres://me:secret@localhost:99999/app', 'examples/golang-migrate']);
    expect({ code, err }).toEqual({ code: 2, err: 'twoway: --database-url: port "99999" is out of range (allowed: 0 to 65535)\n' });
  });

  it.each([
    ['check', ['check', 'db']],
    ['report', ['report', 'db', '-o', 'r.html']],
    ['rollback', ['rollback', '--to', 'HEAD', 'db']],
  ])('a port out of range in %s --database-url, before anything is read', async (_, argv) => {
    const dir = tempProject(dropColumnHistory());
    const { code, err } = await run([...argv, '--database-url', 'postgres://me@localhost:99999/app'], dir);
    expect({ code, err }).toEqual({ code: 2, err: 'twoway: --database-url: port "99999" is out of range (allowed: 0 to 65535)\n' });
  });

  it('--since on a path outside the git repository', async () => {
    const repo = gitRepo();
    repo.write('README', 'x');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'base');
    const outside = tempProject(dropColumnHistory());
    const { code, err } = await run(['check', '--since', 'main', `${outside}/db`], repo.dir);
    expect({ code, err }).toEqual({ code: 2, err: `twoway: --since main: ${outside}/db is outside the git repository at ${repo.dir}\n` });
  });
});

describe('twoway init', () => {
  it.each([
    [
      'an Alembic project',
      {
        'alembic.ini': '[alembic]\nscript_location = alembic\n',
        'alembic/versions/a1_add_x.py':
          'revision = "a1"\ndown_revision = None\nfrom alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n    op.add_column("t", sa.Column("x", sa.Integer()))\n\ndef downgrade():\n    op.drop_column("t", "x")\n',
      },
      'alembic',
    ],
    [
      'a Django project',
      {
        'manage.py': 'import django\n',
        'shop/__init__.py': '',
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py':
          'from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = [\n        migrations.CreateModel(name="Item", fields=[("id", models.BigAutoField(primary_key=True))]),\n    ]\n',
      },
      'django',
    ],
  ])('loads the Python readers discovery needs in %s', async (_, files, framework) => {
    const dir = tempProject(files);
    const { code, out, err } = await run(['init'], dir);
    expect({ code, out, err }).toEqual({ code: 0, out: 'wrote twoway.config.yaml\n', err: '' });
    expect((await run(['check', '--format', 'json'], dir)).out).toContain(`"framework": "${framework}"`);
  });
});

describe('a closed pipe', () => {
  it('`twoway check | head -1` ends quietly with status 0', () => {
    // The real process, with its own stdout: main() writes far more than a pipe holds, and head leaves after a line.
    const script = `import { main } from './src/cli.ts'; process.exitCode = await main(['check', 'examples', '--format', 'json']);`;
    const { stdout, stderr } = spawnSync(
      'bash',
      ['-c', `node --import tsx --input-type=module -e "${script}" | head -1; echo "status \${PIPESTATUS[0]}" >&2`],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect({ stdout, stderr }).toEqual({ stdout: '{\n', stderr: 'status 0\n' });
  });
});

describe('paths as the user gave them', () => {
  it('an absolute argument stays absolute in every format; a relative one stays relative to the working directory', async () => {
    const project = tempProject(dropColumnHistory());
    const elsewhere = tempProject();
    const abs = `${project}/db`;
    for (const format of ['compact', 'json', 'github', 'sarif', 'human']) {
      const { out } = await run(['check', abs, '--format', format], elsewhere);
      expect({ format, absolute: out.includes(`${abs}/000002_drop_full_name.up.sql`) }).toEqual({ format, absolute: true });
      expect({ format, climbs: out.includes('../') }).toEqual({ format, climbs: false });
    }
    const relative = (await run(['check', 'db', '--format', 'compact'], project)).out;
    expect(relative).toMatch(/^db\/000002_drop_full_name\.up\.sql:2:1 error drop-column /m);
  });
});

describe('a project given by path finds its own config and baseline, from any directory (ESLint v10’s rule; issue 10)', () => {
  it('twoway check /abs/project from elsewhere: the project’s config and baseline apply, as they do from inside it', async () => {
    const project = tempProject({
      ...dropColumnHistory(),
      'twoway.config.yaml': 'failOn: warning\nrules:\n  require-lock-timeout: "off"\n',
    });
    expect((await run(['baseline'], project)).code).toBe(0);
    writeFileSync(`${project}/db/000003_add_nick.up.sql`, 'ALTER TABLE users ADD COLUMN nick text;\n');
    const elsewhere = tempProject();
    type Report = { summary: { baselined: number }; migrations: Array<{ findings: Array<{ rule: string }> }> };
    const inside = await run(['check', 'db', '--format', 'json'], project);
    const summary = (JSON.parse(inside.out) as Report).summary;
    expect(summary.baselined).toBeGreaterThan(0);
    for (const path of [project, `${project}/db`]) {
      const { code, out } = await run(['check', path, '--format', 'json'], elsewhere);
      expect({ path, code, summary: (JSON.parse(out) as Report).summary }).toEqual({ path, code: inside.code, summary });
    }
    // One file: its own folder's config applies (the timeout rule is off there).
    const one = await run(['check', `${project}/db/000003_add_nick.up.sql`, '--format', 'json'], elsewhere);
    const rules = (JSON.parse(one.out) as Report).migrations.flatMap((m) => m.findings.map((f) => f.rule));
    expect(rules.length).toBeGreaterThan(0);
    expect(rules).not.toContain('require-lock-timeout');
  });

  it('without a config: `twoway baseline /abs/project` writes into the project, and check from elsewhere applies it', async () => {
    const project = tempProject(dropColumnHistory());
    const elsewhere = tempProject();
    const wrote = await run(['baseline', project], elsewhere);
    expect(wrote.code).toBe(0);
    expect(existsSync(`${project}/twoway-baseline.json`)).toBe(true);
    expect(existsSync(`${elsewhere}/twoway-baseline.json`)).toBe(false);
    const { code, out } = await run(['check', project, '--format', 'compact'], elsewhere);
    expect({ code, out }).toEqual({ code: 0, out: '' });
  });

  it('in a git repository, a subfolder given by path finds the baseline at the repository’s root', async () => {
    const repo = gitRepo();
    for (const [path, text] of Object.entries(dropColumnHistory('services/api/db'))) repo.write(path, text);
    expect((await run(['baseline', 'services/api/db'], repo.dir)).code).toBe(0);
    expect(existsSync(`${repo.dir}/twoway-baseline.json`)).toBe(true);
    const { code, out } = await run(['check', `${repo.dir}/services/api/db`, '--format', 'compact'], tempProject());
    expect({ code, out }).toEqual({ code: 0, out: '' });
  });

  it('paths under two different configs are two projects: one line, exit 2', async () => {
    const a = tempProject({ ...dropColumnHistory(), 'twoway.config.yaml': 'failOn: error\n' });
    const b = tempProject({ ...dropColumnHistory(), 'twoway.config.yaml': 'failOn: error\n' });
    const { code, err } = await run(['check', `${a}/db`, `${b}/db`], tempProject());
    expect(code).toBe(2);
    expect(err).toMatch(/these paths are under different configs .*--config/);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('the pull-request comment (--format markdown)', () => {
  it('a long diesel path keeps its migration folder: every row names its migration, not `…/up.sql`', async () => {
    const name = (i: number) => `2020-04-0${i}-135912_add_user_community_apub_constraints_${i}`;
    const dir = tempProject({
      [`migrations/${name(1)}/up.sql`]: 'CREATE TABLE t (id bigint PRIMARY KEY, a text);\n',
      [`migrations/${name(1)}/down.sql`]: 'DROP TABLE t;\n',
      [`migrations/${name(2)}/up.sql`]: 'ALTER TABLE t DROP COLUMN a;\n',
      [`migrations/${name(2)}/down.sql`]: 'ALTER TABLE t ADD COLUMN a text;\n',
    });
    const { out } = await run(['check', 'migrations', '--format', 'markdown'], dir);
    const cells = out
      .split('\n')
      .filter((l) => l.startsWith('| 🟢') || l.startsWith('| 🔴'))
      .map((l) => l.split(' | ')[1]);
    expect(cells).toEqual([1, 2].map((i) => `<code>…/${plain(name(i))}/up.sql</code>`));
  });

  it('after `twoway baseline`, baselined findings are counted, never shown: details only for the new migration', async () => {
    const dir = tempProject(dropColumnHistory());
    expect((await run(['baseline', 'db'], dir)).code).toBe(0);
    writeFileSync(`${dir}/db/000003_add_nick.up.sql`, 'ALTER TABLE users ADD COLUMN nick varchar(20);\n');
    writeFileSync(`${dir}/db/000003_add_nick.down.sql`, 'ALTER TABLE users DROP COLUMN nick;\n');
    const { out } = await run(['check', 'db', '--format', 'markdown'], dir);
    expect(out).toContain('| <code>db/000002\\_drop\\_full\\_name.up.sql</code> | one-way door |');
    expect(out.match(/<details><summary>[^\n]*<\/summary>/g)).toEqual([
      expect.stringContaining('<code>db/000003\\_add\\_nick.up.sql</code>'),
    ]);
    expect(out).not.toContain('drop-column');
    expect(out).not.toContain('in the baseline:');
  });
});

describe('the lock-timeout help in the pull-request comment', () => {
  it.each([
    ['examples/rails', 'In config/initializers/strong\\_migrations.rb:\n\n```ruby\nStrongMigrations.lock_timeout = 5.seconds\n```'],
    ['examples/django', 'First in operations:\n\n```python\nmigrations.RunSQL("SET lock_timeout = \'5s\'"),\n```'],
    ['examples/golang-migrate', 'For every migration, in the database URL:\n\n```text\n?options=-c%20lock_timeout%3D5s\n```'],
    ['examples/sql', "At the top of the migration:\n\n```sql\nSET lock_timeout = '5s';\n```"],
  ])('%s: prose stays prose, and each code block holds only code', async (example, expected) => {
    // --no-cache: the cache would hand back the help of the rules as they were when it was written.
    const { out } = await run(['check', example, '--format', 'markdown', '--no-cache']);
    expect(out).toContain(expected);
    // Every code block but the code frames (numbered lines of the file).
    const fenced = [...out.matchAll(/^```[a-z]+\n([\s\S]*?)\n```$/gm)]
      .flatMap((m) => (m[1] as string).split('\n'))
      .filter((line) => !/^\s*>?\s*\d* \|/.test(line));
    expect(fenced.filter((line) => /^(or |For |First |At |In )|:$/.test(line))).toEqual([]);
  });
});

describe('help reads as a sentence', () => {
  it.each(['examples/rails', 'examples/golang-migrate', 'examples/alembic'])(
    '%s: no space before a comma or colon, no double space, with or without a framework hint',
    async (example) => {
      const report = JSON.parse((await run(['check', example, '--format', 'json', '--no-cache'])).out) as {
        migrations: Array<{ findings: Array<{ rule: string; fix: string }> }>;
      };
      const findings = report.migrations.flatMap((m) => m.findings);
      expect(findings.map((f) => f.rule)).toContain('drop-column');
      const prose = findings.map((f) => ({ rule: f.rule, line: f.fix.split('\n')[0] as string }));
      expect(prose.filter((p) => / ,| :(?=\s|$)|\S {2}/.test(p.line))).toEqual([]);
    },
  );
});

describe('a name holding a newline stays inside its message', () => {
  const files = {
    'db/1_create.sql': 'CREATE TABLE "evil\n# Heading [link](http://x)" (id bigint PRIMARY KEY);\n',
    'db/2_drop.sql': 'DROP TABLE "evil\n# Heading [link](http://x)";\n',
  };

  it('human: no line of the report starts with the name’s second line', async () => {
    const { out } = await run(['check', 'db', '--no-cache'], tempProject(files));
    expect(out).toContain('Dropping table evil # Heading [link](http://x) (1 column) destroys its rows');
    expect(out.split('\n').filter((l) => l.startsWith('#'))).toEqual([]);
  });

  it('github: the annotation’s message is one line; only the help below it has lines of its own', async () => {
    const { out } = await run(['check', 'db', '--format', 'github', '--no-cache'], tempProject(files));
    const drop = out.split('\n').find((l) => l.startsWith('::error ') && l.includes('drop-table')) ?? '';
    expect(drop.split('::')[2]?.split('%0A%0ADo instead: ')[0]).toMatch(
      /^Dropping table evil # Heading \[link\]\(http:\/\/x\) \(1 column\)[^%]*$/,
    );
  });
});

describe('a name holding a newline or a terminal escape stays inside its help too (issue 10)', () => {
  // A PostgreSQL set and a MySQL one: PostgreSQL's help SQL writes the name in its U& form, MySQL's shows it escaped.
  const name = 'evil\n# Heading [link](http://x)\u001b[31m';
  const files = {
    'db/1_create.sql': `CREATE TABLE "${name}" (id bigint PRIMARY KEY, "col\n# Col" text, v text);\n`,
    'db/2_change.sql': `ALTER TABLE "${name}" RENAME COLUMN "col\n# Col" TO "new\n# New";\nALTER TABLE "${name}" DROP COLUMN v;\n`,
    'db/3_drop.sql': `DROP TABLE "${name}";\n`,
  };
  const mysqlFiles = {
    'db/1_create.sql': `CREATE TABLE \`${name}\` (id bigint PRIMARY KEY, v text);\n`,
    'db/2_drop.sql': `DROP TABLE \`${name}\`;\n`,
  };
  /** A line that a name's second line started (a heading, a link, a colour) anywhere but in a code frame. */
  const injected = (out: string) =>
    out.split('\n').filter((l) => !/^\s*(>?\s*\d+ \||\|)/.test(l) && /^\s*(# (Heading|Col|New)|\[link\])/.test(l.replace(/^\s*help:/, '')));

  it('human: the help’s prose and SQL name it on one line, escaped; no escape reaches the terminal', async () => {
    const { out } = await run(['check', 'db', '--no-cache', '--verbose'], tempProject(files));
    expect(out).toContain('rename-column');
    expect(injected(out)).toEqual([]);
    // No escape reaches the terminal, not even from the code frame (which shows it as \u001b).
    expect(out).not.toContain('\u001b');
    expect(out).toContain('| # Heading [link](http://x)\\u001b[31m" RENAME COLUMN');
    expect(out).toContain('Stop using evil\\n# Heading [link](http://x)\\u001b[31m in the code');
    expect(out).toContain('Add new\\n# New next to col\\n# Col');
    expect(out).toContain('ALTER TABLE U&"evil\\000a# Heading [link](http://x)\\001b[31m" RENAME TO');
  });

  it('human, MySQL: the name in backticks, its newline shown as \\n', async () => {
    const { out } = await run(['check', 'db', '--no-cache', '--dialect', 'mysql'], tempProject(mysqlFiles));
    expect(out).toContain('drop-table');
    expect(injected(out)).toEqual([]);
    expect(out).toContain('RENAME TO `evil\\n# Heading [link](http://x)\\u001b[31m_retired`');
  });

  it('github: no line of an annotation (message or help) starts with the name’s second line', async () => {
    const { out } = await run(['check', 'db', '--format', 'github', '--no-cache'], tempProject(files));
    const messages = out
      .split('\n')
      .filter((l) => l.startsWith('::'))
      .map((l) => decodeURIComponent(l.split('::')[2] ?? ''));
    expect(messages.some((m) => m.includes('Do instead: Stop using evil'))).toBe(true);
    expect(messages.flatMap(injected)).toEqual([]);
    expect(messages.filter((m) => m.includes('\u001b'))).toEqual([]);
  });

  it('compact: one line per finding, no escape', async () => {
    const dir = tempProject(files);
    const { out } = await run(['check', 'db', '--format', 'compact', '--no-cache'], dir);
    const json = JSON.parse((await run(['check', 'db', '--format', 'json', '--no-cache'], dir)).out) as {
      migrations: Array<{ findings: Array<{ suppressed?: unknown }> }>;
    };
    const findings = json.migrations.flatMap((m) => m.findings).filter((f) => !f.suppressed);
    expect(out.trimEnd().split('\n')).toHaveLength(findings.length);
    expect(out).not.toContain('\u001b');
  });

  it('markdown: outside code blocks no heading, link or fence from a name, in the message or the help', async () => {
    const { out } = await run(['check', 'db', '--format', 'markdown', '--no-cache'], tempProject(files));
    let fence: string | null = null;
    const prose: string[] = [];
    for (const line of out.split('\n')) {
      const open = /^(`{3,})/.exec(line)?.[1];
      if (fence && line === fence) fence = null;
      else if (!fence && open) fence = open;
      else if (!fence) prose.push(line);
    }
    expect(fence).toBeNull();
    expect(out).toContain('Stop using evil\\\\n\\# Heading \\[link\\](http://x)');
    expect(prose.filter((l) => /^\s*#/.test(l) && !l.startsWith('### '))).toEqual([]);
    expect(prose.filter((l) => /(^|[^\\])\[link(\\?)\]\(/.test(l) && !/\\\[link\\\]/.test(l))).toEqual([]);
    expect(prose.filter((l) => l.includes('\u001b'))).toEqual([]);
  });
});

describe('help code blocks in the PR comment are labelled with their own language (issue 10)', () => {
  /** Each fenced block's language, by a line it holds. */
  async function blocks(example: string): Promise<Map<string, string>> {
    const { out } = await run(['check', `examples/${example}`, '--format', 'markdown', '--no-cache']);
    const found = new Map<string, string>();
    for (const m of out.matchAll(/^(`{3,})(\w*)\n([\s\S]*?)\n\1$/gm))
      for (const line of (m[3] ?? '').split('\n')) found.set(line.trim(), m[2] ?? '');
    return found;
  }
  const languageOf = (found: Map<string, string>, start: string) => [...found].find(([line]) => line.startsWith(start))?.[1];

  it('Rails: Ruby and YAML; Django and Alembic: Python; Knex: JavaScript; TypeORM: TypeScript; Flyway: its conf; SQL stays sql', async () => {
    const rails = await blocks('rails');
    expect(languageOf(rails, 'StrongMigrations.lock_timeout')).toBe('ruby');
    expect(languageOf(rails, 'execute "SET lock_timeout')).toBe('ruby');
    expect(languageOf(rails, 'variables: { lock_timeout')).toBe('yaml');
    expect(languageOf(rails, 'CREATE TABLE users_full_name_archive')).toBe('sql');
    const django = await blocks('django');
    expect(languageOf(django, 'migrations.RunSQL("SET lock_timeout')).toBe('python');
    expect(languageOf(await blocks('alembic'), 'op.execute("SET lock_timeout')).toBe('python');
    expect(languageOf(await blocks('knex'), 'await knex.raw("SET lock_timeout')).toBe('js');
    expect(languageOf(await blocks('typeorm'), 'await queryRunner.query("SET lock_timeout')).toBe('ts');
    const flyway = await blocks('flyway');
    expect(languageOf(flyway, 'flyway.initSql=SET lock_timeout')).toBe('ini');
    expect(languageOf(flyway, "SET lock_timeout = '5s';")).toBe('sql');
    expect(languageOf(await blocks('dbmate'), 'npx twoway plan ')).toBe('sh');
  });
});

describe('a cache that cannot be written', () => {
  it('--cache-location naming a file: the check runs without a cache, no internal error', async () => {
    const dir = tempProject({ ...dropColumnHistory(), 'not-a-folder': '' });
    const withCache = await run(['check', 'db', '--format', 'compact', '--cache-location', 'not-a-folder'], dir);
    const without = await run(['check', 'db', '--format', 'compact', '--no-cache'], dir);
    expect(withCache).toEqual({ ...without, code: 1 });
    expect(without.out).toMatch(/^db\/000002_drop_full_name\.up\.sql:2:1 error drop-column /m);
  });
});
