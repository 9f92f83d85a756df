import { ruleTests } from './testing.js';
import rule from './unique-constraint-builds-index.js';

const users = 'CREATE TABLE users (id bigint, email text);';

ruleTests(rule, {
  valid: [
    {
      name: 'attaching an index built concurrently is a catalog change',
      history: [users, 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);'],
      up: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
    },
    {
      name: 'a table created in the same migration is empty',
      up: `${users}\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);`,
    },
    {
      name: 'a CHECK constraint builds no index',
      history: [users],
      up: "ALTER TABLE users ADD CONSTRAINT c CHECK (email <> '') NOT VALID;",
    },
  ],
  invalid: [
    {
      name: 'ADD CONSTRAINT UNIQUE builds the index under ACCESS EXCLUSIVE',
      history: [users],
      up: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
      message: 'UNIQUE users_email_key (email) to users',
    },
    {
      name: 'ADD PRIMARY KEY as well',
      history: [users],
      up: 'ALTER TABLE users ADD PRIMARY KEY (id);',
      message: 'PRIMARY KEY users_pkey (id)',
    },
    {
      name: 'ADD COLUMN ... UNIQUE',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN handle text UNIQUE;',
      message: 'UNIQUE users_handle_key (handle)',
    },
  ],
});
