import rule from './ignore-without-reason.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id int, a text);';

ruleTests(rule, {
  valid: [
    {
      name: 'an ignore with a known rule and a reason',
      history: [users],
      up: '-- twoway-ignore drop-column: archived in V41\nALTER TABLE users DROP COLUMN a;',
    },
    {
      name: 'several rules sharing one reason',
      history: [users],
      up: '-- twoway-ignore drop-column, require-lock-timeout: archived\nALTER TABLE users DROP COLUMN a;',
    },
  ],
  invalid: [
    {
      name: 'an ignore without a reason',
      history: [users],
      up: 'ALTER TABLE users DROP COLUMN a; -- twoway-ignore drop-column',
      line: 1,
      message: 'has no reason',
    },
    {
      name: 'an ignore naming an unknown rule',
      history: [users],
      up: '-- twoway-ignore drop-colum: typo\nALTER TABLE users DROP COLUMN a;',
      message: 'unknown rule "drop-colum"',
    },
    { name: 'an ignore naming no rule', up: '-- twoway-ignore\nSELECT 1;', message: 'names no rule' },
    {
      name: 'in the down file too',
      history: [users],
      up: 'SELECT 1;',
      down: '/* twoway-ignore down-does-not-undo */\nSELECT 1;',
      message: 'has no reason',
    },
  ],
});
