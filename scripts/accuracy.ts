// npm run accuracy: twoway's three answers against hand-written labels of real migrations in
// ../shared/corpus (test/accuracy/README.md says how the labels are written). Prints accuracy per
// framework, per dialect and overall, one-way-door recall and precision, and, with --verbose, every
// disagreement with the label's reason. The corpus is read in place.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../src/check.js';

const ANSWERS = ['phase', 'codeRollback', 'dbRollback'] as const;
type Answer = (typeof ANSWERS)[number];

interface Label {
  project: string;
  path: string;
  framework: string;
  dialect: string;
  phase: string;
  codeRollback: string;
  dbRollback: string;
  opaque: boolean;
  unsure: boolean;
  reason: string;
}

interface Row {
  label: Label;
  found: boolean;
  got: Record<Answer | 'dialect', string>;
  right: Record<Answer | 'dialect', boolean>;
  unread: number;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.TWOWAY_CORPUS ?? resolve(root, '../shared/corpus');
const labelDir = join(root, 'test/accuracy/labels');
const verbose = process.argv.includes('--verbose');
const strict = process.argv.includes('--strict');
const only = process.argv.find((a) => a.startsWith('--project='))?.slice('--project='.length);

/** A door is one-way when the previous release breaks or the database cannot go back without loss. */
const oneWay = (v: { codeRollback: string; dbRollback: string }) =>
  v.codeRollback === 'breaking' || v.dbRollback === 'irreversible' || v.dbRollback === 'lossy';
const unverified = (v: Record<Answer, string>) => ANSWERS.some((a) => v[a] === 'unknown');

async function main(): Promise<void> {
  if (!existsSync(corpus)) {
    console.log(`accuracy: skipped, no corpus at ${corpus} (see test/accuracy/README.md)`);
    return;
  }
  const labels = readLabels();
  const byProject = new Map<string, Label[]>();
  for (const l of labels) byProject.set(l.project, [...(byProject.get(l.project) ?? []), l]);
  const rows: Row[] = [];
  for (const [project, projectLabels] of byProject) {
    if (only && !project.includes(only)) continue;
    const result = await check(['.'], { cwd: join(corpus, project) });
    const reports = new Map(result.sets.flatMap((s) => s.reports).map((r) => [r.parsed.migration.path, r]));
    for (const label of projectLabels) {
      const r = reports.get(label.path);
      const got = {
        phase: r?.phase ?? 'missing',
        codeRollback: r?.codeRollback ?? 'missing',
        dbRollback: r?.dbRollback ?? 'missing',
        dialect: r?.parsed.migration.dialect ?? 'missing',
      };
      const right = {
        phase: agrees(label, 'phase', got.phase),
        codeRollback: agrees(label, 'codeRollback', got.codeRollback),
        dbRollback: agrees(label, 'dbRollback', got.dbRollback),
        dialect: got.dialect === label.dialect,
      };
      const unread = (r as { unread?: unknown[] } | undefined)?.unread?.length ?? 0;
      rows.push({ label, found: Boolean(r), got, right, unread });
    }
  }
  report(rows);
}

/**
 * Right when equal. `unknown` is right for a migration whose answers depend on code no static reader follows
 * (the label says `opaque`): twoway says the worst value itself whenever the part it read shows it, so an
 * unknown there means only the unread code could tell. `--strict` counts every unknown as wrong.
 */
function agrees(label: Label, answer: Answer, got: string): boolean {
  if (got === label[answer]) return true;
  return !strict && got === 'unknown' && label.opaque;
}

function readLabels(): Label[] {
  const out: Label[] = [];
  for (const file of readdirSync(labelDir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    readFileSync(join(labelDir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        try {
          out.push(JSON.parse(line) as Label);
        } catch (e) {
          throw new Error(`${file}:${i + 1}: ${(e as Error).message}`);
        }
      });
  }
  return out;
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : '-';
}

function report(rows: Row[]): void {
  const groups = (key: (r: Row) => string) => {
    const m = new Map<string, Row[]>();
    for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return [...m].sort((a, b) => a[0].localeCompare(b[0]));
  };
  const line = (name: string, rs: Row[]) => {
    const all = rs.filter((r) => ANSWERS.every((a) => r.right[a])).length;
    const cells = ANSWERS.map((a) => pct(rs.filter((r) => r.right[a]).length, rs.length).padStart(7));
    return `| ${name.padEnd(16)} | ${String(rs.length).padStart(5)} | ${cells.join(' | ')} | ${pct(all, rs.length).padStart(7)} |`;
  };
  const header = `| ${'group'.padEnd(16)} | ${'n'.padStart(5)} | ${'phase'.padStart(7)} | ${'code'.padStart(7)} | ${'db'.padStart(7)} | ${'all 3'.padStart(7)} |`;
  const rule = `|${'-'.repeat(18)}|${'-'.repeat(7)}|${'-'.repeat(9)}|${'-'.repeat(9)}|${'-'.repeat(9)}|${'-'.repeat(9)}|`;
  console.log(
    `Accuracy against hand-labelled migrations of ../shared/corpus (test/accuracy/labels)${strict ? ', strict: every unknown counts as wrong' : ''}\n`,
  );
  console.log(header);
  console.log(rule);
  for (const [name, rs] of groups((r) => r.label.framework)) console.log(line(name, rs));
  console.log(rule);
  for (const [name, rs] of groups((r) => r.label.dialect)) console.log(line(name, rs));
  console.log(rule);
  console.log(line('overall', rows));
  // The labeller marked some labels unsure (a judgement call the framework's docs do not settle): the same table without them.
  const sure = rows.filter((r) => !r.label.unsure);
  console.log(`\nThe same, labels marked sure only (${sure.length} of ${rows.length}):\n`);
  console.log(header);
  console.log(rule);
  for (const [name, rs] of groups((r) => r.label.framework).map(([n, rs]) => [n, rs.filter((r) => !r.label.unsure)] as const))
    console.log(line(name, rs));
  console.log(rule);
  console.log(line('overall', sure));

  const labelledOneWay = rows.filter((r) => oneWay(r.label));
  const flagged = (r: Row) => oneWay(r.got) || unverified(r.got);
  const toolOneWay = rows.filter((r) => oneWay(r.got));
  const missed = labelledOneWay.filter((r) => !flagged(r));
  // A two-way door over code twoway did not read (by its own account); and two-way doors where the label says only running the code tells.
  const twoWayUnread = rows.filter((r) => r.found && !flagged(r) && r.unread > 0);
  const twoWayOpaque = rows.filter((r) => r.found && !flagged(r) && r.label.opaque);
  const dialectRight = rows.filter((r) => r.right.dialect).length;
  const unknowns = rows.filter((r) => unverified(r.got));
  const notFound = rows.filter((r) => !r.found);

  if (verbose) {
    console.log('\nDisagreements (label → twoway):');
    for (const r of rows) {
      const wrong = ANSWERS.filter((a) => !r.right[a]);
      if (!wrong.length && r.right.dialect) continue;
      const diff = [
        ...wrong.map((a) => `${a} ${r.label[a]} → ${r.got[a]}`),
        ...(r.right.dialect ? [] : [`dialect ${r.label.dialect} → ${r.got.dialect}`]),
      ];
      console.log(
        `- ${r.label.project}/${r.label.path}: ${diff.join('; ')}${r.label.unsure ? ' (label unsure)' : ''}\n    ${r.label.reason}`,
      );
    }
  }
  console.log(
    `\nDialect read right: ${pct(dialectRight, rows.length)} (${dialectRight}/${rows.length}); migrations not found: ${notFound.length}`,
  );
  console.log(
    `Unverified (an answer unknown): ${unknowns.length}, of which labelled opaque: ${unknowns.filter((r) => r.label.opaque).length}`,
  );
  console.log(`Two-way doors that contain unread code: ${twoWayUnread.length}`);
  const opaqueRight = twoWayOpaque.filter((r) => ANSWERS.every((a) => r.right[a])).length;
  console.log(`Two-way doors on migrations labelled opaque: ${twoWayOpaque.length} (all three answers right: ${opaqueRight})`);
  if (verbose) for (const r of [...twoWayUnread, ...twoWayOpaque]) console.log(`  - ${r.label.project}/${r.label.path}: ${r.label.reason}`);
  console.log(
    `One-way doors: recall ${pct(labelledOneWay.length - missed.length, labelledOneWay.length)} (${labelledOneWay.length - missed.length}/${labelledOneWay.length} flagged one-way or unverified), precision ${pct(toolOneWay.filter((r) => oneWay(r.label)).length, toolOneWay.length)} (${toolOneWay.filter((r) => oneWay(r.label)).length}/${toolOneWay.length})`,
  );
  const all = rows.filter((r) => ANSWERS.every((a) => r.right[a])).length;
  console.log(
    `Overall (${rows.length} migrations): phase ${pct(rows.filter((r) => r.right.phase).length, rows.length)}, codeRollback ${pct(rows.filter((r) => r.right.codeRollback).length, rows.length)}, dbRollback ${pct(rows.filter((r) => r.right.dbRollback).length, rows.length)}, all three ${pct(all, rows.length)}`,
  );
}

await main();
