// sequelize-cli layout: migrations/<YYYYMMDDHHMMSS>-<name>.js exporting { up, down } (sequelize-cli reads
// JavaScript only). sequelize-cli runs a migration outside any transaction, so a CONCURRENTLY step runs its SQL
// as it is, and every other step wraps its statements in queryInterface.sequelize.transaction, passing it to each.
import { join } from 'node:path';
import type { PlanStep } from './steps.js';
import {
  codeStepIndex,
  filesIn,
  newFiles,
  nextTimestamps,
  nothingToUndo,
  quoted,
  slotVersions,
  stepHeader,
  stopUsingWords,
} from './write-common.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function sequelizeFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const names = filesIn(dir);
  // A package of "type": "module" keeps sequelize-cli's CommonJS migrations as .cjs.
  const ext = names
    .filter((n) => /^\d{14}-.*\.c?js$/.test(n))
    .sort()
    .at(-1)
    ?.endsWith('.cjs')
    ? 'cjs'
    : 'js';
  const stamps = nextTimestamps(
    names.map((n) => /^(\d{14})-/.exec(n)?.[1] ?? ''),
    steps.length,
    options.now ?? new Date(),
    'stamp14',
    slotVersions(options),
  );
  const codeAt = codeStepIndex(steps, options.stopUsing);
  return newFiles(
    steps.map((step, i) => {
      const header = stepHeader(step, i, steps, '//', i === codeAt ? stopUsingWords(options.stopUsing ?? []) : undefined);
      const text = [
        "'use strict';",
        '',
        ...header,
        "/** @type {import('sequelize-cli').Migration} */",
        'module.exports = {',
        ...method('up', step.up, step.transactional),
        '',
        ...method('down', step.down, step.transactional, nothingToUndo(step)),
        '};',
      ];
      return { path: join(dir, `${stamps[i]}-${step.name.replaceAll('_', '-')}.${ext}`), text: `${text.join('\n')}\n` };
    }),
  );
}

function method(name: 'up' | 'down', sql: readonly string[], transactional: boolean, nothing = ''): string[] {
  if (!sql.length) return [`  async ${name}() {`, `    // ${nothing}`, '  },'];
  const statements = transactional
    ? [
        '    await queryInterface.sequelize.transaction(async (transaction) => {',
        ...sql.map((s) => `      await queryInterface.sequelize.query(${quoted(s)}, { transaction });`),
        '    });',
      ]
    : sql.map((s) => `    await queryInterface.sequelize.query(${quoted(s)});`);
  return [`  async ${name}(queryInterface) {`, ...statements, '  },'];
}
