import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import type { Operation } from '../ir.js';
import type { ParsedMigration } from '../migration.js';
import { ruleById } from '../rules/index.js';
import { loadSqlParsers } from '../sql/index.js';
import { django } from './django.js';
import { loadPythonGrammar } from './python/ast.js';
import { djangoIndexName } from './python/django-fields.js';
import { checkTree, discoverTree } from './testing.js';

beforeAll(async () => {
  await Promise.all([loadSqlParsers(), loadPythonGrammar()]);
});

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'twoway-django-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function detect(dir: string) {
  return django.detect({ abs: dir, rel: '.', entries: readdirSync(dir, { withFileTypes: true }) });
}

/** A migration file: `operations` is the body of the list; lines of the operations start at line 7. */
function migration(deps: string, operations: string, extra = ''): string {
  return `from django.conf import settings\nfrom django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${deps}]\n${extra}    operations = [\n${operations}\n    ]\n`;
}
/** Line of the first operation in `migration()` without `extra`. */
const FIRST_OP_LINE = 8;

const INITIAL = migration(
  '',
  `        migrations.CreateModel(
            name='Customer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, unique=True)),
                ('name', models.CharField(max_length=100)),
                ('nickname', models.CharField(max_length=50, null=True, blank=True)),
            ],
        ),
        migrations.CreateModel(
            name='Invoice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('total', models.DecimalField(decimal_places=2, max_digits=10)),
                ('issued_at', models.DateTimeField()),
                ('paid', models.BooleanField(default=False)),
                ('data', models.JSONField(default=dict)),
                ('ref', models.UUIDField()),
                ('customer', models.ForeignKey(on_delete=models.deletion.CASCADE, to='billing.customer')),
            ],
            options={'db_table': 'invoices'},
        ),`,
  '    initial = True\n',
);

function parseAll(files: Record<string, string>): ParsedMigration[] {
  const found = detect(write({ 'manage.py': '', ...files }));
  expect(found?.errors).toEqual([]);
  return (found?.sets[0]?.migrations ?? []).map((m) => django.parse(m));
}

const kinds = (ops: readonly Operation[] | null) => (ops ?? []).map((o) => o.kind);
const checkTreeFiles = (files: Record<string, string>) => checkTree({ 'manage.py': '', ...files });

describe('django: field-to-column mapping (CreateModel)', () => {
  it('maps fields to PostgreSQL columns, names tables app_model unless db_table, and adds the FK, its index and _like indexes', () => {
    const [initial] = parseAll({ 'billing/migrations/__init__.py': '', 'billing/migrations/0001_initial.py': INITIAL });
    if (!initial) throw new Error('no migration');
    expect(initial.migration).toMatchObject({
      id: 'billing.0001_initial',
      framework: 'django',
      dialect: 'postgresql',
      transactional: true,
    });
    expect(kinds(initial.up)).toEqual(['CreateTable', 'AddIndex', 'CreateTable', 'AddIndex']);
    const [customer, emailLike, invoice, fkIndex] = initial.up as Operation[];
    if (customer?.kind !== 'CreateTable' || invoice?.kind !== 'CreateTable') throw new Error('not tables');
    expect(customer.table).toEqual({ name: 'billing_customer' });
    expect(customer.columns.map((c) => [c.name, c.type.text, c.nullable])).toEqual([
      ['id', 'int8', false],
      ['email', 'varchar(254)', false],
      ['name', 'varchar(100)', false],
      ['nickname', 'varchar(50)', true],
    ]);
    expect(customer.columns[0]).toMatchObject({ primaryKey: true, identity: true });
    expect(customer.constraints).toContainEqual(
      expect.objectContaining({ type: 'unique', columns: ['email'], name: 'billing_customer_email_key' }),
    );
    expect(emailLike).toMatchObject({ name: djangoIndexName('billing_customer', ['email'], '_like'), columns: ['email'] });
    expect(invoice.table).toEqual({ name: 'invoices' });
    expect(invoice.columns.map((c) => [c.name, c.type.text, c.nullable, c.default])).toEqual([
      ['id', 'int8', false, null],
      ['total', 'numeric(10,2)', false, null],
      ['issued_at', 'timestamptz', false, null],
      // default= is applied by Django, not by the database.
      ['paid', 'bool', false, null],
      ['data', 'jsonb', false, null],
      ['ref', 'uuid', false, null],
      ['customer_id', 'int8', false, null],
    ]);
    expect(invoice.constraints).toContainEqual(
      expect.objectContaining({
        type: 'foreign-key',
        name: 'invoices_customer_id_de4a11fb_fk_billing_customer_id',
        columns: ['customer_id'],
        references: { table: { name: 'billing_customer' }, columns: ['id'] },
      }),
    );
    expect(fkIndex).toMatchObject({ kind: 'AddIndex', table: { name: 'invoices' }, columns: ['customer_id'], concurrently: false });
    expect(customer.span).toMatchObject({ path: 'billing/migrations/0001_initial.py', line: FIRST_OP_LINE + 1, column: 9 });
    expect(initial.downStatus).toBe('derived');
    expect(initial.down?.map((o) => [o.kind, 'table' in o ? o.table.name : ''])).toEqual([
      ['DropTable', 'invoices'],
      ['DropTable', 'billing_customer'],
    ]);
  });

  it("names indexes like Django's schema editor (the polls tutorial's names)", () => {
    expect(djangoIndexName('polls_choice', ['question_id'], '')).toBe('polls_choice_question_id_c5b4b260');
    expect(djangoIndexName('polls_choice', ['question_id'], '_fk_polls_question_id')).toBe(
      'polls_choice_question_id_c5b4b260_fk_polls_question_id',
    );
  });
});

