// The bundled examples: each folder is found with its framework, its migrations in order, without errors,
// and each migration gets the verdict DESIGN.md defines. Verdicts that need a rule this build does not have
// are listed apart (describe 'verdicts (need all rules)') and skipped, with the missing rule named, until it exists.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CheckResult, check } from '../src/check.js';
import type { DbRollback, Phase } from '../src/findings.js';
import type { OperationKind } from '../src/ir.js';
import type { Framework } from '../src/migration.js';
import { allRules } from '../src/rules/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A rule must visit this kind of operation on this side of the migration for the verdict to come out. */
type Need = { kind: OperationKind; direction: 'up' | 'down' };
type Verdict = [id: string, phase: Phase, codeRollback: 'compatible' | 'breaking', dbRollback: DbRollback, needs?: Need[]];

const up = (kind: OperationKind): Need => ({ kind, direction: 'up' });
const down = (kind: OperationKind): Need => ({ kind, direction: 'down' });

const examples: Record<string, { framework: Framework; migrations: Verdict[] }> = {
  'golang-migrate': {
    framework: 'golang-migrate',
    migrations: [
      ['000001', 'expand', 'compatible', 'reversible'],
      ['000002', 'contract', 'compatible', 'irreversible'],
      ['000003', 'expand', 'compatible', 'no-down'],
    ],
  },
  flyway: {
    framework: 'flyway',
    migrations: [
      ['V1__create_products', 'expand', 'compatible', 'reversible'],
      // varchar(100) → varchar(255) widens (expand); the undo re-narrows it (lossy).
      ['V1.1__widen_product_name', 'expand', 'compatible', 'lossy', [down('AlterColumnType')]],
      ['V2__rename_price_to_unit_price', 'breaking', 'breaking', 'reversible', [up('RenameColumn')]],
      ['V3__add_products_discontinued', 'expand', 'compatible', 'no-down'],
      ['V4__purge_discontinued_products', 'data', 'compatible', 'irreversible', [up('DataChange')]],
      ['R__product_catalog_view', 'expand', 'compatible', 'no-down'],
    ],
  },
  dbmate: {
    framework: 'dbmate',
    migrations: [
      ['20240110090000', 'expand', 'compatible', 'reversible'],
      ['20240111090000', 'expand', 'compatible', 'reversible'],
      ['20240112090000', 'breaking', 'breaking', 'reversible', [up('SetNotNull')]],
      // integer → bigint widens (expand); the down narrows it back (lossy).
      ['20240113090000', 'expand', 'compatible', 'lossy', [down('AlterColumnType')]],
    ],
  },
  prisma: {
    framework: 'prisma',
    migrations: [
      ['20240201000000_init', 'expand', 'compatible', 'no-down'],
      ['20240202000000_add_post_published', 'expand', 'compatible', 'no-down'],
      ['20240203000000_drop_user_bio', 'contract', 'compatible', 'irreversible'],
    ],
  },
  diesel: {
    framework: 'diesel',
    migrations: [
      ['00000000000000', 'expand', 'compatible', 'reversible'],
      ['20240301000000', 'expand', 'compatible', 'reversible'],
      ['20240302000000', 'expand', 'compatible', 'reversible'],
      ['20240303000000', 'data', 'compatible', 'irreversible', [up('DataChange')]],
      ['20240304000000', 'expand', 'compatible', 'reversible'],
    ],
  },
  goose: {
    framework: 'goose',
    migrations: [
      ['00001', 'expand', 'compatible', 'reversible'],
      ['00002', 'expand', 'compatible', 'reversible'],
      ['00003', 'contract', 'compatible', 'irreversible', [up('DropTable')]],
      ['00004', 'expand', 'compatible', 'reversible'],
    ],
  },
  pop: {
    framework: 'pop',
    migrations: [
      ['20240401000000', 'expand', 'compatible', 'reversible'],
      ['20240402000000', 'expand', 'compatible', 'reversible'],
      ['20240403000000', 'breaking', 'breaking', 'reversible', [up('RenameColumn')]],
    ],
  },
  sql: {
    framework: 'sql',
    migrations: [
      ['1_create_audit_log', 'expand', 'compatible', 'reversible'],
      ['2_add_audit_log_ip', 'expand', 'compatible', 'reversible'],
      ['10_prune_audit_log', 'data', 'compatible', 'irreversible', [up('DataChange')]],
    ],
  },
};

const missing = (needs: Need[] = []) =>
  needs.filter((n) => !allRules.some((r) => r.kinds.includes(n.kind) && (r.direction === n.direction || r.direction === 'both')));

const results = new Map<string, CheckResult>();
beforeAll(async () => {
  for (const folder of Object.keys(examples)) results.set(folder, await check([`examples/${folder}`], { cwd: repoRoot }));
});

const verdicts = (folder: string) =>
  new Map(
    (results.get(folder)?.sets ?? [])
      .flatMap((s) => s.reports)
      .map((r) => [r.parsed.migration.id, [r.phase, r.codeRollback, r.dbRollback]]),
  );

describe('examples', () => {
  it('together show every phase and every DB rollback answer', () => {
    const rows = Object.values(examples).flatMap((e) => e.migrations);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['expand', 'contract', 'breaking', 'data']));
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(['reversible', 'lossy', 'irreversible', 'no-down']));
  });

  describe.each(Object.entries(examples))('%s', (folder, expected) => {
    it('is found with its framework, every migration in order, and no errors', () => {
      const result = results.get(folder) as CheckResult;
      expect(result.errors).toEqual([]);
      expect(result.sets.map((s) => s.set.framework)).toEqual([expected.framework]);
      expect(result.sets[0]?.reports.map((r) => r.parsed.migration.id)).toEqual(expected.migrations.map((m) => m[0]));
    });

    const ready = expected.migrations.filter((m) => !m[4]);
    it.each(ready)('%s: %s, code rollback %s, db rollback %s', (id, phase, codeRollback, dbRollback) => {
      expect(verdicts(folder).get(id)).toEqual([phase, codeRollback, dbRollback]);
    });
  });
});

describe('verdicts (need all rules)', () => {
  const rows = Object.entries(examples).flatMap(([folder, e]) => e.migrations.filter((m) => m[4]).map((m) => [folder, ...m] as const));
  for (const [folder, id, phase, codeRollback, dbRollback, needs] of rows) {
    const absent = missing(needs);
    const why = absent.length ? ` (skipped: no rule visits ${absent.map((n) => `${n.kind} on the ${n.direction}`).join(', ')} yet)` : '';
    it.skipIf(absent.length > 0)(`${folder} ${id}: ${phase}, code rollback ${codeRollback}, db rollback ${dbRollback}${why}`, () => {
      expect(verdicts(folder).get(id)).toEqual([phase, codeRollback, dbRollback]);
    });
  }
});
