import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../analyze.js';
import { parseSource } from '../frameworks/js/testing.js';
import { nodePgMigrate } from '../frameworks/node-pg-migrate.js';
import rule from './framework-cannot-reverse.js';

describe('framework-cannot-reverse', () => {
  it('has metadata and docs', () => {
    expect(rule.summary.length).toBeGreaterThan(10);
    expect(rule.docs).toContain('Do instead');
    expect(rule.category).toBe('rollback');
    expect(rule.severity).toBe('warning');
  });

  it('a node-pg-migrate up without a down that uses pgm.sql has no down: a warning at the call, verdict no-down', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `exports.up = (pgm) => {\n  pgm.addColumns('t', { c: 'text' });\n  pgm.sql('CREATE EXTENSION citext');\n};`,
    );
    const [report] = analyzeHistory([p]);
    expect(report?.findings.map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([['framework-cannot-reverse', 'warning', 3, 3]]);
    expect(report?.findings[0]?.fix).toContain('exports.down');
    expect(report?.dbRollback).toBe('no-down');
  });

  it('a node-pg-migrate up whose calls all reverse gets a derived down and no warning', async () => {
    const p = await parseSource(nodePgMigrate, `exports.up = (pgm) => {\n  pgm.addColumns('t', { c: 'text' });\n};`);
    const [report] = analyzeHistory([p]);
    expect(report?.findings).toEqual([]);
    expect(report?.dbRollback).toBe('reversible');
  });
});
