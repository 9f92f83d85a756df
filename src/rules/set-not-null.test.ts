import rule from './set-not-null.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id int, email text);';

ruleTests(rule, {
  valid: [
    { name: 'a table created in the same migration is empty', up: 'CREATE TABLE u (a int);\nALTER TABLE u ALTER COLUMN a SET NOT NULL;' },
    {
      name: 'a column added in the same migration is unknown to old code',
      history: [users],
      up: "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\nALTER TABLE users ALTER COLUMN plan SET NOT NULL;",
    },
    {
      name: 'a validated CHECK (col IS NOT NULL) lets PostgreSQL 12+ skip the scan, and old code already writes no NULL',
      history: [
        users,
        'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
      ],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    },
    {
      name: 'a NOT VALID check refuses the old code NULL writes already (only the scan is left: set-not-null-scan)',
      history: [users, 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;'],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    },
    {
      name: 'a column that is already NOT NULL',
      history: ['CREATE TABLE t (a int NOT NULL);'],
      up: 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;',
    },
  ],
  invalid: [
    {
      name: 'SET NOT NULL on an existing column breaks old writers (the scan is set-not-null-scan)',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      message: 'breaks the release still running if it writes NULL or omits the column.',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    {
      name: 'with a default, only explicit NULL writes break',
      history: ["CREATE TABLE t (id int, plan text DEFAULT 'free');"],
      up: 'ALTER TABLE t ALTER COLUMN plan SET NOT NULL;',
      message: 'if it writes NULL.',
    },
    {
      name: 'a check on another column does not help',
      history: [users, 'ALTER TABLE users ADD CONSTRAINT c CHECK (id IS NOT NULL);'],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    { name: 'a table the history never created', up: 'ALTER TABLE legacy ALTER COLUMN a SET NOT NULL;' },
  ],
});
