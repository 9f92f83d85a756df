// The engine around the rules: suppression comments, declared contracts, config severities, settings.
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzeOptions, analyzeHistory, type MigrationReport } from './analyze.js';
import { parseSqlMigration } from './frameworks/sql-files.js';
import type { Migration } from './migration.js';
import { loadSqlParsers } from './sql/index.js';

beforeAll(() => loadSqlParsers());

function sqlMigration(id: string, up: string, down: string | null = null, transactional = true): Migration {
  return {
    id,
    name: id,
    framework: 'sql',
    dialect: 'postgresql',
    path: `${id}.up.sql`,
    files: down === null ? [`${id}.up.sql`] : [`${id}.up.sql`, `${id}.down.sql`],
    up: { path: `${id}.up.sql`, text: up, startLine: 1, language: 'sql' },
    down: down === null ? null : { path: `${id}.down.sql`, text: down, startLine: 1, language: 'sql' },
    transactional,
  };
}

const history = 'CREATE TABLE users (id bigint PRIMARY KEY, a text, b text, c text);';

/** The report of `up` (and `down`) analysed after a history that creates `users`. */
function analyze(up: string, down: string | null = null, options: AnalyzeOptions & { transactional?: boolean } = {}): MigrationReport {
  const parsed = [
    parseSqlMigration(sqlMigration('h1', history)),
    parseSqlMigration(sqlMigration('m', up, down, options.transactional ?? true)),
  ];
  return analyzeHistory(parsed, options).at(-1) as MigrationReport;
}

const dropColumn = (report: MigrationReport) => report.findings.filter((f) => f.rule === 'drop-column');

describe('twoway-ignore', () => {
  it('covers the next statement, with its reason', () => {
    const report = analyze('-- twoway-ignore drop-column: archived in V41\nALTER TABLE users DROP COLUMN a;');
    expect(dropColumn(report)).toHaveLength(1);
    expect(dropColumn(report)[0]?.suppressed).toEqual({ kind: 'ignore', reason: 'archived in V41' });
  });

  it('covers its own line when it trails the statement', () => {
    const report = analyze('ALTER TABLE users DROP COLUMN a; -- twoway-ignore drop-column: archived');
    expect(dropColumn(report)[0]?.suppressed?.kind).toBe('ignore');
  });

  it('a trailing comment covers the statement it sits in, not the next one', () => {
    const report = analyze('ALTER TABLE users\n  DROP COLUMN a; -- twoway-ignore drop-column: archived\nALTER TABLE users DROP COLUMN b;');
    const [first, second] = dropColumn(report);
    expect(first?.line).toBe(1);
    expect(first?.suppressed?.kind).toBe('ignore');
    expect(second?.line).toBe(3);
    expect(second?.suppressed).toBeUndefined();
  });

  it('covers only the next statement, not the ones after it', () => {
    const report = analyze(
      '-- twoway-ignore drop-column: archived\n\n-- a note\nALTER TABLE users DROP COLUMN a;\nALTER TABLE users DROP COLUMN b;',
    );
    const [first, second] = dropColumn(report);
    expect(first?.suppressed?.kind).toBe('ignore');
    expect(second?.suppressed).toBeUndefined();
  });

  it('requires a reason: without one nothing is suppressed and the comment is reported', () => {
    const report = analyze('-- twoway-ignore drop-column\nALTER TABLE users DROP COLUMN a;');
    expect(dropColumn(report)[0]?.suppressed).toBeUndefined();
    expect(report.findings.map((f) => f.rule)).toContain('ignore-without-reason');
  });

  it('suppresses only the rules it names', () => {
    const report = analyze('-- twoway-ignore require-lock-timeout: the runner sets it\nALTER TABLE users DROP COLUMN a;');
    expect(dropColumn(report)[0]?.suppressed).toBeUndefined();
    expect(report.findings.find((f) => f.rule === 'require-lock-timeout')?.suppressed?.kind).toBe('ignore');
  });

  it('in the down file covers the down, not the up statement on the same line', () => {
    const report = analyze(
      'ALTER TABLE users DROP COLUMN a;',
      '-- twoway-ignore down-references-missing: rehearsed by hand\nALTER TABLE users ALTER COLUMN a SET NOT NULL;',
    );
    expect(dropColumn(report)[0]?.suppressed).toBeUndefined();
    expect(report.findings.find((f) => f.rule === 'down-references-missing')?.suppressed?.kind).toBe('ignore');
  });

  it('does not change the verdict: a suppressed drop is still a one-way door', () => {
    const report = analyze('-- twoway-ignore drop-column: archived\nALTER TABLE users DROP COLUMN a;');
    expect(report.dbRollback).toBe('irreversible');
  });
});

