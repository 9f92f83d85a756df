import rule from './rename-column.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a column added in the same migration is unknown to released code',
      history: ['CREATE TABLE users (id int);'],
      up: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users RENAME COLUMN nick TO nickname;',
    },
    { name: 'a column of a table created in the same migration', up: 'CREATE TABLE u (a int);\nALTER TABLE u RENAME COLUMN a TO b;' },
  ],
  invalid: [
    {
      name: 'renaming a column the old release reads breaks it',
      history: ['CREATE TABLE users (id int, nickname varchar(40));'],
      up: 'ALTER TABLE users RENAME COLUMN nickname TO display_name;',
      message: 'users.nickname to display_name',
      effect: { phase: 'breaking', codeRollback: 'breaking' },
    },
    { name: 'a column of a table the history never created', up: 'ALTER TABLE legacy RENAME COLUMN a TO b;' },
  ],
});