describe('django: field operations and their derived downs', () => {
  const files = (ops: string, extra = '') => ({
    'billing/migrations/__init__.py': '',
    'billing/migrations/0001_initial.py': INITIAL,
    'billing/migrations/0002_change.py': migration("('billing', '0001_initial')", ops, extra),
  });
  const second = (ops: string, extra = '') => parseAll(files(ops, extra))[1] as ParsedMigration;

  it('AddField NOT NULL with a Python default: added with the DEFAULT for existing rows, then the default dropped', () => {
    const p = second(`        migrations.AddField(model_name='customer', name='vip', field=models.BooleanField(default=False)),`);
    expect(p.up).toMatchObject([
      { kind: 'AddColumn', table: { name: 'billing_customer' }, column: { name: 'vip', nullable: false, default: { text: 'false' } } },
      { kind: 'SetDefault', column: 'vip', default: null },
    ]);
    expect(p.up[0]?.span).toMatchObject({ line: FIRST_OP_LINE, column: 9 });
    expect(p.down).toMatchObject([{ kind: 'DropColumn', table: { name: 'billing_customer' }, column: 'vip' }]);
  });

  it("AddField blank=True string and auto_now fields: Django fills existing rows with '' or the current time", () => {
    const p = second(`        migrations.AddField(model_name='customer', name='note', field=models.TextField(blank=True)),
        migrations.AddField(model_name='customer', name='seen_at', field=models.DateTimeField(auto_now=True)),`);
    expect(p.up).toMatchObject([
      { kind: 'AddColumn', column: { name: 'note', nullable: false, default: { text: "''" } } },
      { kind: 'SetDefault', column: 'note', default: null },
      { kind: 'AddColumn', column: { name: 'seen_at', default: { text: '<value of timezone.now() when the migration runs>' } } },
      { kind: 'SetDefault', column: 'seen_at', default: null },
    ]);
  });

  it('AddField without a default on a NOT NULL column adds it without one; db_default stays in the database', () => {
    const p = second(`        migrations.AddField(model_name='customer', name='code', field=models.CharField(max_length=10)),
        migrations.AddField(model_name='customer', name='score', field=models.IntegerField(db_default=0)),`);
    expect(p.up).toMatchObject([
      { kind: 'AddColumn', column: { name: 'code', nullable: false, default: null, type: { text: 'varchar(10)' } } },
      { kind: 'AddColumn', column: { name: 'score', default: { text: '0' } } },
    ]);
  });

  it('AddField ForeignKey: <name>_id, a deferrable FK constraint and an index', () => {
    const p = second(
      `        migrations.AddField(model_name='invoice', name='approver', field=models.ForeignKey(null=True, on_delete=models.SET_NULL, to=settings.AUTH_USER_MODEL)),`,
    );
    expect(kinds(p.up)).toEqual(['AddColumn', 'AddConstraint', 'AddIndex']);
    expect(p.up[0]).toMatchObject({ table: { name: 'invoices' }, column: { name: 'approver_id', nullable: true, type: { name: 'int8' } } });
    expect(p.up[1]).toMatchObject({ constraint: { type: 'foreign-key', references: { table: { name: 'auth_user' } } } });
    expect(p.up[2]).toMatchObject({ columns: ['approver_id'], name: djangoIndexName('invoices', ['approver_id'], '') });
  });

  it('RemoveField drops the column; its down re-adds the field as the history defined it', () => {
    const p = second(`        migrations.RemoveField(model_name='customer', name='nickname'),`);
    expect(p.up).toMatchObject([{ kind: 'DropColumn', table: { name: 'billing_customer' }, column: 'nickname' }]);
    expect(p.down).toMatchObject([{ kind: 'AddColumn', column: { name: 'nickname', nullable: true, type: { text: 'varchar(50)' } } }]);
    expect(p.downStatus).toBe('derived');
  });

  it('AlterField: type change, and NULL → NOT NULL with a default fills the NULLs first (four-way default alteration)', () => {
    const p = second(
      `        migrations.AlterField(model_name='customer', name='nickname', field=models.CharField(max_length=80, default='n/a')),`,
    );
    expect(kinds(p.up)).toEqual(['AlterColumnType', 'SetDefault', 'DataChange', 'SetNotNull', 'SetDefault']);
    expect(p.up[0]).toMatchObject({ column: 'nickname', type: { name: 'varchar', args: [80] } });
    expect(p.up[2]).toMatchObject({ action: 'update', hasWhere: true, columns: ['nickname'] });
    expect(kinds(p.down)).toEqual(['AlterColumnType', 'DropNotNull']);
    expect(p.down?.[0]).toMatchObject({ type: { text: 'varchar(50)' } });
  });

  it('AlterField primary_key=True: the old primary key goes, the column gets its own (_create_primary_key_sql, "_pk")', () => {
    const p = second(
      `        migrations.AlterField(model_name='customer', name='email', field=models.EmailField(max_length=254, primary_key=True, serialize=False, unique=True)),`,
    );
    expect(p.up).toMatchObject([
      { kind: 'DropConstraint', name: 'billing_customer_email_key' },
      { kind: 'DropConstraint', name: 'billing_customer_pkey', ifExists: true },
      {
        kind: 'AddConstraint',
        constraint: { type: 'primary-key', columns: ['email'], name: djangoIndexName('billing_customer', ['email'], '_pk') },
      },
    ]);
  });

  it('the primary key moved onto a column that was there before, the old key column dropped: a contract step (saleor order 0131)', async () => {
    const { reports } = await checkTreeFiles({
      ...files(`        migrations.AlterField(model_name='customer', name='email', field=models.EmailField(max_length=254, primary_key=True, serialize=False, unique=True)),
        migrations.RemoveField(model_name='customer', name='id'),`),
    });
    const r = reports[1];
    expect([r?.phase, r?.codeRollback, r?.dbRollback]).toEqual(['contract', 'compatible', 'irreversible']);
    expect(r?.findings.map((f) => f.rule)).not.toContain('down-references-missing');
  });

  it('RenameField renames the column (and the _id of a relation); RenameModel and AlterModelTable rename tables', () => {
    const p = second(`        migrations.RenameField(model_name='invoice', old_name='customer', new_name='client'),
        migrations.RenameField(model_name='customer', old_name='name', new_name='full_name'),
        migrations.RenameModel(old_name='Customer', new_name='Client'),
        migrations.AlterModelTable(name='invoice', table=None),`);
    expect(p.up).toMatchObject([
      { kind: 'RenameColumn', table: { name: 'invoices' }, column: 'customer_id', newName: 'client_id' },
      { kind: 'RenameColumn', table: { name: 'billing_customer' }, column: 'name', newName: 'full_name' },
      { kind: 'RenameTable', table: { name: 'billing_customer' }, newName: 'billing_client' },
      { kind: 'RenameTable', table: { name: 'invoices' }, newName: 'billing_invoice' },
    ]);
    expect(p.down).toMatchObject([
      { kind: 'RenameTable', table: { name: 'billing_invoice' }, newName: 'invoices' },
      { kind: 'RenameTable', table: { name: 'billing_client' }, newName: 'billing_customer' },
      { kind: 'RenameColumn', column: 'full_name', newName: 'name' },
      { kind: 'RenameColumn', column: 'client_id', newName: 'customer_id' },
    ]);
  });

  it('indexes and constraints: AddIndex, AddIndexConcurrently, RemoveIndex, AddConstraint, RemoveConstraint, AlterUniqueTogether', () => {
    const p = second(
      `        AddIndexConcurrently(model_name='invoice', index=models.Index(fields=['-issued_at'], name='inv_issued_idx')),
        migrations.AddConstraint(model_name='invoice', constraint=models.CheckConstraint(check=models.Q(total__gte=0), name='total_gte_0')),
        migrations.AddConstraint(model_name='invoice', constraint=models.UniqueConstraint(fields=['ref'], condition=models.Q(paid=False), name='open_ref_uniq')),
        migrations.AlterUniqueTogether(name='customer', unique_together={('name', 'nickname')}),
        migrations.RemoveConstraint(model_name='invoice', name='total_gte_0'),
        migrations.RemoveIndex(model_name='invoice', name='inv_issued_idx'),`,
      '    atomic = False\n',
    );
    expect(p.migration.transactional).toBe(false);
    expect(p.up).toMatchObject([
      { kind: 'AddIndex', name: 'inv_issued_idx', table: { name: 'invoices' }, columns: ['issued_at'], concurrently: true },
      { kind: 'AddConstraint', constraint: { type: 'check', name: 'total_gte_0', expression: 'models.Q(total__gte=0)' } },
      { kind: 'AddIndex', name: 'open_ref_uniq', unique: true, where: 'models.Q(paid=False)' },
      { kind: 'AddConstraint', table: { name: 'billing_customer' }, constraint: { type: 'unique', columns: ['name', 'nickname'] } },
      { kind: 'DropConstraint', name: 'total_gte_0' },
      { kind: 'DropIndex', index: { name: 'inv_issued_idx' }, concurrently: false },
    ]);
    expect(p.down).toMatchObject([
      { kind: 'AddIndex', name: 'inv_issued_idx', concurrently: false },
      { kind: 'AddConstraint', constraint: { name: 'total_gte_0' } },
      { kind: 'DropConstraint', table: { name: 'billing_customer' } },
      { kind: 'DropIndex', index: { name: 'open_ref_uniq' } },
      { kind: 'DropConstraint', name: 'total_gte_0' },
      { kind: 'DropIndex', index: { name: 'inv_issued_idx' }, concurrently: true },
    ]);
  });

  it('DeleteModel drops the table; Django re-creates it from the history on the way down', () => {
    const p = second(`        migrations.DeleteModel(name='Invoice'),`);
    expect(p.up).toMatchObject([{ kind: 'DropTable', table: { name: 'invoices' } }]);
    expect(kinds(p.down)).toEqual(['CreateTable', 'AddIndex']);
    expect(p.down?.[0]).toMatchObject({ table: { name: 'invoices' } });
  });
});

