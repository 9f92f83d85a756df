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
      name: 'statement_timeout set before the build',
      history: [users],
      up: "SET statement_timeout = '15min';\nCREATE INDEX users_email ON users (email);",
    },
  ],
  invalid: [
    {
      name: 'a non-concurrent index build holds SHARE for the whole build',
      history: [users],
      up: 'CREATE INDEX users_email ON users (email);',
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
