// Versions in the original's place (a slot): strictly between its version and the next migration's, in the
// folder's scheme, or NoRoom.
import { describe, expect, it } from 'vitest';
import { NoRoom, nextTimestamps, versionOfPath } from './write-common.js';
import { nextCounters } from './write-sql-files.js';

const now = new Date('2030-01-01T00:00:00Z');

describe('versions in the original’s place', () => {
  it('timestamps: the seconds (or milliseconds) after the original, whatever the clock says', () => {
    expect(
      nextTimestamps(['20240301090000', '20240310090000'], 2, now, 'stamp14', { after: '20240301090000', before: '20240310090000' }),
    ).toEqual(['20240301090001', '20240301090002']);
    expect(nextTimestamps([], 1, now, 'millis', { after: '1709283600000', before: '1709283600002' })).toEqual(['1709283600001']);
    expect(nextTimestamps([], 1, now, 'utc', { after: '20240301090000000', before: '20240301090000500' })).toEqual(['20240301090000001']);
    // Without a slot: after the newest and not before the clock.
    expect(nextTimestamps(['20240301090000'], 1, now, 'stamp14')).toEqual(['20300101000000']);
  });

  it('no room: neighbours too close, or a version in another form', () => {
    expect(() => nextTimestamps([], 2, now, 'stamp14', { after: '20240301090000', before: '20240301090002' })).toThrow(NoRoom);
    expect(() => nextTimestamps([], 1, now, 'stamp14', { after: '20240301090000', before: '0004' })).toThrow(NoRoom);
    expect(() => nextCounters([], 1, 4, { after: '0003', before: '0004' })).toThrow(
      new NoRoom('no room for a version between 0003 and 0004'),
    );
  });

  it('counters with a gap: the ones after the original, in the folder’s width', () => {
    expect(nextCounters(['0010', '0020'], 2, 4, { after: '0010', before: '0020' })).toEqual(['0011', '0012']);
  });

  it('reads the version from a file or a migration folder', () => {
    expect(versionOfPath('db/migrate/20240301090000_drop.rb')).toBe('20240301090000');
    expect(versionOfPath('migrations/2024-03-03-000000_normalize/up.sql')).toBe('20240303000000');
    expect(versionOfPath('prisma/migrations/20240203000000_drop_user_bio/migration.sql')).toBe('20240203000000');
    expect(versionOfPath('src/migrations/1709283600000-DropUsersFullName.ts')).toBe('1709283600000');
    expect(versionOfPath('sql/V0013.drop.sql')).toBe('0013');
  });
});
