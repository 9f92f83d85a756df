import rule from './down-wrong-name.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a down that drops the column the up added',
      history: ['CREATE TABLE users (id int);'],
      up: 'ALTER TABLE users ADD COLUMN nickname text;',
      down: 'ALTER TABLE users DROP COLUMN nickname;',
    },
    {
      name: 'IF EXISTS tolerates a missing column',
      history: ['CREATE TABLE users (id int);'],
      up: 'ALTER TABLE users ADD COLUMN a text;',
      down: 'ALTER TABLE users DROP COLUMN IF EXISTS b;',
    },
    {
      name: 'a table the history never created may exist outside migrations',
      up: 'ALTER TABLE legacy ADD COLUMN a text;',
      down: 'ALTER TABLE legacy DROP COLUMN b;',
    },
  ],
  invalid: [
    {
      name: 'a down that drops a column under another name fails',
      history: ['CREATE TABLE users (id int);'],
      up: 'ALTER TABLE users ADD COLUMN nickname text;',
      down: '-- typo\nALTER TABLE users DROP COLUMN nick_name;',
      line: 2,
      message: 'column users.nick_name',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'a down that renames back a column the up never renamed',
      history: ['CREATE TABLE t (id int, a text);'],
      up: 'ALTER TABLE t RENAME COLUMN a TO b;',
      down: 'ALTER TABLE t RENAME COLUMN c TO a;',
      message: 'column t.c',
    },
    {
      name: 'a down that drops a table already gone',
      history: ['CREATE TABLE a (id int);'],
      up: 'DROP TABLE a;',
      down: 'DROP TABLE a;',
      message: 'table a',
    },
  ],
});
