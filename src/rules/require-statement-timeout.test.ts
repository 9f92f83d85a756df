import rule from './require-statement-timeout.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';

ruleTests(rule, {
  valid: [
    {
      name: 'a catalog-only change is brief once the lock is granted',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN nickname text;',
    },
    {
      name: 'statement_timeout set before the rebuild',
      history: [users],
      up: "SET statement_timeout = '15min';\nREINDEX TABLE users;",
    },
    {
      // require-concurrent-index-creation reports it; a statement_timeout is no fix for a build that should be CONCURRENTLY.
      name: 'a non-concurrent index build on an existing table is the CONCURRENTLY rule’s',
      history: [users],
      up: 'CREATE INDEX users_email ON users (email);',
    },
    {
      name: 'an index on a materialized view made in the same migration blocks nobody',
      history: [users],
      up: 'CREATE MATERIALIZED VIEW emails AS SELECT id, email FROM users;\nCREATE UNIQUE INDEX emails_id ON emails (id);',
    },
  ],
  invalid: [
    {
      name: 'REINDEX holds SHARE for the whole rebuild',
      history: [users, 'CREATE INDEX users_email ON users (email);'],
      up: 'REINDEX TABLE users;',
      message: 'holds SHARE on users',
    },
    {
      name: 'SET NOT NULL scans under ACCESS EXCLUSIVE',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      message: 'ACCESS EXCLUSIVE on users',
    },
  ],
});
