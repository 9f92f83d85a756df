import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { alembicFiles, loadAlembicWriter } from './write-alembic.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';
import type { WriterOptions } from './writer-options.js';

beforeAll(loadAlembicWriter);
let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

const VERSIONS = 'migrations/versions';
// The example's single head, after its merge revision.
const HEAD = '2c9d0e1f2a3b';

const plan = async (sql: string, options: WriterOptions = {}) => {
  const steps = await stepsOf(sql);
  project = await planInto('alembic', steps, (root) => alembicFiles(join(root, VERSIONS), steps, options));
  return project;
};

/** Each new revision's down_revision, as check's Alembic adapter read the chain: by the set's order. */
const chain = (p: PlannedProject) => p.files.map((f) => /down_revision = "(\w+)"/.exec(f.text)?.[1]);
const revisionOf = (p: PlannedProject, i: number) => /^revision = "(\w+)"/m.exec(p.files[i]?.text ?? '')?.[1];

describe('twoway plan, Alembic', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('accounts', 'settings')],
    ['an index on an existing table', CREATE_INDEX('accounts', 'full_name')],
  ] as const)('writes %s as revisions check judges two-way and PGlite rehearses, chained from the head', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    expect(chain(p)).toEqual([HEAD, ...p.files.slice(0, -1).map((_, i) => revisionOf(p, i))]);
    await expectRehearsed(p, engine);
  });

  it('builds CONCURRENTLY in an autocommit block, which check reads as outside the transaction', async () => {
    const p = await plan(CREATE_INDEX('accounts', 'full_name'));
    expect(p.files[0]?.text).toContain(
      'def upgrade():\n    with op.get_context().autocommit_block():\n        op.execute("CREATE INDEX CONCURRENTLY',
    );
    expectTwoWaySteps(p);
  });

  it('takes the place of the unapplied revision it replaces', async () => {
    const steps = await stepsOf(CREATE_INDEX('accounts', 'full_name'));
    project = await planInto('alembic', steps, (root) => {
      const original = join(root, VERSIONS, 'ffff00000000_index_name.py');
      writeFileSync(
        original,
        `revision = "ffff00000000"\ndown_revision = "${HEAD}"\n\nfrom alembic import op\n\n\ndef upgrade():\n    op.create_index("accounts_name_idx", "accounts", ["name"])\n\n\ndef downgrade():\n    op.drop_index("accounts_name_idx")\n`,
      );
      const files = alembicFiles(join(root, VERSIONS), steps, { replaces: original });
      rmSync(original); // what the plan tells the user to do
      return files;
    });
    expectTwoWaySteps(project);
    expect(chain(project)).toEqual([HEAD]);
  });

  it('refuses a folder of two heads, naming them', async () => {
    const steps = await stepsOf(CREATE_INDEX('accounts', 'full_name'));
    project = await planInto('alembic', steps, (root) => {
      writeFileSync(join(root, VERSIONS, 'eeee00000000_side.py'), 'revision = "eeee00000000"\ndown_revision = "1b8c9d0e1f2a"\n');
      expect(() => alembicFiles(join(root, VERSIONS), steps)).toThrow(/has 2 heads \(2c9d0e1f2a3b, eeee00000000\): merge them first/);
      return [];
    });
  });

  it("names files by alembic.ini's file_template", async () => {
    const steps = await stepsOf(CREATE_INDEX('accounts', 'full_name'));
    const now = new Date('2031-02-03T04:05:06Z');
    project = await planInto(
      'alembic',
      steps,
      (root) => alembicFiles(join(root, VERSIONS), steps, { now }),
      (root) => {
        const ini = join(root, 'alembic.ini');
        writeFileSync(
          ini,
          readFileSync(ini, 'utf8').replace(
            '[alembic]\n',
            '[alembic]\nfile_template = %%(year)d_%%(month).2d_%%(day).2d-%%(rev)s_%%(slug)s\n',
          ),
        );
      },
    );
    expect(project.files[0]?.path).toMatch(/versions\/2031_02_03-[0-9a-f]{12}_add_accounts_full_name_idx_concurrently\.py$/);
    expectTwoWaySteps(project);
  });

  it('refuses SQL holding a :name, which text() reads as a bind parameter, and keeps ::casts and words:like:this', () => {
    const step = (sql: string) => ({ name: 's', release: 1, phase: 'expand' as const, up: [sql], down: [], transactional: true });
    expect(() => alembicFiles('/nonexistent', [step("ALTER TABLE t ADD CHECK (a <> 'at :noon');")])).toThrow(
      /would read a :name in .* as a bind parameter/,
    );
    expect(alembicFiles('/nonexistent', [step("ALTER TABLE t ADD CHECK (a <> 'x:y'::text);")])).toHaveLength(1);
  });
});
