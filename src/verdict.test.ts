// The verdict rules of DESIGN.md, on real SQL through the whole pipeline.
import { describe, expect, it } from 'vitest';
import type { Verdict } from './judge/judge.js';
import { analyzeCase, type MigrationCase } from './rules/testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, full_name text NOT NULL, email text, n int);';

const cases: Array<MigrationCase & { verdict: Verdict }> = [
  {
    name: 'an additive migration with a down is expand, compatible, reversible',
    history: [users],
    up: 'ALTER TABLE users ADD COLUMN nickname text;',
    down: 'ALTER TABLE users DROP COLUMN nickname;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'an additive migration without a down is no-down',
    history: [users],
    up: 'CREATE TABLE teams (id bigint PRIMARY KEY);',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'no-down' },
  },
  {
    name: 'a written but empty down is no down',
    history: [users],
    up: 'CREATE TABLE teams (id bigint PRIMARY KEY);',
    down: '-- nothing to undo',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'no-down' },
  },
  {
    name: 'a backfill of a new column makes it data, and it stays reversible',
    history: [users],
    up: "ALTER TABLE users ADD COLUMN first_name text;\nUPDATE users SET first_name = split_part(full_name, ' ', 1);",
    down: 'ALTER TABLE users DROP COLUMN first_name;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'data over existing values is irreversible even with a down',
    history: [users],
    up: 'UPDATE users SET email = lower(email);',
    down: 'SELECT 1;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'an info finding still carries its effect: an insert is a data step, reversible when the down deletes it',
    history: [users],
    up: "INSERT INTO users (id, full_name) VALUES (0, 'system');",
    down: 'DELETE FROM users WHERE id = 0;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
  {
    name: 'contract beats data; the drop is irreversible though a down re-adds the column (V3__drop_full_name)',
    history: [users],
    up: "UPDATE users SET email = '' WHERE email IS NULL;\nALTER TABLE users DROP COLUMN full_name;",
    down: 'ALTER TABLE users ADD COLUMN full_name text;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'dropping a constraint is a contract step that destroys no data',
    history: [users, 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);'],
    up: 'ALTER TABLE users DROP CONSTRAINT users_email_key;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'no-down' },
  },
  {
    name: 'irreversible wins over no-down',
    history: [users],
    up: 'DELETE FROM users WHERE email IS NULL;',
    verdict: { phase: 'data', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'breaking beats contract',
    history: [users, 'CREATE TABLE old_audit (id int);'],
    up: 'DROP TABLE old_audit;\nALTER TABLE users RENAME COLUMN email TO email_address;',
    down: 'ALTER TABLE users RENAME COLUMN email_address TO email;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
  },
  {
    name: 'a rename alone is breaking but reversible',
    history: [users],
    up: 'ALTER TABLE users RENAME TO accounts;',
    down: 'ALTER TABLE accounts RENAME TO users;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
  },
  {
    name: 'a pure widening that rewrites the table is still expand',
    history: [users],
    up: 'ALTER TABLE users ALTER COLUMN n TYPE bigint;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'no-down' },
  },
  {
    name: 'a lossy narrowing is breaking and irreversible',
    history: ['CREATE TABLE prices (id int, amount numeric(12,4));'],
    up: 'ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12,2);',
    down: 'ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12,4);',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' },
  },
  {
    name: 'SET NOT NULL on an existing column is breaking',
    history: [users],
    up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    down: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
    verdict: { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
  },
  {
    name: 'a suppressed finding still counts',
    history: [users],
    up: '-- twoway-ignore drop-column: archived in users_full_name_archive\nALTER TABLE users DROP COLUMN full_name;',
    down: 'ALTER TABLE users ADD COLUMN full_name text;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'a declared contract step is still a contract and irreversible',
    history: [users],
    up: '-- twoway: contract\nALTER TABLE users DROP COLUMN full_name;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'a rule turned off in the config still counts',
    history: [users],
    rules: { 'drop-column': 'off' },
    up: 'ALTER TABLE users DROP COLUMN full_name;',
    verdict: { phase: 'contract', codeRollback: 'compatible', dbRollback: 'irreversible' },
  },
  {
    name: 'everything inside a new table is expand',
    up: "CREATE TABLE t (id int, a varchar(10));\nALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t ALTER COLUMN b TYPE varchar(5);\nINSERT INTO t VALUES (1, 'x');\nDROP TABLE t;",
    down: 'SELECT 1;',
    verdict: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
  },
];

describe('verdict', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { phase, codeRollback, dbRollback } = await analyzeCase(c);
      expect({ phase, codeRollback, dbRollback }).toEqual(c.verdict);
    });
  }

  it('a suppressed or disabled finding is hidden from the report but not from the verdict', async () => {
    const byName = (name: string) => cases.find((c) => c.name === name) as MigrationCase;
    const off = await analyzeCase(byName('a rule turned off in the config still counts'));
    expect(off.findings.filter((f) => f.rule === 'drop-column')).toEqual([]);
    const ignored = await analyzeCase(byName('a suppressed finding still counts'));
    expect(ignored.findings.find((f) => f.rule === 'drop-column')?.suppressed?.kind).toBe('ignore');
  });
});
