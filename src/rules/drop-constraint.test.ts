import rule from './drop-constraint.js';
import { ruleTests } from './testing.js';

const users = [
  'CREATE TABLE teams (id bigint PRIMARY KEY);',
  'CREATE TABLE users (id bigint PRIMARY KEY, email text, age int, team_id bigint);',
  'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
  'ALTER TABLE users ADD CONSTRAINT users_team_fk FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE;',
  'ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0);',
  'CREATE UNIQUE INDEX users_lower_email ON users (lower(email));',
  'CREATE INDEX users_age ON users (age);',
];

ruleTests(rule, {
  valid: [
    {
      name: 'a constraint of a table created in the same migration',
      up: 'CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE);\nALTER TABLE t DROP CONSTRAINT t_a_key;',
    },
    {
      name: 'a constraint added in the same migration',
      history: users,
      up: 'ALTER TABLE users ADD CONSTRAINT tmp CHECK (age < 200);\nALTER TABLE users DROP CONSTRAINT tmp;',
    },
    { name: 'a plain index guarantees nothing', history: users, up: 'DROP INDEX CONCURRENTLY users_age;' },
    { name: 'a unique index created in the same migration', history: users, up: 'CREATE UNIQUE INDEX x ON users (age);\nDROP INDEX x;' },
  ],
  invalid: [
    {
      name: 'dropping a unique constraint breaks ON CONFLICT of the old release',
      history: users,
      up: 'ALTER TABLE users DROP CONSTRAINT users_email_key;',
      message: 'ON CONFLICT (email) fails',
      effect: { phase: 'contract' },
    },
    {
      name: 'dropping a foreign key stops its cascades',
      history: users,
      up: 'ALTER TABLE users DROP CONSTRAINT users_team_fk;',
      message: 'foreign key users_team_fk',
    },
    {
      name: 'dropping a check',
      history: users,
      up: 'ALTER TABLE users DROP CONSTRAINT users_age_check;',
      message: 'values the old code never expected',
    },
    {
      name: 'dropping a unique index, even concurrently, is a contract step',
      history: users,
      up: 'DROP INDEX CONCURRENTLY users_lower_email;',
      message: 'unique index users_lower_email on users',
      effect: { phase: 'contract' },
    },
    {
      name: 'a constraint the history never saw',
      up: 'ALTER TABLE legacy DROP CONSTRAINT IF EXISTS legacy_x;',
      message: 'constraint legacy_x',
    },
  ],
});
