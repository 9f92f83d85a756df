// `npm run noise`: how much twoway prints on real histories, with the default config and no baseline.
// Per corpus folder (shared/corpus/pg by default; NOISE_CORPUS=apps,mysql… for others): findings per
// migration (median, p90), warnings+errors per migration, share of migrations with a warning or error,
// share of findings in downs, top rules, duplicate (rule, line, direction) findings, and timeout findings
// on tables the same migration created (both must be 0), and lock findings whose text ("In the down: …") and JSON
// direction disagree (must be 0). LOCK_TIMEOUT=5s runs with `lockTimeout` set, STATEMENT_TIMEOUT=15min with `statementTimeout`.
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
const statementTimeout = process.env.STATEMENT_TIMEOUT;
const runnerSettings = {
  ...(lockTimeout ? { lock_timeout: lockTimeout } : {}),
  ...(statementTimeout ? { statement_timeout: statementTimeout } : {}),
};
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
  const result = await check(projects, { cwd: corpus, ...(Object.keys(runnerSettings).length ? { runnerSettings } : {}) });
  const perMigration: number[] = [];
  const loudPerMigration: number[] = [];
  const byRule = new Map<string, { all: number; loud: number; down: number }>();
  let findings = 0;
  let inDowns = 0;
  let duplicates = 0;
  const duplicateRules = new Map<string, number>();
  let timeoutOnNewTables = 0;
  const timeoutFindings = new Map<string, number>();
  let downLocksUnsaid = 0;
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
        // A lock in the down says so; one in the up does not claim to be the down's.
        if (f.category === 'locking' && (f.direction === 'down') !== /^In the down\b/.test(f.message)) {
          downLocksUnsaid++;
          if (process.env.NOISE_VERBOSE) console.log(`lock direction not said: ${f.direction} ${f.path}:${f.line} ${f.rule} ${f.message}`);
        }
        if (!TIMEOUT_RULES.has(f.rule)) continue;
        timeoutFindings.set(f.rule, (timeoutFindings.get(f.rule) ?? 0) + 1);
        const ops = f.direction === 'up' ? report.parsed.up : (report.parsed.down ?? []);
        const at = ops.findIndex((op) => op.span.path === f.span.path && op.span.line === f.span.line && op.span.column === f.span.column);
        // Tables created before the statement: earlier in its direction, or by the up for a down.
        const created = createdTables([...(f.direction === 'down' ? report.parsed.up : []), ...ops.slice(0, Math.max(at, 0))]);
        // Every operation of the statement (a Rails t.references is an index and a foreign key at one place).
        const here = ops.filter((op) => op.span.path === f.span.path && op.span.line === f.span.line && op.span.column === f.span.column);
        const onNew =
          here.length > 0 &&
          here.every((op) => lockedTables(op)?.every((t) => created.has(t) || (op.kind === 'CreateTable' && t === qnameText(op.table))));
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
  const settings = [lockTimeout && `lockTimeout ${lockTimeout}`, statementTimeout && `statementTimeout ${statementTimeout}`].filter(
    Boolean,
  );
  console.log(`\n${corpus}${settings.length ? ` (${settings.join(', ')})` : ''}: ${projects.length} projects, ${migrations} migrations`);
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
  const timeoutTotal = sum([...timeoutFindings.values()]);
  console.log(
    `timeout findings: ${timeoutTotal}${timeoutTotal ? ` (${[...timeoutFindings].map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}, on tables created in the same migration: ${timeoutOnNewTables}`,
  );
  console.log(`lock findings whose text and direction disagree on up/down: ${downLocksUnsaid}`);
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

/** The tables a statement locks: its own and, for a foreign key, the one it references; null when it names none. */
function lockedTables(op: Operation): string[] | null {
  if (!('table' in op)) return null;
  const own = qnameText(op.table);
  if (op.kind === 'AddConstraint') return op.constraint.references ? [own, qnameText(op.constraint.references.table)] : [own];
  if (op.kind === 'AddColumn') return op.column.references ? [own, qnameText(op.column.references.table)] : [own];
  if (op.kind === 'CreateTable')
    return [
      own,
      ...op.constraints.flatMap((c) => (c.references ? [qnameText(c.references.table)] : [])),
      ...op.columns.flatMap((c) => (c.references ? [qnameText(c.references.table)] : [])),
    ];
  return [own];
}
