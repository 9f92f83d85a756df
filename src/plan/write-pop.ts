// pop layout: `<YYYYMMDDHHMMSS>_<name>.<dialect>.up.sql` / `.down.sql` per step, in the dialect spelling the
// folder uses for PostgreSQL (a folder of generic files only is golang-migrate's to the adapters). pop runs each
// file in a transaction; ory/x popx runs an `.autocommit.` file outside one, which a CONCURRENTLY step is.
// gobuffalo/pop itself has no way out of the transaction (nor reads `.autocommit.` names): said in the file.
import { join } from 'node:path';
import { parsePopFileName } from '../frameworks/pop.js';
import type { PlanStep } from './steps.js';
import { filesIn, newFiles, nextTimestamps, slotVersions } from './write-common.js';
import { downLines, sqlHeaders, text } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

const POSTGRES = new Set(['postgres', 'postgresql', 'pg', 'pgx', 'cockroach', 'cockroachdb', 'crdb']);

export function popFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const names = filesIn(dir);
  const parsed = names.flatMap((n) => {
    const p = parsePopFileName(n);
    return p ? [{ ...p, file: n }] : [];
  });
  // The suffix as written in the folder's names (`.postgres.`, `.pg.`), not pop's canonical form.
  const written = parsed.map((p) => p.file.split('.').at(-3) ?? '').find((s) => POSTGRES.has(s.toLowerCase()));
  const dialect = written ? `.${written}` : '';
  const stamps = nextTimestamps(
    parsed.map((p) => p.version),
    steps.length,
    options.now ?? new Date(),
    'stamp14',
    slotVersions(options),
  );
  const headers = sqlHeaders(steps, options);
  return newFiles(
    steps.flatMap((step, i) => {
      const base = join(dir, `${stamps[i]}_${step.name}${dialect}${step.transactional ? '' : '.autocommit'}`);
      const popx = step.transactional
        ? []
        : [
            '-- ory/x popx runs .autocommit. files outside a transaction; gobuffalo/pop does not read this name: build the index by hand there.',
          ];
      return [
        { path: `${base}.up.sql`, text: text([...(headers[i] ?? []), ...popx, ...step.up]) },
        { path: `${base}.down.sql`, text: text(downLines(step)) },
      ];
    }),
  );
}
