// Test helper: a real git repository in a temporary folder, built release by release.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TestRepo {
  dir: string;
  /** Writes files (path → text; null deletes), commits them, tags the commit when a tag is given. */
  commit(files: Record<string, string | null>, tag?: string): string;
  git(...args: string[]): string;
}

export function releaseRepo(prefix = 'twoway-release-'): TestRepo {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    commit(files, tag) {
      for (const [path, text] of Object.entries(files)) {
        const abs = join(dir, path);
        if (text === null) rmSync(abs, { force: true });
        else {
          mkdirSync(dirname(abs), { recursive: true });
          writeFileSync(abs, text);
        }
      }
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', tag ?? 'change');
      if (tag) git('tag', tag);
      return git('rev-parse', 'HEAD').trim();
    },
  };
}
