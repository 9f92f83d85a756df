import rule from './add-column-not-null.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id int);';

ruleTests(rule, {
  valid: [
    {
      name: 'a constant default fills the old rows and old inserts',
      history: [users],
      up: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
    },
    { name: 'a nullable column', history: [users], up: 'ALTER TABLE users ADD COLUMN plan text;' },
    {
      name: 'an identity column fills itself',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY NOT NULL;',
    },
    { name: 'a table created in the same migration', up: 'CREATE TABLE u (id int);\nALTER TABLE u ADD COLUMN a int NOT NULL;' },
  ],
  invalid: [
    { name: 'DEFAULT NULL is no default', history: [users], up: 'ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT NULL;' },
    {
      name: 'a NOT NULL column without default on an existing table',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN plan text NOT NULL;',
      message: 'fails if users holds rows',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    {
      name: 'a primary key column without default is NOT NULL too',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN uid uuid PRIMARY KEY;',
    },
    { name: 'a table the history never created is assumed to hold rows', up: 'ALTER TABLE legacy ADD COLUMN a int NOT NULL;' },
  ],
});
