import { expect, it } from 'vitest';
import rule from './require-concurrent-index-creation.js';
import { analyzeCase, ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';

ruleTests(rule, {
  valid: [
    {
      name: 'a concurrent build lets writes continue',
      history: [users],
      up: 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
      transactional: false,
    },
    {
      name: 'an index on a table created in the same migration is built on an empty table',
      up: `${users}\nCREATE INDEX users_email ON users (email);`,
    },
    {
      name: 'an index on a materialized view made earlier in the same direction blocks nobody',
      history: [users],
      up: 'CREATE MATERIALIZED VIEW emails AS SELECT id, email FROM users;\nCREATE UNIQUE INDEX emails_id ON emails (id);',
    },
  ],
  invalid: [
    {
      name: 'a plain CREATE INDEX on an existing table blocks writes for the whole build',
      history: [users],
      up: '-- speed up login\nCREATE INDEX users_email ON users (email);',
      line: 2,
      message: 'SHARE lock that blocks writes to users',
    },
    {
      name: 'the fix keeps uniqueness, method and predicate',
      history: [users],
      up: "CREATE UNIQUE INDEX users_email ON users USING btree (lower(email)) WHERE email <> '';",
      message: 'CREATE UNIQUE INDEX users_email on users',
    },
    { name: 'a table the history never created is assumed to hold rows', up: 'CREATE INDEX ON legacy (x);' },
    {
      name: 'an index on a materialized view of an earlier migration blocks its refresh and reads',
      history: [users, 'CREATE MATERIALIZED VIEW emails AS SELECT id, email FROM users;'],
      up: 'CREATE UNIQUE INDEX emails_id ON emails (id);',
      message: 'on emails',
    },
    {
      name: 'a down that rebuilds an index on an existing table also blocks writes',
      history: [users, 'CREATE INDEX users_email ON users (email);'],
      up: 'DROP INDEX CONCURRENTLY users_email;',
      down: 'CREATE INDEX users_email ON users (email);',
      transactional: false,
    },
  ],
});

it('several plain builds on one table are one finding at the first, naming the others; another table gets its own', async () => {
  const report = await analyzeCase({
    name: 'three indexes',
    history: [users, 'CREATE TABLE posts (id bigint PRIMARY KEY, title text);'],
    up: 'CREATE INDEX users_email ON users (email);\nCREATE INDEX posts_title ON posts (title);\nCREATE INDEX users_id_email ON users (id, email);\nCREATE INDEX CONCURRENTLY users_id ON users (id);',
    transactional: false,
  });
  const found = report.findings.filter((f) => f.rule === rule.id);
  expect(found.map((f) => f.line)).toEqual([1, 2]);
  expect(found[0]?.message).toContain('So do the later builds on users in the migration: users_id_email (line 3).');
  expect(found[1]?.message).not.toContain('So do');
  // The later build is still no timeout finding of its own: CONCURRENTLY is its fix.
  expect(report.findings.filter((f) => f.rule === 'require-lock-timeout')).toEqual([]);
});
