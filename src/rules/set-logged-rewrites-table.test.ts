import rule from './set-logged-rewrites-table.js';
import { ruleTests } from './testing.js';

const events = 'CREATE UNLOGGED TABLE events (id bigint, payload jsonb);';

ruleTests(rule, {
  valid: [{ name: 'a table created in the same migration is empty', up: `${events}\nALTER TABLE events SET LOGGED;` }],
  invalid: [
    {
      name: 'SET LOGGED of an existing table rewrites it',
      history: [events],
      up: 'ALTER TABLE events SET LOGGED;',
      message: 'SET LOGGED rewrites events',
    },
    { name: 'SET UNLOGGED as well', history: [events], up: 'ALTER TABLE events SET UNLOGGED;', message: 'SET UNLOGGED' },
  ],
});
