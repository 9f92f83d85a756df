// node-pg-migrate layout: migrations/<milliseconds>_<name>.js|ts in the folder's language. SQL goes through
// pgm.sql; node-pg-migrate runs each direction in a transaction unless that direction calls pgm.noTransaction(),
// which both directions of a CONCURRENTLY step do.
import { join } from 'node:path';
import type { PlanStep } from './steps.js';
import {
  codeStepIndex,
  filesIn,
  languageOf,
  newFiles,
  nextTimestamps,
  nothingToUndo,
  quoted,
  slotVersions,
  stepHeader,
  stopUsingWords,
} from './write-common.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function nodePgMigrateFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const names = filesIn(dir);
  const language = options.language ?? languageOf(names, 'js');
  const versions = names.map((n) => /^(\d+)_/.exec(n)?.[1] ?? '').filter(Boolean);
  // Milliseconds by default; YYYYMMDDHHmmssSSS when the folder uses --migration-filename-format utc.
  const scheme = versions.length && versions.every((v) => v.length === 17) ? 'utc' : 'millis';
  const stamps = nextTimestamps(versions, steps.length, options.now ?? new Date(), scheme, slotVersions(options));
  const codeAt = codeStepIndex(steps, options.stopUsing);
  return newFiles(
    steps.map((step, i) => {
      const header = stepHeader(step, i, steps, '//', i === codeAt ? stopUsingWords(options.stopUsing ?? []) : undefined);
      const ts = language === 'ts';
      const fn = (name: 'up' | 'down', sql: readonly string[]) => {
        const body = [
          ...(step.transactional || !sql.length ? [] : ['  pgm.noTransaction();']),
          ...(sql.length
            ? sql.map((s) => `  pgm.sql(${quoted(s)});`)
            : [`  // ${nothingToUndo(step)} (an empty down, not an automatic one)`]),
        ];
        const param = sql.length ? `pgm${ts ? ': MigrationBuilder' : ''}` : '';
        return ts
          ? [`export async function ${name}(${param}): Promise<void> {`, ...body, '}']
          : [`exports.${name} = (${param}) => {`, ...body, '};'];
      };
      const text = [
        ...header,
        ...(ts ? ["import type { MigrationBuilder } from 'node-pg-migrate';", ''] : []),
        ...fn('up', step.up),
        '',
        ...fn('down', step.down),
      ];
      return { path: join(dir, `${stamps[i]}_${step.name.replaceAll('_', '-')}.${language}`), text: `${text.join('\n')}\n` };
    }),
  );
}
