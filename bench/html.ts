// `node --import tsx bench/html.ts`: the HTML report on a lemmy-sized history (shared/corpus/pg/LemmyNet__lemmy):
// page size, build time, and (with Chromium at /usr/bin/chromium or TWOWAY_CHROMIUM) time to load and paint.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { check } from '../src/check.js';
import { formatHtml } from '../src/report/html.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find(
  (p) => p && existsSync(join(p, 'pg/LemmyNet__lemmy')),
);
if (!corpus) {
  console.log('html bench: no shared/corpus/pg/LemmyNet__lemmy: nothing to measure');
  process.exit(0);
}
const result = await check(['LemmyNet__lemmy'], { cwd: join(corpus, 'pg') });
const started = performance.now();
const html = formatHtml(result);
const build = performance.now() - started;
const file = join(tmpdir(), 'twoway-bench-lemmy.html');
writeFileSync(file, html);
const migrations = result.sets.flatMap((s) => s.reports).length;
let shown = 'no Chromium: not loaded';
const executablePath = process.env.TWOWAY_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(executablePath)) {
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const t = performance.now();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  // Two animation frames: the first paint is done.
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  shown = `load and first paint ${(performance.now() - t).toFixed(0)} ms`;
  await browser.close();
}
console.log(
  `html report, lemmy (${migrations} migrations): ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB, built in ${build.toFixed(0)} ms, ${shown}`,
);
