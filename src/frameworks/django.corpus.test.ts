// The Django adapter on a real history: saleor (1,400+ migrations, 26 apps) from ../shared/corpus, read in place.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../analyze.js';
import { check } from '../check.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const saleor = [resolve(repoRoot, '../shared/corpus/apps/saleor__saleor'), '/work/shared/corpus/apps/saleor__saleor'].find((p) =>
  existsSync(p),
);
if (!saleor) console.warn('saleor corpus not found at ../shared/corpus/apps/saleor__saleor: skipping the Django corpus tests');

describe.skipIf(!saleor)('django on saleor (shared/corpus)', () => {
  let reports: MigrationReport[] = [];
  let sets = 0;
  beforeAll(async () => {
    const result = await check(['.'], { cwd: saleor as string });
    sets = result.sets.length;
    reports = result.sets.flatMap((s) => s.reports);
  }, 60_000);
  const at = (path: string) => {
    const r = reports.find((x) => x.parsed.migration.path === `saleor/${path}`);
    if (!r) throw new Error(`no report for ${path}`);
    return r;
  };
  const answers = (r: MigrationReport) => [r.phase, r.codeRollback, r.dbRollback];

  it('is one project: the settings module with INSTALLED_APPS stands for the missing manage.py', () => {
    expect(sets).toBe(1);
    expect(reports.length).toBeGreaterThan(1400);
  });

  it('follows class attributes, module constants and list concatenations: no operations are "built at run time" and no field is missing from the history', () => {
    const reasons = reports.flatMap((r) => r.unread.map((u) => u.reason));
    expect(reasons.filter((r) => r.includes('operations built at run time') || r.includes('not in the migration history'))).toEqual([]);
    // attribute/0001 keeps its CreateModels in `state_operations`; 0058 only adds a choice to one of them.
    expect(at('attribute/migrations/0058_alter_attribute_type.py').parsed.up).toEqual([]);
    expect(answers(at('attribute/migrations/0058_alter_attribute_type.py'))).toEqual(['expand', 'compatible', 'reversible']);
    // RunSQL(sql=CREATE_INDEX), a module constant, in a migration with atomic = False.
    const index = at('account/migrations/0082_auto_20231204_1419.py');
    expect(index.parsed.up).toMatchObject([{ kind: 'AddIndex', name: 'email_upper_idx', concurrently: true }]);
    expect(index.findings.map((f) => f.rule)).not.toContain('concurrently-in-transaction');
    expect(answers(index)).toEqual(['expand', 'compatible', 'reversible']);
  });

  it('a RunPython whose function only passes changes nothing; outside RunPython, unread code is rare', () => {
    expect(answers(at('order/migrations/0190_set_undiscounted_base_shipping_price.py'))).toEqual(['expand', 'compatible', 'reversible']);
    const unreadOutsideRunPython = reports.filter((r) => r.unread.some((u) => !u.reason.startsWith('RunPython(')));
    expect(unreadOutsideRunPython.length / reports.length).toBeLessThan(0.02);
  });

  it('skips operations on the swapped auth.User (AUTH_USER_MODEL = "account.User")', () => {
    expect(at('auth/migrations/0012_alter_user_first_name_max_length.py').parsed.up).toEqual([]);
  });

  it('reads max_length=settings.DEFAULT_CURRENCY_CODE_LENGTH from settings.py, and drops the default AddField wrote', () => {
    expect(at('checkout/migrations/0021_django_price_2.py').parsed.up).toMatchObject([
      {
        kind: 'AddColumn',
        column: {
          name: 'currency',
          type: { text: 'varchar(3)' },
          default: { text: '<value of os.environ.get("DEFAULT_CURRENCY", "USD") when the migration runs>' },
        },
      },
      { kind: 'SetDefault', column: 'currency', default: null },
    ]);
  });

  it('an on_delete or related_name change alone changes nothing in the database', () => {
    expect(at('csv/migrations/0004_auto_20210709_1043.py').parsed.up).toEqual([]);
  });

  it('RenameField carries unique_together along: the AlterUniqueTogether after it is no change, the rename is reversible', () => {
    const r = at('checkout/migrations/0002_auto_20161014_1221.py');
    expect(r.parsed.up).toMatchObject([{ kind: 'RenameColumn', column: 'product_id', newName: 'variant_id' }]);
    expect(answers(r)).toEqual(['breaking', 'breaking', 'reversible']);
  });

  it('a GIN index with gin_trgm_ops replacing a plain GIN index on the same fields is a contract step', () => {
    expect(answers(at('attribute/migrations/0016_auto_20210827_0938.py'))).toEqual(['contract', 'compatible', 'reversible']);
  });

  it('HStoreExtension creates the extension; a project field class it cannot see (SanitizedJSONField) is not analyzed', () => {
    expect(at('product/migrations/0013_auto_20161130_0608.py').parsed.up).toMatchObject([
      { kind: 'Raw', object: { type: 'extension', name: 'hstore', action: 'create' } },
    ]);
    const sanitized = at('product/migrations/0131_auto_20201112_0904.py');
    expect(sanitized.unread[0]?.reason).toContain('saleor.core.db.fields.SanitizedJSONField, a field class twoway does not know');
  });

  it("SeparateDatabaseAndState's down reads its database AlterFields against the state they made", () => {
    const r = at('payment/migrations/0043_drop_from_state_renamed_fields.py');
    expect(r.unread).toEqual([]);
    expect(r.parsed.down?.filter((o) => o.kind === 'SetNotNull')).toHaveLength(5);
  });
});
