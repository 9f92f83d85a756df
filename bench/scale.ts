// `npm run bench` part 2: whole-process cost of `twoway check` (the built CLI, as a user runs it), measured with
// /usr/bin/time: one small SQL folder (start-up), and generated histories of 1k/5k/20k migrations in SQL
// (golang-migrate) and Rails, printed per migration so a flat column means linear time.
// SCALE=1000,5000 picks the sizes (default 1000,5000,20000); SCALE_ONLY=Rails picks the generators whose name has it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');
const bin = join(repoRoot, 'bin/twoway.js');
const sizes = (process.env.SCALE ?? '1000,5000,20000').split(',').map(Number);

interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
  code: number | null;
}

/** One `twoway check` process without the cache (bench.ts measures the cached re-run): wall, user+system CPU and peak RSS as GNU time reports them. */
function run(args: string[], cwd: string): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, bin, 'check', '--format', 'json', '--no-cache', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [wall, user, sys, rssKb] = last.split(' ').map(Number);
  return { wall: wall ?? Number.NaN, cpu: (user ?? 0) + (sys ?? 0), rssMb: (rssKb ?? 0) / 1024, code: r.status };
}

function best(args: string[], cwd: string, rounds = 3): Run {
  const runs = Array.from({ length: rounds }, () => run(args, cwd));
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}

if (!existsSync('/usr/bin/time')) {
  console.log('bench/scale: /usr/bin/time (GNU time) not installed: nothing measured');
  process.exit(0);
}
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);

const small = best(['examples/sql'], repoRoot, 5);
console.log(
  `one small SQL folder (examples/sql): ${(small.wall * 1000).toFixed(0)} ms wall, ${(small.cpu * 1000).toFixed(0)} ms CPU, ${small.rssMb.toFixed(0)} MB peak (targets < 200 ms, < 80 MB)`,
);

const generators: Record<string, (dir: string, n: number) => void> = {
  'SQL (golang-migrate)': (dir, n) => {
    for (let i = 1; i <= n; i++) {
      const id = String(i).padStart(6, '0');
      const t = `table_${i - (i % 3)}`;
      const [up, down] =
        i % 3 === 0
          ? [`CREATE TABLE ${t} (id bigint PRIMARY KEY, name text NOT NULL);\nCREATE INDEX ${t}_name ON ${t} (name);`, `DROP TABLE ${t};`]
          : i % 3 === 1
            ? [`ALTER TABLE ${t} ADD COLUMN flag_${i} boolean;`, `ALTER TABLE ${t} DROP COLUMN flag_${i};`]
            : [`UPDATE ${t} SET name = lower(name);`, ''];
      writeFileSync(join(dir, `${id}_m${i}.up.sql`), `${up}\n`);
      writeFileSync(join(dir, `${id}_m${i}.down.sql`), `${down}\n`);
    }
  },
  Rails: (dir, n) => {
    mkdirSync(join(dir, 'db/migrate'), { recursive: true });
    for (let i = 0; i < n; i++) {
      const t = `table_${i - (i % 3)}`;
      const body =
        i % 3 === 0
          ? `    create_table :${t} do |t|\n      t.string :name, null: false\n      t.timestamps\n    end\n    add_index :${t}, :name`
          : i % 3 === 1
            ? `    add_column :${t}, :flag_${i}, :boolean`
            : `    rename_column :${t}, :flag_${i - 1}, :flag_${i}`;
      writeFileSync(
        join(dir, 'db/migrate', `${20200101000000 + i}_m${i}.rb`),
        `class M${i} < ActiveRecord::Migration[7.1]\n  def change\n${body}\n  end\nend\n`,
      );
    }
  },
};

console.log('\nscaling (best of 2): migrations, wall, CPU, peak RSS, CPU per migration');
for (const [name, generate] of Object.entries(generators)) {
  if (process.env.SCALE_ONLY && !name.includes(process.env.SCALE_ONLY)) continue;
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-scale-'));
    try {
      generate(dir, n);
      const r = best(['.'], dir, 2);
      console.log(
        `${name.padEnd(22)} ${String(n).padStart(6)}  ${r.wall.toFixed(2).padStart(6)} s  ${r.cpu.toFixed(2).padStart(6)} s CPU  ${r.rssMb.toFixed(0).padStart(4)} MB  ${((r.cpu / n) * 1000).toFixed(2)} ms/migration${r.code === 2 ? '  (exit 2: tool error)' : ''}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
