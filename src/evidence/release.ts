// A release's files read from git objects: `git ls-tree` and `git cat-file --batch`. Nothing is
// checked out and nothing of the release runs; the working tree is never touched.
import { execFileSync, spawnSync } from 'node:child_process';
import { GitError } from '../git.js';

export interface ReleaseFile {
  /** Path inside the repository. */
  path: string;
  text: string;
}

/** Files larger than this are generated or vendored, not the application's own code. */
const MAX_FILE_BYTES = 1024 * 1024;

function git(cwd: string, args: string[], input?: string): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 512 * 1024 * 1024,
      ...(input !== undefined ? { input } : {}),
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: string };
    if (err.code === 'ENOENT') throw new GitError('git is not installed or not on PATH');
    throw new GitError((err.stderr || err.message).trim().split('\n')[0] ?? err.message);
  }
}

/** The repository's top folder, or null outside a git work tree. */
export function repositoryRoot(cwd: string): string | null {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The repository's top folder and HEAD's commit (null before the first commit), in one git process: a check
 * pays a process per question at start-up. Null outside a git work tree.
 */
export function repositoryHead(cwd: string): { root: string; head: string | null } | null {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel', '--verify', '--quiet', 'HEAD'], { cwd, encoding: 'utf8' });
  // 0: both lines; 1: the top folder only (an unborn HEAD); otherwise not a work tree.
  if (r.status !== 0 && r.status !== 1) return null;
  const [root, head] = r.stdout.split('\n');
  if (!root) return null;
  return { root, head: r.status === 0 && head ? head : null };
}

/** The commit a ref names (`--end-of-options`: a ref starting with "-" is not an option). */
export function resolveRef(cwd: string, ref: string): string {
  return git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
}

/**
 * The release running today when none is named: where this branch left the default branch
 * (origin's HEAD, else main or master). Null when there is none, or when it is HEAD itself
 * (on the default branch the release before this one cannot be told from git alone).
 */
export function defaultBase(cwd: string, head = repositoryHead(cwd)?.head ?? null): { ref: string; commit: string } | null {
  if (!head) return null;
  const origin = spawnSync('git', ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { cwd, encoding: 'utf8' });
  const candidates = [origin.status === 0 ? origin.stdout.trim() : '', 'main', 'master'].filter(Boolean);
  for (const branch of candidates) {
    const base = spawnSync('git', ['merge-base', 'HEAD', branch], { cwd, encoding: 'utf8' });
    if (base.status !== 0) continue;
    const commit = base.stdout.trim();
    return commit === head ? null : { ref: `merge-base(${branch})`, commit };
  }
  return null;
}

/** Paths of the files under `folder` (repository-relative, '' for all) at a commit, with their sizes. */
export function listFiles(cwd: string, commit: string, folder: string): Array<{ path: string; size: number }> {
  const out = git(cwd, ['ls-tree', '-r', '-z', '--long', '--full-tree', commit, '--', ...(folder ? [folder] : [])]);
  const files: Array<{ path: string; size: number }> = [];
  for (const entry of out.split('\0')) {
    // "<mode> <type> <object> <size>\t<path>"
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, , size] = entry.slice(0, tab).split(/\s+/);
    if (type !== 'blob') continue;
    files.push({ path: entry.slice(tab + 1), size: Number(size) });
  }
  return files;
}

/** The texts of files at a commit, in one `git cat-file --batch`; files over 1 MB or not UTF-8 text are left out. */
export function readFiles(cwd: string, commit: string, paths: readonly string[]): ReleaseFile[] {
  if (!paths.length) return [];
  let raw: Buffer;
  try {
    raw = execFileSync('git', ['cat-file', '--batch'], {
      cwd,
      input: `${paths.map((p) => `${commit}:${p}`).join('\n')}\n`,
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new GitError(`git cat-file: ${(e as Error).message.split('\n')[0]}`);
  }
  const files: ReleaseFile[] = [];
  let at = 0;
  for (const path of paths) {
    const eol = raw.indexOf(10, at);
    const header = raw.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const size = Number(header.split(' ')[2]);
    if (header.endsWith(' missing') || !Number.isFinite(size)) continue;
    const body = raw.subarray(at, at + size);
    at += size + 1;
    if (size > MAX_FILE_BYTES || body.includes(0)) continue;
    files.push({ path, text: body.toString('utf8') });
  }
  return files;
}