describe('django: RunSQL, RunPython, SeparateDatabaseAndState', () => {
  const one = (ops: string) =>
    parseAll({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_sql.py': migration('', ops) })[0] as ParsedMigration;

  it('RunSQL goes through the SQL parser at the string; reverse_sql gives the down', () => {
    const p = one(`        migrations.RunSQL(
            sql="""
            CREATE INDEX CONCURRENTLY shop_order_created ON shop_order (created_at);
            """,
            reverse_sql=['DROP INDEX shop_order_created;'],
        ),`);
    expect(p.up).toMatchObject([{ kind: 'AddIndex', concurrently: true, span: { line: FIRST_OP_LINE + 2, column: 13 } }]);
    expect(p.downStatus).toBe('derived');
    expect(p.down).toMatchObject([{ kind: 'DropIndex', index: { name: 'shop_order_created' } }]);
  });

  it('RunSQL without reverse_sql: Django cannot reverse the migration', () => {
    const p = one(`        migrations.RunSQL("UPDATE shop_order SET state = 'done' WHERE state IS NULL"),`);
    expect(p.up).toMatchObject([{ kind: 'DataChange', action: 'update' }]);
    expect(p).toMatchObject({ downStatus: 'irreversible', down: null });
    expect(p.notes).toMatchObject([{ rule: 'framework-cannot-reverse', span: { line: FIRST_OP_LINE, column: 9 } }]);
  });

  it('RunSQL.noop as reverse keeps the migration reversible; SQL built at run time is not analyzed', () => {
    const p = one(`        migrations.RunSQL(sql="UPDATE t SET a = 1", reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(build_sql(), migrations.RunSQL.noop),`);
    expect(p.up).toMatchObject([{ kind: 'DataChange' }, { kind: 'Raw', notAnalyzed: 'SQL built at run time (not a string literal)' }]);
    expect(p.down).toMatchObject([
      { kind: 'Raw', statement: 'RunSQL.noop' },
      { kind: 'Raw', statement: 'RunSQL.noop' },
    ]);
  });

  it('RunPython is never run: a not-analyzed data step; without reverse_code Django cannot reverse it', () => {
    const p = one(`        migrations.RunPython(fill_codes),`);
    expect(p.up).toMatchObject([{ kind: 'Raw', statement: 'RunPython', notAnalyzed: null }]);
    expect(p.notes).toMatchObject([
      { rule: 'not-analyzed', span: { line: FIRST_OP_LINE } },
      { rule: 'framework-cannot-reverse', message: expect.stringContaining('RunPython without reverse_code') },
    ]);
    expect(p).toMatchObject({ downStatus: 'irreversible', down: null });
  });

  it('RunPython with reverse_code or RunPython.noop has a down', () => {
    const withCode = one(`        migrations.RunPython(fill_codes, reverse_code=clear_codes),`);
    expect(withCode.down).toMatchObject([{ kind: 'Raw', statement: 'RunPython' }]);
    const noop = one(`        migrations.RunPython(fill_codes, migrations.RunPython.noop),`);
    expect(noop.down).toMatchObject([{ kind: 'Raw', statement: 'RunPython.noop' }]);
    expect(noop.notes?.map((n) => n.rule)).toEqual(['not-analyzed']);
  });

  it('SeparateDatabaseAndState: only database_operations touch the database', () => {
    const p = one(`        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.CreateModel(name='Legacy', fields=[('id', models.AutoField(primary_key=True))], options={'db_table': 'legacy'})],
            database_operations=[migrations.RunSQL('ALTER TABLE old_legacy RENAME TO legacy', 'ALTER TABLE legacy RENAME TO old_legacy')],
        ),
        migrations.AddField(model_name='legacy', name='note', field=models.TextField(null=True)),`);
    expect(p.up).toMatchObject([
      { kind: 'RenameTable', table: { name: 'old_legacy' }, newName: 'legacy' },
      { kind: 'AddColumn', table: { name: 'legacy' }, column: { name: 'note', type: { name: 'text' } } },
    ]);
    expect(p.down).toMatchObject([
      { kind: 'DropColumn', table: { name: 'legacy' }, column: 'note' },
      { kind: 'RenameTable', table: { name: 'legacy' }, newName: 'old_legacy' },
    ]);
  });

  it('operations twoway does not model, or built at run time, are not analyzed at their location', () => {
    const p = one(`        CustomOperation('x'),
        *make_operations(),`);
    expect(p.up).toMatchObject([
      { kind: 'Raw', notAnalyzed: 'CustomOperation is not an operation twoway models', span: { line: FIRST_OP_LINE } },
      { kind: 'Raw', notAnalyzed: 'an operation built at run time', span: { line: FIRST_OP_LINE + 1 } },
    ]);
  });
});

describe('django: discovery and order', () => {
  it('orders across apps by dependencies and run_before, reads the dialect from settings, and uses a squash instead of what it replaces', () => {
    const found = detect(
      write({
        'manage.py': '',
        'config/settings.py': "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': os.environ['DB']}}\n",
        'accounts/migrations/__init__.py': '',
        'accounts/migrations/0001_initial.py': migration('', ''),
        'accounts/migrations/0002_profile.py': migration("('accounts', '0001_initial'), ('billing', '0002_invoice')", ''),
        'billing/migrations/__init__.py': '',
        'billing/migrations/0001_initial.py': migration("('accounts', '0001_initial'), ('auth', '0012_alter_user')", ''),
        'billing/migrations/0002_invoice.py': migration("('billing', '0001_initial')", ''),
        'billing/migrations/0001_squashed_0002.py': migration(
          "('accounts', '0001_initial')",
          '',
          "    replaces = [('billing', '0001_initial'), ('billing', '0002_invoice')]\n",
        ),
        'zeta/migrations/__init__.py': '',
        'zeta/migrations/0001_initial.py': migration('', '', "    run_before = [('accounts', '0001_initial')]\n"),
      }),
    );
    expect(found?.errors).toEqual([]);
    expect(found?.sets[0]?.dialect).toBe('mysql');
    expect(found?.sets[0]?.migrations.map((m) => m.id)).toEqual([
      'zeta.0001_initial',
      'accounts.0001_initial',
      'billing.0001_squashed_0002',
      'accounts.0002_profile',
    ]);
  });

  it('a dependency on a deleted migration goes to the one that replaces it, as Django’s loader re-points it', () => {
    const found = detect(
      write({
        'manage.py': '',
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py': migration('', ''),
        // 0002_drop was deleted; 0004_drop_in_steps stands for it, and 0003_later still names it.
        'shop/migrations/0003_later.py': migration("('shop', '0002_drop')", ''),
        'shop/migrations/0004_drop_in_steps.py': migration("('shop', '0001_initial')", '', "    replaces = [('shop', '0002_drop')]\n"),
      }),
    );
    expect(found?.errors).toEqual([]);
    expect(found?.sets[0]?.migrations.map((m) => m.id)).toEqual(['shop.0001_initial', 'shop.0004_drop_in_steps', 'shop.0003_later']);
  });

  it('a dependency on a missing migration of a project app is a clear error', () => {
    const found = detect(
      write({
        'manage.py': '',
        'shop/migrations/__init__.py': '',
        'shop/migrations/0002_x.py': migration("('shop', '0001_initial')", ''),
      }),
    );
    expect(found?.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'shop/migrations/0002_x.py: shop.0002_x depends on shop.0001_initial, which is not in the project',
    ]);
  });
});

const repoRoot = join(import.meta.dirname, '../..');
const exampleReports = async () => {
  const result = await check(['examples/django'], { cwd: repoRoot });
  return { result, reports: result.sets.flatMap((s) => s.reports) };
};

describe('examples/django', () => {
  it('is one Django project: apps ordered by their dependencies, dialect from settings.py, downs derived', async () => {
    const { result, reports } = await exampleReports();
    expect(result.errors).toEqual([]);
    expect(result.sets.map((s) => [s.set.framework, s.set.dialect])).toEqual([['django', 'postgresql']]);
    expect(reports.map((r) => r.parsed.migration.id)).toEqual([
      'shop.0001_initial',
      'shop.0002_customer_nickname',
      'accounts.0001_initial',
      'shop.0003_fill_nickname',
      'shop.0004_product_name_longer',
      'shop.0005_rename_order_total',
      'shop.0006_remove_customer_fax',
      'shop.0007_order_status_index',
      'shop.0008_sales_view',
    ]);
    expect(reports.map((r) => r.parsed.downStatus)).toEqual([
      'derived',
      'derived',
      'derived',
      'derived',
      'derived',
      'derived',
      'derived',
      'derived',
      'irreversible',
    ]);
    const [initial] = reports;
    // Customer, Product, Order + the products join table, with the FK indexes and _like indexes Django builds.
    expect(initial?.parsed.up.filter((o) => o.kind === 'CreateTable').map((o) => (o.kind === 'CreateTable' ? o.table.name : ''))).toEqual([
      'shop_customer',
      'shop_product',
      'shop_order',
      'shop_order_products',
    ]);
    const profile = reports[2]?.parsed.up[0];
    expect(profile).toMatchObject({ kind: 'CreateTable', table: { name: 'account_profiles' } });
    expect(
      profile?.kind === 'CreateTable' && profile.constraints.filter((c) => c.type === 'foreign-key').map((c) => c.references?.table.name),
    ).toEqual(['shop_customer', 'auth_user']);
    expect(reports.find((r) => r.parsed.migration.name === '0007_order_status_index')?.parsed.migration.transactional).toBe(false);
    expect(reports.find((r) => r.parsed.migration.name === '0005_rename_order_total')?.parsed.up).toMatchObject([
      { kind: 'RenameColumn', table: { name: 'shop_order' }, column: 'total', newName: 'amount' },
    ]);
  });
});

const VERDICT_RULES = ['drop-column', 'rename-column', 'update-rows', 'down-renarrows-type'];

describe.skipIf(!VERDICT_RULES.every((id) => ruleById(id)))('verdicts (need all rules)', () => {
  it('examples/django covers every phase and dbRollback answer', async () => {
    const { reports } = await exampleReports();
    expect(Object.fromEntries(reports.map((r) => [r.parsed.migration.id, [r.phase, r.codeRollback, r.dbRollback]]))).toEqual({
      'shop.0001_initial': ['expand', 'compatible', 'reversible'],
      'shop.0002_customer_nickname': ['expand', 'compatible', 'reversible'],
      'accounts.0001_initial': ['expand', 'compatible', 'reversible'],
      // RunPython runs application code no reader follows.
      'shop.0003_fill_nickname': ['unknown', 'unknown', 'unknown'],
      'shop.0004_product_name_longer': ['expand', 'compatible', 'lossy'],
      'shop.0005_rename_order_total': ['breaking', 'breaking', 'reversible'],
      'shop.0006_remove_customer_fax': ['contract', 'compatible', 'irreversible'],
      'shop.0007_order_status_index': ['expand', 'compatible', 'reversible'],
      'shop.0008_sales_view': ['expand', 'compatible', 'no-down'],
    });
  });
});

describe('django: one app checked on its own', () => {
  it("finds the project's settings above the app and leaves other folders of the project to the other adapters", async () => {
    const dir = write({
      'manage.py': '',
      'site/settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n",
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': migration('', ''),
      'db/migrations/000001_init.up.sql': 'CREATE TABLE t (id int);\n',
    });
    const app = django.detect({
      abs: join(dir, 'shop/migrations'),
      rel: 'shop/migrations',
      entries: readdirSync(join(dir, 'shop/migrations'), { withFileTypes: true }),
    });
    expect(app?.sets[0]?.dialect).toBe('sqlite');
    const result = await check(['.'], { cwd: dir });
    expect(result.sets.map((s) => s.set.framework).sort()).toEqual(['django', 'golang-migrate']);
  });
});

/** Checks a project (manage.py added) and returns each migration's three answers by id. */
async function verdictsOf(files: Record<string, string>) {
  const result = await check(['.'], { cwd: write({ 'manage.py': '', ...files }) });
  const reports = result.sets.flatMap((s) => s.reports);
  const verdict = (id: string) => {
    const r = reports.find((x) => x.parsed.migration.id === id);
    return r ? [r.phase, r.codeRollback, r.dbRollback] : null;
  };
  return { result, reports, verdict };
}

const billing = (ops: string, extra = '') => ({
  'billing/migrations/__init__.py': '',
  'billing/migrations/0001_initial.py': INITIAL,
  'billing/migrations/0002_change.py': migration("('billing', '0001_initial')", ops, extra),
});

describe('django: migrations that change nothing are two-way doors', () => {
  it.each([
    ['a merge migration', ''],
    [
      'AlterField of choices, help_text, verbose_name, validators and blank',
      `        migrations.AlterField(model_name='customer', name='name', field=models.CharField(max_length=100, blank=True, choices=[('a', 'A')], help_text='h', verbose_name='n', validators=[v])),`,
    ],
    [
      'AlterModelOptions and AlterModelManagers',
      `        migrations.AlterModelOptions(name='customer', options={'ordering': ['name']}),\n        migrations.AlterModelManagers(name='customer', managers=[('objects', Manager())]),`,
    ],
    [
      'a state-only SeparateDatabaseAndState',
      `        migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField(model_name='customer', name='nickname')]),`,
    ],
    ['RunPython of a function that does nothing, both ways', `        migrations.RunPython(forwards, backwards),`],
  ])('%s: expand / compatible / reversible, with no operations', async (_case, ops) => {
    const extra = `def forwards(apps, schema_editor):\n    """Nothing to do."""\n    pass\n\n\ndef backwards(apps, schema_editor):\n    return\n\n\n`;
    const files = billing(ops);
    files['billing/migrations/0002_change.py'] = extra + files['billing/migrations/0002_change.py'];
    const { result, reports, verdict } = await verdictsOf(files);
    expect(result.errors).toEqual([]);
    expect(reports.find((r) => r.parsed.migration.id === 'billing.0002_change')?.parsed.up.filter((o) => o.kind !== 'Raw')).toEqual([]);
    expect(verdict('billing.0002_change')).toEqual(['expand', 'compatible', 'reversible']);
  });
});

describe('django: names and columns Django generates', () => {
  const second = (ops: string, extra = '') => parseAll(billing(ops, extra))[1] as ParsedMigration;

  it('a ManyToManyField makes a join table named <table>_<field> (db_table when given, cut to 63 characters like truncate_name), no column', () => {
    const p = second(`        migrations.AddField(model_name='customer', name='tags', field=models.ManyToManyField(to='billing.invoice')),
        migrations.AddField(model_name='customer', name='links', field=models.ManyToManyField(to='billing.invoice', db_table='customer_links')),
        migrations.AddField(model_name='customer', name='a_very_long_relation_name_that_goes_past_the_limit', field=models.ManyToManyField(to='billing.invoice')),`);
    const tables = p.up.filter((o) => o.kind === 'CreateTable').map((o) => (o.kind === 'CreateTable' ? o.table.name : ''));
    expect(tables.slice(0, 2)).toEqual(['billing_customer_tags', 'customer_links']);
    expect(tables[2]).toHaveLength(63);
    expect(tables[2]?.startsWith('billing_customer_a_very_long_relation_name_that_goes_past_t')).toBe(true);
    expect(p.up.some((o) => o.kind === 'AddColumn')).toBe(false);
    const join = p.up[0];
    expect(join?.kind === 'CreateTable' && join.columns.map((c) => c.name)).toEqual(['id', 'customer_id', 'invoice_id']);
  });

  it('ManyToManyField(through=...), TaggableManager and GenericRelation make no column and no table', () => {
    const p = second(
      `        migrations.AddField(model_name='customer', name='invoices', field=models.ManyToManyField(through='billing.Link', to='billing.invoice')),
        migrations.AddField(model_name='customer', name='tags', field=taggit.managers.TaggableManager(through='taggit.TaggedItem', to='taggit.Tag')),
        migrations.AddField(model_name='customer', name='notes', field=django.contrib.contenttypes.fields.GenericRelation(to='notes.note')),`,
    );
    expect(p.up).toEqual([]);
    expect(p.down).toEqual([]);
  });

  it('ForeignKey columns are <name>_id unless db_column; the FK follows the target primary key and to_field', () => {
    const p =
      second(`        migrations.AddField(model_name='invoice', name='payer', field=models.ForeignKey(null=True, on_delete=models.CASCADE, to='billing.customer', db_column='payer_ref')),
        migrations.AddField(model_name='invoice', name='by_email', field=models.ForeignKey(null=True, on_delete=models.CASCADE, to='billing.customer', to_field='email')),`);
    expect(
      p.up.filter((o) => o.kind === 'AddColumn').map((o) => (o.kind === 'AddColumn' ? [o.column.name, o.column.type.text] : [])),
    ).toEqual([
      ['payer_ref', 'int8'],
      ['by_email_id', 'varchar(254)'],
    ]);
    expect(p.up.filter((o) => o.kind === 'AddConstraint').map((o) => (o.kind === 'AddConstraint' ? o.constraint.name : ''))).toEqual([
      djangoIndexName('invoices', ['payer_ref'], '_fk_billing_customer_id'),
      djangoIndexName('invoices', ['by_email_id'], '_fk_billing_customer_email'),
    ]);
  });

  it('AlterField of a ForeignKey drops its constraint and makes it again, like Django; on_delete and related_name alone change nothing', () => {
    const retarget = second(
      `        migrations.AlterField(model_name='invoice', name='customer', field=models.ForeignKey(on_delete=models.CASCADE, to='billing.customer', to_field='email')),`,
    );
    expect(retarget.up.map((o) => o.kind)).toEqual(['DropConstraint', 'AlterColumnType', 'AddConstraint']);
    expect(retarget.up[2]).toMatchObject({ constraint: { references: { table: { name: 'billing_customer' }, columns: ['email'] } } });
    const nothing = second(
      `        migrations.AlterField(model_name='invoice', name='customer', field=models.ForeignKey(on_delete=models.SET_NULL, related_name='bills', to='billing.Customer')),`,
    );
    expect(nothing.up).toEqual([]);
  });

  it('RenameField keeps unique_together pointing at the field; the constraint keeps the name it was made with', () => {
    const files = {
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': migration(
        '',
        `        migrations.CreateModel(name='Line', fields=[('id', models.AutoField(primary_key=True)), ('product', models.IntegerField()), ('cart', models.IntegerField())], options={'unique_together': {('cart', 'product')}}),`,
      ),
      'billing/migrations/0002_rename.py': migration(
        "('billing', '0001_initial')",
        `        migrations.RenameField(model_name='line', old_name='product', new_name='variant'),
        migrations.AlterUniqueTogether(name='line', unique_together={('cart', 'variant')}),`,
      ),
      'billing/migrations/0003_drop.py': migration(
        "('billing', '0002_rename')",
        `        migrations.AlterUniqueTogether(name='line', unique_together=set()),`,
      ),
    };
    const [, rename, drop] = parseAll(files);
    expect(rename?.up).toMatchObject([{ kind: 'RenameColumn', column: 'product', newName: 'variant' }]);
    expect(drop?.up).toMatchObject([{ kind: 'DropConstraint', name: djangoIndexName('billing_line', ['cart', 'product'], '_uniq') }]);
  });

  it('index classes and operator classes are part of the index: a GIN index with gin_trgm_ops replacing a plain GIN is a change', () => {
    const p = second(
      `        migrations.AddIndex(model_name='customer', index=django.contrib.postgres.indexes.GinIndex(fields=['name'], name='c_name_gin', opclasses=['gin_trgm_ops'])),`,
    );
    expect(p.up).toMatchObject([{ kind: 'AddIndex', name: 'c_name_gin', method: 'gin', columns: ['name gin_trgm_ops'] }]);
  });

  it('a Positive*Field check is dropped by the name PostgreSQL gave it when the field becomes a plain integer', () => {
    const files = {
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': migration(
        '',
        `        migrations.CreateModel(name='Stock', fields=[('id', models.AutoField(primary_key=True)), ('quantity', models.PositiveIntegerField(default=0))]),`,
      ),
      'billing/migrations/0002_signed.py': migration(
        "('billing', '0001_initial')",
        `        migrations.AlterField(model_name='stock', name='quantity', field=models.IntegerField(default=0)),`,
      ),
    };
    const [, signed] = parseAll(files);
    expect(signed?.up).toMatchObject([{ kind: 'DropConstraint', name: 'billing_stock_quantity_check' }]);
    expect(signed?.down).toMatchObject([{ kind: 'AddConstraint', constraint: { type: 'check', expression: '"quantity" >= 0' } }]);
  });

  it('AlterModelTable inside SeparateDatabaseAndState renames the table; its state operations move the model', () => {
    const p = second(`        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name='customer', table='clients')],
            state_operations=[migrations.AlterModelTable(name='customer', table='clients')],
        ),
        migrations.AddField(model_name='customer', name='note', field=models.TextField(null=True)),`);
    expect(p.up).toMatchObject([
      { kind: 'RenameTable', table: { name: 'billing_customer' }, newName: 'clients' },
      { kind: 'AddColumn', table: { name: 'clients' } },
    ]);
    expect(p.down).toMatchObject([
      { kind: 'DropColumn', table: { name: 'clients' } },
      { kind: 'RenameTable', table: { name: 'clients' }, newName: 'billing_customer' },
    ]);
  });

  it("the down of SeparateDatabaseAndState runs its database operations against the state they made, not the state's", () => {
    const p = second(`        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterField(model_name='customer', name='name', field=models.CharField(max_length=100, null=True))],
            state_operations=[migrations.RemoveField(model_name='customer', name='name')],
        ),`);
    expect(p.up).toMatchObject([{ kind: 'DropNotNull', column: 'name' }]);
    expect(p.down).toMatchObject([{ kind: 'SetNotNull', column: 'name' }]);
  });

  it('AddField with default= adds the column with that default and then drops it: old INSERTs that leave it out fail (breaking)', async () => {
    const { verdict, reports } = await verdictsOf(
      billing(`        migrations.AddField(model_name='customer', name='tier', field=models.CharField(max_length=10, default='basic')),`),
    );
    expect(reports.at(-1)?.parsed.up.map((o) => o.kind)).toEqual(['AddColumn', 'SetDefault']);
    expect(verdict('billing.0002_change')?.[1]).toBe('breaking');
  });

  it('AddField with db_default keeps the default in the database: compatible', async () => {
    const { verdict } = await verdictsOf(
      billing(
        `        migrations.AddField(model_name='customer', name='tier', field=models.CharField(max_length=10, db_default='basic')),`,
      ),
    );
    expect(verdict('billing.0002_change')).toEqual(['expand', 'compatible', 'reversible']);
  });
});

