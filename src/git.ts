// `--since <ref>`: the files a branch added or changed, from git itself. Only what is reported
// depends on it; the history is still replayed whole.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** git could not answer: not a repository, an unknown ref. The message is git's own. */
export class GitError extends Error {}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: string };
    if (err.code === 'ENOENT') throw new GitError('git is not installed or not on PATH');
    throw new GitError((err.stderr || err.message).trim().split('\n')[0] ?? err.message);
  }
}

/**
 * Files changed on this branch since it left `ref` (`git diff <ref>...HEAD`), plus uncommitted and
 * untracked ones, as paths relative to `cwd`. Each of `within` (the paths to check) must be in the same repository.
 */
export function changedSince(ref: string, cwd: string, within: readonly string[] = []): Set<string> {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  // A path in no repository, or in another one, has no changes since `ref` here: saying "0 migrations" would lie.
  for (const p of within) {
    const abs = resolve(cwd, p);
    const dir = existsSync(abs) && statSync(abs).isDirectory() ? abs : dirname(abs);
    let own: string | null;
    try {
      own = git(dir, ['rev-parse', '--show-toplevel']).trim();
    } catch {
      own = null;
    }
    if (own === null || realpathSync(own) !== realpathSync(top))
      throw new GitError(`${p} is outside the git repository at ${top}${own ? ` (it is in ${own})` : ''}`);
  }
  // `--end-of-options` keeps a ref that starts with "-" from being read as an option.
  const committed = git(cwd, ['diff', '--name-only', '-z', '--no-ext-diff', '--no-renames', '--end-of-options', `${ref}...HEAD`]);
  const status = git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']);
  const paths = committed.split('\0').filter(Boolean);
  // Each status entry is "XY path"; deleted files cannot be reported and are left out.
  for (const entry of status.split('\0')) {
    if (entry.length > 3 && !entry.slice(0, 2).includes('D')) paths.push(entry.slice(3));
  }
  return new Set(paths.map((p) => relative(cwd, resolve(top, p))));
}

/**
 * Whether `path` (relative to `cwd`) is in the tree of `ref`: true or false, or null where git cannot tell (not a
 * repository, the path outside it, an unknown ref).
 */
export function inTreeAt(ref: string, cwd: string, path: string): boolean | null {
  let top: string;
  try {
    top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
    git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    return null;
  }
  const rel = relative(realpathSync(top), realpathSync(resolve(cwd, path)));
  if (rel.startsWith('..')) return null;
  try {
    git(cwd, ['cat-file', '-e', `${ref}:${rel.split('\\').join('/')}`]);
    return true;
  } catch {
    return false;
  }
}
