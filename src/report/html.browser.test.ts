// The HTML report in a real headless Chromium (Debian's, installed by .ci/run): the page loads
// without console errors, its counters match the JSON report, and the filters narrow the list.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { reviewHistory, tempProject } from '../testing/projects.js';
import { formatHtml } from './html.js';
import { toJsonReport } from './json.js';

const CHROMIUM = process.env.TWOWAY_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the HTML report browser tests: no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);

describe.skipIf(!haveChromium)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(dir: string, paths: string[]) {
    const result = await check(paths, { cwd: dir });
    const file = join(dir, 'report.html');
    writeFileSync(file, formatHtml(result));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    return { page, problems, requests, json: toJsonReport(result) };
  }

  it('on a history with every kind of migration: counts match the JSON report, filters narrow the list', async () => {
    const dir = tempProject(reviewHistory());
    const { page, problems, requests, json } = await open(dir, []);
    const count = async (key: string) => Number(await page.locator(`[data-count="${key}"]`).textContent());
    const findings = json.migrations.flatMap((m) => m.findings);
    const active = findings.filter((f) => !f.suppressed);
    const oneWay = json.migrations.filter(
      (m) => m.codeRollback === 'breaking' || m.dbRollback === 'irreversible' || m.dbRollback === 'lossy',
    );

    expect(await count('migrations')).toBe(json.migrations.length);
    expect(await count('one-way')).toBe(oneWay.length);
    expect(await count('error')).toBe(active.filter((f) => f.severity === 'error').length);
    expect(await count('warning')).toBe(active.filter((f) => f.severity === 'warning').length);
    expect(await count('info')).toBe(active.filter((f) => f.severity === 'info').length);
    expect(await count('suppressed')).toBe(findings.length - active.length);
    expect(await count('no-down')).toBe(json.migrations.filter((m) => m.dbRollback === 'no-down').length);
    expect(await count('unreadable')).toBe(json.errors.length);
    expect(await page.locator('article.migration').count()).toBe(json.migrations.length);
    expect(await page.locator('.timeline .tick').count()).toBe(json.migrations.length);
    expect(await page.locator('.finding').count()).toBe(findings.length);
    expect(await page.locator('.errors li').count()).toBe(json.errors.length);

    // The comment's markup is shown as text in the code frame, never rendered.
    expect(await page.locator('article b').count()).toBe(0);
    // One frame per finding in that file: each shows the comment on line 1 above its line 2.
    const framed = findings.filter((f) => f.path === 'db/000005_drop_full_name.up.sql' && f.line <= 3);
    expect(framed.length).toBeGreaterThan(0);
    expect(await page.locator('pre.frame', { hasText: '<b>first/last</b>' }).count()).toBe(framed.length);

    await page.screenshot({ path: join(tmpdir(), 'twoway-report.png'), fullPage: true });

    await page.selectOption('[data-filter="door"]', 'one-way');
    const accidental =
      oneWay.length - json.migrations.filter((m) => oneWay.includes(m) && m.findings.some((f) => f.suppressed?.kind === 'contract')).length;
    expect(await page.locator('article.migration:visible').count()).toBe(accidental);
    expect(Number(await page.locator('[data-shown]').textContent())).toBe(accidental);
    expect(await page.locator('.tick:not(.hidden)').count()).toBe(accidental);

    await page.selectOption('[data-filter="severity"]', 'error');
    const withError = json.migrations.filter((m) => m.findings.some((f) => !f.suppressed && f.severity === 'error'));
    expect(await page.locator('article.migration:visible').count()).toBe(withError.length);

    await page.selectOption('[data-filter="door"]', '');
    await page.selectOption('[data-filter="severity"]', '');
    await page.selectOption('[data-filter="phase"]', 'expand');
    expect(await page.locator('article.migration:visible').count()).toBe(json.migrations.filter((m) => m.phase === 'expand').length);

    await page.selectOption('[data-filter="phase"]', '');
    await page.fill('[data-filter="text"]', 'full_name');
    const mentioning = json.migrations.filter((m) => [m.path, ...m.findings.map((f) => f.message)].join(' ').includes('full_name'));
    expect(mentioning.length).toBeGreaterThan(0);
    expect(await page.locator('article.migration:visible').count()).toBe(mentioning.length);

    await page.screenshot({ path: join(tmpdir(), 'twoway-report-filtered.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('on the bundled example', async () => {
    const dir = tempProject({}, { examples: 'examples' });
    const { page, problems, json } = await open(dir, ['examples']);
    expect(await page.locator('[data-count="migrations"]').textContent()).toBe(String(json.migrations.length));
    expect(await page.locator('.finding').count()).toBe(json.migrations.flatMap((m) => m.findings).length);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('leads with the doors to look at: two-way doors folded, errors before info, up and down labelled', async () => {
    const dir = tempProject(reviewHistory());
    const { page, problems, json } = await open(dir, []);
    const doors = await page.locator('article.migration').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-door')));
    const firstTwoWay = doors.indexOf('two-way');
    expect(firstTwoWay).toBeGreaterThan(0);
    expect(doors.slice(firstTwoWay).every((d) => d === 'two-way')).toBe(true);
    // Two-way doors are folded: their findings are not shown until opened; the others are open.
    const openState = await page
      .locator('article.migration details')
      .evaluateAll((ds) => ds.map((d) => (d as unknown as { open: boolean }).open));
    expect(openState).toEqual(doors.map((d) => d !== 'two-way'));
    // Within a card: errors, then warnings, then info.
    const rank = { error: 0, warning: 1, info: 2 } as Record<string, number>;
    const orders = await page
      .locator('article.migration')
      .evaluateAll((cards) =>
        cards.map((c) =>
          Array.from(c.querySelectorAll('.finding:not(.suppressed)'), (f) => (f as typeof c).getAttribute('data-severity') ?? ''),
        ),
      );
    for (const order of orders) expect(order.map((s) => rank[s])).toEqual(order.map((s) => rank[s]).sort());
    const downs = json.migrations.flatMap((m) => m.findings).filter((f) => f.direction === 'down').length;
    expect(downs).toBeGreaterThan(0);
    expect(await page.locator('.finding .dir-down').count()).toBe(downs);
    // A timeline tick opens the folded card it links to.
    const index = doors.length - 1;
    const id = await page.locator('article.migration').nth(index).getAttribute('id');
    await page.locator(`.tick a[href="#${id}"]`).click();
    expect(await page.locator(`#${id} details`).evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
