import rule from './concurrently-in-transaction.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';
const batchedBackfill = `DO $$
BEGIN
  LOOP
    UPDATE users SET email = lower(email) WHERE id IN (SELECT id FROM users WHERE email <> lower(email) LIMIT 1000);
    EXIT WHEN NOT FOUND;
    COMMIT;
  END LOOP;
END $$;`;

ruleTests(rule, {
  valid: [
    {
      name: 'a batched backfill (a DO block that COMMITs) outside a transaction',
      history: [users],
      up: batchedBackfill,
      transactional: false,
    },
    {
      name: 'a DO loop without COMMIT runs in one transaction, which may be the framework’s',
      history: [users],
      up: batchedBackfill.replace('    COMMIT;\n', ''),
    },
    {
      name: 'a concurrent build in a migration without a transaction',
      history: [users],
      up: 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
      transactional: false,
    },
    { name: 'a plain build may run in a transaction', history: [users], up: 'CREATE INDEX users_email ON users (email);' },
    {
      name: 'after an explicit COMMIT the statement runs outside the transaction',
      history: [users],
      up: 'BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_a ON users (a);',
      transactional: false,
    },
    { name: 'ANALYZE may run in a transaction (libpg-query parses it as a VacuumStmt)', history: [users], up: 'ANALYZE users;' },
    {
      name: 'golang-migrate: a lone statement in its file is not in a transaction block',
      framework: 'golang-migrate',
      history: [users],
      up: 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
    },
  ],
  invalid: [
    {
      name: 'a batched backfill inside the framework transaction fails at its first COMMIT',
      history: [users],
      up: batchedBackfill,
      message:
        'A DO block that COMMITs between batches (update of users) cannot run inside a transaction block: the migration fails with "invalid transaction termination"',
    },
    {
      name: 'a concurrent build inside the framework transaction fails',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY users_a ON users (a);',
      line: 2,
      message: 'CREATE INDEX CONCURRENTLY users_a cannot run inside a transaction block',
    },
    {
      name: 'an explicit BEGIN opens a transaction block even when the framework does not',
      history: [users, 'CREATE INDEX users_email ON users (email);'],
      up: 'BEGIN;\nDROP INDEX CONCURRENTLY users_email;\nCOMMIT;',
      transactional: false,
      line: 2,
    },
    {
      name: 'REINDEX CONCURRENTLY in a transaction',
      history: [users],
      up: 'REINDEX TABLE CONCURRENTLY users;',
      message: 'REINDEX CONCURRENTLY',
    },
    { name: 'VACUUM in a transaction', history: [users], up: 'VACUUM ANALYZE users;', message: 'VACUUM' },
    {
      name: 'golang-migrate: a multi-statement file runs as one implicit transaction',
      framework: 'golang-migrate',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY users_a ON users (a);',
      message: 'cannot run inside a transaction block',
    },
  ],
});
