// check's lock profile of plain statements, for the target version (proven against PostgreSQL 15 in
// src/rehearse/locks.test.ts; here the version-dependent cases a server of one version cannot show).
import { beforeAll, describe, expect, it } from 'vitest';
import { qnameText } from '../ir.js';
import { Schema } from '../schema/schema.js';
import { loadSqlParsers } from '../sql/index.js';
import { parsePostgres } from '../sql/postgresql.js';
import { predictLocks } from './postgres-locks.js';

beforeAll(() => loadSqlParsers());

const ops = (sql: string) => parsePostgres({ path: 'm.sql', text: sql, startLine: 1, language: 'sql' }).ops;

/** The profile of the last statement of `up`, after `history` was applied. */
function lastLock(history: string, up: string, serverVersion = 15) {
  const before = new Schema();
  for (const op of ops(history)) before.apply(op, 'history');
  const profiles = predictLocks(ops(up), before, { serverVersion });
  const p = profiles.at(-1);
  return p ? { level: p.level, tables: p.tables.map(qnameText), duration: p.duration } : null;
}

const t = 'CREATE TABLE t (id int PRIMARY KEY, v varchar(100), n int, at timestamp);';

describe('lock predictions follow PostgreSQL', () => {
  it('a varchar widening, also through USING v::varchar(200), and varchar to text take the lock briefly: no rewrite', () => {
    for (const up of [
      'ALTER TABLE t ALTER COLUMN v TYPE varchar(200);',
      'ALTER TABLE t ALTER COLUMN v TYPE varchar(200) USING v::varchar(200);',
      'ALTER TABLE t ALTER COLUMN v TYPE text;',
    ])
      expect(lastLock(t, up)).toEqual({ level: 'ACCESS EXCLUSIVE', tables: ['t'], duration: 'brief' });
    expect(lastLock(t, 'ALTER TABLE t ALTER COLUMN n TYPE bigint;')?.duration).toBe('long');
  });

  it('timestamp to timestamptz skips the rewrite only on PostgreSQL 12+ with the session in UTC', () => {
    const up = "SET timezone = 'UTC';\nALTER TABLE t ALTER COLUMN at TYPE timestamptz;";
    expect(lastLock(t, up, 15)?.duration).toBe('brief');
    expect(lastLock(t, up, 11)?.duration).toBe('long');
    expect(lastLock(t, 'ALTER TABLE t ALTER COLUMN at TYPE timestamptz;', 15)?.duration).toBe('long');
  });

  it('SET NOT NULL scans unless the column is NOT NULL already or, on 12+, a valid CHECK proves it', () => {
    expect(lastLock(t, 'ALTER TABLE t ALTER COLUMN n SET NOT NULL;')?.duration).toBe('long');
    expect(lastLock(`${t} ALTER TABLE t ALTER COLUMN n SET NOT NULL;`, 'ALTER TABLE t ALTER COLUMN n SET NOT NULL;')?.duration).toBe(
      'brief',
    );
    const checked = `${t} ALTER TABLE t ADD CONSTRAINT t_n CHECK (n IS NOT NULL);`;
    expect(lastLock(checked, 'ALTER TABLE t ALTER COLUMN n SET NOT NULL;', 12)?.duration).toBe('brief');
    expect(lastLock(checked, 'ALTER TABLE t ALTER COLUMN n SET NOT NULL;', 11)?.duration).toBe('long');
  });

  it('dropping a foreign key locks the referenced table too', () => {
    const history = 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p REFERENCES p (id));';
    expect(lastLock(history, 'ALTER TABLE c DROP CONSTRAINT c_p;')).toEqual({
      level: 'ACCESS EXCLUSIVE',
      tables: ['c', 'p'],
      duration: 'brief',
    });
  });

  it('a CREATE TABLE with a foreign key takes SHARE ROW EXCLUSIVE on the existing table it references', () => {
    expect(lastLock('CREATE TABLE p (id int PRIMARY KEY);', 'CREATE TABLE c (id int, p_id int REFERENCES p (id));')).toEqual({
      level: 'SHARE ROW EXCLUSIVE',
      tables: ['p'],
      duration: 'brief',
    });
  });
});
