import rule from './change-column-type.js';
import { ruleTests } from './testing.js';

const breaking = { phase: 'breaking', codeRollback: 'breaking' } as const;
const lossy = { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' } as const;
const history = [
  `CREATE TABLE t (
    id bigint PRIMARY KEY, name varchar(255), code char(3), price numeric(10,2), total numeric, n int, big bigint,
    ratio float4, at timestamp, at3 timestamp(3), atz timestamptz, d date, took interval, span interval day to second(3), net cidr, addr inet, doc json, note text,
    s varchar
  );`,
];

ruleTests(rule, {
  valid: [
    { name: 'varchar(255) → varchar(300) only edits the catalog', history, up: 'ALTER TABLE t ALTER COLUMN name TYPE varchar(300);' },
    { name: 'varchar(n) → text only edits the catalog', history, up: 'ALTER TABLE t ALTER COLUMN name TYPE text;' },
    { name: 'varchar(n) → varchar without a limit only edits the catalog', history, up: 'ALTER TABLE t ALTER COLUMN name TYPE varchar;' },
    { name: 'text → varchar without a limit is binary coercible', history, up: 'ALTER TABLE t ALTER COLUMN note TYPE varchar;' },
    {
      name: 'numeric(10,2) → numeric(12,2) keeps the scale: no rewrite',
      history,
      up: 'ALTER TABLE t ALTER COLUMN price TYPE numeric(12,2);',
    },
    { name: 'numeric(10,2) → unconstrained numeric: no rewrite', history, up: 'ALTER TABLE t ALTER COLUMN price TYPE numeric;' },
    { name: 'cidr → inet: no rewrite', history, up: 'ALTER TABLE t ALTER COLUMN net TYPE inet;' },
    { name: 'timestamp(3) → timestamp(6): more precision, no rewrite', history, up: 'ALTER TABLE t ALTER COLUMN at3 TYPE timestamp(6);' },
    {
      name: 'interval(2) → interval: more precision, no rewrite',
      history: [...history, 'ALTER TABLE t ALTER COLUMN took TYPE interval(2);'],
      up: 'ALTER TABLE t ALTER COLUMN took TYPE interval;',
    },
    {
      name: 'timestamp → timestamptz with the session in UTC on PostgreSQL 12+: no rewrite',
      history,
      up: "SET timezone = 'UTC';\nALTER TABLE t ALTER COLUMN at TYPE timestamptz;",
    },
    {
      name: 'USING the column itself is no conversion: timestamp → timestamptz in UTC still skips the rewrite',
      history,
      up: "SET timezone = 'UTC';\nALTER TABLE t ALTER COLUMN at TYPE timestamptz USING at;",
    },
    {
      name: 'varchar → citext without an index on the column only edits the catalog',
      history,
      up: 'ALTER TABLE t ALTER COLUMN s TYPE citext;',
    },
    { name: 'the same type again changes nothing', history, up: 'ALTER TABLE t ALTER COLUMN n TYPE integer;' },
    { name: 'a table created in the same migration holds no rows', up: 'CREATE TABLE u (a int);\nALTER TABLE u ALTER COLUMN a TYPE text;' },
    {
      name: 'a column added in the same migration holds no old values',
      history,
      up: 'ALTER TABLE t ADD COLUMN x int;\nALTER TABLE t ALTER COLUMN x TYPE text;',
    },
  ],
  invalid: [
    {
      name: 'int → bigint widens the values but rewrites the table',
      history,
      up: 'ALTER TABLE t ALTER COLUMN n TYPE bigint;',
      message: 'rewrites the whole table',
      effect: { phase: 'expand' },
    },
    {
      name: 'uuid → varchar widens: every uuid is a 36-character string, as drivers read it (Flowise ModifyExecutionSessionIdFieldType)',
      history: [...history, 'ALTER TABLE t ADD COLUMN session uuid;'],
      up: 'ALTER TABLE t ALTER COLUMN session TYPE varchar;',
      message: 'widens it (every uuid is a 36-character string',
      effect: { phase: 'expand' },
    },
    {
      name: 'uuid → varchar(20) cuts uuids: another kind of value that does not fit',
      history: [...history, 'ALTER TABLE t ADD COLUMN session uuid;'],
      up: 'ALTER TABLE t ALTER COLUMN session TYPE varchar(20);',
      message: 'strings of at most 20 characters',
      effect: breaking,
    },
    {
      name: 'timestamp → timestamptz rewrites when the session time zone is unknown',
      history,
      up: 'ALTER TABLE t ALTER COLUMN at TYPE timestamptz;',
      message: "SET timezone = 'UTC'",
      effect: { phase: 'expand' },
    },
    {
      name: 'timestamp → timestamptz in UTC still rewrites before PostgreSQL 12',
      history,
      serverVersion: 11,
      up: "SET timezone = 'UTC';\nALTER TABLE t ALTER COLUMN at TYPE timestamptz;",
      line: 2,
      effect: { phase: 'expand' },
    },
    {
      name: 'varchar(255) → varchar(50) narrows: old writes fail, and it rewrites',
      history,
      up: 'ALTER TABLE t ALTER COLUMN name TYPE varchar(50);',
      message: 'narrows it',
      effect: breaking,
    },
    {
      name: 'text → varchar(20) narrows',
      history,
      up: 'ALTER TABLE t ALTER COLUMN note TYPE varchar(20);',
      message: 'values longer than 20',
      effect: breaking,
    },
    {
      name: 'numeric scale reduction rounds values away: irreversible',
      history,
      up: 'ALTER TABLE t ALTER COLUMN price TYPE numeric(10,1);',
      message: 'decimals beyond 1 are rounded away',
      effect: lossy,
    },
    {
      name: 'unconstrained numeric → numeric(8,2) rounds: irreversible',
      history,
      up: 'ALTER TABLE t ALTER COLUMN total TYPE numeric(8,2);',
      effect: lossy,
    },
    {
      name: 'numeric(10,2) → numeric(10,4) leaves fewer integer digits: may fail, nothing lost',
      history,
      up: 'ALTER TABLE t ALTER COLUMN price TYPE numeric(10,4);',
      message: 'more than 6 integer digits',
      effect: breaking,
    },
    { name: 'bigint → int narrows the range', history, up: 'ALTER TABLE t ALTER COLUMN big TYPE int;', effect: breaking },
    { name: 'numeric(10,2) → int rounds the fractions', history, up: 'ALTER TABLE t ALTER COLUMN price TYPE integer;', effect: lossy },
    {
      name: 'timestamp → date cuts the time of day',
      history,
      up: 'ALTER TABLE t ALTER COLUMN at TYPE date;',
      message: 'time of day',
      effect: lossy,
    },
    {
      name: 'interval → interval(2) rounds the fractional seconds: irreversible',
      history,
      up: 'ALTER TABLE t ALTER COLUMN took TYPE interval(2);',
      message: 'rounded to 2 digits',
      effect: lossy,
    },
    {
      name: 'interval day to second(3) → interval (other fields) changes the kind of value',
      history,
      up: 'ALTER TABLE t ALTER COLUMN span TYPE interval;',
      effect: breaking,
    },
    {
      name: 'timestamptz → timestamp changes the kind of value',
      history,
      up: 'ALTER TABLE t ALTER COLUMN atz TYPE timestamp;',
      effect: breaking,
    },
    {
      name: 'text → int parses the strings: the original text is not kept',
      history,
      up: 'ALTER TABLE t ALTER COLUMN note TYPE integer USING note::integer;',
      message: 'original text of each value',
      effect: lossy,
    },
    {
      name: 'text → jsonb parses the strings but keeps what they say',
      history,
      up: 'ALTER TABLE t ALTER COLUMN note TYPE jsonb USING note::jsonb;',
      effect: breaking,
    },
    { name: 'int → text changes the kind the old code binds', history, up: 'ALTER TABLE t ALTER COLUMN n TYPE text;', effect: breaking },
    { name: 'inet → cidr fails on host bits', history, up: 'ALTER TABLE t ALTER COLUMN addr TYPE cidr;', effect: breaking },
    {
      name: 'float4 → float8 widens with a rewrite',
      history,
      up: 'ALTER TABLE t ALTER COLUMN ratio TYPE double precision;',
      effect: { phase: 'expand' },
    },
    { name: 'json → jsonb widens with a rewrite', history, up: 'ALTER TABLE t ALTER COLUMN doc TYPE jsonb;', effect: { phase: 'expand' } },
    { name: 'char(3) → char(2) narrows', history, up: 'ALTER TABLE t ALTER COLUMN code TYPE char(2);', effect: breaking },
    {
      name: 'an enum replaced by one without a value in use is breaking',
      history: [
        "CREATE TYPE status AS ENUM ('new', 'paid', 'void');",
        "CREATE TYPE status2 AS ENUM ('new', 'paid');",
        'CREATE TABLE orders (id int, status status);',
      ],
      up: 'ALTER TABLE orders ALTER COLUMN status TYPE status2 USING status::text::status2;',
      message: "lacks 'void'",
      effect: breaking,
    },
    {
      name: 'an enum replaced by a superset widens with a rewrite',
      history: [
        "CREATE TYPE status AS ENUM ('new', 'paid');",
        "CREATE TYPE status2 AS ENUM ('new', 'paid', 'void');",
        'CREATE TABLE orders (id int, status status);',
      ],
      up: 'ALTER TABLE orders ALTER COLUMN status TYPE status2 USING status::text::status2;',
      effect: { phase: 'expand' },
    },
    {
      name: 'an enum re-created under the same name without a value in use is breaking',
      history: ["CREATE TYPE status AS ENUM ('new', 'paid', 'void');", 'CREATE TABLE orders (id int, status status);'],
      up: [
        'ALTER TYPE status RENAME TO status_old;',
        "CREATE TYPE status AS ENUM ('new', 'paid');",
        'ALTER TABLE orders ALTER COLUMN status TYPE status USING status::text::status;',
        'DROP TYPE status_old;',
      ].join('\n'),
      line: 3,
      message: "lacks 'void'",
      effect: breaking,
    },
    {
      name: 'varchar → citext rebuilds the indexes on the column',
      history: [...history, 'CREATE INDEX t_s ON t (s);'],
      up: 'ALTER TABLE t ALTER COLUMN s TYPE citext;',
      message: 'rebuilds t_s under ACCESS EXCLUSIVE',
      effect: { phase: 'expand' },
    },
    {
      name: 'an unknown current type gets the conservative verdict',
      up: 'ALTER TABLE legacy ALTER COLUMN amount TYPE numeric(12,2);',
      message: 'does not know its current type',
      severity: 'warning',
      effect: breaking,
    },
    {
      name: 'USING on the same type recomputes every value: a data change that destroys the old values',
      history,
      up: 'ALTER TABLE t ALTER COLUMN n TYPE int USING n * 100;',
      message: 'UPDATE of every row in disguise',
      effect: { phase: 'data', dbRollback: 'irreversible' },
    },
  ],
});
