import rule from './drop-index.js';
import { ruleTests } from './testing.js';

const base = ['CREATE TABLE users (id int, email text, deleted_at timestamptz);', 'CREATE INDEX users_email ON users (email);'];

ruleTests(rule, {
  valid: [
    { name: 'an index created in the same migration', history: [base[0] as string], up: 'CREATE INDEX i ON users (email);\nDROP INDEX i;' },
    {
      name: 'dropping and re-creating the same definition is no change',
      history: base,
      up: 'DROP INDEX users_email;\nCREATE INDEX users_email ON users (email);',
    },
    {
      name: 'the same definition under another name is no change',
      history: base,
      up: 'DROP INDEX users_email;\nCREATE INDEX index_users_on_email ON users (email);',
    },
    { name: 'renaming an index keeps it', history: base, up: 'ALTER INDEX users_email RENAME TO users_email_idx;' },
  ],
  invalid: [
    {
      name: 'dropping an index is a contract step',
      history: base,
      up: 'DROP INDEX CONCURRENTLY users_email;',
      line: 1,
      effect: { phase: 'contract', codeRollback: 'compatible' },
    },
    {
      name: 'an index the history never showed, IF EXISTS',
      history: [base[0] as string],
      up: 'DROP INDEX IF EXISTS index_legacy;',
      effect: { phase: 'contract' },
    },
    {
      name: 'a re-creation with another predicate drops the old index',
      history: base,
      up: 'DROP INDEX users_email;\nCREATE INDEX users_email ON users (email) WHERE deleted_at IS NULL;',
      line: 1,
      effect: { phase: 'contract' },
    },
  ],
});
