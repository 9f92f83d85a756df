import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import type { ParsedMigration } from '../migration.js';
import rule from './not-analyzed.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'a statement twoway does not model but that cannot change the schema', up: 'GRANT SELECT ON users TO reporting;' },
    { name: 'plain DDL is analyzed', up: 'CREATE TABLE t (id int);' },
  ],
  invalid: [
    {
      name: 'a DO block runs procedural code twoway does not follow',
      up: "-- backfill\nDO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN c int'; END $$;",
      line: 2,
      severity: 'info',
      message: 'not analyzed: a DO block',
    },
  ],
});

describe('not-analyzed: notes from adapters', () => {
  const parsed = (notes: ParsedMigration['notes']): ParsedMigration => ({
    migration: {
      id: '1',
      name: 'loop',
      framework: 'knex',
      dialect: 'postgresql',
      path: 'migrations/1_loop.js',
      files: ['migrations/1_loop.js'],
      up: { path: 'migrations/1_loop.js', text: '', startLine: 1, language: 'javascript' },
      down: null,
      transactional: true,
    },
    up: [],
    down: null,
    downStatus: 'none',
    directives: [],
    errors: [],
    notes,
  });
  const span = { path: 'migrations/1_loop.js', line: 3, column: 5, endLine: 3, endColumn: 40 };

  it('an adapter note is reported as a finding of its rule, at its span', () => {
    const [report] = analyzeHistory([parsed([{ rule: 'not-analyzed', message: 'not analyzed: a loop', fix: 'write it out', span }])]);
    expect(report?.findings.map((f) => [f.rule, f.category, f.severity, f.line, f.column, f.message])).toEqual([
      ['not-analyzed', 'rollback', 'info', 3, 5, 'not analyzed: a loop'],
    ]);
  });

  it('the config can turn adapter notes off like any rule', () => {
    const [report] = analyzeHistory([parsed([{ rule: 'not-analyzed', message: 'x', fix: 'y', span }])], {
      rules: { 'not-analyzed': 'off' },
    });
    expect(report?.findings).toEqual([]);
  });

  it('a note naming an unregistered rule is a programming error', () => {
    expect(() => analyzeHistory([parsed([{ rule: 'no-such-rule', message: 'x', fix: 'y', span }])])).toThrow('no-such-rule');
  });
});
