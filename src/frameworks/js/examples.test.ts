// The bundled examples of the four JS/TS frameworks: one realistic set each, covering every phase and dbRollback answer.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../check.js';
import { allRules } from '../../rules/index.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const FRAMEWORKS = ['knex', 'node-pg-migrate', 'typeorm', 'sequelize'] as const;

/** What each example migration is, in order; the same story told in each framework's own API. */
const STORY = [
  { up: ['CreateTable', 'CreateTable'], verdict: ['expand', 'compatible', 'reversible'] },
  { up: ['AddColumn'], verdict: ['expand', 'compatible', 'no-down'] },
  { up: ['AlterColumnType'], verdict: ['expand', 'compatible', 'lossy'] },
  { up: ['RenameColumn'], verdict: ['breaking', 'breaking', 'reversible'] },
  { up: ['DataChange'], verdict: ['data', 'compatible', 'irreversible'] },
  { up: ['DropColumn'], verdict: ['contract', 'compatible', 'irreversible'] },
];

async function reportsOf(framework: string) {
  const result = await check([`examples/${framework}`], { cwd: repoRoot });
  expect(result.errors).toEqual([]);
  expect(result.sets.map((s) => s.set.framework)).toEqual([framework]);
  return result.sets[0]?.reports ?? [];
}

describe.each(FRAMEWORKS)('examples/%s', (framework) => {
  it('every migration is read without errors or unanalyzed constructs, and tells the story in order', async () => {
    const reports = await reportsOf(framework);
    expect(reports).toHaveLength(STORY.length);
    reports.forEach((r, i) => {
      const kinds = r.parsed.up.map((o) => o.kind).filter((k) => STORY[i]?.up.includes(k));
      expect(kinds, r.parsed.migration.path).toEqual(STORY[i]?.up);
      expect(
        (r.parsed.notes ?? []).filter((n) => n.rule === 'not-analyzed'),
        r.parsed.migration.path,
      ).toEqual([]);
    });
  });

  it('the first migration can be rolled back by a written or derived down; the second has none', async () => {
    const [first, second] = await reportsOf(framework);
    expect(['written', 'derived']).toContain(first?.parsed.downStatus);
    expect(first?.parsed.down?.map((o) => o.kind)).toContain('DropTable');
    expect(second?.dbRollback).toBe('no-down');
  });

  it('dropping users.full_name is a contract step that destroys data', async () => {
    const reports = await reportsOf(framework);
    const drop = reports.at(-1);
    expect(drop?.findings.map((f) => f.rule)).toContain('drop-column');
    expect([drop?.phase, drop?.dbRollback]).toEqual(['contract', 'irreversible']);
  });
});

// These verdicts depend on rules written on other branches (rename, type change, data change…):
// they run once the rule registry holds them.
describe.skipIf(allRules.length < 10)('verdicts (need all rules)', () => {
  it.each(FRAMEWORKS)('examples/%s: phase, code rollback and db rollback of every migration', async (framework) => {
    const reports = await reportsOf(framework);
    expect(reports.map((r) => `${r.parsed.migration.id} ${r.phase} ${r.codeRollback} ${r.dbRollback}`)).toEqual(
      reports.map((r, i) => `${r.parsed.migration.id} ${STORY[i]?.verdict.join(' ')}`),
    );
  });
});
