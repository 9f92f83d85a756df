// Each kind of one-way operation, planned end to end: the steps written in the framework's files, re-checked by
// `check` (every step the phase it was planned as, both rollbacks safe) and rehearsed up/down/up on PGlite.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempProject } from '../../testing/projects.js';
import { planMigration } from '../index.js';
import { stepsOf } from '../write-testing.js';
import { KINDS, type Kind } from './kinds-fixtures.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function planned(framework: 'golang-migrate' | 'rails', k: Kind) {
  const dir =
    framework === 'golang-migrate'
      ? tempProject(
          k.sqlBefore
            ? { '000004_before.up.sql': `${k.sqlBefore}\n`, '000005_one_way.up.sql': `${k.sql}\n` }
            : { '000004_one_way.up.sql': `${k.sql}\n` },
          { 'examples/golang-migrate': '.' },
        )
      : tempProject(
          {
            ...(k.railsBefore
              ? {
                  'db/migrate/20240304090000_before.rb': `class Before < ActiveRecord::Migration[7.1]\n  def change\n    ${k.railsBefore}\n  end\nend\n`,
                }
              : {}),
            'db/migrate/20240305090000_one_way.rb': `class OneWay < ActiveRecord::Migration[7.1]\n  ${k.rails?.startsWith('def ') ? k.rails : `def change\n    ${k.rails}\n  end`}\nend\n`,
          },
          { 'examples/rails': '.' },
        );
  dirs.push(dir);
  const target = framework === 'golang-migrate' ? (k.sqlBefore ? '000005' : '000004') : '20240305090000';
  return planMigration(target, ['.'], { cwd: dir, verify: true, writer: { now: new Date('2024-03-06T00:00:00Z') } });
}

describe.each(['golang-migrate', 'rails'] as const)('twoway plan, %s', (framework) => {
  it.each(KINDS.filter((k) => framework !== 'rails' || k.rails).map((k) => [k.kind, k] as const))(
    '%s: planned, re-checked and rehearsed',
    async (_, k) => {
      const plan = await planned(framework, k);
      expect(plan.unplanned).toEqual([]);
      if (framework === 'golang-migrate') expect(plan.steps.map((s) => `${s.name}:${s.phase}`)).toEqual(k.steps);
      expect(plan.proof.checked.map((c) => [c.path, c.problems])).toEqual(plan.proof.checked.map((c) => [c.path, []]));
      expect(plan.proof.checked).toHaveLength(plan.steps.length);
      expect(plan.proof.rehearsedOn).toBe('pglite');
      expect(plan.proof.rehearsed?.map((r) => [r.path, r.up, r.down, r.reup, r.problems])).toEqual(
        plan.proof.rehearsed?.map((r) => [r.path, 'ok', 'ok', 'ok', []]),
      );
      expect(plan.proof.rehearsed).toHaveLength(plan.steps.length);
      expect(plan.proof.ok).toBe(true);
      // With a trigger on the table, the restore runs with it off.
      if (k.sqlBefore) expect(plan.steps.at(-1)?.down[0]).toMatch(/DISABLE TRIGGER USER;[\s\S]*ENABLE TRIGGER USER;/);
    },
  );
});

describe('foreign keys and checks: NOT VALID, then VALIDATE', () => {
  it('keep ON DELETE / ON UPDATE, and the validation’s down puts the constraint back NOT VALID', async () => {
    const steps = await stepsOf(
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL;',
      'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);',
    );
    const fk = 'FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL NOT VALID;';
    expect(steps.map((s) => [s.name, s.up, s.down])).toEqual([
      [
        'add_orders_user_fk_not_valid',
        [`ALTER TABLE orders ADD CONSTRAINT orders_user_fk ${fk}`],
        ['ALTER TABLE orders DROP CONSTRAINT orders_user_fk;'],
      ],
      [
        'validate_orders_user_fk',
        ['ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;'],
        ['ALTER TABLE orders DROP CONSTRAINT orders_user_fk;', `ALTER TABLE orders ADD CONSTRAINT orders_user_fk ${fk}`],
      ],
    ]);
  });
});
