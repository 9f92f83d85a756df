// golang-migrate layout: NNNNNN_name.up.sql / NNNNNN_name.down.sql, next free versions in the same width (or, in
// the original's place, the free versions between it and the next one: golang-migrate runs versions in order).
// golang-migrate runs a file without a wrapping transaction, so CONCURRENTLY steps need nothing extra.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanStep } from './steps.js';
import { nothingToUndo, slotVersions } from './write-common.js';
import { nextCounters } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function golangMigrateFiles(dir: string, steps: readonly PlanStep[], options: Pick<WriterOptions, 'slot'> = {}): PlannedFile[] {
  const versions = readdirSync(dir)
    .map((f) => /^(\d+)_/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined);
  const next = nextCounters(versions, steps.length, 6, slotVersions(options));
  const files: PlannedFile[] = [];
  steps.forEach((step, i) => {
    const base = join(dir, `${next[i]}_${step.name}`);
    const marker = step.phase === 'contract' ? '-- twoway: contract\n' : '';
    files.push({ path: `${base}.up.sql`, text: `${marker}${step.up.join('\n')}\n` });
    files.push({ path: `${base}.down.sql`, text: `${step.down.join('\n') || `SELECT 1; -- ${nothingToUndo(step)}`}\n` });
  });
  return files;
}