describe('twoway: contract', () => {
  it('turns contract data-loss findings into declared ones at info', () => {
    const report = analyze('-- twoway: contract\nALTER TABLE users DROP COLUMN a;');
    const [f] = dropColumn(report);
    expect(f?.severity).toBe('info');
    expect(f?.suppressed?.kind).toBe('contract');
    expect(report.declaredContract).toBe(true);
    expect(report.phase).toBe('contract');
    expect(report.dbRollback).toBe('irreversible');
  });

  it('leaves locking findings of the same statement alone', () => {
    const report = analyze('-- twoway: contract\nDROP INDEX users_a;', null, { transactional: true });
    const lock = report.findings.find((f) => f.rule === 'require-concurrent-index-deletion');
    expect(lock?.severity).toBe('warning');
    expect(lock?.suppressed).toBeUndefined();
  });

  it('without the comment the drop stays an error', () => {
    expect(dropColumn(analyze('ALTER TABLE users DROP COLUMN a;'))[0]?.severity).toBe('error');
  });
});

describe('config severities', () => {
  it('"off" hides a rule but the verdict still counts it', () => {
    const report = analyze('ALTER TABLE users DROP COLUMN a;', null, { rules: { 'drop-column': 'off' } });
    expect(dropColumn(report)).toEqual([]);
    expect(report.dbRollback).toBe('irreversible');
  });

  it('a level from the config applies, except to suppressed findings', () => {
    const report = analyze(
      'ALTER TABLE users DROP COLUMN a;\n-- twoway-ignore drop-column: archived\nALTER TABLE users DROP COLUMN b;',
      null,
      {
        rules: { 'drop-column': 'warning' },
      },
    );
    expect(dropColumn(report).map((f) => f.severity)).toEqual(['warning', 'error']);
  });
});

describe('settings in force', () => {
  const lockTimeout = (report: MigrationReport) => report.findings.filter((f) => f.rule === 'require-lock-timeout');

  it('SET lock_timeout holds for the statements after it', () => {
    expect(lockTimeout(analyze("SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN d int;"))).toEqual([]);
  });

  it('SET LOCAL outside a transaction block has no effect', () => {
    const report = analyze("SET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN d int;", null, { transactional: false });
    expect(lockTimeout(report)).toHaveLength(1);
  });

  it('SET LOCAL ends with its transaction', () => {
    const report = analyze(
      "BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN d int;\nCOMMIT;\nALTER TABLE users ADD COLUMN e int;",
      null,
      {
        transactional: false,
      },
    );
    expect(lockTimeout(report).map((f) => f.line)).toEqual([5]);
  });
});

