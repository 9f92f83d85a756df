import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import { parseSqlMigration } from '../frameworks/sql-files.js';
import type { ParsedMigration } from '../migration.js';
import { loadSqlParsers } from '../sql/index.js';
import rule from './not-analyzed.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [{ name: 'a statement twoway models is analyzed', up: 'CREATE TABLE t (id int);' }],
  invalid: [
    {
      name: 'a DO block runs procedural code twoway does not follow',
      up: 'CREATE TABLE t (id int);\nDO $$ BEGIN PERFORM 1; END $$;',
      line: 2,
      message: 'not analyzed: a DO block',
      // It leaves the door unverified: reported at the `unknown` level, warning by default.
      severity: 'warning',
      effect: { phase: 'unknown', codeRollback: 'unknown', dbRollback: 'unknown' },
    },
    {
      name: 'an unread statement next to a drop: the drop keeps the door irreversible',
      history: ['CREATE TABLE t (id int, legacy text);'],
      up: 'ALTER TABLE t DROP COLUMN legacy;\nDO $$ BEGIN PERFORM 1; END $$;',
      line: 2,
      effect: { phase: 'unknown', codeRollback: 'unknown', dbRollback: 'irreversible' },
    },
    {
      name: 'an unread down leaves only the DB answer unknown',
      history: ['CREATE TABLE t (id int);'],
      up: 'ALTER TABLE t ADD COLUMN note text;',
      down: "DO $$ BEGIN EXECUTE format('ALTER TABLE t DROP COLUMN %I', 'note'); END $$;",
      line: 1,
      effect: { phase: 'expand', codeRollback: 'compatible', dbRollback: 'unknown' },
    },
  ],
});

describe('not-analyzed notes from adapters', () => {
  it('reports an adapter note at its span; what it could change is unknown', () => {
    const span = { path: 'app/migrations/0002_backfill.py', line: 12, column: 9, endLine: 12, endColumn: 40 };
    const parsed: ParsedMigration = {
      migration: {
        id: 'app.0002_backfill',
        name: '0002_backfill',
        framework: 'django',
        dialect: 'postgresql',
        path: span.path,
        files: [span.path],
        up: { path: span.path, text: '', startLine: 1, language: 'python' },
        down: null,
        transactional: true,
      },
      up: [],
      down: null,
      downStatus: 'none',
      directives: [],
      errors: [],
      notes: [{ rule: 'not-analyzed', message: 'not analyzed: RunPython(fill)', fix: 'review it', span }],
    };
    const [report] = analyzeHistory([parsed]);
    expect(report?.findings.filter((f) => f.rule === 'not-analyzed')).toMatchObject([
      { rule: 'not-analyzed', severity: 'warning', line: 12, column: 9 },
    ]);
    expect(report?.phase).toBe('unknown');
  });
});

describe('config unknown: the severity of what leaves a door unverified', () => {
  const c = { name: 'a DO block', up: 'DO $$ BEGIN PERFORM 1; END $$;' };
  it.each([
    ['error', ['error']],
    ['info', ['info']],
    ['off', []],
  ] as const)('unknown: %s', async (level, severities) => {
    await loadSqlParsers();
    const parsed = parseSqlMigration({
      id: '1',
      name: '1',
      framework: 'sql',
      dialect: 'postgresql',
      path: '1.sql',
      files: ['1.sql'],
      up: { path: '1.sql', text: c.up, startLine: 1, language: 'sql' },
      down: null,
      transactional: true,
    });
    const [report] = analyzeHistory([parsed], { unknown: level });
    expect(report?.findings.filter((f) => f.rule === 'not-analyzed').map((f) => f.severity)).toEqual(severities);
    // The answer stays unknown whatever is reported.
    expect(report?.phase).toBe('unknown');
  });
});
