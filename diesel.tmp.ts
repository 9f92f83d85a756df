import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeHistory } from '/work/wt/rulesb/src/analyze.ts';
import { parseSqlMigration } from '/work/wt/rulesb/src/frameworks/sql-files.ts';
import { loadSqlParsers } from '/work/wt/rulesb/src/sql/index.ts';
await loadSqlParsers();
const root = process.argv[2];
const dirs = readdirSync(root).filter((d) => existsSync(join(root, d, 'up.sql'))).sort();
const parsed = dirs.map((d) => {
  const up = readFileSync(join(root, d, 'up.sql'), 'utf8');
  const downPath = join(root, d, 'down.sql');
  const down = existsSync(downPath) ? readFileSync(downPath, 'utf8') : null;
  return parseSqlMigration({ id: d, name: d, framework: 'sql', dialect: 'postgresql', path: `${d}/up.sql`, files: [], up: { path: `${d}/up.sql`, text: up, startLine: 1, language: 'sql' }, down: down === null ? null : { path: `${d}/down.sql`, text: down, startLine: 1, language: 'sql' }, transactional: true });
});
const reports = analyzeHistory(parsed);
const counts = new Map<string, number>();
const filter = process.argv[3];
for (const r of reports) for (const f of r.findings) {
  counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  if (filter && f.rule === filter) console.log(`${f.path}:${f.line} ${f.message}`);
}
console.log(dirs.length, 'migrations');
console.log([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v}\t${k}`).join('\n'));
