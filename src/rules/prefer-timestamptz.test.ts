import rule from './prefer-timestamptz.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'timestamptz stores the instant', up: 'CREATE TABLE t (at timestamptz, at2 timestamp with time zone);' },
    { name: 'a date has no time of day', up: 'CREATE TABLE t (d date);' },
  ],
  invalid: [
    {
      name: 'timestamp without time zone',
      up: 'CREATE TABLE t (created_at timestamp NOT NULL);',
      message: 't.created_at is timestamp without time zone',
    },
    { name: 'spelled out', history: ['CREATE TABLE t (id int);'], up: 'ALTER TABLE t ADD COLUMN at timestamp(3) without time zone;' },
  ],
});
