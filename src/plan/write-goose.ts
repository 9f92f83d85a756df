// goose layout: one `<version>_<name>.sql` per step with `-- +goose Up` and `-- +goose Down` sections. Versions
// follow the folder: counters (`00005`, goose create -s and goose fix) or timestamps (goose create's default).
// goose runs the whole file in a transaction unless it says `-- +goose NO TRANSACTION`, as a CONCURRENTLY step does.
import { join } from 'node:path';
import type { PlanStep } from './steps.js';
import { filesIn, newFiles, nextTimestamps, slotVersions } from './write-common.js';
import { downLines, isStamp14, nextCounters, sqlHeaders, text } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function gooseFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const versions = filesIn(dir)
    .filter((n) => n.endsWith('.sql') || n.endsWith('.go'))
    .map((n) => /^\d+/.exec(n)?.[0] ?? '');
  const counted = versions.some((v) => v !== '') && !isStamp14(versions);
  const next = counted
    ? nextCounters(versions, steps.length, 5, slotVersions(options))
    : nextTimestamps(versions, steps.length, options.now ?? new Date(), 'stamp14', slotVersions(options));
  const headers = sqlHeaders(steps, options);
  return newFiles(
    steps.map((step, i) => {
      const lines = [
        ...(step.transactional ? [] : ['-- +goose NO TRANSACTION']),
        '-- +goose Up',
        // Inside the Up section: twoway reads directives (`-- twoway: contract`) from the sections goose runs.
        ...(headers[i] ?? []),
        ...step.up.flatMap(statement),
        '',
        '-- +goose Down',
        ...(step.down.length ? step.down.flatMap(statement) : downLines(step)),
      ];
      return { path: join(dir, `${next[i]}_${step.name}.sql`), text: text(lines) };
    }),
  );
}

/**
 * goose ends a statement at a line ending in `;`: a statement holding another semicolon (a function body, a DO
 * block, a string) goes between StatementBegin and StatementEnd, which goose sends whole.
 */
function statement(sql: string): string[] {
  const body = sql.trimEnd().replace(/;$/, '');
  return body.includes(';') || sql.includes('\n') ? ['-- +goose StatementBegin', sql, '-- +goose StatementEnd'] : [sql];
}
