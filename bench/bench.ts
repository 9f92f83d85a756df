// `npm run bench` part 1: twoway and squawk side by side on the PostgreSQL corpus, whole process as a user runs
// them (the built CLI, /usr/bin/time), alternating, median of ROUNDS (default 5): files, wall, CPU, peak RSS and
// the ratio. Then the cases a pre-commit hook and CI meet: one small SQL folder, and a re-run on an unchanged
// repository with the cache. Targets (issue 14): ratio >= 1.0 and < 150 MB on the corpus; < 200 ms and < 80 MB on
// one small folder; a cached re-run under 25% of the first.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');
const bin = join(repoRoot, 'bin/twoway.js');
const corpus = [
  process.env.TWOWAY_CORPUS && join(process.env.TWOWAY_CORPUS, 'pg'),
  resolve(repoRoot, '../shared/corpus/pg'),
  '/work/shared/corpus/pg',
]
  .filter((p): p is string => !!p)
  .find((p) => existsSync(p));
if (!existsSync('/usr/bin/time')) {
  console.log('bench: /usr/bin/time (GNU time) not installed: nothing measured');
  process.exit(0);
}
const rounds = Number(process.env.ROUNDS ?? 5);
// squawk-cli's launcher package lists every platform's binary, which this registry mirror lacks, so the
// linux-x64 binary package is the devDependency.
const squawkBin = join(repoRoot, 'node_modules/@squawk-cli/linux-x64/bin/squawk');

interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
}

/** One process under GNU time. */
function timed(command: string, args: string[], cwd: string): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`${command} did not run: ${r.error.message}`);
  const [wall, user, sys, rssKb] = (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { wall: wall ?? Number.NaN, cpu: (user ?? 0) + (sys ?? 0), rssMb: (rssKb ?? 0) / 1024 };
}

const twoway = (args: string[], cwd: string) => timed(process.execPath, [bin, 'check', ...args], cwd);

function median(runs: Run[]): Run {
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { wall: mid(runs.map((r) => r.wall)), cpu: mid(runs.map((r) => r.cpu)), rssMb: mid(runs.map((r) => r.rssMb)) };
}

/** Each goal of issue 14, measured in this run: printed together at the end, met or not. */
const goals: string[] = [];
const goal = (what: string, value: string, met: boolean) => goals.push(`${met ? 'met    ' : 'NOT met'}  ${what}: ${value}`);

