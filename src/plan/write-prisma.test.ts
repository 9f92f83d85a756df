import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../rehearse/index.js';
import { newFiles } from './write-common.js';
import { prismaFiles } from './write-prisma.js';
import { expectRehearsed, expectTwoWaySteps, type PlannedProject, planInto, SET_NOT_NULL, stepsOf } from './write-testing.js';

let project: PlannedProject | undefined;
let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());
afterEach(() => project?.cleanup());

// Prisma's tables and columns are quoted ("User", "authorId"); CREATE_INDEX builds unquoted names.
const INDEX_POST_AUTHOR = 'CREATE INDEX "Post_authorId_idx" ON "Post" ("authorId");';

const plan = async (sql: string, now?: Date) => {
  const steps = await stepsOf(sql);
  project = await planInto('prisma', steps, (root) => prismaFiles(join(root, 'prisma/migrations'), steps, { now }));
  return project;
};

describe('twoway plan, Prisma', () => {
  it.each([
    ['SET NOT NULL', SET_NOT_NULL('"User"', '"name"')],
    ['an index on an existing table', INDEX_POST_AUTHOR],
  ] as const)('writes %s as migrations with down.sql check judges two-way and PGlite rehearses', async (_, sql) => {
    const p = await plan(sql);
    expectTwoWaySteps(p);
    await expectRehearsed(p, engine);
  });

  it('writes the CONCURRENTLY statement alone in its migration.sql, which PostgreSQL runs outside a transaction', async () => {
    const p = await plan(INDEX_POST_AUTHOR);
    expect(p.planned[0]?.parsed.up.map((op) => op.kind)).toEqual(['AddIndex']);
    expect(p.planned[0]?.findings.filter((f) => f.rule === 'concurrently-in-transaction')).toEqual([]);
  });

  it('names folders after the newest migration, and never writes over one', async () => {
    const p = await plan(SET_NOT_NULL('"User"', '"name"'), new Date('2020-01-01T00:00:00Z'));
    // The newest is 20240203000000_drop_user_bio.
    expect(p.files.map((f) => f.path.split('/').slice(-2).join('/'))).toEqual([
      '20240203000001_check_User_name_not_null/migration.sql',
      '20240203000001_check_User_name_not_null/down.sql',
      '20240203000002_validate_User_name_not_null/migration.sql',
      '20240203000002_validate_User_name_not_null/down.sql',
      '20240203000003_set_User_name_not_null/migration.sql',
      '20240203000003_set_User_name_not_null/down.sql',
    ]);
    const again = prismaFiles(join(p.root, 'prisma/migrations'), p.steps, { now: new Date('2020-01-01T00:00:00Z') });
    expect(again[0]?.path).toMatch(/20240203000004_check_User_name_not_null\/migration\.sql$/);
    expect(() => newFiles(p.files)).toThrow(/already exists: twoway plan never overwrites a migration/);
  });
});
