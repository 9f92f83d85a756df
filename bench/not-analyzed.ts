// `npm run not-analyzed`: per project of shared/corpus/apps (NA_CORPUS=pg,ruby… for other folders), how many
// migrations carry a `not-analyzed` finding, and how many of those really run application code (Django
// RunPython, Rails model code): the share issue 9 asks to keep under 10% counts only the others.
// NA_MESSAGES=N also prints each project's N most common not-analyzed messages (numbers and quoted
// names folded, so one construct is one line), to see which constructs the adapters still cannot read;
// NA_VERBOSE=1 prints every not-analyzed finding at its file:line.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../src/check.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => p && existsSync(p));
if (!root) {
  console.log('not-analyzed: no corpus at ../shared/corpus: nothing to measure');
  process.exit(0);
}
const folders = (process.env.NA_CORPUS ?? 'apps').split(',');
const topMessages = Number(process.env.NA_MESSAGES ?? 0);

/** Findings that say application code runs at migration time: not analyzable by any static reading. */
function runsCode(message: string): boolean {
  return /runs application code|application code .* runs at migration time/.test(message);
}

/** One line per construct: quoted names, numbers and long argument texts folded. */
function construct(message: string): string {
  return message
    .replace(/`[^`]*`/g, '`…`')
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/\([^()]{40,}\)/g, '(…)')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

const pct = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : '0.0'}%`;
for (const folder of folders) {
  const corpus = join(root, folder);
  if (!existsSync(corpus)) {
    console.log(`not-analyzed: no ${corpus}`);
    continue;
  }
  const projects = readdirSync(corpus, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  console.log(`\n${corpus}`);
  console.log(
    `${'project'.padEnd(32)} ${'frameworks'.padEnd(22)} ${'migr.'.padStart(6)} ${'not-analyzed'.padStart(13)} ${'runs code'.padStart(10)} ${'other'.padStart(13)}`,
  );
  let all = 0;
  let allOther = 0;
  for (const project of projects) {
    const result = await check([project], { cwd: corpus });
    let migrations = 0;
    let withAny = 0;
    let withCode = 0;
    let withOther = 0;
    const messages = new Map<string, number>();
    for (const { reports } of result.sets) {
      for (const report of reports) {
        migrations++;
        const found = report.findings.filter((f) => f.rule === 'not-analyzed');
        if (!found.length) continue;
        withAny++;
        if (found.some((f) => runsCode(f.message))) withCode++;
        const other = found.filter((f) => !runsCode(f.message));
        if (other.length) withOther++;
        for (const f of other) messages.set(construct(f.message), (messages.get(construct(f.message)) ?? 0) + 1);
        if (process.env.NA_VERBOSE) for (const f of found) console.log(`    ${f.path}:${f.line} ${f.direction} ${f.message.slice(0, 200)}`);
      }
    }
    all += migrations;
    allOther += withOther;
    const frameworks = [...new Set(result.sets.map((s) => s.set.framework))].join(',');
    console.log(
      `${project.padEnd(32)} ${frameworks.padEnd(22)} ${String(migrations).padStart(6)} ${`${withAny} ${pct(withAny, migrations)}`.padStart(13)} ${`${withCode} ${pct(withCode, migrations)}`.padStart(10)} ${`${withOther} ${pct(withOther, migrations)}`.padStart(13)}`,
    );
    for (const [message, n] of [...messages].sort((a, b) => b[1] - a[1]).slice(0, topMessages))
      console.log(`    ${String(n).padStart(5)}  ${message}`);
  }
  console.log(
    `${'all'.padEnd(32)} ${''.padEnd(22)} ${String(all).padStart(6)} ${''.padStart(13)} ${''.padStart(10)} ${`${allOther} ${pct(allOther, all)}`.padStart(13)}`,
  );
}
