// Test helper: writes a small tree of real files in a temporary folder and runs discovery on it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Discovery, discover } from '../discover/index.js';
import type { Dialect } from '../ir.js';
// Tests call the synchronous `discover`: every adapter is imported first.
import './all.js';

/** Creates the files (path → content; a Buffer for binary content) and returns the folder. */
export function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'twoway-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Discovery from `root` as the working directory. */
export function discoverTree(files: Record<string, string | Buffer>, paths: string[] = ['.'], dialect?: Dialect): Discovery {
  return discover(paths, { cwd: tree(files), dialect });
}

/** `twoway check` of a small tree: each migration's path with its report (findings, answers, parsed IR). */
export async function checkTree(files: Record<string, string | Buffer>, paths: string[] = ['.']) {
  const { check } = await import('../check.js');
  const result = await check(paths, { cwd: tree(files) });
  return { ...result, reports: result.sets.flatMap((s) => s.reports) };
}
