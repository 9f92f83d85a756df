// What the framework writers share: free versions after the folder's newest, comment headers, string literals.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { PlanStep } from './steps.js';
import type { PlannedFile, StopUsing, WriterOptions } from './writer-options.js';

/**
 * A writer asked to number the steps in the original's place (`WriterOptions.slot`) finds no versions between the
 * original and the migration after it: the plan then goes after the newest instead.
 */
export class NoRoom extends Error {}

/**
 * The version a migration's name starts with, digits only: its file's (after Flyway's or a plain folder's letter
 * prefix), or its folder's where the migration is a folder (diesel's `2024-03-03-000000_x/up.sql`, Prisma's
 * `…/migration.sql`), dashes dropped.
 */
export function versionOfPath(path: string): string {
  const file = basename(path);
  const name = /^(up|down|migration|metadata)\.(sql|toml)$/.test(file) ? basename(dirname(path)) : file;
  return (/^[A-Za-z]*(\d[\d-]*)/.exec(name)?.[1] ?? '').replaceAll('-', '');
}

/** The versions the steps go strictly between (the original's, the next migration's), when asked to take its place. */
export function slotVersions(options: Pick<WriterOptions, 'slot'>): { after: string; before: string } | undefined {
  return options.slot && { after: versionOfPath(options.slot.original), before: versionOfPath(options.slot.next) };
}

/** Files directly in `dir` (none when it does not exist yet). */
export function filesIn(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
    : [];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYYMMDDHHMMSS` in UTC (Rails, Knex, sequelize-cli). */
export function stamp14(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

function parseStamp(s: string): number {
  const n = (from: number, to: number) => Number(s.slice(from, to) || 0);
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14), n(14, 17));
}

/**
 * How a folder names versions: `stamp14` YYYYMMDDHHMMSS (Rails, Knex, sequelize-cli), `utc` YYYYMMDDHHmmssSSS
 * (node-pg-migrate's --migration-filename-format utc), `millis` milliseconds since 1970 (TypeORM, node-pg-migrate).
 */
export type TimestampScheme = 'stamp14' | 'utc' | 'millis';

/**
 * `count` versions in the scheme, each after every existing one and not before `now`, one unit apart; with a
 * `slot`, the first ones after the original's version instead, all before the next migration's (NoRoom when they
 * do not fit: neighbours one second apart, a version in another form).
 */
export function nextTimestamps(
  existing: readonly string[],
  count: number,
  now: Date,
  scheme: TimestampScheme,
  slot?: { after: string; before: string },
): string[] {
  const time = (v: string) => (scheme === 'millis' ? Number(v) : parseStamp(v));
  const latest = existing.filter((v) => /^\d+$/.test(v)).reduce((max, v) => Math.max(max, time(v)), 0);
  const step = scheme === 'stamp14' ? 1000 : 1;
  let next = Math.max(scheme === 'stamp14' ? Math.floor(now.getTime() / 1000) * 1000 : now.getTime(), latest + step);
  if (slot) {
    const width = scheme === 'stamp14' ? 14 : scheme === 'utc' ? 17 : null;
    const fits = (v: string) => /^\d+$/.test(v) && (width === null || v.length === width);
    if (!fits(slot.after) || !fits(slot.before)) throw new NoRoom(`versions ${slot.after} and ${slot.before} are not ${scheme} timestamps`);
    next = time(slot.after) + step;
    if (next + (count - 1) * step >= time(slot.before))
      throw new NoRoom(`no room for ${count === 1 ? 'a version' : `${count} versions`} between ${slot.after} and ${slot.before}`);
  }
  const out: string[] = [];
  for (let i = 0; i < count; i++, next += step) {
    const d = new Date(next);
    out.push(scheme === 'millis' ? String(next) : scheme === 'utc' ? `${stamp14(d)}${pad(d.getUTCMilliseconds(), 3)}` : stamp14(d));
  }
  return out;
}

/** The files, refusing any that exists: a plan never overwrites a migration. */
export function newFiles(files: PlannedFile[]): PlannedFile[] {
  for (const f of files) if (existsSync(f.path)) throw new Error(`${f.path} already exists: twoway plan never overwrites a migration`);
  return files;
}

/**
 * The comment lines opening a step's migration: its release and phase, `twoway: contract` for a contract step,
 * what the code must stop using before it (`codeStep` words the framework's idiom), and what to do before the next step.
 */
export function stepHeader(step: PlanStep, index: number, steps: readonly PlanStep[], comment: string, codeStep?: string[]): string[] {
  const lines = [`${comment} twoway plan: step ${index + 1} of ${steps.length}, release ${step.release}, ${step.phase}.`];
  if (step.phase === 'contract') lines.push(`${comment} twoway: contract`);
  for (const l of codeStep ?? []) lines.push(`${comment} ${l}`);
  if (!step.transactional) lines.push(`${comment} Runs outside a transaction: ${outsideWhy(step)}.`);
  if (step.note) lines.push(`${comment} Between this step and the next: ${step.note}.`);
  return lines;
}

/**
 * Why a step runs outside a transaction: a data step's DO block COMMITs after each batch, the others build or
 * drop an index CONCURRENTLY; PostgreSQL refuses both inside a transaction block.
 */
export function outsideWhy(step: PlanStep): string {
  return step.phase === 'data'
    ? 'its DO block COMMITs after each batch, which PostgreSQL refuses inside one'
    : 'PostgreSQL refuses CONCURRENTLY inside one';
}

/** The step before which the code must stop using the columns: the first contract step. */
export function codeStepIndex(steps: readonly PlanStep[], stopUsing: readonly StopUsing[] | undefined): number {
  return stopUsing?.length ? steps.findIndex((s) => s.phase === 'contract') : -1;
}

/** A double-quoted string literal valid in JavaScript, TypeScript and Python (JSON's escapes are a subset of theirs). */
export function quoted(s: string): string {
  return JSON.stringify(s);
}

/** The language of the folder's newest script migration (by name order), for files written beside it. */
export function languageOf(names: readonly string[], fallback: 'ts' | 'js'): 'ts' | 'js' {
  const scripts = names.filter((n) => /\.(c|m)?(js|ts)$/.test(n) && !n.endsWith('.d.ts')).sort();
  const last = scripts.at(-1);
  return last ? (/\.(c|m)?ts$/.test(last) ? 'ts' : 'js') : fallback;
}

/** The code step in words, for frameworks without a model-level idiom of their own. */
export function stopUsingWords(stopUsing: readonly StopUsing[]): string[] {
  return stopUsing.map(
    (s) =>
      `Ship first, in the release before this migration: code that no longer reads or writes ${s.columns.map((c) => `${s.table}.${c}`).join(', ')}.`,
  );
}

/** The comment text of an empty down: why there is nothing to undo. */
export const nothingToUndo = (step: PlanStep): string =>
  `nothing to undo: ${step.emptyDown ?? 'the up only validates what an earlier step added'}`;
