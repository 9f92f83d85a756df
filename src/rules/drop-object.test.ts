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
      name: 'a trigger dropped and re-created is redefined',
      history: base,
      up: 'DROP TRIGGER posts_touch ON posts;\nCREATE TRIGGER posts_touch BEFORE INSERT OR UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();',
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
