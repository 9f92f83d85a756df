// One self-contained HTML page for a reviewer: the migration timeline coloured by door and phase,
// filters, and every finding with its code frame and fix. Rendered here (it reads without script);
// a small inline script only filters. No network: inline CSS and JS, and a CSP that forbids the rest.
import type { MigrationReport } from '../analyze.js';
import type { CheckResult } from '../check.js';
import type { Finding, Phase } from '../findings.js';
import { ruleDocsUrl, TOOL } from '../meta.js';
import { codeFrame, sourceOf } from './source.js';
import { DOOR_LABEL, type Door, doorOf, plural, totalsOf } from './summary.js';

export interface HtmlOptions {
  /** The ref given to --since, to say what the page covers. */
  since?: string;
}

const PHASES: Phase[] = ['expand', 'data', 'contract', 'breaking', 'unknown'];
const DOORS: Door[] = ['two-way', 'one-way', 'declared-contract', 'unverified'];

export function formatHtml(result: CheckResult, options: HtmlOptions = {}): string {
  const reports = result.sets.flatMap((s) => s.reports);
  const t = totalsOf(result);
  const values = (pick: (r: MigrationReport) => string[]) => [...new Set(reports.flatMap(pick))].sort();
  const scope = options.since ? ` added or changed since ${options.since}` : '';
  const title = `twoway: ${plural(t.migrations, 'migration')}${scope}`;
  const counter = (key: string, n: number, label: string, cls = '') =>
    `<div class="counter ${cls}"><b data-count="${key}">${n}</b> ${esc(label)}</div>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<div class="counters">
${counter('migrations', t.migrations, noun(t.migrations, 'migration'))}
${counter('one-way', t.oneWayDoors, `${noun(t.oneWayDoors, 'one-way door')}${t.declaredContracts ? ` (${t.declaredContracts} declared)` : ''}`, t.oneWayDoors - t.declaredContracts ? 'bad' : 'good')}
${counter('unverified', t.unverified, noun(t.unverified, 'unverified door'), t.unverified ? 'warn' : '')}
${counter('error', t.findings.error, noun(t.findings.error, 'error'), t.findings.error ? 'bad' : '')}
${counter('warning', t.findings.warning, noun(t.findings.warning, 'warning'), t.findings.warning ? 'warn' : '')}
${counter('info', t.findings.info, 'info')}
${counter('no-down', t.withoutDown, 'without a down')}
${counter('suppressed', t.suppressed, 'suppressed')}
${counter('unreadable', t.unreadable, noun(t.unreadable, 'unreadable input'), t.unreadable ? 'bad' : '')}
</div>
</header>
<nav class="filters" aria-label="filters">
${select(
  'door',
  'door',
  DOORS.filter((d) => reports.some((r) => doorOf(r) === d)).map((d) => [d, DOOR_LABEL[d]]),
)}
${select(
  'phase',
  'phase',
  PHASES.filter((p) => reports.some((r) => r.phase === p)).map((p) => [p, p]),
)}
${select('severity', 'severity', [...(['error', 'warning', 'info'] as const).map((s) => [s, `has ${s}`] as [string, string]), ['none', 'no findings']])}
${select(
  'category',
  'category',
  values((r) => activeFindings(r).map((f) => f.category)).map((c) => [c, c]),
)}
${select(
  'framework',
  'framework',
  values((r) => [r.parsed.migration.framework]).map((f) => [f, f]),
)}
<label>search <input type="search" data-filter="text" placeholder="path, id, rule, message"></label>
<span class="shown">showing <b data-shown>${t.migrations}</b> of ${t.migrations}</span>
</nav>
<main>
<section class="timeline" aria-label="timeline">
<h2>Timeline</h2>
<div class="legend">${DOORS.map((d) => `<span class="key door-${d}">${esc(DOOR_LABEL[d])}</span>`).join('')}${PHASES.map((p) => `<span class="key phase phase-${p}">${p}</span>`).join('')}</div>
<ol class="strip">
${reports.map((r, i) => `<li class="tick door-${doorOf(r)} phase-${r.phase}" data-index="${i}"><a href="#m${i}" title="${esc(tooltip(r))}"><span class="ph">${r.phase[0]?.toUpperCase()}</span></a></li>`).join('\n')}
</ol>
</section>
${reports.length ? '' : `<p class="empty">No migration${esc(scope) || ' found'}.</p>`}
${cardSections(reports)}
${result.errors.length ? errorsSection(result) : ''}
</main>
<footer>${esc(TOOL.name)} ${esc(TOOL.version)}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function noun(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function activeFindings(r: MigrationReport): Finding[] {
  return r.findings.filter((f) => !f.suppressed);
}

function select(key: string, label: string, options: Array<[string, string]>): string {
  return `<label>${esc(label)} <select data-filter="${key}"><option value="">all</option>${options.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join('')}</select></label>`;
}

function tooltip(r: MigrationReport): string {
  const m = r.parsed.migration;
  return `${m.id} ${m.name}: ${DOOR_LABEL[doorOf(r)]}, phase ${r.phase}, code rollback ${r.codeRollback}, db rollback ${r.dbRollback}`;
}

/** The doors to look at first (one-way, unverified, declared), open; then the two-way doors, folded. Each in history order. */
function cardSections(reports: readonly MigrationReport[]): string {
  const cards = reports.map((r, i) => ({ r, i, door: doorOf(r) }));
  const first = cards.filter((c) => c.door !== 'two-way').sort((a, b) => DOOR_ORDER[a.door] - DOOR_ORDER[b.door] || a.i - b.i);
  const twoWay = cards.filter((c) => c.door === 'two-way');
  const section = (cls: string, heading: string, list: typeof cards) =>
    list.length
      ? `<section class="${cls}"><h2>${esc(heading)}</h2>\n${list.map((c) => migrationCard(c.r, c.i, c.door !== 'two-way')).join('\n')}\n</section>`
      : '';
  return [
    section('look', `To look at: ${plural(first.length, 'migration')} (one-way, unverified or declared doors)`, first),
    section('two-way', `Two-way doors: ${plural(twoWay.length, 'migration')} (folded; click one to open it)`, twoWay),
  ].join('\n');
}

const DOOR_ORDER: Record<Door, number> = { 'one-way': 0, unverified: 1, 'declared-contract': 2, 'two-way': 3 };

const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; suppressed ones last; in file order within each. */
function findingOrder(a: Finding, b: Finding): number {
  return Number(!!a.suppressed) - Number(!!b.suppressed) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}

function migrationCard(r: MigrationReport, i: number, open: boolean): string {
  const m = r.parsed.migration;
  const door = doorOf(r);
  const active = activeFindings(r);
  const severities = [...new Set(active.map((f) => f.severity))];
  const categories = [...new Set(active.map((f) => f.category))];
  const counts = (['error', 'warning', 'info'] as const).flatMap((s) => {
    const n = active.filter((f) => f.severity === s).length;
    return n ? [`${n} ${s}${n === 1 || s === 'info' ? '' : 's'}`] : [];
  });
  return `<article class="migration door-${door}" id="m${i}" data-index="${i}" data-door="${door}" data-phase="${r.phase}" data-framework="${esc(m.framework)}" data-severity="${severities.join(' ') || 'none'}" data-category="${categories.join(' ')}">
<details${open ? ' open' : ''}><summary>
<h3><span class="id">${esc(m.id)}</span> ${esc(m.name)} <span class="path">${esc(m.path)}</span></h3>
<p class="badges"><span class="badge door-${door}">${esc(DOOR_LABEL[door])}</span><span class="badge phase-${r.phase}">phase ${r.phase}</span><span class="badge ${answerClass(r.codeRollback)}">code rollback ${r.codeRollback}</span><span class="badge ${answerClass(r.dbRollback)}">db rollback ${r.dbRollback}</span><span class="fw">${esc(m.framework)} · ${esc(m.dialect)}${counts.length ? ` · ${counts.join(', ')}` : ''}</span></p>
</summary>
${m.files.length > 1 ? `<p class="files">${m.files.map((f) => `<code>${esc(f)}</code>`).join(' ')}</p>` : ''}
${r.unread.length ? `<div class="unread"><p>Not read (${r.coverage.read} of ${r.coverage.total} statements read): the answers these could change are unknown.</p><ul>${r.unread.map((u) => `<li><code>${esc(`${u.span.path}:${u.span.line}:${u.span.column}`)}</code> (${u.direction}) ${esc(u.reason)}</li>`).join('')}</ul></div>` : ''}
${[...r.findings]
  .sort(findingOrder)
  .map((f) => findingBlock(r, f))
  .join('\n')}
</details>
</article>`;
}

function answerClass(answer: string): string {
  if (answer === 'compatible' || answer === 'reversible') return 'ok';
  if (answer === 'no-down' || answer === 'unknown') return 'meh';
  return 'no';
}

function findingBlock(r: MigrationReport, f: Finding): string {
  const frame = codeFrame(f, sourceOf(r, f.path));
  return `<div class="finding sev-${f.severity}${f.suppressed ? ' suppressed' : ''}" data-severity="${f.severity}">
<p class="head"><span class="sev">${f.severity}</span> <span class="dir dir-${f.direction}">${f.direction === 'down' ? 'down' : 'up'}</span> <a class="rule" href="${esc(ruleDocsUrl(f.rule))}">${esc(f.rule)}</a> <span class="cat">${f.category}</span> <span class="loc">${esc(`${f.path === r.parsed.migration.path ? 'line ' : `${f.path}:`}${f.line}:${f.column}`)}</span>${f.suppressed ? ` <span class="sup">suppressed: ${esc(f.suppressed.reason)}</span>` : ''}</p>
<p class="msg">${esc(f.message)}</p>
${frame ? `<pre class="frame">${esc(frame)}</pre>` : ''}
<div class="fix"><span>Do instead</span><pre>${esc(f.fix)}</pre></div>
</div>`;
}

function errorsSection(result: CheckResult): string {
  const items = result.errors.map(
    (e) => `<li><code>${esc(`${e.path}${e.line ? `:${e.line}:${e.column}` : ''}`)}</code> ${esc(e.message)}</li>`,
  );
  return `<section class="errors"><h2>Unreadable input</h2><ul>${items.join('')}</ul></section>`;
}

function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const CSS = `
:root{--two:#1a7f37;--one:#cf222e;--declared:#bf8700;--unverified:#8250df;--expand:#0969da;--data:#8250df;--contract:#bc4c00;--breaking:#a40e26;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f8fa}
header,nav,main,footer{padding:12px 24px}
header{background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 8px}
h2{font-size:15px;margin:0 0 8px}
.counters{display:flex;flex-wrap:wrap;gap:8px}
.counter{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:4px 10px}
.counter b{font-size:16px}
.counter.bad b{color:var(--one)}.counter.warn b{color:var(--declared)}.counter.good b{color:var(--two)}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
.filters label{color:var(--muted)}
.filters select,.filters input{font:inherit;padding:2px 6px;border:1px solid var(--line);border-radius:6px;background:#fff}
.shown{margin-left:auto;color:var(--muted)}
.timeline{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px;margin-bottom:16px}
.legend{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:8px;color:var(--muted);font-size:12px}
.key::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px;background:var(--c)}
.strip{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:3px}
.tick a{display:flex;align-items:flex-end;justify-content:center;width:22px;height:34px;border-radius:3px;background:var(--c);border-bottom:6px solid var(--p);text-decoration:none}
.tick .ph{font-size:10px;color:#fff;font-weight:600}
.tick.hidden{opacity:.15}
.door-two-way{--c:var(--two)}.door-one-way{--c:var(--one)}.door-declared-contract{--c:var(--declared)}.door-unverified{--c:var(--unverified)}
.unread{border-left:3px solid var(--unverified);padding-left:8px;font-size:13px}.unread ul{margin:4px 0}
.phase-expand{--p:var(--expand)}.phase-data{--p:var(--data)}.phase-contract{--p:var(--contract)}.phase-breaking{--p:var(--breaking)}.phase-unknown{--p:var(--unverified)}
.key.phase::before{background:var(--p)}
.migration{background:#fff;border:1px solid var(--line);border-left:6px solid var(--c);border-radius:8px;padding:10px 16px;margin-bottom:12px}
.migration[hidden]{display:none}
.migration{content-visibility:auto;contain-intrinsic-size:auto 90px}
.migration summary{cursor:pointer;list-style-position:outside}
.migration summary h3{display:inline}
.two-way>h2,.look>h2{margin:16px 0 8px}
.dir{font-size:11px;border:1px solid var(--line);border-radius:4px;padding:0 4px;color:var(--muted)}
.dir-down{border-color:var(--contract);color:var(--contract)}
.migration h3{margin:0;font-size:15px}
.id{font-family:ui-monospace,monospace;background:#f6f8fa;border-radius:4px;padding:0 4px}
.path{color:var(--muted);font-weight:normal;font-size:13px;font-family:ui-monospace,monospace}
.badges{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}
.badge{border-radius:10px;padding:0 8px;font-size:12px;color:#fff;background:var(--c,var(--muted))}
.badge[class*="phase-"]{background:var(--p)}
.badge.ok{background:var(--two)}.badge.no{background:var(--one)}.badge.meh{background:var(--declared)}
.fw{color:var(--muted);font-size:12px}
.files code{font-size:12px;color:var(--muted)}
.finding{border-top:1px solid var(--line);padding:8px 0}
.finding .head{margin:0}
.sev{font-weight:700;text-transform:uppercase;font-size:11px;border-radius:4px;padding:1px 5px;color:#fff}
.sev-error .sev{background:var(--one)}.sev-warning .sev{background:var(--declared)}.sev-info .sev{background:var(--expand)}
.suppressed{opacity:.65}
.sup{color:var(--muted);font-style:italic}
.rule{font-family:ui-monospace,monospace;font-weight:600}
.cat,.loc{color:var(--muted);font-size:12px}
.msg{margin:4px 0}
pre{margin:4px 0;padding:8px;background:#f6f8fa;border-radius:6px;overflow:auto;font:12px/1.4 ui-monospace,SFMono-Regular,monospace}
.fix{border-left:3px solid var(--two);padding-left:8px}
.fix span{font-weight:600;color:var(--two);font-size:12px}
.fix pre{white-space:pre-wrap}
.errors{background:#fff;border:1px solid var(--one);border-radius:8px;padding:10px 16px}
.empty{color:var(--muted)}
footer{color:var(--muted);font-size:12px}
`;

// Filters: every select narrows the migrations shown; the timeline greys out what is hidden.
const SCRIPT = `
(function () {
  var controls = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var cards = Array.prototype.slice.call(document.querySelectorAll('article.migration'));
  var ticks = document.querySelectorAll('.tick');
  var texts = new Map();
  // What the search box looks in: id, name, path, rule ids and messages (read once, on first use).
  function searchText(card) {
    if (!texts.has(card)) {
      var parts = Array.prototype.map.call(card.querySelectorAll('h3, .rule, .msg'), function (n) { return n.textContent; });
      texts.set(card, parts.join(' ').toLowerCase());
    }
    return texts.get(card);
  }
  // A timeline tick opens the folded card it links to.
  function openTarget() {
    var card = location.hash && document.getElementById(location.hash.slice(1));
    var details = card && card.querySelector('details');
    if (details) details.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  function matches(card) {
    return controls.every(function (c) {
      var want = c.value.trim().toLowerCase();
      if (!want) return true;
      var key = c.getAttribute('data-filter');
      if (key === 'text') return searchText(card).indexOf(want) >= 0;
      return (card.getAttribute('data-' + key) || '').split(' ').indexOf(want) >= 0;
    });
  }
  function apply() {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card);
      card.hidden = !ok;
      if (ok) shown++;
      var tick = ticks[Number(card.getAttribute('data-index'))];
      if (tick) tick.classList.toggle('hidden', !ok);
    });
    document.querySelector('[data-shown]').textContent = String(shown);
  }
  controls.forEach(function (c) { c.addEventListener('input', apply); c.addEventListener('change', apply); });
  apply();
})();
`;
