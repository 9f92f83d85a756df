// MySQL: a UNIQUE constraint is a unique index of its name. `ALTER TABLE … DROP INDEX x` drops the constraint x,
// and `CREATE UNIQUE INDEX x` / `ADD UNIQUE x` made again restores it (issue 9, ory/kratos session_devices).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { analyzeCase } from '../rules/testing.js';
import { Schema } from '../schema/schema.js';
import { loadSqlParsers, parseSql } from '../sql/index.js';

const devices =
  'CREATE TABLE session_devices (id char(36) NOT NULL PRIMARY KEY, nid char(36) NOT NULL, ip_address varchar(50), CONSTRAINT unique_session_device UNIQUE (nid, ip_address));';

function replay(dialect: 'mysql' | 'postgresql', ...sql: string[]): Schema {
  const schema = new Schema();
  sql.forEach((text, i) => {
    for (const op of parseSql({ path: `${i}.sql`, text, startLine: 1, language: 'sql' }, dialect).ops) schema.apply(op, String(i));
  });
  return schema;
}

describe('MySQL: a UNIQUE constraint is the unique index of its name', () => {
  it.each([
    'ALTER TABLE session_devices DROP INDEX unique_session_device;',
    'ALTER TABLE session_devices DROP KEY unique_session_device;',
    'DROP INDEX unique_session_device ON session_devices;',
  ])('%s drops the constraint from the replayed schema', (drop) => {
    expect(replay('mysql', devices).table({ name: 'session_devices' })?.constraints.has('unique_session_device')).toBe(true);
    expect(replay('mysql', devices, drop).table({ name: 'session_devices' })?.constraints.has('unique_session_device')).toBe(false);
  });

  it('drops only a UNIQUE constraint of that name, not a foreign key', () => {
    const fk = 'ALTER TABLE session_devices ADD CONSTRAINT dev_fk FOREIGN KEY (nid) REFERENCES networks (id);';
    const after = replay('mysql', devices, fk, 'ALTER TABLE session_devices DROP INDEX dev_fk;');
    expect(after.table({ name: 'session_devices' })?.constraints.has('dev_fk')).toBe(true);
  });

  it('the drop is a contract step, and a down re-creating the unique index fails on duplicates written since: lossy', async () => {
    const report = await analyzeCase({
      name: 'session_devices',
      dialect: 'mysql',
      history: [devices],
      up: 'ALTER TABLE session_devices DROP INDEX unique_session_device;',
      down: 'CREATE UNIQUE INDEX unique_session_device ON session_devices (nid, ip_address);',
    });
    expect([report.phase, report.codeRollback, report.dbRollback]).toEqual(['contract', 'compatible', 'lossy']);
    const rules = report.findings.map((f) => f.rule);
    expect(rules).toContain('down-readds-constraint');
    // The down's unique index is the constraint again: no drift.
    expect(rules).not.toContain('down-does-not-undo');
  });

  it.each([
    'CREATE UNIQUE INDEX unique_session_device ON session_devices (nid, ip_address);',
    'ALTER TABLE session_devices ADD UNIQUE unique_session_device (nid, ip_address);',
  ])('an up rebuilding the key (DROP INDEX, then %s) keeps the constraint: no contract step', async (again) => {
    const report = await analyzeCase({
      name: 'session_devices',
      dialect: 'mysql',
      history: [devices],
      up: `ALTER TABLE session_devices DROP INDEX unique_session_device;\n${again}`,
      down: 'SELECT 1;',
    });
    expect(report.findings.map((f) => f.rule)).not.toContain('drop-constraint');
    expect(report.phase).not.toBe('contract');
  });

  it('a down that does not bring the key back is drift', async () => {
    const report = await analyzeCase({
      name: 'session_devices',
      dialect: 'mysql',
      history: [devices],
      up: 'ALTER TABLE session_devices DROP INDEX unique_session_device;',
      down: 'SELECT 1;',
    });
    expect(report.findings.map((f) => f.rule)).toContain('down-does-not-undo');
  });

  it('PostgreSQL keeps them apart: its DROP INDEX names no table', async () => {
    await loadSqlParsers();
    const pg = replay('postgresql', devices.replace(/char\(36\)/g, 'text'), 'DROP INDEX unique_session_device;');
    expect(pg.table({ name: 'session_devices' })?.constraints.has('unique_session_device')).toBe(true);
  });
});

const corpus = process.env.TWOWAY_CORPUS ?? join(import.meta.dirname, '../../../shared/corpus');
const kratos = join(corpus, 'mysql/ory__kratos');

describe.skipIf(!existsSync(kratos))('ory/kratos (shared/corpus): session_devices_index_drop', () => {
  it('drops the unique_session_device constraint (contract), and its down re-adding it is lossy', async () => {
    const path = 'persistence/sql/migrations/sql/20230216142104000000_session_devices_index_drop.mysql.up.sql';
    const result = await check(['.'], { cwd: kratos });
    const report = result.sets.flatMap((s) => s.reports).find((r) => r.parsed.migration.path === path);
    expect(report, path).toBeDefined();
    expect([report?.phase, report?.codeRollback, report?.dbRollback]).toEqual(['contract', 'compatible', 'lossy']);
    expect(report?.findings.map((f) => f.rule)).toContain('down-readds-constraint');
  }, 120_000);
});