describe('django: field classes of other packages, judged by what they subclass', () => {
  const fields = `import django.contrib.postgres.fields.jsonb
import djmoney.models.fields
import jsonfield.fields
from django_countries.fields import CountryField
from timezone_field import TimeZoneField
import myapp.fields
`;
  const created = (field: string) => {
    const p = parseAll({
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py':
        fields +
        migration(
          '',
          `        migrations.CreateModel(name='Thing', fields=[('id', models.AutoField(primary_key=True)), ('f', ${field})]),`,
        ),
    })[0] as ParsedMigration;
    const table = p.up[0];
    return table?.kind === 'CreateTable' ? table.columns.find((c) => c.name === 'f')?.type.text : null;
  };

  it.each([
    ['TimeZoneField()', 'varchar(63)'],
    ["djmoney.models.fields.MoneyField(decimal_places=2, default_currency='USD', max_digits=14)", 'numeric(14,2)'],
    ['djmoney.models.fields.CurrencyField(max_length=3)', 'varchar(3)'],
    ['CountryField(max_length=2)', 'varchar(2)'],
    ['django.contrib.postgres.fields.jsonb.JSONField(default=dict)', 'jsonb'],
    ['jsonfield.fields.JSONField(default=dict)', 'text'],
    ['models.JSONField(default=dict)', 'jsonb'],
    ['myapp.fields.FancyField()', 'FancyField'],
  ])('%s is a %s column', (field, type) => {
    expect(created(field)).toBe(type);
  });

  it('a field class twoway does not know makes AddField and a type-changing AlterField not analyzed; the same class with other Python-only options changes nothing', () => {
    const files = {
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py':
        fields +
        migration(
          '',
          `        migrations.CreateModel(name='Thing', fields=[('id', models.AutoField(primary_key=True)), ('data', models.JSONField(default=dict))]),`,
        ),
      'billing/migrations/0002_fancy.py':
        fields +
        migration(
          "('billing', '0001_initial')",
          `        migrations.AlterField(model_name='thing', name='data', field=myapp.fields.FancyField(default=dict)),`,
        ),
      'billing/migrations/0003_help.py':
        fields +
        migration(
          "('billing', '0002_fancy')",
          `        migrations.AlterField(model_name='thing', name='data', field=myapp.fields.FancyField(default=dict, help_text='x', verbose_name='data')),`,
        ),
      'billing/migrations/0004_add.py':
        fields +
        migration(
          "('billing', '0003_help')",
          `        migrations.AddField(model_name='thing', name='extra', field=myapp.fields.FancyField(null=True)),`,
        ),
    };
    const [, fancy, help, add] = parseAll(files);
    expect(fancy?.up).toMatchObject([
      { kind: 'Raw', notAnalyzed: expect.stringContaining('myapp.fields.FancyField, a field class twoway does not know') },
    ]);
    expect(help?.up).toEqual([]);
    expect(add?.up).toMatchObject([{ kind: 'Raw', notAnalyzed: expect.stringContaining('whether it makes a column') }]);
  });

  it('max_length=settings.NAME is read from the project settings', () => {
    const p = parseAll({
      'mysite/settings.py': 'INSTALLED_APPS = []\nCURRENCY_LENGTH = 3\n',
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': migration(
        '',
        `        migrations.CreateModel(name='Price', fields=[('id', models.AutoField(primary_key=True)), ('currency', models.CharField(max_length=settings.CURRENCY_LENGTH))]),`,
      ),
    })[0];
    const table = p?.up[0];
    expect(table?.kind === 'CreateTable' && table.columns.map((c) => c.type.text)).toEqual(['int4', 'varchar(3)']);
  });
});

