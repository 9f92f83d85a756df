// `twoway plan --cleanup` after a plan that archived: a Rails UPDATE planned and written, then the clean-up of its
// archive planned in Rails' own form, proven (check and PGlite), and planned no more once it is written.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempProject } from '../testing/projects.js';
import { planCleanup, planMigration, writePlan } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('twoway plan --cleanup', () => {
  it('drops the archive a written plan left, as a Rails contract migration, once', async () => {
    const original = 'db/migrate/20240305090000_upcase_first_names.rb';
    const dir = tempProject(
      {
        [original]:
          'class UpcaseFirstNames < ActiveRecord::Migration[7.1]\n  def up\n    execute "UPDATE users SET first_name = upper(first_name)"\n  end\nend\n',
      },
      { 'examples/rails': '.' },
    );
    dirs.push(dir);
    const options = { cwd: dir, verify: true };
    // Nothing archived yet: nothing to clean up.
    expect(await planCleanup(['.'], options)).toEqual([]);
    const plan = await planMigration(original, ['.'], { ...options, writer: { now: new Date('2024-03-06T00:00:00Z') } });
    expect(plan.proof.ok).toBe(true);
    writePlan(plan, dir);
    for (const f of plan.replaces) rmSync(join(dir, f));

    const [cleanup, ...others] = await planCleanup(['.'], { ...options, writer: { now: new Date('2024-03-07T00:00:00Z') } });
    expect(others).toEqual([]);
    expect(cleanup?.cleanup).toEqual(['twoway_archive.users__update_users_first_name']);
    expect(cleanup?.replaces).toEqual([]);
    expect(cleanup?.proof.checked.map((c) => [c.phase, c.declaredContract, c.codeRollback, c.dbRollback, c.problems])).toEqual([
      ['contract', true, 'compatible', 'irreversible', []],
    ]);
    expect(cleanup?.proof.rehearsed?.map((r) => [r.up, r.problems])).toEqual([['ok', []]]);
    expect(cleanup?.proof.ok).toBe(true);
    const [file] = cleanup?.files ?? [];
    // The set's newest migration is examples/rails' db/post_migrate/20240306090000_…: the clean-up goes after it, beside it.
    expect(file?.path).toBe('db/post_migrate/20240307000000_drop_twoway_archives.rb');
    expect(file?.text).toContain('DROP TABLE IF EXISTS twoway_archive.users__update_users_first_name;');
    expect(file?.text).toContain('# nothing to undo: the archives are dropped for good; their rows do not come back');

    const written = writePlan(cleanup as NonNullable<typeof cleanup>, dir);
    expect(readFileSync(join(dir, written.written[0] as string), 'utf8')).toBe(file?.text);
    expect(await planCleanup(['.'], options)).toEqual([]);
    // Two plans, each proven and rehearsed: longer than a unit test.
  }, 180_000);

  it('in Django, whose down is a no-op RunSQL: the rehearsal finds only the archives missing after it, and re-applies', async () => {
    // examples/plan/django: the plan of 0006_remove_customer_fax archived shop_customer.fax.
    const dir = tempProject({}, { 'examples/plan/django': '.' });
    dirs.push(dir);
    const [cleanup] = await planCleanup(['.'], { cwd: dir, verify: true });
    expect(cleanup?.cleanup).toEqual(['twoway_archive.shop_customer__drop_shop_customer_fax']);
    expect(cleanup?.proof.rehearsed?.map((r) => [r.up, r.down, r.reup, r.problems])).toEqual([['ok', 'ok', 'ok', []]]);
    expect(cleanup?.proof.ok).toBe(true);
    const [file] = cleanup?.files ?? [];
    expect(file?.path).toBe('shop/migrations/0011_drop_twoway_archives.py');
    expect(file?.text).toContain('dependencies = [("shop", "0008_sales_view")]');
    expect(file?.text).toContain('reverse_sql=migrations.RunSQL.noop');
  }, 120_000);
});
