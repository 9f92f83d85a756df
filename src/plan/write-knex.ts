// Knex layout: migrations/<YYYYMMDDHHMMSS>_<name>.js|ts in the folder's language. SQL goes through knex.raw;
// Knex runs each migration in a transaction unless it exports `config = { transaction: false }`, which a
// CONCURRENTLY step does.
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

export function knexFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const names = filesIn(dir);
  const language = options.language ?? languageOf(names, 'js');
  const stamps = nextTimestamps(
    names.map((n) => /^(\d{14})_/.exec(n)?.[1] ?? ''),
    steps.length,
    options.now ?? new Date(),
    'stamp14',
    slotVersions(options),
  );
  // Knex reads `?` in knex.raw as a binding placeholder (its raw guide: escape it as `\\?`), which check does not
  // model: such SQL (the jsonb `?` operator) is refused rather than written in a form one of them misreads.
  const placeholder = steps.flatMap((s) => [...s.up, ...s.down]).find((sql) => sql.includes('?'));
  if (placeholder) throw new Error(`knex.raw would read ? in "${placeholder}" as a binding: write this step by hand`);
  const codeAt = codeStepIndex(steps, options.stopUsing);
  return newFiles(
    steps.map((step, i) => {
      const header = stepHeader(step, i, steps, '//', i === codeAt ? stopUsingWords(options.stopUsing ?? []) : undefined);
      const body = language === 'ts' ? typescript(step) : commonjs(step);
      return { path: join(dir, `${stamps[i]}_${step.name}.${language}`), text: `${[...header, ...body].join('\n')}\n` };
    }),
  );
}

const raw = (sql: readonly string[]) => sql.map((s) => `  await knex.raw(${quoted(s)});`);

function commonjs(step: PlanStep): string[] {
  return [
    ...(step.transactional ? [] : ['exports.config = { transaction: false };', '']),
    'exports.up = async function up(knex) {',
    ...raw(step.up),
    '};',
    '',
    `exports.down = async function down(${step.down.length ? 'knex' : ''}) {`,
    ...(step.down.length ? raw(step.down) : [`  // ${nothingToUndo(step)}`]),
    '};',
  ];
}

function typescript(step: PlanStep): string[] {
  return [
    "import type { Knex } from 'knex';",
    '',
    ...(step.transactional ? [] : ['export const config = { transaction: false };', '']),
    'export async function up(knex: Knex): Promise<void> {',
    ...raw(step.up),
    '}',
    '',
    `export async function down(${step.down.length ? 'knex: Knex' : ''}): Promise<void> {`,
    ...(step.down.length ? raw(step.down) : [`  // ${nothingToUndo(step)}`]),
    '}',
  ];
}
