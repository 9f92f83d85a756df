import rule from './lossy-down.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    {
      name: 'a down that keeps the widened type',
      history: ['CREATE TABLE p (name varchar(20));'],
      up: 'ALTER TABLE p ALTER COLUMN name TYPE varchar(100);',
      down: 'SELECT 1;',
    },
    {
      name: 'a down that widens back is no narrowing',
      history: ['CREATE TABLE p (n bigint);'],
      up: 'ALTER TABLE p ALTER COLUMN n TYPE int;',
      down: 'ALTER TABLE p ALTER COLUMN n TYPE bigint;',
    },
    {
      name: 'SET NOT NULL on a column that was NOT NULL after the up too',
      history: ['CREATE TABLE p (a text NOT NULL);'],
      up: 'ALTER TABLE p ADD COLUMN b int;',
      down: 'ALTER TABLE p ALTER COLUMN a SET NOT NULL;',
    },
  ],
  invalid: [
    {
      name: 'a down that re-narrows a widened varchar',
      history: ['CREATE TABLE p (name varchar(20));'],
      up: 'ALTER TABLE p ALTER COLUMN name TYPE varchar(100);',
      down: 'ALTER TABLE p ALTER COLUMN name TYPE varchar(20);',
      message: 'from varchar(100) to varchar(20)',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'a down that sets NOT NULL the up dropped',
      history: ['CREATE TABLE p (phone text NOT NULL);'],
      up: 'ALTER TABLE p ALTER COLUMN phone DROP NOT NULL;',
      down: 'ALTER TABLE p ALTER COLUMN phone SET NOT NULL;',
      message: 'sets p.phone NOT NULL again',
    },
    {
      name: 'a down that turns bigint back into integer with a USING clause',
      history: ['CREATE TABLE p (n int);'],
      up: 'ALTER TABLE p ALTER COLUMN n TYPE bigint;',
      down: 'ALTER TABLE p ALTER COLUMN n TYPE int USING least(n, 2147483647);',
      message: 'or are changed by its USING clause',
    },
    {
      name: 'a down that narrows numeric scale',
      history: ['CREATE TABLE p (amount numeric(10,2));'],
      up: 'ALTER TABLE p ALTER COLUMN amount TYPE numeric(12,4);',
      down: 'ALTER TABLE p ALTER COLUMN amount TYPE numeric(10,2);',
    },
  ],
});