describe('runner settings (config lockTimeout / statementTimeout)', () => {
  it('a lock_timeout the runner sets counts from the first statement', () => {
    const up = 'ALTER TABLE users ADD COLUMN d text;\nCREATE INDEX users_a ON users (a);';
    const rules = (r: MigrationReport) => r.findings.map((f) => f.rule);
    expect(rules(analyze(up))).toContain('require-lock-timeout');
    const set = analyze(up, null, { runnerSettings: { lock_timeout: '5s', statement_timeout: '15min' } });
    expect(rules(set)).not.toContain('require-lock-timeout');
    expect(rules(set)).not.toContain('require-statement-timeout');
  });
  it('either timeout set by the runner answers both: no statement_timeout finding with only lock_timeout set', () => {
    const up = 'ALTER TABLE users ALTER COLUMN a TYPE bigint;\nALTER TABLE users ADD CONSTRAINT a_positive CHECK (a > 0);';
    const rules = (r: MigrationReport) => r.findings.map((f) => f.rule);
    expect(rules(analyze(up))).toContain('require-statement-timeout');
    for (const runnerSettings of [{ lock_timeout: '5s' }, { statement_timeout: '15min' }] as Record<string, string>[]) {
      const found = rules(analyze(up, null, { runnerSettings }));
      expect(found).not.toContain('require-statement-timeout');
      expect(found).not.toContain('require-lock-timeout');
    }
    // A runner setting of 0 sets nothing.
    expect(rules(analyze(up, null, { runnerSettings: { lock_timeout: '0' } }))).toContain('require-statement-timeout');
  });
  it('a migration that turns it off is reported again', () => {
    const report = analyze('SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN d text;', null, { runnerSettings: { lock_timeout: '5s' } });
    expect(report.findings.filter((f) => f.rule === 'require-lock-timeout').map((f) => f.line)).toEqual([2]);
  });
});

describe('hygiene', () => {
  it('style findings are info and change no answer', () => {
    const up = 'CREATE TABLE t (id serial PRIMARY KEY, name varchar(20), at timestamp, code char(2), doc json);';
    const report = analyze(up, 'DROP TABLE t;');
    const hygiene = report.findings.filter((f) => f.category === 'hygiene');
    expect(hygiene.map((f) => f.rule).sort()).toEqual([
      'ban-char-field',
      'prefer-bigint-keys',
      'prefer-identity',
      'prefer-jsonb',
      'prefer-text-field',
      'prefer-timestamptz',
    ]);
    expect(hygiene.every((f) => f.severity === 'info' && Object.keys(f.effect).length === 0)).toBe(true);
    expect([report.phase, report.codeRollback, report.dbRollback]).toEqual(['expand', 'compatible', 'reversible']);
  });
});

describe('a down that repeats the up’s lock', () => {
  // The up swaps one index of users for another; the down swaps them back: the same two rules, the same table.
  const up = 'DROP INDEX users_a;\nCREATE INDEX users_b ON users (b);';
  const down = 'DROP INDEX users_b;\nCREATE INDEX users_a ON users (a);';
  const withIndex = (u: string, d: string | null) =>
    analyzeHistory([
      parseSqlMigration(sqlMigration('h1', history)),
      parseSqlMigration(sqlMigration('h2', 'CREATE INDEX users_a ON users (a);')),
      parseSqlMigration(sqlMigration('m', u, d)),
    ]).at(-1) as MigrationReport;
  const locks = (report: MigrationReport) =>
    report.findings.filter((f) => f.rule.startsWith('require-concurrent-index')).map((f) => [f.direction, f.rule, f.severity, f.message]);

  it('is info in the down and says it is the up’s, the up keeps its warnings', () => {
    const found = locks(withIndex(up, down));
    expect(found.filter(([d]) => d === 'up').map(([, , s]) => s)).toEqual(['warning', 'warning']);
    const inDown = found.filter(([d]) => d === 'down');
    expect(inDown.map(([, r, s]) => [r, s])).toEqual([
      ['require-concurrent-index-deletion', 'info'],
      ['require-concurrent-index-creation', 'info'],
    ]);
    for (const [, , , message] of inDown)
      expect(message).toMatch(/^In the down, undoing the up's CREATE INDEX users_b: DROP INDEX|^In the down, as in the up: CREATE INDEX/);
  });

  it('stays a warning where the up took no such lock on that table', () => {
    const found = locks(withIndex('ALTER TABLE users ADD COLUMN d text;', 'CREATE INDEX users_d ON users (a);'));
    expect(found).toEqual([['down', 'require-concurrent-index-creation', 'warning', expect.stringMatching(/^In the down: CREATE INDEX/)]]);
  });
});
