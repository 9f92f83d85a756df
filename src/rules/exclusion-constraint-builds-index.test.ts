import rule from './exclusion-constraint-builds-index.js';
import { ruleTests } from './testing.js';

const rooms = 'CREATE TABLE bookings (room int, during tsrange);';
const exclude = 'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);';

ruleTests(rule, {
  valid: [
    { name: 'a table created in the same migration is empty', up: `${rooms}\n${exclude}` },
    { name: 'a UNIQUE constraint is another rule', history: [rooms], up: 'ALTER TABLE bookings ADD CONSTRAINT u UNIQUE (room);' },
  ],
  invalid: [
    {
      name: 'EXCLUDE on an existing table blocks it for the whole build',
      history: [rooms],
      up: exclude,
      message: 'EXCLUDE constraint no_overlap to bookings',
    },
  ],
});
