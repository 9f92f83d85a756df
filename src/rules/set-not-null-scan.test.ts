import rule from './set-not-null-scan.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id int, email text);';

ruleTests(rule, {
  valid: [
    { name: 'a table created in the same migration is empty', up: 'CREATE TABLE u (a int);\nALTER TABLE u ALTER COLUMN a SET NOT NULL;' },
    {
      name: 'a column added in the same migration',
      history: [users],
      up: "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';\nALTER TABLE users ALTER COLUMN plan SET NOT NULL;",
    },
    {
      name: 'a validated CHECK (col IS NOT NULL) lets PostgreSQL 12+ skip the scan',
      history: [
        users,
        'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
      ],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    },
    {
      name: 'a column that is NOT NULL already is not scanned',
      history: ['CREATE TABLE t (a int NOT NULL);'],
      up: 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;',
    },
  ],
  invalid: [
    {
      name: 'SET NOT NULL on an existing table scans it under ACCESS EXCLUSIVE',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      message: 'scans every row of users under ACCESS EXCLUSIVE',
      severity: 'warning',
    },
    {
      name: 'a NOT VALID check keeps new NULLs out but the scan remains',
      history: [users, 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;'],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      message: 'is NOT VALID',
    },
    {
      name: 'before PostgreSQL 12 even a validated check does not spare the scan',
      serverVersion: 11,
      history: [users, 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL);'],
      up: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      message: 'before PostgreSQL 12',
    },
    {
      name: 'a table the history never created may hold rows',
      up: 'ALTER TABLE legacy ALTER COLUMN a SET NOT NULL;',
      message: 'scans every row of legacy',
    },
  ],
});
