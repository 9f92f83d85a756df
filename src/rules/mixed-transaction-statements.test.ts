import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import type { ParsedMigration } from '../migration.js';
import rule from './mixed-transaction-statements.js';

describe('mixed-transaction-statements', () => {
  it('has metadata and docs', () => {
    expect(rule.summary.length).toBeGreaterThan(10);
    expect(rule.docs.length).toBeGreaterThan(40);
  });

  it('reports the note an adapter raises as an error at the statement', () => {
    const span = { path: 'db/migration/V2__index.sql', line: 2, column: 1, endLine: 2, endColumn: 40 };
    const parsed: ParsedMigration = {
      migration: {
        id: 'V2__index',
        name: 'index',
        framework: 'flyway',
        dialect: 'postgresql',
        path: span.path,
        files: [span.path],
        up: { path: span.path, text: '', startLine: 1, language: 'sql' },
        down: null,
        transactional: false,
      },
      up: [],
      down: null,
      downStatus: 'none',
      directives: [],
      errors: [],
      notes: [{ rule: rule.id, message: 'Flyway refuses this migration', fix: 'Split it.', span }],
    };
    const [report] = analyzeHistory([parsed]);
    expect(report?.findings.filter((f) => f.rule === rule.id)).toMatchObject([
      { severity: 'error', line: 2, message: 'Flyway refuses this migration' },
    ]);
  });
});
