// Flyway layout: `V<version>__<name>.sql` per step with its undo `U<version>__<name>.sql` (Flyway Teams' undo
// naming). Versions follow the folder's newest: its last part counts up in the same form (V4 → V5, V1_2 → V1_3),
// or the next timestamp where versions are YYYYMMDDHHMMSS. Flyway runs a PostgreSQL script holding CREATE/DROP
// INDEX CONCURRENTLY outside a transaction by itself, but not a DO block that COMMITs per batch: the up of a
// non-transactional step gets a script config (`V5__x.sql.conf`, Flyway 6.1+) saying `executeInTransaction=false`.
// Its undo holds either one CONCURRENTLY statement (Flyway runs it outside) or statements a transaction takes.
// In the original's place (a `slot`), the steps get a part more than its version (V4 → V4.1, V4.2 before V5),
// which Flyway orders between the two.
import { basename, join } from 'node:path';
import { compareVersions, parseFlywayName } from '../frameworks/flyway.js';
import type { Migration } from '../migration.js';
import type { PlanStep } from './steps.js';
import { filesIn, NoRoom, newFiles, nextTimestamps } from './write-common.js';
import { downLines, sqlHeaders, text } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

/** A repeatable script (`R__x.sql`): Flyway runs it after every pending versioned one, so after the steps too. */
export const isRepeatable = (m: Migration): boolean => parseFlywayName(basename(m.path))?.kind === 'repeatable';

export function flywayFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const versions = options.slot
    ? slotVersions(basename(options.slot.original), basename(options.slot.next), steps.length)
    : nextVersions(filesIn(dir), steps.length, options.now ?? new Date());
  const headers = sqlHeaders(steps, options);
  return newFiles(
    steps.flatMap((step, i) => {
      const up = join(dir, `V${versions[i]}__${step.name}.sql`);
      return [
        { path: up, text: text([...(headers[i] ?? []), ...step.up]) },
        ...(step.transactional ? [] : [{ path: `${up}.conf`, text: 'executeInTransaction=false\n', sidecar: true }]),
        { path: join(dir, `U${versions[i]}__${step.name}.sql`), text: text(downLines(step)) },
      ];
    }),
  );
}

/** Version texts (as written in file names) after the newest versioned or undo script of the folder. */
function nextVersions(names: readonly string[], count: number, now: Date): string[] {
  const scripts = names.flatMap((n) => {
    const parsed = parseFlywayName(n);
    return parsed && parsed.kind !== 'repeatable' ? [{ parsed, written: n.slice(1, n.indexOf('__')) }] : [];
  });
  scripts.sort((a, b) => compareVersions(a.parsed.version, b.parsed.version));
  const newest = scripts.at(-1);
  if (!newest) return Array.from({ length: count }, (_, i) => String(i + 1));
  const parts = newest.written.split(/[._]/);
  if (parts.length === 1 && /^(19|20)\d{12}$/.test(newest.written)) return nextTimestamps([newest.written], count, now, 'stamp14');
  const separator = newest.written.includes('_') ? '_' : '.';
  const last = BigInt(parts.at(-1) ?? '0');
  return Array.from({ length: count }, (_, i) => [...parts.slice(0, -1), String(last + BigInt(i + 1))].join(separator));
}

/** `count` versions after the original's and before the next script's: the original's with one part more. */
function slotVersions(original: string, next: string, count: number): string[] {
  const a = parseFlywayName(original);
  const b = parseFlywayName(next);
  if (!a || !b || a.kind === 'repeatable' || b.kind === 'repeatable') throw new NoRoom(`${original} or ${next} is not a versioned script`);
  const written = original.slice(1, original.indexOf('__'));
  const separator = written.includes('_') ? '_' : '.';
  const out = Array.from({ length: count }, (_, i) => `${written}${separator}${i + 1}`);
  const last = parseFlywayName(`V${out.at(-1)}__x.sql`);
  if (!last || last.kind === 'repeatable' || compareVersions(last.version, b.version) >= 0)
    throw new NoRoom(`no room for ${count === 1 ? 'a version' : `${count} versions`} between ${original} and ${next}`);
  return out;
}
