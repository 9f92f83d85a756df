import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { dropColumnHistory, repoRoot, reviewHistory, tempProject } from '../testing/projects.js';
import { formatHuman } from './human.js';
import { toJsonReport } from './json.js';
import { COMMENT_MARKER, formatMarkdown, plain } from './markdown.js';

describe('Markdown pull-request comment', () => {
  it('a history with one one-way door: marker, verdict title, one row per migration, details with code and fix', async () => {
    const result = await check([], { cwd: tempProject(dropColumnHistory()) });
    const json = toJsonReport(result);
    const md = formatMarkdown(result, { since: 'origin/main' });
    const lines = md.split('\n');
    expect(lines[0]).toBe(COMMENT_MARKER);
    expect(lines[1]).toBe('### 🔴 twoway: 1 one-way door in 2 migrations added or changed since <code>origin/main</code>');
    const rows = lines.filter((l) => l.startsWith('| ') && l.includes('.up.sql'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(json.migrations.map((m) => `<code>${plain(m.path)}</code>`));
    const warnings = json.migrations[1]?.findings.filter((f) => f.severity === 'warning').length ?? 0;
    const infos = json.migrations[1]?.findings.filter((f) => f.severity === 'info').length ?? 0;
    const counts = `1 error${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}${infos ? `, ${infos} info` : ''}`;
    expect(rows[1]).toContain(`| one-way door | contract | compatible | irreversible | ${counts} |`);
    expect(md).toContain(`<details><summary>🔴 <code>db/000002\\_drop\\_full\\_name.up.sql</code>: ${counts}</summary>`);
    expect(md).toContain('> 2 | ALTER TABLE users DROP COLUMN full_name;');
    expect(md).toContain('```sql\nCREATE TABLE users_full_name_archive AS SELECT id, full_name FROM users;\n```');
    expect(md.match(/<details>/g)).toHaveLength(json.migrations.filter((m) => m.findings.length).length);
  });

  it('declared contracts and suppressions are told apart; HTML in a message is escaped', async () => {
    const result = await check([], { cwd: tempProject(reviewHistory()) });
    const md = formatMarkdown(result);
    expect(md.split('\n')[1]).toBe('### 🔴 twoway: 3 one-way doors (1 declared contract), 1 unverified door in 6 migrations');
    expect(md).toContain('| 🟡 | <code>db/000003\\_drop\\_nickname.up.sql</code> | one-way door (declared contract) | contract |');
    expect(md).toContain('(suppressed: bio was never shipped)');
    expect(md).toContain('**Unreadable input**');
    // Source lines are shown in fences, where markup is text.
    expect(md).toContain('```text\n  1 | -- <b>first/last</b> replaced full_name');
    expect(md.replace(/```[a-z]*\n[\s\S]*?```/g, '')).not.toContain('<b>');
  });

  it('nothing changed: says so', async () => {
    const result = await check(['examples'], { cwd: repoRoot, onlyFiles: new Set() });
    expect(formatMarkdown(result, { since: 'main' }).split('\n')[1]).toBe(
      '### twoway: no migration added or changed since <code>main</code>',
    );
  });
});

describe('Markdown comment on a long history', () => {
  it('stays under GitHub’s comment limit: quiet two-way doors are left out of the table, and it says so', async () => {
    // Quiet migrations: each sets a lock timeout before it takes its lock.
    const timeout = "SET lock_timeout = '5s';\n";
    const files: Record<string, string> = {
      'db/0001_create.up.sql': 'CREATE TABLE t (id bigint PRIMARY KEY, a text, b text);\n',
      'db/0001_create.down.sql': `${timeout}DROP TABLE t;\n`,
    };
    for (let i = 2; i < 700; i++) {
      const id = String(i).padStart(4, '0');
      files[`db/${id}_add_c${i}.up.sql`] = `${timeout}ALTER TABLE t ADD COLUMN c${i} text;\n`;
      files[`db/${id}_add_c${i}.down.sql`] = `${timeout}ALTER TABLE t DROP COLUMN c${i};\n`;
    }
    files['db/0700_drop_a.up.sql'] = 'ALTER TABLE t DROP COLUMN a;\n';
    const result = await check([], { cwd: tempProject(files) });
    const md = formatMarkdown(result);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('| 🔴 | <code>db/0700\\_drop\\_a.up.sql</code> | one-way door |');
    expect(md).toContain('_699 two-way doors without findings not listed._');
  });

  it('when every migration has a finding, the table keeps the one-way doors and says how many two-way doors it left out', async () => {
    const files: Record<string, string> = {
      'db/0001_create.up.sql': 'CREATE TABLE t (id bigint PRIMARY KEY, a text, b text);\n',
      'db/0001_create.down.sql': 'DROP TABLE t;\n',
    };
    for (let i = 2; i < 700; i++) {
      const id = String(i).padStart(4, '0');
      files[`db/${id}_add_c${i}.up.sql`] = `ALTER TABLE t ADD COLUMN c${i} text;\n`;
      files[`db/${id}_add_c${i}.down.sql`] = `ALTER TABLE t DROP COLUMN c${i};\n`;
    }
    files['db/0700_drop_a.up.sql'] = 'ALTER TABLE t DROP COLUMN a;\n';
    const result = await check([], { cwd: tempProject(files) });
    const json = toJsonReport(result);
    const twoWayWithFindings = json.migrations.filter((m) => m.path !== 'db/0700_drop_a.up.sql' && m.findings.length).length;
    expect(twoWayWithFindings).toBeGreaterThan(600);
    const md = formatMarkdown(result);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('| 🔴 | <code>db/0700\\_drop\\_a.up.sql</code> | one-way door |');
    expect(md).toContain(`_${twoWayWithFindings} two-way doors with findings not listed: see the job log._`);
  });
});

describe('Markdown is data, never markup', () => {
  it('an identifier holding a newline, backticks, # or a link cannot start a heading, a link, a code span or a fence', async () => {
    const evil = 'x\n# pwned\n[click](https://evil.example) ``` `y`';
    const dir = tempProject({
      'db/000001_create.up.sql': `CREATE TABLE "${evil}" (id bigint PRIMARY KEY, v text);\n`,
      'db/000001_create.down.sql': `DROP TABLE "${evil}";\n`,
      'db/000002_drop.up.sql': `ALTER TABLE "${evil}" DROP COLUMN v;\n`,
    });
    const md = formatMarkdown(await check([], { cwd: dir }));
    expect(md).toContain('x \\# pwned');
    // Outside the fences (where code is shown as text), no line the identifier could have made into markup.
    const prose = md.replace(/^(`{3,})[a-z]*\n[\s\S]*?\n\1$/gm, '');
    expect(prose).not.toMatch(/^#+ pwned/m);
    expect(prose).not.toMatch(/(?<!\\)\[click(?<!\\)\]\(/);
    expect(prose).not.toMatch(/(?<!\\)`/);
    expect(md).toContain('\\[click\\](https://evil.example) \\`\\`\\` \\`y\\`');
  });

  it('headline counts are the human summary’s, long paths are shortened, and a fix’s prose stays outside its code', async () => {
    const deep = 'services/billing/database/migrations/postgres/versions/2024';
    const files: Record<string, string> = {};
    for (const [path, sql] of Object.entries(dropColumnHistory(deep))) files[path] = sql;
    const result = await check([], { cwd: tempProject(files) });
    const md = formatMarkdown(result);
    const human = formatHuman(result, { color: false }).trimEnd().split('\n').at(-1);
    expect(md.split('\n')[3]).toBe(human);
    expect(md).toContain('| <code>…/postgres/versions/2024/000002\\_drop\\_full\\_name.up.sql</code> |');
    expect(md).not.toContain('services/billing');
    expect(md).toContain('Stop using the column in the code first');
    expect(md).not.toMatch(/```sql\n[^`]*Stop using/);
  });
});
