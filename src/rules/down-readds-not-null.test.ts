import rule from './down-readds-not-null.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id bigint, nickname text NOT NULL);';

ruleTests(rule, {
  valid: [
    {
      name: 'a down that backfills before re-adding NOT NULL',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL;',
      down: "UPDATE users SET nickname = '' WHERE nickname IS NULL;\nALTER TABLE users ALTER COLUMN nickname SET NOT NULL;",
    },
    {
      name: 'a down that leaves the column nullable',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL;',
      down: 'SELECT 1;',
    },
    {
      name: 'a column the down itself adds is empty',
      history: ['CREATE TABLE users (id bigint);'],
      up: 'SELECT 1;',
      down: 'ALTER TABLE users ADD COLUMN x int;\nALTER TABLE users ALTER COLUMN x SET NOT NULL;',
    },
    {
      name: 'a column rebuilt by the down from a column that stayed NOT NULL',
      history: [users],
      up: 'SELECT 1;',
      down: 'ALTER TABLE users ADD COLUMN nickname_new text;\nUPDATE users SET nickname_new = nickname;\nALTER TABLE users DROP COLUMN nickname;\nALTER TABLE users RENAME COLUMN nickname_new TO nickname;\nALTER TABLE users ALTER COLUMN nickname SET NOT NULL;',
    },
  ],
  invalid: [
    {
      name: 'DROP NOT NULL and its natural down',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL;',
      down: 'ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;',
      message: 'sets users.nickname NOT NULL again',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'a nullable column added by the up is made NOT NULL in the down',
      history: ['CREATE TABLE users (id bigint);'],
      up: 'ALTER TABLE users ADD COLUMN bio text;',
      down: 'ALTER TABLE users ALTER COLUMN bio SET NOT NULL;\nALTER TABLE users DROP COLUMN bio;',
    },
  ],
});
