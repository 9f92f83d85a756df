import rule from './prefer-text-field.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [{ name: 'text and unbounded varchar', up: 'CREATE TABLE t (a text, b varchar);' }],
  invalid: [
    { name: 'a varchar limit', up: 'CREATE TABLE t (name varchar(255));', message: 'varchar(255)', severity: 'info' },
    {
      name: 'character varying(n) added to a table',
      history: ['CREATE TABLE t (id int);'],
      up: 'ALTER TABLE t ADD COLUMN c character varying(20);',
    },
  ],
});
