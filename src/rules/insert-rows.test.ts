import rule from './insert-rows.js';
import { ruleTests } from './testing.js';

const roles = 'CREATE TABLE roles (id serial PRIMARY KEY, name text UNIQUE);';

ruleTests(rule, {
  valid: [
    {
      name: 'seeding a table created in the same migration is part of the expand',
      up: "CREATE TABLE kinds (name text);\nINSERT INTO kinds VALUES ('a');",
    },
  ],
  invalid: [
    {
      name: 'an insert with a down that deletes it is reversible',
      history: [roles],
      up: "INSERT INTO roles (name) VALUES ('auditor') ON CONFLICT (name) DO NOTHING;",
      down: "DELETE FROM roles WHERE name = 'auditor';",
      message: 'The down removes rows of it: reversible.',
      severity: 'info',
      effect: { phase: 'data' },
    },
    {
      name: 'an insert whose down leaves the rows',
      history: [roles],
      up: "INSERT INTO roles (name) VALUES ('auditor');",
      down: 'SELECT 1;',
      message: 'they stay after a rollback',
    },
    {
      name: 'INSERT … SELECT copies rows',
      history: [roles, 'CREATE TABLE legacy_roles (name text);'],
      up: 'INSERT INTO roles (name) SELECT name FROM legacy_roles;',
      message: 'Copying rows into existing table roles',
    },
  ],
});
