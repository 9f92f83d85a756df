import rule from './prefer-jsonb.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'jsonb has equality', up: 'CREATE TABLE t (id bigint, doc jsonb);' },
    { name: 'adding a jsonb column', history: ['CREATE TABLE t (id bigint);'], up: 'ALTER TABLE t ADD COLUMN doc jsonb;' },
  ],
  invalid: [
    { name: 'a json column in a new table', up: 'CREATE TABLE t (id bigint, doc json, meta json);', message: 't.meta is json' },
    {
      name: 'adding a json column breaks DISTINCT over the table',
      history: ['CREATE TABLE t (id bigint);'],
      up: 'ALTER TABLE t ADD COLUMN doc json;',
    },
  ],
});
