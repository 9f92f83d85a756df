// Diesel layout: a folder per step, `<YYYY-MM-DD-HHMMSS>_<name>/up.sql` and `down.sql` (diesel migration generate's
// form; a folder of 14-digit versions keeps them), versions after the newest. Diesel runs each migration in a
// transaction unless its `metadata.toml` says `run_in_transaction = false`, as a CONCURRENTLY or batched step's does
// (diesel_migrations' file_based_migrations.rs reads it; the file itself goes through batch_execute, one message).
// Diesel refuses an empty script: a down with nothing to undo says so in a comment.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDieselFolderName } from '../frameworks/diesel.js';
import type { PlanStep } from './steps.js';
import { newFiles, nextTimestamps, outsideWhy, slotVersions } from './write-common.js';
import { downLines, sqlHeaders, text } from './write-sql-files.js';
import type { PlannedFile, WriterOptions } from './writer-options.js';

export function dieselFiles(dir: string, steps: readonly PlanStep[], options: WriterOptions = {}): PlannedFile[] {
  const folders = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && parseDieselFolderName(e.name))
        .map((e) => e.name)
    : [];
  const version = (name: string) => parseDieselFolderName(name)?.version ?? '';
  const newest = [...folders].sort((a, b) => (version(a) < version(b) ? -1 : version(a) > version(b) ? 1 : 0)).at(-1);
  const dashed = !newest || /^\d{4}-\d{2}-\d{2}-\d{6}_/.test(newest);
  const stamps = nextTimestamps(folders.map(version), steps.length, options.now ?? new Date(), 'stamp14', slotVersions(options)).map((s) =>
    dashed ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}-${s.slice(8)}` : s,
  );
  const headers = sqlHeaders(steps, options);
  // Diesel sends a file in one batch_execute: with run_in_transaction = false, PostgreSQL still runs several
  // statements of one message as one implicit transaction, where CONCURRENTLY and a DO block's COMMIT fail.
  for (const step of steps)
    if (!step.transactional && step.up.length > 1)
      throw new Error(
        `${step.name}: diesel runs up.sql as one message, so its ${step.up.length} statements cannot run outside a transaction`,
      );
  return newFiles(
    steps.flatMap((step, i) => {
      const folder = join(dir, `${stamps[i]}_${step.name}`);
      return [
        { path: join(folder, 'up.sql'), text: text([...(headers[i] ?? []), ...step.up]) },
        { path: join(folder, 'down.sql'), text: text(downLines(step)) },
        ...(step.transactional
          ? []
          : [
              {
                path: join(folder, 'metadata.toml'),
                text: text([`# Runs outside a transaction: ${outsideWhy(step)}.`, 'run_in_transaction = false']),
                // How diesel runs the migration beside it, not a migration.
                sidecar: true,
              },
            ]),
      ];
    }),
  );
}
