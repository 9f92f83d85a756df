import rule from './missing-down.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id int);';

ruleTests(rule, {
  valid: [
    { name: 'a written down', history: [users], up: 'ALTER TABLE users ADD COLUMN a int;', down: 'ALTER TABLE users DROP COLUMN a;' },
    {
      name: 'frameworks without downs are not asked for one',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a int;',
      downsUnsupported: true,
    },
    { name: 'an up that changes nothing has nothing to undo', history: [users], up: '-- nothing to do here\n' },
  ],
  invalid: [
    {
      name: 'golang-migrate without a .down.sql',
      framework: 'golang-migrate',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a int;',
      message: 'm has no down',
      severity: 'info',
    },
    {
      name: 'a down file with only comments is no down',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN a int;',
      down: '-- TODO\n',
      message: 'is empty',
    },
  ],
});
