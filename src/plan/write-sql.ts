// Plain SQL folders (no framework): one `<N>_<name>.sql` per step, N after the folder's newest in its form
// (`11_`, `0012_`, `V0013.`). Where the folder pairs downs by name (`_up.sql` / `_down.sql`, `.up.sql` /
// `.down.sql`), each step gets the pair in that form; a folder without downs gets ups only, the down in comments
// for whoever undoes it by hand (check then says the step has no down, as it would of any file there).
// Such files are run statement by statement (psql), so a CONCURRENTLY step needs nothing more.
import { join } from 'node:path';
import { parsePlainName } from '../frameworks/sql.js';
import type { PlanStep } from './steps.js';
import { filesIn, newFiles, slotVersions } from './write-common.js';
import { downLines, nextCounters, sqlHeaders, text } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function plainSqlFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const names = filesIn(dir).filter((n) => n.toLowerCase().endsWith('.sql'));
  const numbered = names.flatMap((n) => {
    const m = /^([A-Za-z]*)(\d+)([._-])/.exec(n);
    return m ? [{ prefix: m[1] ?? '', version: m[2] ?? '', separator: m[3] ?? '_' }] : [];
  });
  const newest = [...numbered].sort((a, b) => (BigInt(a.version) < BigInt(b.version) ? -1 : 1)).at(-1);
  const counters = nextCounters(
    numbered.map((n) => n.version),
    steps.length,
    1,
    slotVersions(options),
  );
  const down = names.find((n) => parsePlainName(n).direction === 'down');
  // The marker as the folder writes it: the separator before `down` and its case.
  const marker = down ? down.slice(parsePlainName(down).stem.length, -'.sql'.length) : null;
  const headers = sqlHeaders(steps, options);
  return newFiles(
    steps.flatMap((step, i) => {
      const base = join(dir, `${newest?.prefix ?? ''}${counters[i]}${newest?.separator ?? '_'}${step.name}`);
      const up = [...(headers[i] ?? []), ...step.up];
      if (!marker) return [{ path: `${base}.sql`, text: text([...up, ...undoInComments(step)]) }];
      const upMarker = marker.replace(/down/, 'up').replace(/DOWN/, 'UP').replace(/Down/, 'Up');
      return [
        { path: `${base}${upMarker}.sql`, text: text(up) },
        { path: `${base}${marker}.sql`, text: text(downLines(step)) },
      ];
    }),
  );
}

function undoInComments(step: PlanStep): string[] {
  return step.down.length ? ['', '-- To undo this step (the folder has no down files):', ...step.down.map((s) => `--   ${s}`)] : [];
}
