import rule from './require-concurrent-index-creation.js';
import { ruleTests } from './testing.js';

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