describe('django: code paths, errors and transactions as Django runs them', () => {
  const one = (ops: string, head = '', extra = '') =>
    parseAll({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_x.py': head + migration('', ops, extra) })[0] as ParsedMigration;

  it('operations held in class attributes, module constants and concatenations of lists are read', () => {
    const p = one(
      `        *STATE,`,
      `CREATE = "CREATE TABLE shop_t (id int)"\nSTATE = [migrations.RunSQL(CREATE, "DROP TABLE shop_t")]\n`,
      `    more = [migrations.RunSQL(f"ALTER TABLE {TABLE} ADD COLUMN n int", migrations.RunSQL.noop)]\n`,
    );
    expect(p.up).toMatchObject([{ kind: 'CreateTable', table: { name: 'shop_t' } }]);
    const q = parseAll({
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_x.py': `from django.db import migrations\n\nTABLE = 'shop_t'\nA = [migrations.RunSQL("CREATE TABLE shop_t (id int)", "DROP TABLE shop_t")]\n\n\nclass Migration(migrations.Migration):\n    b = [migrations.RunSQL(f"ALTER TABLE {TABLE} ADD COLUMN n int", migrations.RunSQL.noop)]\n    operations = A + b\n`,
    })[0];
    expect(q?.up.map((o) => o.kind)).toEqual(['CreateTable', 'AddColumn']);
  });

  it('a list comprehension over a literal collection is one operation per element', () => {
    const p = parseAll({
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_x.py': `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL(f"CREATE INDEX shop_{c}_idx ON shop_t ({c})", f"DROP INDEX shop_{c}_idx") for c in ('a', 'b')]\n`,
    })[0];
    expect(p?.up.map((o) => (o.kind === 'AddIndex' ? o.name : o.kind))).toEqual(['shop_a_idx', 'shop_b_idx']);
  });

  it('operations chosen by connection.vendor take the branch of the set', () => {
    const p = parseAll({
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_x.py': `from django.db import connection, migrations\n\n\nclass Migration(migrations.Migration):\n    if connection.vendor == 'postgresql':\n        operations = [migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop)]\n    else:\n        operations = []\n`,
    })[0];
    expect(p?.up).toMatchObject([{ kind: 'Raw', object: { type: 'extension', name: 'pg_trgm' } }]);
  });

  it('a Python syntax error is a read error with the line and the parser message; the migration stays in the graph with unknown answers', async () => {
    const { result, verdict } = await verdictsOf({
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': migration('', `        migrations.RunSQL("CREATE TABLE shop_t (id int)", "DROP TABLE shop_t"),`),
      'shop/migrations/0002_broken.py': `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = [\n        migrations.RunSQL("DROP TABLE shop_t",\n    ]\n`,
      'shop/migrations/0003_after.py': migration("('shop', '0002_broken')", ''),
    });
    expect(result.errors).toMatchObject([
      { path: 'shop/migrations/0002_broken.py', line: 7, message: expect.stringContaining('Python syntax error') },
    ]);
    expect(verdict('shop.0002_broken')).toEqual(['unknown', 'unknown', 'unknown']);
    expect(verdict('shop.0003_after')).toEqual(['expand', 'compatible', 'reversible']);
  });

  it('two migrations of one name in an app (two apps with one label) are an error naming both files', () => {
    const found = detect(
      write({
        'manage.py': '',
        'a/shop/migrations/__init__.py': '',
        'a/shop/migrations/0001_initial.py': migration('', ''),
        'b/shop/migrations/__init__.py': '',
        'b/shop/migrations/0001_initial.py': migration('', ''),
      }),
    );
    expect(found?.sets[0]?.migrations.map((m) => m.path)).toEqual(['a/shop/migrations/0001_initial.py']);
    expect(found?.errors).toMatchObject([
      {
        path: 'b/shop/migrations/0001_initial.py',
        message: expect.stringContaining('a/shop/migrations/0001_initial.py and b/shop/migrations/0001_initial.py'),
      },
    ]);
  });

  it.each([
    ['an atomic migration', true, ''],
    ['atomic = False', false, '    atomic = False\n'],
  ])('AddIndexConcurrently in %s: concurrently-in-transaction reported: %s', async (_case, flagged, extra) => {
    const { reports } = await verdictsOf(
      billing(`        AddIndexConcurrently(model_name='customer', index=models.Index(fields=['name'], name='c_name_idx')),`, extra),
    );
    const rules = reports.find((r) => r.parsed.migration.id === 'billing.0002_change')?.findings.map((f) => f.rule) ?? [];
    expect(rules.includes('concurrently-in-transaction')).toBe(flagged);
  });

  it('RunPython with a reverse function: the down runs code twoway never reads, a not-analyzed note about the down', () => {
    const p = one(`        migrations.RunPython(migrations.RunPython.noop, undo),`);
    expect(p.notes).toMatchObject([{ rule: 'not-analyzed', direction: 'down' }]);
  });

  it('operations on a swapped model (auth.User when AUTH_USER_MODEL names another) do nothing, as Django skips them', () => {
    const ps = parseAll({
      'mysite/settings.py': "INSTALLED_APPS = []\nAUTH_USER_MODEL = 'accounts.User'\n",
      'auth/migrations/__init__.py': '',
      'auth/migrations/0001_initial.py': migration(
        '',
        `        migrations.CreateModel(name='User', fields=[('id', models.AutoField(primary_key=True)), ('first_name', models.CharField(max_length=30))], options={'swappable': 'AUTH_USER_MODEL'}),`,
      ),
      'auth/migrations/0002_longer.py': migration(
        "('auth', '0001_initial')",
        `        migrations.AlterField(model_name='user', name='first_name', field=models.CharField(max_length=150)),`,
      ),
    });
    expect(ps.map((p) => p.up)).toEqual([[], []]);
  });

  it('CreateExtension and its named subclasses create the extension on PostgreSQL and drop it on the way back', () => {
    const p = one(`        HStoreExtension(),\n        CreateExtension('citext'),`);
    expect(p.up).toMatchObject([
      { kind: 'Raw', object: { type: 'extension', name: 'hstore', action: 'create' }, notAnalyzed: null },
      { kind: 'Raw', object: { type: 'extension', name: 'citext', action: 'create' } },
    ]);
    expect(p.down).toMatchObject([{ object: { name: 'citext', action: 'drop' } }, { object: { name: 'hstore', action: 'drop' } }]);
  });

  it('AlterIndexTogether makes _idx indexes, AlterOrderWithRespectTo an _order column, AddConstraintNotValid and ValidateConstraint', () => {
    const p = parseAll(
      billing(`        migrations.AlterIndexTogether(name='customer', index_together={('name', 'nickname')}),
        migrations.AlterOrderWithRespectTo(name='invoice', order_with_respect_to='customer'),
        AddConstraintNotValid(model_name='invoice', constraint=models.CheckConstraint(check=models.Q(total__gte=0), name='total_gte_0')),
        ValidateConstraint(model_name='invoice', name='total_gte_0'),
        migrations.RenameIndex(model_name='customer', new_name='customer_names_idx', old_fields=('name', 'nickname')),`),
    )[1];
    expect(p?.up).toMatchObject([
      { kind: 'AddIndex', name: djangoIndexName('billing_customer', ['name', 'nickname'], '_idx'), columns: ['name', 'nickname'] },
      { kind: 'AddColumn', table: { name: 'invoices' }, column: { name: '_order', nullable: false } },
      { kind: 'SetDefault', column: '_order', default: null },
      { kind: 'AddConstraint', constraint: { name: 'total_gte_0', notValid: true } },
      { kind: 'ValidateConstraint', name: 'total_gte_0' },
      {
        kind: 'RenameIndex',
        index: { name: djangoIndexName('billing_customer', ['name', 'nickname'], '_idx') },
        newName: 'customer_names_idx',
      },
    ]);
  });
});

describe('django: the project around an app', () => {
  it('a checkout without manage.py is one project, found by the settings module that lists INSTALLED_APPS', () => {
    const found = discoverTree({
      'site/settings.py': "INSTALLED_APPS = ['site.shop', 'site.billing']\n",
      'site/shop/migrations/__init__.py': '',
      'site/shop/migrations/0001_initial.py': migration('', ''),
      'site/billing/migrations/__init__.py': '',
      'site/billing/migrations/0001_initial.py': migration("('shop', '0001_initial')", ''),
    });
    expect(found.sets.map((s) => [s.framework, s.root, s.migrations.map((m) => m.id)])).toEqual([
      ['django', 'site', ['shop.0001_initial', 'billing.0001_initial']],
    ]);
    expect(found.errors).toEqual([]);
  });

  it("one app checked alone replays the whole project (its models reference the others') and reports only that app", async () => {
    const dir = write({
      'manage.py': '',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': migration(
        '',
        `        migrations.CreateModel(name='Customer', fields=[('id', models.BigAutoField(primary_key=True)), ('name', models.CharField(max_length=50))]),`,
      ),
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': migration(
        "('shop', '0001_initial')",
        `        migrations.CreateModel(name='Invoice', fields=[('id', models.BigAutoField(primary_key=True)), ('customer', models.ForeignKey(on_delete=models.CASCADE, to='shop.customer'))]),`,
      ),
      'billing/migrations/0002_wider.py': migration(
        "('billing', '0001_initial')",
        `        migrations.AlterField(model_name='invoice', name='customer', field=models.ForeignKey(null=True, on_delete=models.CASCADE, to='shop.customer')),`,
      ),
    });
    const result = await check(['billing/migrations'], { cwd: dir });
    expect(result.errors).toEqual([]);
    const reports = result.sets.flatMap((s) => s.reports);
    expect(reports.map((r) => r.parsed.migration.id)).toEqual(['billing.0001_initial', 'billing.0002_wider']);
    expect(reports[1]?.parsed.up).toMatchObject([
      { kind: 'DropConstraint' },
      { kind: 'DropNotNull', column: 'customer_id' },
      { kind: 'AddConstraint', constraint: { references: { table: { name: 'shop_customer' } } } },
    ]);
  });
});

