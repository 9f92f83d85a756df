import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import type { ParsedMigration } from '../migration.js';
import rule from './framework-cannot-reverse.js';

describe('framework-cannot-reverse', () => {
  it('has metadata and docs', () => {
    expect(rule.summary.length).toBeGreaterThan(10);
    expect(rule.docs.length).toBeGreaterThan(40);
  });

  it('reports the note an adapter raises, as a warning at the operation', () => {
    const span = { path: 'app/migrations/0003_fill.py', line: 9, column: 9, endLine: 9, endColumn: 30 };
    const parsed: ParsedMigration = {
      migration: {
        id: 'app.0003_fill',
        name: '0003_fill',
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
      downStatus: 'irreversible',
      directives: [],
      errors: [],
      notes: [{ rule: rule.id, message: 'Django cannot reverse RunSQL without reverse_sql', fix: 'add reverse_sql', span }],
    };
    const [report] = analyzeHistory([parsed]);
    expect(report?.findings.filter((f) => f.rule === rule.id)).toMatchObject([
      { rule: 'framework-cannot-reverse', severity: 'warning', category: 'rollback', line: 9 },
    ]);
    expect(report?.dbRollback).toBe('no-down');
  });
});
