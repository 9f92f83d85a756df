import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import type { Operation } from '../ir.js';
import { Schema } from '../schema/schema.js';
import { loadSqlParsers } from '../sql/index.js';
import { parsePostgres } from '../sql/postgresql.js';
import { planSteps } from './steps.js';
import { golangMigrateFiles } from './write-golang-migrate.js';

beforeAll(loadSqlParsers);
const ops = (sql: string): Operation[] => parsePostgres({ path: 'm.sql', text: sql, startLine: 1, language: 'sql' }).ops;

let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Writes the plan of `oneWay` after the create-table migration, checks the folder, returns each new migration's verdict. */
async function planAndCheck(oneWay: string) {
  dir = mkdtempSync(join(tmpdir(), 'twoway-plan-'));
  writeFileSync(
    join(dir, '000001_create.up.sql'),
    'CREATE TABLE users (id bigint PRIMARY KEY, email text, org_id bigint);\nCREATE TABLE orgs (id bigint PRIMARY KEY);\n',
  );
  writeFileSync(join(dir, '000001_create.down.sql'), 'DROP TABLE orgs;\nDROP TABLE users;\n');
  const plan = planSteps(ops(oneWay), new Schema());
  expect(plan.unplanned).toEqual([]);
  for (const f of golangMigrateFiles(dir, plan.steps)) writeFileSync(f.path, f.text);
  const result = await check([dir], { cwd: dir });
  expect(result.errors).toEqual([]);
  const reports = result.sets.flatMap((s) => s.reports).filter((r) => !r.parsed.migration.path.includes('000001_'));
  return reports.map((r, i) => ({ report: r, planned: plan.steps[i]?.phase }));
}

describe('twoway plan, golang-migrate', () => {
  it.each([
    ['SET NOT NULL', 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;', 3],
    ['an index on an existing table', 'CREATE INDEX users_email_idx ON users (email);', 1],
    ['a foreign key', 'ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);', 2],
    ['a check', "ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email <> '');", 2],
  ])('plans %s as steps the analyzer judges two-way', async (_, sql, count) => {
    const reports = await planAndCheck(sql);
    expect(reports).toHaveLength(count);
    for (const { report: r, planned } of reports) {
      // Every step is an expand, or a contract the plan declares (`-- twoway: contract`).
      expect({ id: r.parsed.migration.id, phase: r.phase, declared: r.declaredContract, code: r.codeRollback, db: r.dbRollback }).toEqual({
        id: r.parsed.migration.id,
        phase: planned,
        declared: planned === 'contract',
        code: 'compatible',
        db: 'reversible',
      });
    }
  });

  it('leaves what it cannot plan named, not guessed', () => {
    expect(planSteps(ops('DROP VIEW active_users;'), new Schema()).unplanned[0]).toMatch(/DropView is not planned yet/);
  });
});