describe("django: the project's own field classes", () => {
  const project = {
    'myapp/__init__.py': 'from .fields import FancyField as Fancy\n',
    'myapp/fields.py': `from django.db import models
from django.contrib.postgres.fields import JSONField as PgJSON


class SanitizedJSONField(PgJSON):
    def __init__(self, *args, sanitizer=None, **kwargs):
        self.sanitizer = sanitizer
        super().__init__(*args, **kwargs)


class FancyField(SanitizedJSONField):
    pass


class OwnTypeField(models.Field):
    def db_type(self, connection):
        return 'citext'
`,
  };
  const typeOf = (field: string) => {
    const p = parseAll({
      ...project,
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': `import myapp\nimport myapp.fields\n${migration('', `        migrations.CreateModel(name='Thing', fields=[('id', models.AutoField(primary_key=True)), ('f', ${field})]),`)}`,
    })[0];
    const table = p?.up[0];
    return table?.kind === 'CreateTable' ? table.columns.find((c) => c.name === 'f')?.type.text : null;
  };

  it.each([
    ['myapp.fields.SanitizedJSONField(default=dict)', 'jsonb'],
    ['myapp.fields.FancyField()', 'jsonb'],
    ['myapp.Fancy()', 'jsonb'],
    ['myapp.fields.OwnTypeField()', 'OwnTypeField'],
  ])('%s is read from the project source as %s', (field, type) => {
    expect(typeOf(field)).toBe(type);
  });
});
