// golang-migrate layout: NNNNNN_name.up.sql / NNNNNN_name.down.sql, next free versions in the same width.
// golang-migrate runs a file without a wrapping transaction, so CONCURRENTLY steps need nothing extra.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanStep } from './steps.js';
import { nothingToUndo } from './write-common.js';
import type { PlannedFile } from './writer-options.js';

export function golangMigrateFiles(dir: string, steps: readonly PlanStep[]): PlannedFile[] {
  const versions = readdirSync(dir)
    .map((f) => /^(\d+)_/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined);
  const width = versions.length ? Math.max(...versions.map((v) => v.length)) : 6;
  let next = versions.length ? Math.max(...versions.map(Number)) + 1 : 1;
  const files: PlannedFile[] = [];
  for (const step of steps) {
    const base = join(dir, `${String(next++).padStart(width, '0')}_${step.name}`);
    const marker = step.phase === 'contract' ? '-- twoway: contract\n' : '';
    files.push({ path: `${base}.up.sql`, text: `${marker}${step.up.join('\n')}\n` });
    files.push({ path: `${base}.down.sql`, text: `${step.down.join('\n') || `SELECT 1; -- ${nothingToUndo(step)}`}\n` });
  }
  return files;
}
