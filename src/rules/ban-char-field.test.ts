import rule from './ban-char-field.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [{ name: 'text and varchar are not padded', up: 'CREATE TABLE t (a text, b varchar(3), c "char");' }],
  invalid: [
    { name: 'char(n) pads with spaces', up: 'CREATE TABLE t (code char(3));', message: 't.code is bpchar(3)' },
    { name: 'character(n) is the same type', history: ['CREATE TABLE t (id int);'], up: 'ALTER TABLE t ADD COLUMN c character(2);' },
  ],
});
