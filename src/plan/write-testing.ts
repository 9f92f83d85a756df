// Proof for the framework writers: plan a one-way statement into a copy of examples/<framework>, re-check the
// copy with twoway's own `check`, and hand back the reports of the new migrations in the order the set runs them.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import type { MigrationReport } from '../analyze.js';
import { type CheckResult, check } from '../check.js';
import type { Operation } from '../ir.js';
import { type Engine, type MigrationRehearsal, rehearsalFailed, rehearse } from '../rehearse/index.js';
import { Schema } from '../schema/schema.js';
import { loadSqlParsers } from '../sql/index.js';
import { parsePostgres } from '../sql/postgresql.js';
import { type PlanStep, planSteps } from './steps.js';
import type { PlannedFile } from './writer-options.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

export interface PlannedProject {
  root: string;
  steps: PlanStep[];
  files: PlannedFile[];
  result: CheckResult;
  /** Reports of the migrations holding a new file, in the set's order. */
  planned: MigrationReport[];
  /** Paths of every migration in the set's order, relative to root. */
  order: string[];
  cleanup(): void;
}

/** The steps planSteps makes of one-way PostgreSQL after `prefix` (the CREATE TABLEs it meets), which must all be planned. */
export async function stepsOf(sql: string, prefix = ''): Promise<PlanStep[]> {
  await loadSqlParsers();
  const read = (text: string): Operation[] => parsePostgres({ path: 'one-way.sql', text, startLine: 1, language: 'sql' }).ops;
  const before = new Schema();
  for (const op of read(prefix)) before.apply(op, 'before');
  const plan = planSteps(read(sql), before);
  expect(plan.unplanned).toEqual([]);
  return plan.steps;
}

/** Copies examples/<example>, writes what `write` plans into the copy, and checks the copy. */
export async function planInto(
  example: string,
  steps: PlanStep[],
  write: (root: string) => PlannedFile[],
  prepare?: (root: string) => void,
): Promise<PlannedProject> {
  const root = mkdtempSync(join(tmpdir(), `twoway-plan-${example}-`));
  cpSync(join(EXAMPLES, example), root, { recursive: true });
  prepare?.(root);
  const files = write(root);
  // Folder-per-migration frameworks (diesel, Prisma) plan files in folders that do not exist yet.
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.text);
  }
  const result = await check([root], { cwd: root });
  const mine = new Set(files.map((f) => relative(root, f.path)));
  const reports = result.sets.flatMap((s) => s.reports);
  return {
    root,
    steps,
    files,
    result,
    planned: reports.filter((r) => r.parsed.migration.files.some((f) => mine.has(f))),
    order: result.sets.flatMap((s) => s.set.migrations.map((m) => m.path)),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * What every writer must prove: the adapter reads each new migration whole, each is an expand or a declared
 * contract that rolls back both ways, they run last and in the plan's order, and the non-transactional one
 * is read as such (no CONCURRENTLY-in-a-transaction finding).
 */
export function expectTwoWaySteps(p: PlannedProject, migrationsPerStep = 1): void {
  const newErrors = p.result.errors.filter((e) => p.files.some((f) => relative(p.root, f.path) === e.path));
  expect(newErrors).toEqual([]);
  expect(p.planned).toHaveLength(p.steps.length * migrationsPerStep);
  // The new migrations are the set's last ones, in the plan's order (Flyway's repeatable R__ scripts run after every versioned one).
  const versioned = p.order.filter((path) => !/(^|\/)R__[^/]*\.sql$/.test(path));
  expect(versioned.slice(-p.planned.length)).toEqual(p.planned.map((r) => r.parsed.migration.path));
  p.planned.forEach((r, i) => {
    const step = p.steps[Math.floor(i / migrationsPerStep)] as PlanStep;
    expect({
      path: r.parsed.migration.path,
      errors: r.parsed.errors,
      unread: r.unread,
      notAnalyzed: r.findings.filter((f) => f.rule === 'not-analyzed').map((f) => f.message),
      inTransaction: r.findings.filter((f) => f.rule === 'concurrently-in-transaction').map((f) => f.message),
      phase: r.phase,
      declared: r.declaredContract,
      code: r.codeRollback,
      db: r.dbRollback,
    }).toEqual({
      path: r.parsed.migration.path,
      errors: [],
      unread: [],
      notAnalyzed: [],
      inTransaction: [],
      phase: step.phase,
      declared: step.phase === 'contract',
      code: 'compatible',
      db: 'reversible',
    });
  });
}

export const SET_NOT_NULL = (table: string, column: string) => `ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL;`;
export const CREATE_INDEX = (table: string, column: string) => `CREATE INDEX ${table}_${column}_idx ON ${table} (${column});`;

/** Rehearses the new migrations on `engine` (PGlite), the older ones replayed up only; one result per new migration. */
export async function rehearseNew(p: PlannedProject, engine: Engine): Promise<MigrationRehearsal[]> {
  const onlyFiles = new Set(p.files.map((f) => relative(p.root, f.path)));
  const run = await rehearse([p.root], { engine, cwd: p.root, onlyFiles });
  expect(run.errors).toEqual([]);
  return run.migrations;
}

/**
 * Each new migration applies on a database with rows, in the framework's transaction handling (CONCURRENTLY
 * refused inside a transaction would fail here), re-applies after its down, and rehearses clean (the down
 * restores schema and data).
 */
export async function expectRehearsed(p: PlannedProject, engine: Engine): Promise<void> {
  const runs = await rehearseNew(p, engine);
  expect(runs.map((r) => r.path)).toEqual(p.planned.map((r) => r.parsed.migration.path));
  for (const r of runs) {
    expect({ path: r.path, up: r.up, reup: r.reup, error: r.error, skipped: r.skipped }).toEqual({
      path: r.path,
      up: 'ok',
      reup: r.down === 'ok' ? 'ok' : 'skipped',
      error: null,
      skipped: null,
    });
    expect({ path: r.path, failed: rehearsalFailed(r), diff: r.schemaDiff }).toEqual({ path: r.path, failed: false, diff: [] });
  }
}