const row = (name: string, files: number | string, r: Run) =>
  `${name.padEnd(34)} ${String(files).padStart(6)}  ${r.wall.toFixed(2).padStart(6)} s  ${r.cpu.toFixed(2).padStart(6)} s  ${r.rssMb.toFixed(0).padStart(5)} MB`;

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; median of ${rounds} alternating runs`,
);
console.log(`${'case'.padEnd(34)} ${'files'.padStart(6)}  ${'wall'.padStart(8)}  ${'CPU'.padStart(8)}  ${'peak RSS'.padStart(8)}`);

if (corpus) {
  const projects = readdirSync(corpus, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const files = projects.flatMap((p) => sqlFiles(join(corpus, p))).map((f) => relative(corpus, f));
  const mb = files.reduce((sum, f) => sum + statSync(join(corpus, f)).size, 0) / 1024 / 1024;
  const hasSquawk = existsSync(squawkBin);
  const ours: Run[] = [];
  const theirs: Run[] = [];
  for (let i = 0; i < rounds; i++) {
    // --no-evidence: the corpus is not a release in git; --no-cache: every round does the whole work.
    ours.push(twoway(['--format', 'json', '--no-evidence', '--no-cache', ...projects], corpus));
    if (hasSquawk) theirs.push(timed(squawkBin, files, corpus));
  }
  const t = median(ours);
  goal('corpus/pg peak RSS < 150 MB', `${t.rssMb.toFixed(0)} MB`, t.rssMb < 150);
  console.log(row(`twoway check, corpus/pg (${mb.toFixed(1)} MB)`, files.length, t));
  if (hasSquawk) {
    const s = median(theirs);
    console.log(row(`squawk ${squawkVersion()}, same files`, files.length, s));
    console.log(
      `ratio squawk/twoway (target >= 1.0): wall ${(s.wall / t.wall).toFixed(2)}, CPU ${(s.cpu / t.cpu).toFixed(2)}; twoway peak RSS target < 150 MB`,
    );
    goal('corpus/pg wall, squawk/twoway >= 1.0', (s.wall / t.wall).toFixed(2), s.wall / t.wall >= 1);
  } else console.log('squawk not installed (devDependency @squawk-cli/linux-x64, Linux x64 only): no ratio');

  const cache = mkdtempSync(join(tmpdir(), 'twoway-bench-cache-'));
  try {
    const first: Run[] = [];
    const again: Run[] = [];
    for (let i = 0; i < rounds; i++) {
      rmSync(cache, { recursive: true, force: true });
      const args = ['--format', 'json', '--no-evidence', '--cache-location', cache, ...projects];
      first.push(twoway(args, corpus));
      again.push(twoway(args, corpus));
    }
    const [f, a] = [median(first), median(again)];
    console.log(row('twoway, first run with the cache', files.length, f));
    console.log(row('twoway, re-run, nothing changed', files.length, a));
    console.log(
      `cached re-run / first run (target < 25%): wall ${((a.wall / f.wall) * 100).toFixed(0)}%, CPU ${((a.cpu / f.cpu) * 100).toFixed(0)}%`,
    );
    goal('corpus/pg cached re-run < 25% of the first (wall)', `${((a.wall / f.wall) * 100).toFixed(0)}%`, a.wall / f.wall < 0.25);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
} else console.log('no corpus at ../shared/corpus/pg (TWOWAY_CORPUS): corpus rows skipped');

// A copy outside any git repository: inside twoway's own checkout, a branch ahead of main would also read main's
// code as the previous release's evidence (the whole repository's TypeScript), and the figure would depend on the
// branch the bench runs on.
const smallHome = mkdtempSync(join(tmpdir(), 'twoway-bench-small-'));
const small = join(smallHome, 'golang-migrate');
cpSync(join(repoRoot, 'examples/golang-migrate'), small, { recursive: true });
const smallFiles = readdirSync(small).length;
const smallRun = median(Array.from({ length: rounds }, () => twoway(['--no-cache', small], smallHome)));
console.log(row('one small SQL folder, no cache', smallFiles, smallRun));
if (existsSync(squawkBin)) {
  const sqls = sqlFiles(small);
  const s = median(Array.from({ length: rounds }, () => timed(squawkBin, sqls, smallHome)));
  console.log(row(`squawk, same folder`, sqls.length, s));
  console.log(`ratio squawk/twoway on one small folder: wall ${(s.wall / smallRun.wall).toFixed(2)}`);
}
goal('one small SQL folder < 200 ms wall', `${(smallRun.wall * 1000).toFixed(0)} ms`, smallRun.wall < 0.2);
goal('one small SQL folder < 80 MB', `${smallRun.rssMb.toFixed(0)} MB`, smallRun.rssMb < 80);
const smallCache = mkdtempSync(join(tmpdir(), 'twoway-bench-cache-'));
twoway(['--cache-location', smallCache, small], smallHome);
console.log(
  row(
    'one small SQL folder, cached',
    smallFiles,
    median(Array.from({ length: rounds }, () => twoway(['--cache-location', smallCache, small], smallHome))),
  ),
);
rmSync(smallCache, { recursive: true, force: true });
rmSync(smallHome, { recursive: true, force: true });
console.log('targets for one small folder: < 200 ms wall, < 80 MB');
console.log(`\ngoals (issue 14), this run (load average at the end: ${loadavg()[0]?.toFixed(1)}):\n${goals.join('\n')}`);

function squawkVersion(): string {
  return spawnSync(squawkBin, ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^squawk\s*/, '');
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sqlFiles(path);
    return e.isFile() && e.name.endsWith('.sql') ? [path] : [];
  });
}
