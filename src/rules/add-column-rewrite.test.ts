import rule from './add-column-rewrite.js';
import { ruleTests } from './testing.js';

const events = ['CREATE TABLE events (id bigint);'];

ruleTests(rule, {
  valid: [
    {
      name: 'a constant default is catalog-only since PostgreSQL 11',
      history: events,
      up: "ALTER TABLE events ADD COLUMN kind text DEFAULT 'click';",
    },
    { name: 'now() is stable: no rewrite', history: events, up: 'ALTER TABLE events ADD COLUMN seen_at timestamptz DEFAULT now();' },
    {
      name: 'DEFAULT NULL writes nothing, even before PostgreSQL 11',
      serverVersion: 10,
      history: events,
      up: 'ALTER TABLE events ADD COLUMN a int DEFAULT NULL;',
    },
    { name: 'a column without default', history: events, up: 'ALTER TABLE events ADD COLUMN a int;' },
    {
      name: 'a table created in the same migration',
      up: 'CREATE TABLE e (id int);\nALTER TABLE e ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    },
  ],
  invalid: [
    {
      name: 'a volatile default rewrites the table',
      history: events,
      up: 'ALTER TABLE events ADD COLUMN token uuid DEFAULT gen_random_uuid();',
      message: 'the volatile default gen_random_uuid() is evaluated for every existing row',
      effect: {},
    },
    {
      name: 'clock_timestamp() is volatile',
      history: events,
      up: 'ALTER TABLE events ADD COLUMN at timestamptz DEFAULT clock_timestamp();',
    },
    {
      name: 'bigserial numbers every row',
      history: events,
      up: 'ALTER TABLE events ADD COLUMN seq bigserial;',
      message: 'a bigserial column numbers',
    },
    {
      name: 'one ALTER TABLE with several rewriting columns rewrites once',
      history: ['CREATE TABLE p (a int, b int);'],
      up: 'ALTER TABLE p ADD COLUMN s int GENERATED ALWAYS AS (a + b) STORED, ADD COLUMN t uuid DEFAULT gen_random_uuid(), ADD COLUMN u int;',
      message: 'Adding p.s (and 1 more column of this statement)',
    },
    {
      name: 'separate statements are separate rewrites',
      history: ['CREATE TABLE p (a int, b int);'],
      up: 'ALTER TABLE p ADD COLUMN s int GENERATED ALWAYS AS (a + b) STORED;\nALTER TABLE p ADD COLUMN t uuid DEFAULT gen_random_uuid();',
      count: 2,
    },
    {
      name: 'an identity column numbers every row',
      history: events,
      up: 'ALTER TABLE events ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;',
      message: 'identity',
    },
    {
      name: 'a stored generated column is computed for every row',
      history: ['CREATE TABLE p (a int, b int);'],
      up: 'ALTER TABLE p ADD COLUMN s int GENERATED ALWAYS AS (a + b) STORED;',
      message: 'stored generated',
    },
    {
      name: 'before PostgreSQL 11 a constant default rewrites too',
      serverVersion: 10,
      history: events,
      up: "ALTER TABLE events ADD COLUMN kind text DEFAULT 'click';",
      message: 'before PostgreSQL 11',
    },
  ],
});
