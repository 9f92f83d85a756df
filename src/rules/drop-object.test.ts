import rule from './drop-object.js';
import { ruleTests } from './testing.js';

const base = [
  'CREATE TABLE posts (id int, updated_at timestamptz);',
  'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;',
  'CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();',
];

ruleTests(rule, {
  valid: [
    {
      name: 'a trigger dropped and re-created as it was is no change',
      history: base,
      up: 'DROP TRIGGER posts_touch ON posts;\ncreate trigger posts_touch before update on posts for each row execute function touch();',
    },
    {
      name: 'a function replaced without a drop is a new version, not a contract step',
      history: base,
      up: 'CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = clock_timestamp(); RETURN NEW; END $$;',
    },
    {
      name: 'a function created and dropped in the same migration',
      history: base,
      up: 'CREATE FUNCTION tmp() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nDROP FUNCTION tmp();',
    },
  ],
  invalid: [
    {
      name: 'dropping a trigger the previous release relies on is a contract step',
      history: base,
      up: 'DROP TRIGGER posts_touch ON posts;',
      message: 'Trigger posts_touch on posts is dropped',
      effect: { phase: 'contract', codeRollback: 'compatible' },
    },
    {
      name: 'a trigger re-created with another definition: the old one is gone',
      history: base,
      up: 'DROP TRIGGER posts_touch ON posts;\nCREATE TRIGGER posts_touch BEFORE INSERT OR UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();',
      message: 'is made again with another definition',
      effect: { phase: 'contract' },
    },
    {
      name: 'dropping a function is a contract step',
      history: base,
      up: 'DROP FUNCTION touch() CASCADE;',
      message: 'Function touch is dropped',
    },
    {
      name: 'a sequence the history never showed',
      up: 'DROP SEQUENCE IF EXISTS legacy_seq;',
      effect: { phase: 'contract' },
    },
  ],
});
