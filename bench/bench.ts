// `npm run bench`: twoway's check over every project of the PostgreSQL corpus in one process, and squawk on the
// same files in the same run. Prints files/s, MB/s, peak RSS and the speed ratio twoway / squawk.
// Targets: ratio >= 1.0, peak RSS < 300 MB. ROUNDS=n sets the number of rounds (default 3).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The built library, as `npx twoway` runs it: measuring through tsx's on-the-fly transpiler and source maps
// would add its own time and memory to twoway's.
import { check } from '../dist/check.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = [resolve(repoRoot, '../shared/corpus/pg'), '/work/shared/corpus/pg'].find((p) => existsSync(p));
if (!corpus) {
  console.log('bench: no corpus at ../shared/corpus/pg: nothing to measure');
  process.exit(0);
}

const projects = readdirSync(corpus, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const files = projects.flatMap((p) => sqlFiles(join(corpus, p))).map((f) => relative(corpus, f));
const bytes = files.reduce((sum, f) => sum + statSync(join(corpus, f)).size, 0);
const mb = bytes / 1024 / 1024;

// The machine may be shared: each tool runs ROUNDS times, interleaved, and its best time counts. twoway's first
// round is also printed on its own: it pays for loading the WebAssembly parser and for the JIT warming up.
const rounds = Number(process.env.ROUNDS ?? 3);
// squawk-cli's launcher package lists every platform's binary, which this registry mirror lacks, so the
// linux-x64 binary package is the devDependency.
const squawkBin = join(repoRoot, 'node_modules/@squawk-cli/linux-x64/bin/squawk');
const hasSquawk = existsSync(squawkBin);
const twowayTimes: number[] = [];
const squawkTimes: number[] = [];
let result: Awaited<ReturnType<typeof check>> | undefined;
let firstRunRssMb = 0;
for (let round = 0; round < rounds; round++) {
  result = undefined; // the previous round's report must not stay alive while the next one is built
  const started = performance.now();
  result = await check(projects, { cwd: corpus });
  twowayTimes.push((performance.now() - started) / 1000);
  // What one `twoway check` over the whole corpus costs, before repeated rounds add their garbage.
  if (round === 0) firstRunRssMb = process.resourceUsage().maxRSS / 1024;
  if (hasSquawk) {
    const t = performance.now();
    const run = spawnSync(squawkBin, files, { cwd: corpus, stdio: 'ignore' });
    if (run.error) throw new Error(`squawk did not run: ${run.error.message}`);
    squawkTimes.push((performance.now() - t) / 1000);
  }
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const migrations = result?.sets.reduce((n, s) => n + s.reports.length, 0) ?? 0;

const row = (name: string, seconds: number) =>
  `${name.padEnd(14)} ${seconds.toFixed(2).padStart(6)} s  ${(files.length / seconds).toFixed(0).padStart(6)} files/s  ${(mb / seconds).toFixed(2).padStart(6)} MB/s`;
const best = (times: number[]) => Math.min(...times);
console.log(
  `corpus ${corpus}: ${projects.length} projects, ${files.length} .sql files, ${mb.toFixed(2)} MB, ${migrations} migrations, ${result?.errors.length} errors`,
);
console.log(row('twoway first', twowayTimes[0] as number));
console.log(row(`twoway best/${rounds}`, best(twowayTimes)));
if (hasSquawk) {
  console.log(row(`squawk best/${rounds}`, best(squawkTimes)));
  console.log(
    `ratio (twoway speed / squawk speed, target >= 1.0): ${(best(squawkTimes) / best(twowayTimes)).toFixed(2)} best against best, ${(best(squawkTimes) / (twowayTimes[0] as number)).toFixed(2)} first run against squawk's best`,
  );
} else {
  console.log('squawk not installed (devDependency @squawk-cli/linux-x64, Linux x64 only): no ratio');
}
console.log(
  `peak RSS ${firstRunRssMb.toFixed(0)} MB after one check of the whole corpus (target < 300 MB); ${peakRssMb.toFixed(0)} MB after ${rounds} rounds`,
);

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sqlFiles(path);
    return e.isFile() && e.name.endsWith('.sql') ? [path] : [];
  });
}
