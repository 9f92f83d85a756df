// The judge's hook for the previous release's code (JudgeInput.usage): a drop the release running
// today still uses breaks it; one it stopped using is the contract step; nothing told changes nothing.
import { describe, expect, it } from 'vitest';
import type { Usage } from '../findings.js';
import { analyzeCase } from '../rules/testing.js';

const history = ['CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, full_name text);', 'CREATE TABLE legacy (id int);'];
const model = { ref: 'v1', path: 'app/models/user.rb', line: 1, text: 'class User < ApplicationRecord' };
const still: Usage = {
  uses: true,
  summary: 'Release v1 still reads users.full_name: app/models/user.rb:1 has no ignored_columns entry.',
  evidence: [model],
};
const stopped: Usage = {
  uses: false,
  summary: 'Release v1 does not use it: ignored since app/models/user.rb:2.',
  evidence: [{ ...model, line: 2, text: 'self.ignored_columns += ["full_name"]' }],
};
const untold: Usage = { uses: null, summary: 'Nothing in release v1 tells whether it uses users.full_name.', evidence: [] };
const on = (table: string, column: string | undefined, u: Usage) => (t: string, c?: string) =>
  t === table && c === column ? u : undefined;

describe('the previous release as evidence, in the judge', () => {
  it('a dropped column the previous release still reads is breaking, with its lines', async () => {
    const r = await analyzeCase({
      name: 'x',
      history,
      up: 'ALTER TABLE users DROP COLUMN full_name;',
      usage: on('users', 'full_name', still),
    });
    expect([r.phase, r.codeRollback, r.dbRollback]).toEqual(['breaking', 'breaking', 'irreversible']);
    const f = r.findings.find((x) => x.rule === 'drop-column');
    expect(f?.message).toContain('still reads users.full_name');
    expect(f?.evidence).toEqual([model]);
  });

  it('a dropped column the previous release ignores is the contract step, compatible', async () => {
    const r = await analyzeCase({
      name: 'x',
      history,
      up: 'ALTER TABLE users DROP COLUMN full_name;',
      usage: on('users', 'full_name', stopped),
    });
    expect([r.phase, r.codeRollback]).toEqual(['contract', 'compatible']);
    expect(r.findings.find((x) => x.rule === 'drop-column')?.evidence?.[0]?.line).toBe(2);
  });

  it('nothing told leaves the core answer, and says so', async () => {
    const without = await analyzeCase({ name: 'x', history, up: 'ALTER TABLE users DROP COLUMN full_name;' });
    const r = await analyzeCase({
      name: 'x',
      history,
      up: 'ALTER TABLE users DROP COLUMN full_name;',
      usage: on('users', 'full_name', untold),
    });
    expect([r.phase, r.codeRollback]).toEqual([without.phase, without.codeRollback]);
    expect(r.findings.find((x) => x.rule === 'drop-column')?.message).toContain('Nothing in release v1 tells');
  });

  it('a dropped table its model still maps is breaking', async () => {
    const r = await analyzeCase({ name: 'x', history, up: 'DROP TABLE legacy;', usage: on('legacy', undefined, still) });
    expect([r.phase, r.codeRollback]).toEqual(['breaking', 'breaking']);
    expect(r.findings.find((x) => x.rule === 'drop-table')?.evidence).toEqual([model]);
  });

  it('a rename the previous release uses carries the lines that show it; the verdict was breaking already', async () => {
    const r = await analyzeCase({
      name: 'x',
      history,
      up: 'ALTER TABLE users RENAME COLUMN full_name TO name;',
      usage: on('users', 'full_name', still),
    });
    expect(r.codeRollback).toBe('breaking');
    expect(r.findings.find((x) => x.rule === 'rename-column')?.evidence).toEqual([model]);
  });
});
