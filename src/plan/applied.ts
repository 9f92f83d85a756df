// Whether the migration a plan replaces has run: a plan may take the place only of a migration no database has
// run, so the user is told to delete the original only when that is known. The live database's own history table
// (with --database-url) knows for that database; git knows whether any release could have run it.
import { defaultBase } from '../evidence/release.js';
import { inTreeAt } from '../git.js';
import type { Migration } from '../migration.js';
import type { AppliedHistory } from '../rollback/history.js';

export interface Applied {
  /**
   * `unapplied`: no database has run it (git: new since the base; history table: the database has not);
   * `applied`: the database's history table records it; `released`: it is in the base already, so a release
   * may have run it; `unknown`: neither could tell.
   */
  state: 'unapplied' | 'applied' | 'released' | 'unknown';
  /** What told: the framework's history table on --database-url, git, or nothing. */
  source: 'history-table' | 'git' | 'none';
  /** In words, for the output: the table or the ref that told. */
  detail: string;
}

/** What the database's history table says of `m`; null when the framework keeps no history table twoway reads. */
export function appliedFromHistory(history: AppliedHistory | null, m: Migration): Applied | null {
  if (!history) return null;
  if (history.failed.has(m.id))
    return {
      state: 'applied',
      source: 'history-table',
      detail: `${history.table} on the database lists it as started and failed part-way (dirty)`,
    };
  return history.applied.has(m.id)
    ? { state: 'applied', source: 'history-table', detail: `${history.table} on the database lists it as applied` }
    : { state: 'unapplied', source: 'history-table', detail: `${history.table} on the database does not list it` };
}

/**
 * What git says of `files` (relative to `cwd`): new since `since` (or the default branch the current one left, or
 * HEAD on the default branch itself), or there already.
 */
export function appliedFromGit(files: readonly string[], cwd: string, since?: string): Applied {
  const ref = since ?? defaultBase(cwd)?.commit ?? 'HEAD';
  const shown = since ?? (ref === 'HEAD' ? 'HEAD' : 'the default branch');
  const there = files.map((f) => inTreeAt(ref, cwd, f));
  if (there.some((x) => x === null))
    return { state: 'unknown', source: 'none', detail: 'not in a git repository, and no --database-url to read its history table' };
  if (there.every((x) => x === false))
    return { state: 'unapplied', source: 'git', detail: `it is new since ${shown}, so no release has run it` };
  return { state: 'released', source: 'git', detail: `it is in ${shown} already, so a release may have run it` };
}
