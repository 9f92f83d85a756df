// npm run sql-coverage: how many SQL statements of ../shared/corpus each dialect's parser cannot read, wherever the
// SQL sits (migration files, schema dumps, `execute`, `knex.raw`, `queryRunner.query`), with each set read in the
// dialect discovery chose for it. Prints one row per dialect and per project, then the most common shapes of the
// unreadable statements (--verbose: every one, with its location). The target is under 1% on every dialect.
// Statements read whole that the database would refuse (MySQL's VARCHAR without a length) are counted apart.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../src/check.js';
import type { Dialect } from '../src/ir.js';
import { observeSqlParsing } from '../src/sql/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.TWOWAY_CORPUS ?? [resolve(root, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));
const verbose = process.argv.includes('--verbose');
const only = process.argv.find((a) => a.startsWith('--project='))?.slice('--project='.length);

interface Tally {
  statements: number;
  unreadable: number;
  /** Read whole, but the database refuses them. */
  invalid: number;
}

interface Unreadable {
  dialect: Dialect;
  kind: 'unparsed' | 'invalid';
  where: string;
  text: string;
}

async function main(): Promise<void> {
  if (!corpus || !existsSync(corpus)) {
    console.log('sql-coverage: skipped, no corpus at ../shared/corpus');
    return;
  }
  const byDialect = new Map<Dialect, Tally>();
  const byProject = new Map<string, Map<Dialect, Tally>>();
  const unreadable: Unreadable[] = [];
  const projects = readdirSync(corpus, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((kind) => readdirSync(join(corpus, kind.name), { withFileTypes: true }).map((p) => `${kind.name}/${p.name}`))
    .filter((p) => existsSync(join(corpus, p)) && (!only || p.includes(only)))
    .sort();
  for (const project of projects) {
    const tallies = new Map<Dialect, Tally>();
    byProject.set(project, tallies);
    // The same source can be parsed more than once (a seed, a down replayed): count each statement once.
    const seen = new Set<string>();
    observeSqlParsing((dialect, source, parsed) => {
      const key = `${dialect}:${source.path}:${source.startLine}:${source.startColumn ?? 1}`;
      if (seen.has(key)) return;
      seen.add(key);
      const failed = parsed.ops.flatMap((op) =>
        op.kind === 'Raw' && (op.statement === 'unparsed' || op.statement === 'invalid') ? [{ ...op, statement: op.statement }] : [],
      );
      const count = (kind: string) => failed.filter((op) => op.statement === kind).length;
      for (const t of [tallies, byDialect]) {
        const tally = t.get(dialect) ?? { statements: 0, unreadable: 0, invalid: 0 };
        tally.statements += parsed.statements;
        tally.unreadable += count('unparsed');
        tally.invalid += count('invalid');
        t.set(dialect, tally);
      }
      for (const op of failed)
        unreadable.push({ dialect, kind: op.statement, where: `${project}/${op.span.path}:${op.span.line}`, text: op.text });
    });
    await check(['.'], { cwd: join(corpus, project) });
    observeSqlParsing(null);
  }

  const row = (name: string, t: Tally) =>
    `| ${name.padEnd(46)} | ${String(t.statements).padStart(10)} | ${String(t.unreadable).padStart(10)} | ${pct(t.unreadable, t.statements).padStart(7)} | ${String(t.invalid).padStart(7)} |`;
  console.log('Unreadable SQL statements in ../shared/corpus, per dialect each set was read as\n');
  console.log(
    `| ${'dialect / project'.padEnd(46)} | ${'statements'.padStart(10)} | ${'unreadable'.padStart(10)} | ${'rate'.padStart(7)} | ${'invalid'.padStart(7)} |`,
  );
  const rule = `|${'-'.repeat(48)}|${'-'.repeat(12)}|${'-'.repeat(12)}|${'-'.repeat(9)}|${'-'.repeat(9)}|`;
  console.log(rule);
  for (const [dialect, t] of [...byDialect].sort()) console.log(row(dialect, t));
  console.log(rule);
  for (const [project, tallies] of byProject)
    for (const [dialect, t] of [...tallies].sort()) console.log(row(`${project} (${dialect})`, t));

  // Shapes: the statement's first words, enough to tell which grammar rule is missing.
  const shapes = new Map<string, Unreadable[]>();
  for (const u of unreadable) {
    const code = u.text
      .split('\n')
      .filter((l) => !l.trim().startsWith('--'))
      .join(' ');
    const shape = `${u.dialect}${u.kind === 'invalid' ? ' (invalid)' : ''}: ${code.split(/\s+/).filter(Boolean).slice(0, 4).join(' ').toUpperCase()}`;
    shapes.set(shape, [...(shapes.get(shape) ?? []), u]);
  }
  const common = [...shapes].sort((a, b) => b[1].length - a[1].length);
  if (common.length) console.log('\nUnreadable and invalid statements by their first words:');
  for (const [shape, list] of verbose ? common : common.slice(0, 25)) {
    console.log(`${String(list.length).padStart(5)}  ${shape}  (e.g. ${list[0]?.where})`);
    if (verbose) for (const u of list) console.log(`         ${u.where}: ${u.text.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(2)}%` : '-';
}

await main();
