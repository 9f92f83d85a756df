import { expect, it } from 'vitest';
import rule from './require-concurrent-index-deletion.js';
import { analyzeCase, ruleTests } from './testing.js';

const users = ['CREATE TABLE users (id bigint PRIMARY KEY, email text);', 'CREATE INDEX users_email ON users (email);'];

ruleTests(rule, {
  valid: [
    {
      name: 'a concurrent drop waits without blocking anyone',
      history: users,
      up: 'DROP INDEX CONCURRENTLY users_email;',
      transactional: false,
    },
    {
      name: 'an index built earlier in the same migration is dropped at no cost',
      history: [users[0] as string],
      up: 'CREATE INDEX CONCURRENTLY tmp ON users (email);\nDROP INDEX tmp;',
      transactional: false,
    },
    {
      name: 'an index of a table created in the same migration',
      up: 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;',
    },
  ],
  invalid: [
    {
      name: 'a plain DROP INDEX locks the table and is a contract step',
      history: users,
      up: 'DROP INDEX users_email;',
      message: 'ACCESS EXCLUSIVE lock on users',
      effect: { phase: 'contract' },
    },
    { name: 'an index the history does not know still takes the lock', up: 'DROP INDEX IF EXISTS legacy_idx;', message: 'on its table' },
    {
      name: 'the down dropping the index its up built is info: the up was told of the lock on that table',
      history: [users[0] as string],
      up: 'CREATE INDEX users_email ON users (email);',
      down: 'DROP INDEX users_email;',
      line: 1,
      message: "In the down, undoing the up's CREATE INDEX users_email: DROP INDEX users_email",
      severity: 'info',
    },
    {
      name: 'the down dropping an index the up built CONCURRENTLY takes a lock the up did not: a warning',
      history: [users[0] as string],
      up: 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
      down: 'DROP INDEX users_email;',
      transactional: false,
      message: 'In the down: DROP INDEX users_email',
      severity: 'warning',
    },
  ],
});

it('in a down, only the index its own up built is info; one the history made stays a warning', async () => {
  const report = await analyzeCase({
    name: 'down drops two',
    history: users,
    up: 'CREATE INDEX users_id ON users (id);',
    down: 'DROP INDEX users_id;\nDROP INDEX users_email;',
  });
  const found = report.findings.filter((f) => f.rule === rule.id).map((f) => [f.direction, f.line, f.severity]);
  expect(found).toEqual([
    ['down', 1, 'info'],
    ['down', 2, 'warning'],
  ]);
});

it('several plain drops on one table are one finding, naming the others', async () => {
  const report = await analyzeCase({
    name: 'drop two',
    history: [...users, 'CREATE INDEX users_id ON users (id);'],
    up: 'DROP INDEX users_email;\nDROP INDEX users_id;',
  });
  const found = report.findings.filter((f) => f.rule === rule.id);
  expect(found.map((f) => f.line)).toEqual([1]);
  expect(found[0]?.message).toContain('So do the later drops on users in the migration: users_id (line 2).');
});
