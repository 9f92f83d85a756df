// examples/rails: a small shop's history covering every phase and every dbRollback answer.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../analyze.js';
import { type CheckResult, check } from '../check.js';
import { ruleById } from '../rules/index.js';

const repoRoot = resolve(import.meta.dirname, '../..');
let result: CheckResult;
const byName = (name: string): MigrationReport => {
  const report = result.sets[0]?.reports.find((r) => r.parsed.migration.name === name);
  if (!report) throw new Error(`no migration ${name}`);
  return report;
};
const kinds = (r: MigrationReport, direction: 'up' | 'down') =>
  (direction === 'up' ? r.parsed.up : r.parsed.down)?.map((o) => o.kind) ?? null;

beforeAll(async () => {
  result = await check(['examples/rails'], { cwd: repoRoot });
});

describe('examples/rails: what the adapter reads', () => {
  it('is one Rails history over db/migrate and db/post_migrate, read without errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.sets).toHaveLength(1);
    expect(result.sets[0]?.set).toMatchObject({ framework: 'rails', dialect: 'postgresql', root: 'examples/rails/db' });
    const ids = result.sets[0]?.reports.map((r) => r.parsed.migration.id) ?? [];
    expect(ids).toEqual([...ids].sort());
    expect(result.sets[0]?.reports.at(-1)?.parsed.migration.path).toBe(
      'examples/rails/db/post_migrate/20240306090000_drop_legacy_admin_flag.rb',
    );
  });

  it.each([
    ['create_users', 'derived', ['CreateTable', 'AddIndex'], ['DropIndex', 'DropTable']],
    ['create_orders', 'derived', ['CreateTable', 'AddIndex', 'AddConstraint'], ['DropTable']],
    ['add_first_and_last_name_to_users', 'derived', ['AddColumn', 'AddColumn'], ['DropColumn', 'DropColumn']],
    ['add_index_on_orders_status', 'derived', ['AddIndex'], ['DropIndex']],
    ['backfill_user_names', 'derived', ['DataChange'], ['DataChange']],
    ['rename_orders_total', 'derived', ['RenameColumn'], ['RenameColumn']],
    ['widen_order_status', 'written', ['AlterColumnType'], ['AlterColumnType']],
    ['add_order_notes', 'none', ['AddColumn'], null],
    ['create_audit_trigger', 'irreversible', ['Raw'], null],
    ['add_orders_amount_check', 'irreversible', ['AddConstraint'], null],
    [
      'add_order_kinds',
      'derived',
      ['CreateEnum', 'AddColumn', 'AddColumn', 'AddColumn', 'AddColumn', 'Raw'],
      ['DropColumn', 'DropColumn', 'DropColumn', 'DropColumn', 'DropEnum'],
    ],
    ['remove_users_full_name', 'derived', ['DropColumn'], ['AddColumn']],
    ['drop_legacy_admin_flag', 'irreversible', ['DropColumn'], null],
  ])('%s: down %s, up %j, down %j', (name, downStatus, up, down) => {
    const r = byName(name);
    expect(r.parsed.downStatus).toBe(downStatus);
    expect(kinds(r, 'up')).toEqual(up);
    expect(kinds(r, 'down')).toEqual(down);
  });

  it('the concurrent index runs outside a transaction', () => {
    expect(byName('add_index_on_orders_status').parsed.migration.transactional).toBe(false);
  });

  it('raw SQL in change: Rails cannot roll it back, said at the execute call', () => {
    const f = byName('add_orders_amount_check').findings.find((x) => x.rule === 'framework-cannot-reverse');
    expect(f).toMatchObject({ line: 4, column: 5, severity: 'warning' });
  });

  it('the loop over a literal list is read per item; the loop over application data is not analyzed, at the loop', () => {
    const r = byName('add_order_kinds');
    const added = r.parsed.up.flatMap((o) => (o.kind === 'AddColumn' ? [o.column.name] : []));
    expect(added).toEqual(['kind', 'retail_discount', 'wholesale_discount', 'gift_discount']);
    const f = r.findings.filter((x) => x.rule === 'not-analyzed');
    expect(f).toHaveLength(1);
    // It leaves the door unverified: a warning by default (config `unknown`).
    expect(f[0]).toMatchObject({ line: 12, column: 5, severity: 'warning' });
  });

  it('the declared contract step and the safety_assured drop keep their findings, acknowledged', () => {
    expect(byName('remove_users_full_name').findings.find((f) => f.rule === 'drop-column')?.suppressed?.kind).toBe('contract');
    expect(byName('drop_legacy_admin_flag').findings.find((f) => f.rule === 'drop-column')?.suppressed).toEqual({
      kind: 'ignore',
      reason: 'safety_assured (strong_migrations)',
    });
  });
});

// These need the rules other engineers are writing (rename, type change, data changes, downs).
const needed = ['rename-column', 'change-column-type', 'update-rows', 'down-renarrows-type'];
describe.runIf(needed.every((id) => ruleById(id)))('verdicts (need all rules)', () => {
  it.each([
    ['create_users', 'expand', 'compatible', 'reversible'],
    ['create_orders', 'expand', 'compatible', 'reversible'],
    ['add_first_and_last_name_to_users', 'expand', 'compatible', 'reversible'],
    ['add_index_on_orders_status', 'expand', 'compatible', 'reversible'],
    ['backfill_user_names', 'data', 'compatible', 'irreversible'],
    ['rename_orders_total', 'breaking', 'breaking', 'reversible'],
    ['widen_order_status', 'expand', 'compatible', 'lossy'],
    ['add_order_notes', 'expand', 'compatible', 'no-down'],
    ['create_audit_trigger', 'expand', 'compatible', 'no-down'],
    ['add_orders_amount_check', 'expand', 'compatible', 'no-down'],
    ['add_order_kinds', 'unknown', 'unknown', 'unknown'],
    ['remove_users_full_name', 'contract', 'compatible', 'irreversible'],
    ['drop_legacy_admin_flag', 'contract', 'compatible', 'irreversible'],
  ])('%s: %s, code %s, db %s', (name, phase, codeRollback, dbRollback) => {
    const r = byName(name);
    expect({ phase: r.phase, codeRollback: r.codeRollback, dbRollback: r.dbRollback }).toEqual({ phase, codeRollback, dbRollback });
  });
});
