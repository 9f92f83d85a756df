import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSince, GitError } from './git.js';
import { gitRepo } from './testing/projects.js';

describe('changedSince', () => {
  it('lists files committed on the branch, staged, modified and untracked, relative to the working directory', () => {
    const { dir, git, write } = gitRepo();
    write('db/1.sql', 'a');
    write('db/2.sql', 'b');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    write('db/3.sql', 'c');
    git('add', '.');
    git('commit', '-qm', 'feature');
    write('db/2.sql', 'b changed');
    write('db/4.sql', 'untracked');
    write('db/5.sql', 'staged');
    git('add', 'db/5.sql');
    expect([...changedSince('main', join(dir, 'db'))].sort()).toEqual(['2.sql', '3.sql', '4.sql', '5.sql']);
    expect([...changedSince('main', dir)].sort()).toEqual(['db/2.sql', 'db/3.sql', 'db/4.sql', 'db/5.sql']);
  });

  it('changes made on the base branch after the fork are not the branch’s own', () => {
    const { dir, git, write } = gitRepo();
    write('1.sql', 'a');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    write('2.sql', 'b');
    git('add', '.');
    git('commit', '-qm', 'feature');
    git('checkout', '-q', 'main');
    write('3.sql', 'c');
    git('add', '.');
    git('commit', '-qm', 'main moves on');
    git('checkout', '-q', 'feature');
    expect([...changedSince('main', dir)]).toEqual(['2.sql']);
  });

  it('an unknown ref is an error carrying git’s message', () => {
    const { dir, git, write } = gitRepo();
    write('1.sql', 'a');
    git('add', '.');
    git('commit', '-qm', 'base');
    expect(() => changedSince('no-such-branch', dir)).toThrow(GitError);
    expect(() => changedSince('no-such-branch', dir)).toThrow(/no-such-branch/);
  });

  it('outside a git repository is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-nogit-'));
    expect(() => changedSince('main', dir)).toThrow(/not a git repository/i);
  });

  it('a path outside the repository is an error, not an empty list', () => {
    const { dir, git, write } = gitRepo();
    write('db/1.sql', 'a');
    git('add', '.');
    git('commit', '-qm', 'base');
    const outside = mkdtempSync(join(tmpdir(), 'twoway-outside-'));
    expect(() => changedSince('main', dir, [outside])).toThrow(new GitError(`${outside} is outside the git repository at ${dir}`));
    expect([...changedSince('main', dir, ['db'])]).toEqual([]);
  });
});
