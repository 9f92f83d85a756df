// What the writers of SQL-file frameworks share: the text of an up or a down, and counters after the folder's newest.
import type { PlanStep } from './steps.js';
import { codeStepIndex, NoRoom, nothingToUndo, stepHeader, stopUsingWords } from './write-common.js';
import type { WriterOptions } from './writer-options.js';

/** Comment for a down with nothing to run: the up only validated what an earlier step added. */

/** The header lines of each step (`--` comments), the code step named before the first contract step. */
export function sqlHeaders(steps: readonly PlanStep[], options: WriterOptions): string[][] {
  const codeAt = codeStepIndex(steps, options.stopUsing);
  return steps.map((step, i) => stepHeader(step, i, steps, '--', i === codeAt ? stopUsingWords(options.stopUsing ?? []) : undefined));
}

/** A down's statements, or the comment saying there is nothing to undo. */
export function downLines(step: PlanStep): string[] {
  return step.down.length ? step.down : [`-- ${nothingToUndo(step)}`];
}

/** Lines joined into a file's text, ending in a newline. */
export const text = (lines: readonly string[]): string => `${lines.join('\n')}\n`;

/**
 * `count` counters after the newest of `versions` (digit strings), zero-padded to the widest of them (`00004` →
 * `00005`), or from 1 in `width` digits when there are none; with a `slot`, after the original's counter and
 * before the next one's (NoRoom when they do not fit: `0003` then `0004` leaves none).
 */
export function nextCounters(
  versions: readonly string[],
  count: number,
  width: number,
  slot?: { after: string; before: string },
): string[] {
  const digits = versions.filter((v) => /^\d+$/.test(v));
  const pad = digits.length ? Math.max(...digits.map((v) => v.length)) : width;
  let next = digits.reduce((max, v) => (BigInt(v) > max ? BigInt(v) : max), 0n) + 1n;
  if (slot) {
    if (!/^\d+$/.test(slot.after) || !/^\d+$/.test(slot.before)) throw new NoRoom(`${slot.after} and ${slot.before} are not counters`);
    next = BigInt(slot.after) + 1n;
    if (next + BigInt(count - 1) >= BigInt(slot.before))
      throw new NoRoom(`no room for ${count === 1 ? 'a version' : `${count} versions`} between ${slot.after} and ${slot.before}`);
  }
  const out: string[] = [];
  for (let i = 0; i < count; i++, next++) out.push(String(next).padStart(pad, '0'));
  return out;
}

/** Timestamp versions (YYYYMMDDHHMMSS) when the folder's newest counter is one; the others count up. */
export const isStamp14 = (versions: readonly string[]): boolean => {
  const newest = versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return /^(19|20)\d{12}$/.test(newest.at(-1) ?? '');
};
