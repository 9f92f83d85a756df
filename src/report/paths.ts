// Paths in every format as the user gave them: a file under an absolute argument is shown absolute, the
// rest relative to the working directory (what check() returns), never as a chain of "../../..".
import { isAbsolute, resolve, sep } from 'node:path';
import type { CheckResult } from '../check.js';

/** Rewrites, in place, the result's paths that lie under an absolute argument to absolute ones. */
export function pathsAsGiven(result: CheckResult, args: readonly string[], cwd: string): CheckResult {
  const roots = args.filter((a) => isAbsolute(a)).map((a) => resolve(a));
  if (!roots.length) return result;
  const shown = (p: string): string => {
    const abs = resolve(cwd, p);
    return roots.some((r) => abs === r || abs.startsWith(r.endsWith(sep) ? r : `${r}${sep}`)) ? abs : p;
  };
  for (const { set, reports } of result.sets) {
    set.root = shown(set.root);
    for (const r of reports) {
      const m = r.parsed.migration;
      m.path = shown(m.path);
      m.files = m.files.map(shown);
      for (const source of [m.up, m.down]) if (source) source.path = shown(source.path);
      // Spans may be shared between findings and reasons: rewriting twice is harmless (an absolute path stays).
      for (const f of r.findings) {
        f.path = shown(f.path);
        f.span.path = shown(f.span.path);
      }
      for (const x of [...r.reasons, ...r.unread]) x.span.path = shown(x.span.path);
    }
  }
  for (const e of result.errors) e.path = shown(e.path);
  return result;
}
