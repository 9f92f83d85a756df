// `npm run noise`: how much twoway prints on real histories, with the default config and no baseline.
// Per corpus folder (shared/corpus/pg by default; NOISE_CORPUS=apps,mysql… for others): findings per
// migration (median, p90), warnings+errors per migration, share of migrations with a warning or error,
// share of findings in downs, top rules, duplicate (rule, line, direction) findings, and timeout findings
// on tables the same migration created (both must be 0). LOCK_TIMEOUT=5s runs with `lockTimeout` set.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../src/check.js';
import { type Operation, qnameText } from '../src/ir.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => p && existsSync(p));
if (!root) {
  console.log('noise: no corpus at ../shared/corpus: nothing to measure');
  process.exit(0);
}
const folders = (process.env.NOISE_CORPUS ?? 'pg').split(',');
const lockTimeout = process.env.LOCK_TIMEOUT;
const TIMEOUT_RULES = new Set(['require-lock-timeout', 'require-statement-timeout']);

for (const folder of folders) {
  const corpus = join(root, folder);
  if (!existsSync(corpus)) {
    console.log(`noise: no ${corpus}`);
    continue;
  }
  const projects = readdirSync(corpus, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const result = await check(projects, { cwd: corpus, ...(lockTimeout ? { runnerSettings: { lock_timeout: lockTimeout } } : {}) });
  const perMigration: number[] = [];
  const loudPerMigration: number[] = [];
  const byRule = new Map<string, { all: number; loud: number; down: number }>();
  let findings = 0;
  let inDowns = 0;
  let duplicates = 0;
  const duplicateRules = new Map<string, number>();
  let timeoutOnNewTables = 0;
  let timeoutFindings = 0;
  for (const { reports } of result.sets) {
    for (const report of reports) {
      const shown = report.findings.filter((f) => !f.suppressed);
      perMigration.push(shown.length);
      loudPerMigration.push(shown.filter((f) => f.severity !== 'info').length);
      findings += shown.length;
      inDowns += shown.filter((f) => f.direction === 'down').length;
      const seen = new Set<string>();
      for (const f of shown) {
        const counts = byRule.get(f.rule) ?? { all: 0, loud: 0, down: 0 };
        counts.all++;
        if (f.severity !== 'info') counts.loud++;
        if (f.direction === 'down') counts.down++;
        byRule.set(f.rule, counts);
        if (process.env.NOISE_DUMP)
          console.log(`finding\t${f.rule}\t${f.severity}\t${f.direction}\t${f.path}:${f.line}\t${f.message.replace(/\n/g, ' ')}`);
        const key = `${f.rule}\0${f.path}\0${f.line}\0${f.direction}`;
        if (seen.has(key)) {
          duplicates++;
          duplicateRules.set(f.rule, (duplicateRules.get(f.rule) ?? 0) + 1);
        }
        seen.add(key);
        if (!TIMEOUT_RULES.has(f.rule)) continue;
        timeoutFindings++;
        const ops = f.direction === 'up' ? report.parsed.up : (report.parsed.down ?? []);
        const at = ops.findIndex((op) => op.span.path === f.span.path && op.span.line === f.span.line && op.span.column === f.span.column);
        // Tables created before the statement: earlier in its direction, or by the up for a down.
        const created = createdTables([...(f.direction === 'down' ? report.parsed.up : []), ...ops.slice(0, Math.max(at, 0))]);
        const here = ops.filter((op) => op.span === ops[at]?.span);
        const onNew = here.length > 0 && here.every((op) => 'table' in op && !locksAnother(op) && created.has(qnameText(op.table)));
        if (onNew) {
          timeoutOnNewTables++;
          if (process.env.NOISE_VERBOSE) console.log(`timeout on a new table: ${f.path}:${f.line} ${f.direction} ${f.message}`);
        }
      }
    }
  }
  const migrations = perMigration.length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const pct = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : '0.0'}%`;
  console.log(`\n${corpus}${lockTimeout ? ` (lockTimeout ${lockTimeout})` : ''}: ${projects.length} projects, ${migrations} migrations`);
  console.log(
    `findings per migration: median ${quantile(perMigration, 0.5)}, p90 ${quantile(perMigration, 0.9)}, mean ${(findings / migrations).toFixed(2)}`,
  );
  console.log(
    `warnings+errors per migration: mean ${(sum(loudPerMigration) / migrations).toFixed(2)}, median ${quantile(loudPerMigration, 0.5)}, p90 ${quantile(loudPerMigration, 0.9)}`,
  );
  console.log(`migrations with a warning or error: ${pct(loudPerMigration.filter((n) => n > 0).length, migrations)}`);
  console.log(`findings in downs: ${pct(inDowns, findings)} of ${findings}`);
  console.log(
    `duplicate (rule, line, direction) findings: ${duplicates}${duplicates ? ` (${[...duplicateRules].map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}`,
  );
  console.log(`timeout findings: ${timeoutFindings}, on tables created in the same migration: ${timeoutOnNewTables}`);
  console.log('top rules (all findings, warnings+errors, in downs):');
  for (const [rule, n] of [...byRule].sort((a, b) => b[1].loud - a[1].loud || b[1].all - a[1].all).slice(0, 15)) {
    console.log(`  ${String(n.all).padStart(6)} ${String(n.loud).padStart(6)} ${String(n.down).padStart(6)}  ${rule}`);
  }
}

function quantile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Tables the migration creates that did not exist before it (a DROP then CREATE rebuilds an existing table). */
function createdTables(ops: readonly Operation[]): Set<string> {
  const dropped = new Set<string>();
  const created = new Set<string>();
  for (const op of ops) {
    if (op.kind === 'DropTable') dropped.add(qnameText(op.table));
    if (op.kind === 'CreateTable' && !dropped.has(qnameText(op.table))) created.add(qnameText(op.table));
  }
  return created;
}

/** A foreign key also locks the table it references. */
function locksAnother(op: Operation): boolean {
  return (op.kind === 'AddConstraint' && op.constraint.type === 'foreign-key') || (op.kind === 'AddColumn' && !!op.column.references);
}
