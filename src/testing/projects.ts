// Temporary projects for tests: folders of files, and real git repositories.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** A fresh folder holding `files` (path → text); `copy` copies folders of this repo into it first. */
export function tempProject(files: Record<string, string> = {}, copy: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'twoway-')));
  for (const [from, to] of Object.entries(copy)) cpSync(resolve(repoRoot, from), join(dir, to), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function gitRepo(): { dir: string; git: (...args: string[]) => string; write: (path: string, text: string) => void } {
  const dir = tempProject();
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git('init', '-q', '-b', 'main');
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  return { dir, git, write };
}

/**
 * A two-migration golang-migrate history under `db/` (owned by the tests, unlike examples/, which
 * grows): a two-way door creating users, then a contract step dropping users.full_name (one error).
 */
export function dropColumnHistory(folder = 'db'): Record<string, string> {
  return {
    [`${folder}/000001_create_users.up.sql`]:
      'CREATE TABLE users (\n  id bigserial PRIMARY KEY,\n  email varchar(255) NOT NULL,\n  full_name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n',
    [`${folder}/000001_create_users.down.sql`]: 'DROP TABLE users;\n',
    [`${folder}/000002_drop_full_name.up.sql`]:
      '-- first_name/last_name replaced full_name in release 42\nALTER TABLE users DROP COLUMN full_name;\n',
    [`${folder}/000002_drop_full_name.down.sql`]: "ALTER TABLE users ADD COLUMN full_name text NOT NULL DEFAULT '';\n",
  };
}

/**
 * A golang-migrate history with one of each kind of migration a reviewer meets: a two-way door, one
 * without a down, a declared contract step, a suppressed finding, an accidental one-way door, and a
 * file that cannot be read (an unverified door: its answers are unknown).
 */
export function reviewHistory(): Record<string, string> {
  return {
    'db/000001_create_users.up.sql':
      'CREATE TABLE users (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL,\n  full_name text NOT NULL,\n  nickname text\n);\n',
    'db/000001_create_users.down.sql': 'DROP TABLE users;\n',
    'db/000002_add_bio.up.sql': 'ALTER TABLE users ADD COLUMN bio text;\n',
    'db/000003_drop_nickname.up.sql': '-- twoway: contract\nALTER TABLE users DROP COLUMN nickname;\n',
    'db/000003_drop_nickname.down.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n',
    'db/000004_drop_bio.up.sql': '-- twoway-ignore drop-column: bio was never shipped\nALTER TABLE users DROP COLUMN bio;\n',
    'db/000004_drop_bio.down.sql': 'ALTER TABLE users ADD COLUMN bio text;\n',
    'db/000005_drop_full_name.up.sql': '-- <b>first/last</b> replaced full_name\nALTER TABLE users DROP COLUMN full_name;\n',
    'db/000005_drop_full_name.down.sql': "ALTER TABLE users ADD COLUMN full_name text NOT NULL DEFAULT '';\n",
    'db/000006_binary.up.sql': 'CREATE TABLE t (id int);\0\0\0\n',
  };
}
