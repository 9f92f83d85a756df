// Speed of the Python adapters (Alembic, Django): `node --import tsx bench/python.ts`.
// Checks the Python corpora under ../shared/corpus when present, and ~2000 generated migrations.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { check } from '../src/check.js';

const repoRoot = resolve(import.meta.dirname, '..');
const PER_FRAMEWORK = 1000;

function corpusRoot(): string | null {
  for (const dir of [resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus']) if (existsSync(dir)) return dir;
  return null;
}

async function measure(label: string, path: string, cwd: string): Promise<void> {
  const start = performance.now();
  const result = await check([path], { cwd });
  const seconds = (performance.now() - start) / 1000;
  const files = result.sets.reduce((n, s) => n + s.reports.length, 0);
  const findings = result.sets.reduce((n, s) => n + s.reports.reduce((m, r) => m + r.findings.length, 0), 0);
  console.log(
    `${label.padEnd(28)} ${String(files).padStart(5)} migrations  ${seconds.toFixed(2).padStart(6)} s  ${Math.round(files / seconds)
      .toString()
      .padStart(6)} files/s  ${findings} findings, ${result.errors.length} read errors`,
  );
}

function alembicRevision(i: number): string {
  const table = `t${i % 50}`;
  const up = [
    `    op.create_table('${table}_${i}', sa.Column('id', sa.BigInteger(), primary_key=True), sa.Column('name', sa.String(100), nullable=False))`,
    `    op.add_column('${table}', sa.Column('c${i}', sa.Text(), nullable=True))`,
    `    op.create_index('ix_${table}_${i}', '${table}', ['c${i}'], postgresql_concurrently=True)`,
    `    op.alter_column('${table}', 'c${i - 1}', existing_type=sa.Text(), nullable=False, server_default='x')`,
    `    op.execute("UPDATE ${table} SET c${i - 1} = 'y' WHERE c${i - 1} IS NULL")`,
    `    with op.batch_alter_table('${table}') as batch_op:\n        batch_op.drop_column('c${i - 2}')`,
  ][i % 6];
  const down = i % 7 === 0 ? '    pass' : `    op.drop_table('${table}_${i}')`;
  return `"""revision ${i}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'r${i}'\ndown_revision = ${i === 0 ? 'None' : `'r${i - 1}'`}\nbranch_labels = None\n\n\ndef upgrade():\n${up}\n\n\ndef downgrade():\n${down}\n`;
}

function djangoMigration(app: string, i: number): string {
  const deps = i === 1 ? '' : `('${app}', '${String(i - 1).padStart(4, '0')}_m')`;
  const ops =
    i === 1
      ? `migrations.CreateModel(name='Item', fields=[('id', models.BigAutoField(primary_key=True)), ('name', models.CharField(max_length=100)), ('owner', models.ForeignKey(on_delete=models.CASCADE, to='${app}.item', null=True))])`
      : [
          `migrations.AddField(model_name='item', name='f${i}', field=models.IntegerField(default=0))`,
          `migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=${100 + i}))`,
          `migrations.AddIndex(model_name='item', index=models.Index(fields=['name'], name='${app}_item_${i}_idx'))`,
          `migrations.RunSQL("UPDATE ${app}_item SET name = 'x' WHERE name = ''", migrations.RunSQL.noop)`,
          `migrations.RunPython(forwards, migrations.RunPython.noop)`,
          `migrations.RemoveField(model_name='item', name='f${i - 1}')`,
        ][i % 6];
  return `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${deps}]\n\n    operations = [\n        ${ops},\n    ]\n`;
}

function generate(dir: string): void {
  const versions = join(dir, 'alembic/migrations/versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(
    join(dir, 'alembic/alembic.ini'),
    '[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://localhost/bench\n',
  );
  writeFileSync(join(dir, 'alembic/migrations/env.py'), '');
  for (let i = 0; i < PER_FRAMEWORK; i++) writeFileSync(join(versions, `${String(i).padStart(5, '0')}_r${i}.py`), alembicRevision(i));
  mkdirSync(join(dir, 'django'), { recursive: true });
  writeFileSync(join(dir, 'django/manage.py'), '');
  const apps = ['catalog', 'orders', 'billing', 'shipping', 'accounts'];
  for (const app of apps) {
    const folder = join(dir, 'django', app, 'migrations');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '__init__.py'), '');
    for (let i = 1; i <= PER_FRAMEWORK / apps.length; i++)
      writeFileSync(join(folder, `${String(i).padStart(4, '0')}_m.py`), djangoMigration(app, i));
  }
}

const corpus = corpusRoot();
const pythonCorpora = corpus
  ? readdirSync(corpus, { withFileTypes: true }).filter((e) => e.isDirectory() && ['python', 'alembic', 'django'].includes(e.name))
  : [];
if (!pythonCorpora.length) console.log(`skip: no Python corpus (python/, alembic/ or django/) under ${corpus ?? '../shared/corpus'}`);
for (const e of pythonCorpora) await measure(`corpus ${e.name}`, join(corpus as string, e.name), corpus as string);

const dir = mkdtempSync(join(tmpdir(), 'twoway-bench-python-'));
try {
  generate(dir);
  await measure('synthetic alembic', 'alembic', dir);
  await measure('synthetic django', 'django', dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
