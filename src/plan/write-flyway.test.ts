import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { flywayFiles } from './write-flyway.js';
import { CREATE_INDEX, expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

// Every column of the example's products is NOT NULL: a release first adds the one the plan tightens.
const addBarcode = (root: string) => {
  writeFileSync(join(root, 'sql/V5__add_products_barcode.sql'), 'ALTER TABLE products ADD COLUMN barcode text;\n');
  writeFileSync(join(root, 'sql/U5__add_products_barcode.sql'), 'ALTER TABLE products DROP COLUMN barcode;\n');
};

const plan = async (sql: string) => {
  const steps = await stepsOf(sql);
  project = await planInto('flyway', steps, (root) => flywayFiles(join(root, 'sql'), steps), addBarcode);
  return project;
};

describe('twoway plan, Flyway', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('products', 'barcode')],
    ['an index on an existing table', CREATE_INDEX('products', 'created_at')],
  ] as const)('writes %s as V/U pairs check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('writes the CONCURRENTLY step alone in its scripts, which Flyway runs outside a transaction', async () => {
    const p = await plan(CREATE_INDEX('products', 'created_at'));
    const m = p.planned[0]?.parsed.migration;
    expect([m?.transactional, m?.downTransactional ?? m?.transactional]).toEqual([false, false]);
    expect(p.planned[0]?.parsed.notes ?? []).toEqual([]);
  });

  it('versions after the newest in the folder, and never writes over a script', async () => {
    const p = await plan(SET_NOT_NULL('products', 'barcode'));
    expect(p.files.map((f) => f.path.split('/').at(-1))).toEqual([
      'V6__check_products_barcode_not_null.sql',
      'U6__check_products_barcode_not_null.sql',
      'V7__validate_products_barcode_not_null.sql',
      'U7__validate_products_barcode_not_null.sql',
      'V8__set_products_barcode_not_null.sql',
      'U8__set_products_barcode_not_null.sql',
    ]);
    expect(flywayFiles(join(p.root, 'sql'), p.steps.slice(0, 1))[0]?.path).toMatch(/\/V9__check_products_barcode_not_null\.sql$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });

  it('counts the last part of dotted or underscored versions, and follows timestamps', () => {
    const step = { name: 'x', release: 1, phase: 'expand' as const, up: ['SELECT 1;'], down: [], transactional: true };
    const next = (names: string[]) => {
      const dir = mkdtempSync(join(tmpdir(), 'twoway-flyway-'));
      for (const n of names) writeFileSync(join(dir, n), 'SELECT 1;\n');
      const name = flywayFiles(dir, [step], { now: new Date('2020-01-01T00:00:00Z') })[0]
        ?.path.split('/')
        .at(-1);
      rmSync(dir, { recursive: true });
      return name;
    };
    expect(next(['V1_1__a.sql', 'V1_2__b.sql'])).toBe('V1_3__x.sql');
    expect(next(['V1__a.sql', 'V1.10__b.sql', 'V1.9__c.sql'])).toBe('V1.11__x.sql');
    expect(next(['V20240301090000__a.sql', 'U20240301090000__a.sql'])).toBe('V20240301090001__x.sql');
  });
});
