// `twoway rehearse` for people: one line per migration (up / down / re-up / schema / data), then
// exactly what broke: the error, every schema difference, which columns lost how many rows.
import pc from 'picocolors';
import type { RehearseResult } from '../rehearse/index.js';
import { type MigrationRehearsal, notRehearsed, notRehearsedReasons, rehearsalFailed } from '../rehearse/rehearse.js';
import { describeDifference } from '../rehearse/schema-diff.js';

type Colors = ReturnType<typeof pc.createColors>;

function engineName(e: { kind: RehearseResult['engine']; serverVersion: string }): string {
  if (e.kind === 'pglite') return `PGlite (PostgreSQL ${e.serverVersion})`;
  if (e.kind === 'sqlite') return `embedded SQLite ${e.serverVersion}`;
  if (e.kind === 'mysql')
    return e.serverVersion.includes('MariaDB') ? `MariaDB ${e.serverVersion.split('-')[0]}` : `MySQL ${e.serverVersion}`;
  return `PostgreSQL ${e.serverVersion}`;
}

/** verbose: each migration's timings too. */
export function formatRehearseHuman(result: RehearseResult, options: { color: boolean; verbose?: boolean }): string {
  const c = pc.createColors(options.color);
  const engines = (result.engines?.length ? result.engines : [{ kind: result.engine, serverVersion: result.serverVersion }]).map(
    engineName,
  );
  const out: string[] = [c.dim(`rehearsed on ${engines.join(', ')}`), ''];
  for (const m of result.migrations) {
    const emulated = m.upSource === 'emulated' ? c.dim(' (emulated)') : '';
    const timing = options.verbose ? `  ${c.dim(timingText(m))}` : '';
    out.push(`${c.bold(m.path)}${emulated}  ${statusLine(m, c)}${timing}`);
    if (m.error) out.push(`  ${c.red(m.error)}`);
    if (m.skipped) out.push(`  ${c.yellow(`not rehearsed: ${m.skipped}`)}`);
    for (const d of m.schemaDiff) out.push(`  schema: ${describeDifference(d)}`);
    for (const l of m.lostData) {
      const what = l.column === '*' ? `${l.table}: ${l.rows} row(s) gone` : `${l.table}.${l.column}: ${l.rows} row(s) lost or changed`;
      out.push(`  data: ${what} of those that existed before the up`);
    }
    for (const l of m.lostNewData) {
      out.push(`  data: ${l.table}.${l.column}: ${l.rows} value(s) written after the up were cut or changed by the down`);
    }
    for (const l of m.lockMismatches) out.push(`  ${c.yellow(`locks: ${l.message}`)}`);
    for (const n of m.notes) out.push(`  ${c.dim(`note: ${n}`)}`);
  }
  for (const e of result.errors) out.push(`${c.red('error')} ${e.path}${e.line ? `:${e.line}:${e.column}` : ''}: ${e.message}`);
  const failed = result.migrations.filter(rehearsalFailed).length;
  const missing = result.migrations.filter((m) => m.down === 'missing').length;
  const skipped = result.migrations.filter(notRehearsed).length;
  out.push(
    '',
    `${result.migrations.length} migration(s) rehearsed: ${failed ? c.red(`${failed} failed`) : c.green('none failed')}` +
      `${skipped ? `, ${c.yellow(`${skipped} not rehearsed`)}` : ''}${missing ? `, ${missing} without a down` : ''}` +
      `${result.replayed ? c.dim(`; ${result.replayed} older one(s) replayed, up only`) : ''}`,
  );
  const mismatches = result.migrations.reduce((n, m) => n + m.lockMismatches.length, 0);
  if (mismatches) out.push(c.yellow(`  ${mismatches} statement lock(s) where PostgreSQL did not do what twoway check predicts`));
  // Why the migrations that were not rehearsed were not: a set that stopped says so once, with its count.
  for (const { reason, migrations } of notRehearsedReasons(result.migrations).filter((r) => r.migrations > 1))
    out.push(c.yellow(`  ${migrations} not rehearsed: ${reason}`));
  return `${out.join('\n')}\n`;
}

function timingText(m: MigrationRehearsal): string {
  const ms = (label: string, value: number | null) => (value === null ? [] : [`${label} ${Math.round(value)} ms`]);
  return [...ms('up', m.timings.up), ...ms('down', m.timings.down), ...ms('re-up', m.timings.reup), `${Math.round(m.ms)} ms in all`].join(
    ' · ',
  );
}

function statusLine(m: MigrationRehearsal, c: Colors): string {
  const word = (label: string, value: string, good: boolean) => `${label} ${good ? c.green(value) : c.red(value)}`;
  const parts = [m.up === 'failed-with-rows' ? `up ${c.red('fails on rows')}` : word('up', m.up, m.up === 'ok')];
  const source = m.downSource && m.downSource !== 'written' ? ` (${m.downSource})` : '';
  parts.push(m.down === 'missing' ? `down ${c.yellow('missing')}` : word('down', `${m.down}${source}`, m.down === 'ok'));
  parts.push(word('re-up', m.reup, m.reup !== 'failed'));
  if (m.schemaRestored !== null) parts.push(word('schema', m.schemaRestored ? 'restored' : 'differs', m.schemaRestored));
  const lost = m.lostData.length + m.lostNewData.length > 0;
  if (m.down === 'ok') parts.push(word('data', lost ? 'lost' : 'kept', !lost));
  return parts.join(' · ');
}
