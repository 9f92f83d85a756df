import { describe, expect, it } from 'vitest';
import type { TypeRef } from '../ir.js';
import rule, { fitsIn } from './down-renarrows-type.js';
import { ruleTests } from './testing.js';

const users = 'CREATE TABLE users (id int, name varchar(50), price numeric(10,2));';

ruleTests(rule, {
  valid: [
    { name: 'a down that keeps the wide type', history: [users], up: 'ALTER TABLE users ALTER COLUMN name TYPE text;', down: 'SELECT 1;' },
    {
      name: 'a down that widens back after an up that narrowed',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(20);',
      down: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(50);',
    },
    {
      name: 'an unknown pair of types is not reported',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN name TYPE citext;',
      down: 'ALTER TABLE users ALTER COLUMN name TYPE my_domain;',
    },
  ],
  invalid: [
    {
      name: 'varchar(50) → text and back: long names written since make the down fail',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN name TYPE text;',
      down: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(50);',
      message: 'narrows users.name from text to varchar(50) (back to its type before the up)',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'int → bigint and back',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN id TYPE bigint;',
      down: 'ALTER TABLE users ALTER COLUMN id TYPE integer;',
      message: 'from int8 to int4',
    },
    {
      name: 'timestamp → timestamptz and back: instants go back to local times (crates.io timezones)',
      history: ['CREATE TABLE tokens (id int, created_at timestamp NOT NULL);'],
      up: 'ALTER TABLE tokens ALTER COLUMN created_at TYPE timestamptz;',
      down: 'ALTER TABLE tokens ALTER COLUMN created_at TYPE timestamp;',
      message: 'from timestamptz to timestamp',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'numeric scale narrowed again',
      history: [users],
      up: 'ALTER TABLE users ALTER COLUMN price TYPE numeric(12,4);',
      down: 'ALTER TABLE users ALTER COLUMN price TYPE numeric(10,2);',
    },
  ],
});

const t = (name: string, ...args: number[]): TypeRef => ({ name, args, arrayDims: 0, text: name });

describe('fitsIn', () => {
  it('knows widenings', () => {
    expect(fitsIn(t('varchar', 50), t('text'))).toBe(true);
    expect(fitsIn(t('int4'), t('int8'))).toBe(true);
    expect(fitsIn(t('int4'), t('numeric', 12, 2))).toBe(true);
    expect(fitsIn(t('numeric', 10, 2), t('numeric', 12, 4))).toBe(true);
    expect(fitsIn(t('date'), t('text'))).toBe(true);
  });
  it('knows narrowings', () => {
    expect(fitsIn(t('text'), t('varchar', 50))).toBe(false);
    expect(fitsIn(t('int8'), t('int4'))).toBe(false);
    expect(fitsIn(t('int8'), t('float8'))).toBe(false);
    expect(fitsIn(t('numeric'), t('numeric', 10, 2))).toBe(false);
    expect(fitsIn(t('timestamptz'), t('date'))).toBe(false);
    expect(fitsIn(t('timestamptz'), t('timestamp'))).toBe(false);
    expect(fitsIn(t('text'), t('int4'))).toBe(false);
  });
  it('does not guess', () => {
    expect(fitsIn(t('jsonb'), t('hstore'))).toBeNull();
  });
});
