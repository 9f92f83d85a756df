// `npm run bench`: twoway's check over every project of the PostgreSQL corpus in one process, then squawk on
// the same files in the same run. Prints files/s, MB/s, peak RSS and the speed ratio twoway / squawk.
// Targets: ratio >= 1.0, peak RSS < 300 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../src/check.js';

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

const started = performance.now();
const result = await check(projects, { cwd: corpus });
const twowaySeconds = (performance.now() - started) / 1000;
const migrations = result.sets.reduce((n, s) => n + s.reports.length, 0);
const peakRssMb = process.resourceUsage().maxRSS / 1024;

// squawk-cli's launcher package lists every platform's binary, which this registry mirror lacks, so the
// linux-x64 binary package is the devDependency.
const squawkBin = join(repoRoot, 'node_modules/@squawk-cli/linux-x64/bin/squawk');
let squawkSeconds: number | null = null;
if (existsSync(squawkBin)) {
  const t = performance.now();
  const run = spawnSync(squawkBin, files, { cwd: corpus, stdio: 'ignore' });
  squawkSeconds = (performance.now() - t) / 1000;
  if (run.error) {
    console.log(`squawk did not run: ${run.error.message}`);
    squawkSeconds = null;
  }
}

const row = (name: string, seconds: number) =>
  `${name.padEnd(8)} ${seconds.toFixed(2).padStart(6)} s  ${(files.length / seconds).toFixed(0).padStart(6)} files/s  ${(mb / seconds).toFixed(2).padStart(6)} MB/s`;
console.log(`corpus   ${corpus}: ${projects.length} projects, ${files.length} .sql files, ${mb.toFixed(2)} MB`);
console.log(
  `${row('twoway', twowaySeconds)}  peak RSS ${peakRssMb.toFixed(0)} MB  (${migrations} migrations, ${result.errors.length} errors)`,
);
if (squawkSeconds !== null) {
  console.log(row('squawk', squawkSeconds));
  console.log(`ratio    ${(squawkSeconds / twowaySeconds).toFixed(2)} (twoway speed / squawk speed; target >= 1.0)`);
} else {
  console.log('squawk   not installed (devDependency squawk-cli): no ratio');
}
console.log(`peak RSS ${peakRssMb.toFixed(0)} MB (target < 300 MB)`);

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sqlFiles(path);
    return e.isFile() && e.name.endsWith('.sql') ? [path] : [];
  });
}
