// dbmate layout: one `<YYYYMMDDHHMMSS>_<name>.sql` per step (dbmate new's timestamp; a folder counting versions
// keeps counting) with `-- migrate:up` and `-- migrate:down` sections. dbmate runs each section in a transaction
// unless its marker says `transaction:false`, which both sections of a CONCURRENTLY step do.
import { join } from 'node:path';
import type { PlanStep } from './steps.js';
import { filesIn, newFiles, nextTimestamps, slotVersions } from './write-common.js';
import { downLines, isStamp14, nextCounters, sqlHeaders, text } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function dbmateFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const versions = filesIn(dir)
    .filter((n) => n.endsWith('.sql'))
    .map((n) => /^\d+/.exec(n)?.[0] ?? '');
  const counted = versions.some((v) => v !== '') && !isStamp14(versions);
  const next = counted
    ? nextCounters(versions, steps.length, 3, slotVersions(options))
    : nextTimestamps(versions, steps.length, options.now ?? new Date(), 'stamp14', slotVersions(options));
  const headers = sqlHeaders(steps, options);
  return newFiles(
    steps.map((step, i) => {
      const options = step.transactional ? '' : ' transaction:false';
      // Inside the up section: twoway reads directives (`-- twoway: contract`) from the sections, as dbmate runs them.
      const lines = [`-- migrate:up${options}`, ...(headers[i] ?? []), ...step.up, '', `-- migrate:down${options}`, ...downLines(step)];
      return { path: join(dir, `${next[i]}_${step.name}.sql`), text: text(lines) };
    }),
  );
}
