import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import { loadRails, readRails } from '../frameworks/rails/testing.js';
import rule from './not-analyzed.js';
import { ruleTests } from './testing.js';

ruleTests(rule, {
  valid: [
    { name: 'statements twoway models', up: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a text;' },
    { name: 'a statement kept as Raw that changes no schema (a grant) is not flagged', up: 'GRANT SELECT ON t TO reporting;' },
  ],
  invalid: [
    {
      name: 'a DO block runs procedural code twoway does not follow',
      up: "CREATE TABLE t (id int);\nDO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN x int'; END $$;",
      line: 2,
      message: 'not analyzed: a DO block',
      severity: 'info',
    },
  ],
});

describe('not-analyzed from a DSL adapter', () => {
  beforeAll(loadRails);

  it('a Ruby loop that makes columns is reported at the loop, as info, with no verdict effect', () => {
    const parsed = readRails('    Region.codes.each do |c|\n      add_column :users, c, :string\n    end');
    const [report] = analyzeHistory([parsed]);
    const found = report?.findings.filter((f) => f.rule === 'not-analyzed') ?? [];
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'info', line: 3, column: 5, effect: {} });
    expect(found[0]?.message).toContain('not analyzed: a loop');
  });

  it('an adapter note with the rule id is reported as this rule', () => {
    const parsed = readRails('    add_column :users, :a, :text');
    const span = { path: parsed.migration.path, line: 3, column: 5, endLine: 3, endColumn: 20 };
    parsed.notes = [{ rule: 'not-analyzed', message: 'not analyzed: a custom helper', fix: 'Inline it.', span }];
    const [report] = analyzeHistory([parsed]);
    expect(report?.findings.find((f) => f.rule === 'not-analyzed')).toMatchObject({ line: 3, message: 'not analyzed: a custom helper' });
  });
});
