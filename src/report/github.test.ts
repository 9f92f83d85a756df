import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { dropColumnHistory, repoRoot, reviewHistory, tempProject } from '../testing/projects.js';
import { formatGithub } from './github.js';
import { toJsonReport } from './json.js';

/** Reads a workflow command back as the runner does (https://github.com/actions/toolkit, command.ts). */
function parse(line: string): { command: string; props: Record<string, string>; message: string } | null {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!m) return null;
  const decode = (s: string) =>
    s.replaceAll('%0A', '\n').replaceAll('%0D', '\r').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');
  const props = Object.fromEntries(
    (m[2] ?? '')
      .split(',')
      .map((kv) => kv.split('=') as [string, string])
      .map(([k, v]) => [k, decode(v)]),
  );
  return { command: m[1] as string, props, message: decode(m[3] ?? '') };
}

describe('GitHub workflow commands', () => {
  it('one annotation per finding at its file, line and column, of the command its severity calls for', async () => {
    const result = await check([], { cwd: tempProject(dropColumnHistory()) });
    const json = toJsonReport(result);
    const lines = formatGithub(result).trimEnd().split('\n');
    const annotations = lines.map(parse).filter((a) => a !== null);
    const findings = json.migrations.flatMap((m) => m.findings);
    expect(findings.filter((f) => f.suppressed)).toEqual([]);
    expect(annotations).toHaveLength(findings.length);
    const command = { error: 'error', warning: 'warning', info: 'notice' };
    for (const [i, f] of findings.entries()) {
      const a = annotations[i];
      expect(a).toMatchObject({ command: command[f.severity], props: { file: f.path, line: String(f.line), col: String(f.column) } });
      expect(a?.props.title).toContain(f.rule);
      // Message and fix, newlines included, survive the escaping.
      expect(a?.message).toBe(`${f.message}\n\nDo instead: ${f.fix}`);
    }
    expect(annotations.filter((a) => a.command === 'error').map((a) => a.props.file)).toEqual(['db/000002_drop_full_name.up.sql']);
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    expect(lines.at(-1)).toBe(
      `twoway: 2 migrations, 1 one-way door, 0 unverified doors, 1 error, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    );
  });

  it('on all the bundled examples: one annotation per finding that is not suppressed', async () => {
    const result = await check(['examples'], { cwd: repoRoot });
    const json = toJsonReport(result);
    const annotations = formatGithub(result)
      .split('\n')
      .map(parse)
      .filter((a) => a !== null && a.props.title !== 'twoway: unreadable input');
    const shown = json.migrations.flatMap((m) => m.findings).filter((f) => !f.suppressed);
    expect(annotations.map((a) => `${a?.props.file}:${a?.props.line}`)).toEqual(shown.map((f) => `${f.path}:${f.line}`));
  });

  it('suppressed findings are not annotated; unreadable files are', async () => {
    const result = await check([], { cwd: tempProject(reviewHistory()) });
    const annotations = formatGithub(result)
      .split('\n')
      .map(parse)
      .filter((a) => a !== null);
    const json = toJsonReport(result);
    const findings = json.migrations.flatMap((m) => m.findings);
    const dropColumn = findings.filter((f) => f.rule === 'drop-column');
    expect(dropColumn.some((f) => f.suppressed)).toBe(true);
    const shown = dropColumn.filter((f) => !f.suppressed);
    expect(annotations.filter((a) => a.props.title?.startsWith('twoway drop-column'))).toHaveLength(shown.length);
    expect(annotations.filter((a) => a.props.title !== 'twoway: unreadable input')).toHaveLength(
      findings.filter((f) => !f.suppressed).length,
    );
    expect(annotations.filter((a) => a.props.title === 'twoway: unreadable input').map((a) => a.props.file)).toEqual(
      json.errors.map((e) => e.path),
    );
  });
});

describe('annotations are data', () => {
  it('an identifier holding a newline and "::error" cannot start a workflow command of its own', async () => {
    const evil = 'x\n::error file=README.md::owned\n%0A';
    const dir = tempProject({
      'db/000001_create.up.sql': `CREATE TABLE "${evil}" (id bigint PRIMARY KEY, v text);\n`,
      'db/000002_drop.up.sql': `ALTER TABLE "${evil}" DROP COLUMN v;\n`,
    });
    const result = await check([], { cwd: dir });
    const lines = formatGithub(result).trimEnd().split('\n');
    const commands = lines.filter((l) => l.startsWith('::'));
    const findings = result.sets.flatMap((s) => s.reports.flatMap((r) => r.findings.filter((f) => !f.suppressed)));
    expect(commands).toHaveLength(findings.length);
    expect(lines.filter((l) => !l.startsWith('::'))).toHaveLength(1);
    expect(commands.map((l) => parse(l)?.props.file)).not.toContain('README.md');
    // The name is data: on one line in the message and in the help (its SQL in PostgreSQL's U& form, which names it exactly).
    const message = parse(commands.find((l) => l.includes('drop-column')) ?? '')?.message ?? '';
    expect(message).toContain('Dropping column x ::error file=README.md::owned %0A.v');
    expect(message).toContain('FROM U&"x\\000a::error file=README.md::owned\\000a%0A";');
    expect(message.split('\n').filter((l) => l.startsWith('::') || l.startsWith('%0A'))).toEqual([]);
  });
});
