// TypeORM layout: <milliseconds>-<Name>.ts, a class `<Name><milliseconds>` implementing MigrationInterface (the
// form `typeorm migration:create` writes; `.js` is its --outputJs form). SQL goes through queryRunner.query. A
// CONCURRENTLY step sets `transaction = false`, which TypeORM honours only under migrationsTransactionMode "each"
// (under the default "all" it refuses the migration with ForbiddenTransactionModeOverrideError): the file says so.
import { join } from 'node:path';
import { camelize } from 'inflection';
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

export function typeormFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const names = filesIn(dir);
  const language = options.language ?? languageOf(names, 'ts');
  const stamps = nextTimestamps(
    names.map((n) => /^(\d{13})-/.exec(n)?.[1] ?? ''),
    steps.length,
    options.now ?? new Date(),
    'millis',
    slotVersions(options),
  );
  const codeAt = codeStepIndex(steps, options.stopUsing);
  return newFiles(
    steps.map((step, i) => {
      const name = camelize(step.name);
      const className = `${name}${stamps[i]}`;
      const header = stepHeader(step, i, steps, '//', i === codeAt ? stopUsingWords(options.stopUsing ?? []) : undefined);
      const ts = language === 'ts';
      const method = (m: 'up' | 'down', sql: readonly string[]) => [
        `  ${ts ? 'public ' : ''}async ${m}(${sql.length ? `queryRunner${ts ? ': QueryRunner' : ''}` : ''})${ts ? ': Promise<void>' : ''} {`,
        ...(sql.length ? sql.map((s) => `    await queryRunner.query(${quoted(s)});`) : [`    // ${nothingToUndo(step)}`]),
        '  }',
      ];
      const body = [
        ...header,
        ...(ts ? ["import type { MigrationInterface, QueryRunner } from 'typeorm';", ''] : []),
        ts ? `export class ${className} implements MigrationInterface {` : `module.exports = class ${className} {`,
        `  name = ${quoted(className)};`,
        ...(step.transactional
          ? []
          : [
              '  // Honoured under the data source\'s migrationsTransactionMode: "each" (TypeORM refuses it under "all").',
              '  transaction = false;',
            ]),
        '',
        ...method('up', step.up),
        '',
        ...method('down', step.down),
        ts ? '}' : '};',
      ];
      return { path: join(dir, `${stamps[i]}-${name}.${language}`), text: `${body.join('\n')}\n` };
    }),
  );
}
