// One line per finding, `path:line:col severity rule message` (ESLint's compact and gcc's shape), for
// editors' problem matchers and grep. Suppressed and baselined findings are left out; unreadable input is
// an error line of its own.
import type { CheckResult } from '../check.js';
import { oneLine } from './summary.js';

export function formatCompact(result: CheckResult): string {
  const lines: string[] = [];
  for (const r of result.sets.flatMap((s) => s.reports)) {
    for (const f of r.findings) {
      if (f.suppressed) continue;
      const down = f.direction === 'down' ? ' (in the down)' : '';
      lines.push(`${oneLine(f.path)}:${f.line}:${f.column} ${f.severity} ${f.rule} ${oneLine(f.message)}${down}`);
    }
  }
  for (const e of result.errors) lines.push(`${oneLine(e.path)}:${e.line || 1}:${e.column || 1} error unreadable ${oneLine(e.message)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
