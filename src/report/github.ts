// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff
// (`::error file=…,line=…,col=…,title=…::message`), then a one-line summary per one-way door.
import type { CheckResult } from '../check.js';
import type { Severity } from '../findings.js';
import { DOOR_LABEL, doorOf, oneLine, plural, totalsOf } from './summary.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithub(result: CheckResult): string {
  const lines: string[] = [];
  for (const r of result.sets.flatMap((s) => s.reports)) {
    const m = r.parsed.migration;
    for (const f of r.findings) {
      if (f.suppressed) continue;
      const props: Record<string, string | number> = { file: f.path, line: f.line, col: f.column };
      if (f.span.endLine > f.span.line) props.endLine = f.span.endLine;
      else if (f.span.endColumn > f.span.column) props.endColumn = f.span.endColumn;
      props.title = `twoway ${f.rule} (${f.category}): ${m.id} is a ${DOOR_LABEL[doorOf(r)]}, phase ${r.phase}`;
      lines.push(command(COMMAND[f.severity], props, `${oneLine(f.message)}\n\nDo instead: ${f.fix}`));
    }
  }
  for (const e of result.errors) {
    lines.push(
      command(
        'error',
        e.line
          ? { file: e.path, line: e.line, col: e.column, title: 'twoway: unreadable input' }
          : { file: e.path, title: 'twoway: unreadable input' },
        oneLine(e.message),
      ),
    );
  }
  const t = totalsOf(result);
  lines.push(
    `twoway: ${plural(t.migrations, 'migration')}, ${plural(t.oneWayDoors, 'one-way door')}, ${plural(t.unverified, 'unverified door')}, ${plural(t.findings.error, 'error')}, ${plural(t.findings.warning, 'warning')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions (escaping as @actions/core does). */
function command(name: string, props: Record<string, string | number>, message: string): string {
  const list = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name} ${list}::${escapeData(message)}`;
}

function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
