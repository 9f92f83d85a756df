// Prisma Migrate layout: a folder per step, `prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql`, versions
// after the newest. Prisma writes no downs; its documented practice (Generating down migrations) keeps a
// `down.sql` beside the migration, run by hand with `prisma db execute --file` then `prisma migrate resolve
// --rolled-back`: each step gets one. Prisma sends migration.sql to PostgreSQL as one message, which runs a single
// statement outside any transaction: a CONCURRENTLY step's migration.sql holds that statement alone.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanStep } from './steps.js';
import { newFiles, nextTimestamps, slotVersions } from './write-common.js';
import { downLines, sqlHeaders, text } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function prismaFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  // A data step's batches COMMIT in its one DO block, alone in migration.sql; its down (the restore) needs no way out
  // of a transaction. A CONCURRENTLY step's down (DROP INDEX CONCURRENTLY) does, so it must be alone in down.sql too.
  for (const step of steps)
    if (!step.transactional && (step.up.length > 1 || (step.phase !== 'data' && step.down.length > 1)))
      throw new Error(`PostgreSQL runs a multi-statement migration.sql in one transaction: split step ${step.name} by hand`);
  const folders = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => /^\d+/.exec(e.name)?.[0] ?? '')
    : [];
  const stamps = nextTimestamps(folders, steps.length, options.now ?? new Date(), 'stamp14', slotVersions(options));
  const headers = sqlHeaders(steps, options);
  return newFiles(
    steps.flatMap((step, i) => {
      const folder = join(dir, `${stamps[i]}_${step.name}`);
      return [
        { path: join(folder, 'migration.sql'), text: text([...(headers[i] ?? []), ...step.up]) },
        { path: join(folder, 'down.sql'), text: text(downLines(step)) },
      ];
    }),
  );
}
