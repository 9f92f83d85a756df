import rule from './down-removes-enum-value.js';
import { ruleTests } from './testing.js';

const mood = ["CREATE TYPE mood AS ENUM ('ok', 'sad');", 'CREATE TABLE people (id int, mood mood);'];
const rebuild = [
  'ALTER TYPE mood RENAME TO mood_old;',
  "CREATE TYPE mood AS ENUM ('ok', 'sad');",
  'ALTER TABLE people ALTER COLUMN mood TYPE mood USING mood::text::mood;',
  'DROP TYPE mood_old;',
].join('\n');

ruleTests(rule, {
  valid: [
    { name: 'a down that keeps the added value', history: mood, up: "ALTER TYPE mood ADD VALUE 'happy';", down: 'SELECT 1;' },
    { name: 'a type the up created is dropped by its down', up: "CREATE TYPE mood AS ENUM ('ok');", down: 'DROP TYPE mood;' },
    {
      name: 'renaming values back is not removing them',
      history: mood,
      up: "ALTER TYPE mood RENAME VALUE 'ok' TO 'Ok';",
      down: "ALTER TYPE mood RENAME VALUE 'Ok' TO 'ok';",
    },
  ],
  invalid: [
    {
      name: 'rebuilding the type without the added value',
      history: mood,
      up: "ALTER TYPE mood ADD VALUE 'happy';",
      down: rebuild,
      line: 2,
      message: "rebuilds type mood without 'happy'",
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'deleting the value from pg_enum',
      history: mood,
      up: "ALTER TYPE mood ADD VALUE 'happy';",
      down: "DELETE FROM pg_enum WHERE enumlabel = 'happy';",
      message: 'deletes enum values from pg_enum',
    },
  ],
});
