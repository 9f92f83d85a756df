// Correctness guard for speed work: every answer twoway gives on the corpus and the examples, as JSON and
// human text, written to one file. Run before and after a change and diff: node --import tsx bench/snapshot.ts OUT
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check } from '../src/check.js';
import { formatHuman } from '../src/report/human.js';
import { formatJson } from '../src/report/json.js';

const repoRoot = resolve(import.meta.dirname, '..');
const corpus = process.env.TWOWAY_CORPUS ?? [resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));
const out = process.argv[2] ?? 'snapshot.txt';
const targets: Array<[string, string]> = [[join(repoRoot, 'examples'), '.']];
for (const group of corpus ? ['pg', 'mysql', 'sqlite', 'apps'] : []) {
  const dir = join(corpus as string, group);
  if (!existsSync(dir)) continue;
  for (const p of readdirSync(dir).sort()) targets.push([join(dir, p), '.']);
}
const parts: string[] = [];
for (const [cwd, path] of targets) {
  const result = await check([path], { cwd });
  parts.push(`=== ${cwd}\n${formatJson(result)}\n${formatHuman(result, { color: false, verbose: true })}`);
}
writeFileSync(out, parts.join('\n'));
console.log(`snapshot: ${targets.length} targets -> ${out}`);
