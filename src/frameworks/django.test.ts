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
