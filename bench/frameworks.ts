// Speed of the DSL framework adapters: Ruby (and Python) corpora under ../shared/corpus when present,
// and ~2,000 generated Rails migrations. Run: node --import tsx bench/frameworks.ts
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { check } from '../src/check.js';
import { discover } from '../src/discover/index.js';
import { adapterFor } from '../src/frameworks/index.js';
import { loadSqlParsers } from '../src/sql/index.js';

const repoRoot = resolve(import.meta.dirname, '..');
const corpus = [resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));

async function measure(label: string, paths: string[], cwd: string, files: number): Promise<void> {
  // Reading alone (discover + parse into IR), then the whole check (+ schema replay, rules, verdicts).
  await loadSqlParsers();
  // CPU time too: on a shared machine wall time mostly measures the neighbours.
  const readCpu = process.cpuUsage();
  const readStart = performance.now();
  const discovery = discover(paths, { cwd });
  for (const set of discovery.sets) {
    const adapter = adapterFor(set.framework);
    await adapter.load?.();
    for (const m of set.migrations) adapter.parse(m);
  }
  const readSeconds = (performance.now() - readStart) / 1000;
  const readCpuSeconds = cpuSeconds(readCpu);
  console.log(
    `${label}: read ${files} files into IR in ${readSeconds.toFixed(2)} s (${readCpuSeconds.toFixed(2)} s CPU) = ${Math.round(files / readCpuSeconds)} files per CPU second`,
  );
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await check(paths, { cwd });
  const seconds = (performance.now() - start) / 1000;
  const checkCpuSeconds = cpuSeconds(cpu);
  const migrations = result.sets.reduce((n, s) => n + s.reports.length, 0);
  const findings = result.sets.reduce((n, s) => n + s.reports.reduce((m, r) => m + r.findings.length, 0), 0);
  console.log(
    `${label}: check ${files} files, ${migrations} migrations, ${findings} findings, ${result.errors.length} errors in ${seconds.toFixed(2)} s` +
      ` (${checkCpuSeconds.toFixed(2)} s CPU) = ${Math.round(files / checkCpuSeconds)} files per CPU second (heap ${Math.round(process.memoryUsage().heapUsed / 1024 / 1024)} MB)`,
  );
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function countFiles(dir: string, ext: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(join(dir, e.name), ext);
    else if (e.name.endsWith(ext)) n++;
  }
  return n;
}

// 1. Real corpora of DSL migrations (ruby/, python/ beside pg/, mysql/, sqlite/).
for (const [language, ext] of [
  ['ruby', '.rb'],
  ['python', '.py'],
] as const) {
  const dir = corpus ? join(corpus, language) : null;
  if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) {
    console.log(`skip ${language} corpus: ${corpus ? `${join(corpus, language)} does not exist` : 'no ../shared/corpus'}`);
    continue;
  }
  for (const project of readdirSync(dir))
    await measure(`${language}/${project}`, [join(dir, project)], dir, countFiles(join(dir, project), ext));
}

// 2. Generated Rails history: 2,000 migrations in db/migrate and db/post_migrate.
const COUNT = 2000;
const root = mkdtempSync(join(tmpdir(), 'twoway-bench-rails-'));
mkdirSync(join(root, 'db/migrate'), { recursive: true });
mkdirSync(join(root, 'db/post_migrate'), { recursive: true });
const bodies: Array<(i: number) => string> = [
  (i) => `  def change
    create_table :table_${i} do |t|
      t.string :name, null: false
      t.references :user, foreign_key: true
      t.decimal :amount, precision: 10, scale: 2
      t.jsonb :data, default: {}
      t.timestamps
    end
    add_index :table_${i}, [:name, :created_at], unique: true
  end`,
  (i) => `  def change
    add_column :table_${i - 1}, :flag_${i}, :boolean, default: false, null: false
    change_column_default :table_${i - 1}, :name, from: nil, to: "x"
  end`,
  (i) => `  disable_ddl_transaction!

  def change
    add_index :table_${i - 2}, :user_id, name: "idx_${i}", algorithm: :concurrently
  end`,
  (i) => `  def up
    execute <<~SQL
      UPDATE table_${i - 3} SET name = lower(name) WHERE name <> lower(name);
      CREATE INDEX CONCURRENTLY idx_sql_${i} ON table_${i - 3} (name);
    SQL
  end

  def down
    raise ActiveRecord::IrreversibleMigration
  end`,
  (i) => `  def change
    reversible do |dir|
      dir.up { change_column :table_${i - 4}, :amount, :decimal, precision: 12, scale: 2 }
      dir.down { change_column :table_${i - 4}, :amount, :decimal, precision: 10, scale: 2 }
    end
    safety_assured { remove_column :table_${i - 4}, :data, :jsonb }
    rename_column :table_${i - 4}, :name, :title
  end`,
];
for (let i = 0; i < COUNT; i++) {
  const version = 20200101000000 + i;
  const folder = i % 10 === 9 ? 'db/post_migrate' : 'db/migrate';
  const body = bodies[i % bodies.length]?.(i) ?? '';
  writeFileSync(join(root, folder, `${version}_migration_${i}.rb`), `class Migration${i} < ActiveRecord::Migration[7.1]\n${body}\nend\n`);
}
try {
  await measure('generated Rails history', ['.'], root, COUNT);
} finally {
  rmSync(root, { recursive: true, force: true });
}
