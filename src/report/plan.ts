// `twoway plan` output: the steps by release with their files and proof (human), or JSON (docs/plan.schema.json).
import pc from 'picocolors';
import type { MigrationPlan } from '../plan/index.js';
import type { PlanSizes } from '../plan/sizes.js';
import { formatBytes, formatSeconds, THROUGHPUT_BYTES_PER_SECOND } from '../stats/index.js';

export function formatPlanJson(plans: readonly MigrationPlan[]): string {
  return `${JSON.stringify({ version: 1, plans: plans.map(planJson) }, null, 2)}\n`;
}

function planJson(p: MigrationPlan) {
  const releases = [...new Set(p.steps.map((s) => s.release))].sort((a, b) => a - b);
  return {
    migration: p.migration,
    verdict: p.verdict,
    twoWay: p.twoWay,
    needed: p.needed,
    folder: p.folder,
    replaces: p.replaces,
    placement: p.placement,
    ...(p.cleanup ? { cleanup: p.cleanup } : {}),
    ...(p.liveTriggers ? { liveTriggers: p.liveTriggers } : {}),
    // A step's `work` is what `sizes` is estimated from, not part of the step as written.
    steps: p.steps.map(({ work: _, ...s }, i) => ({ index: i + 1, ...s, files: p.files.filter((f) => f.step === i).map((f) => f.path) })),
    releases: releases.map((release) => ({
      release,
      steps: p.steps.flatMap((s, i) => (s.release === release ? [i + 1] : [])),
      stopUsing: release === firstContractRelease(p) ? p.stopUsing : [],
    })),
    unplanned: p.unplanned,
    stopUsing: p.stopUsing,
    files: p.files.map((f) => ({ path: f.path, step: f.step + 1, text: f.text })),
    proof: {
      ok: p.proof.ok,
      checked: p.proof.checked.map((c) => ({ ...c, step: c.step + 1 })),
      rehearsed: p.proof.rehearsed?.map((r) => ({ ...r, step: r.step + 1 })) ?? null,
      rehearsedOn: p.proof.rehearsedOn,
    },
    written: p.written,
    ...(p.sizes ? { sizes: sizesJson(p.sizes) } : {}),
  };
}

function sizesJson(s: PlanSizes) {
  return {
    database: s.database,
    archives: s.archives.map((a) => ({ ...a, step: a.step + 1 })),
    steps: s.steps.map((e) => ({ ...e, step: e.step + 1 })),
    ...(s.freed ? { freed: s.freed } : {}),
    notFound: s.notFound,
  };
}

const rowsText = (rows: number | null) => (rows === null ? 'rows not estimated (never analyzed)' : `~${rows.toLocaleString('en-US')} rows`);

/** A step's table and how long it goes through it, in one line. */
function estimateText(e: PlanSizes['steps'][number]): string {
  const what = { index: 'index build', scan: 'validation scan', backfill: 'backfill', copy: 'copy into the archive' }[e.does];
  const batches = e.batches === undefined ? '' : ` in ${e.batches.toLocaleString('en-US')} batch${e.batches === 1 ? '' : 'es'}`;
  return `${e.table}: ${rowsText(e.rows)}, ${formatBytes(e.bytes)}; ${what}${batches} estimated ${formatSeconds(e.seconds)} at ${formatBytes(THROUGHPUT_BYTES_PER_SECOND[e.work])}/s; holds ${e.lock}`;
}

/** An archive's cost, in one line. */
function archiveText(a: PlanSizes['archives'][number]): string {
  if (a.bytes === null && a.rows === null && !a.columns.length) return `${a.table}: ${a.source} is not on this database, nothing counted`;
  const width = a.columns.reduce((n, c) => n + (c.avgBytes ?? 0) * (1 - (c.nullFraction ?? 0)), 0);
  const cost = a.bytes === null ? 'size unknown' : formatBytes(a.bytes);
  const notCounted = a.notCounted.length ? `; not counted: ${a.notCounted.join(', ')} (not on the live table yet)` : '';
  return `${a.table} (step ${a.step + 1}): ${a.atMost ? 'at most ' : ''}${rowsText(a.rows)} × ${formatBytes(Math.round(width))} = ${cost}${notCounted}`;
}

/** Where the steps go among the set's migrations, and what that means for the later ones. */
function placementLines(p: MigrationPlan, lastRelease: number, c: ReturnType<typeof pc.createColors>): string[] {
  const { mode, later, dependents, why } = p.placement;
  const one = later.length === 1;
  const n = one ? 'later migration' : `${later.length} later migrations`;
  const run = one ? 'runs' : 'run';
  const original = p.migration.path;
  if (mode === 'in-place')
    return [
      `  In ${original}'s place, before ${later[0]}: planned on the schema before it, and the ${n} still ${run} after the last step, so ${one ? 'it ships' : 'they ship'} with release ${lastRelease} or later.`,
      ...dependents.map(
        (d) => `    ${d.path} touches ${d.touches.join(', ')}, which the plan changes: it waits for release ${lastRelease}.`,
      ),
    ];
  if (mode === 'after-newest')
    return [
      c.yellow(
        `  After the newest migration, ${later.at(-1)} (${why}): planned on the schema the history leaves without ${original}; the ${n} now ${run} before the steps.`,
      ),
      ...dependents.map((d) =>
        c.red(`    ${d.path} touches ${d.touches.join(', ')}, which ${original} changes: it would now run before that change.`),
      ),
    ];
  return [];
}

const firstContractRelease = (p: MigrationPlan): number | undefined => p.steps.find((s) => s.phase === 'contract')?.release;

export function formatPlanHuman(plans: readonly MigrationPlan[], o: { color: boolean; command: string }): string {
  const c = pc.createColors(o.color);
  const out: string[] = [];
  for (const p of plans) {
    if (out.length) out.push('');
    const v = p.verdict;
    const door = p.twoWay ? c.green('two-way door') : c.red('one-way door');
    out.push(
      p.cleanup
        ? `${c.bold(p.folder)} (${p.migration.framework}): ${p.cleanup.length} archive${p.cleanup.length === 1 ? '' : 's'} left by plans: ${p.cleanup.join(', ')}`
        : `${c.bold(p.migration.path)} (${p.migration.framework}): ${door} (${v.phase}; code rollback ${v.codeRollback}; db rollback ${v.dbRollback})`,
    );
    if (!p.needed) {
      out.push('  Nothing to plan: it is already a two-way door and takes no lock a plan could soften.');
      continue;
    }
    if (!p.steps.length) {
      out.push(c.yellow('  No plan: nothing in it has a safe sequence yet.'));
      for (const u of p.unplanned) out.push(`    - ${u}`);
      continue;
    }
    const releases = [...new Set(p.steps.map((s) => s.release))].sort((a, b) => a - b);
    out.push(
      `  Plan: ${p.steps.length} migration${p.steps.length === 1 ? '' : 's'} in ${p.folder === '.' ? 'the same folder' : p.folder}, over ${releases.length} release${releases.length === 1 ? '' : 's'}`,
    );
    out.push(...placementLines(p, releases.at(-1) ?? 1, c));
    for (const t of p.liveTriggers ?? [])
      out.push(
        `  ${t.table} has user triggers on the live database (${t.triggers.join(', ')}): its restore runs with them off, so it does not fire them.`,
      );
    for (const release of releases) {
      out.push('', `  Release ${release}`);
      if (release === firstContractRelease(p))
        for (const s of p.stopUsing)
          out.push(
            `    ${c.yellow('ship first:')} code that no longer reads or writes ${s.columns.map((col) => `${s.table}.${col}`).join(', ')}`,
          );
      p.steps.forEach((s, i) => {
        if (s.release !== release) return;
        const phase = s.phase === 'contract' ? c.yellow('contract') : c.green(s.phase);
        const how = s.transactional ? '' : c.dim(' (outside a transaction)');
        out.push(`    ${i + 1}. ${s.name}  ${phase}${how}`);
        for (const f of p.files.filter((f) => f.step === i)) out.push(`       ${c.dim(f.path)}`);
        for (const sql of s.up) out.push(`       ${c.cyan('up  ')} ${sql}`);
        for (const sql of s.down) out.push(`       ${c.cyan('down')} ${sql}`);
        const estimate = p.sizes?.steps.find((e) => e.step === i);
        if (estimate) out.push(`       ${c.magenta('size')} ${estimateText(estimate)}`);
        if (s.note) out.push(`       ${c.dim(`then: ${s.note}`)}`);
      });
    }
    if (p.unplanned.length) {
      out.push('', c.yellow('  Not planned (write these by hand):'));
      for (const u of p.unplanned) out.push(`    - ${u}`);
    }
    if (p.sizes) {
      const db = p.sizes.database.database;
      out.push(
        '',
        `  On ${db}, from its table statistics (archives: rows × average width of the values; durations at documented throughputs, not measurements):`,
      );
      if (p.sizes.freed) {
        const total = p.sizes.freed.reduce((n, f) => n + f.bytes, 0);
        for (const f of p.sizes.freed) out.push(`    drops ${f.table}: ${rowsText(f.rows)}, ${formatBytes(f.bytes)}`);
        if (p.sizes.freed.length) out.push(`    the clean-up frees ${formatBytes(total)}`);
      } else if (!p.sizes.archives.length) out.push('    no archive: the plan destroys no values');
      for (const a of p.sizes.archives) out.push(`    archive ${archiveText(a)}`);
      for (const t of p.sizes.notFound) out.push(c.yellow(`    ${t} is not on ${db}: nothing read for it`));
    }
    out.push('', `  Proof:`);
    const checked = p.proof.checked.filter((x) => x.problems.length);
    if (!checked.length && p.proof.checked.length)
      out.push(
        p.cleanup
          ? `    ${c.green('✓')} re-checked: a declared contract, code rollback compatible; one-way only for the archives' rows, on purpose`
          : `    ${c.green('✓')} re-checked: every step an expand or a declared contract, code rollback compatible, db rollback reversible`,
      );
    for (const x of checked) for (const why of x.problems) out.push(`    ${c.red('✗')} ${x.path ? `${x.path}: ` : ''}${why}`);
    if (p.proof.rehearsed) {
      const failed = p.proof.rehearsed.filter((r) => r.problems.length);
      if (!failed.length)
        out.push(
          `    ${c.green('✓')} rehearsed on ${p.proof.rehearsedOn}: up, down and up of each step with rows, schema and data restored`,
        );
      for (const r of failed) for (const why of r.problems) out.push(`    ${c.red('✗')} ${r.path}: ${why}`);
    } else out.push(`    ${c.dim(`not rehearsed: ${o.command} --verify rehearses each step on PGlite`)}`);
    out.push('');
    if (p.cleanup) {
      if (p.written.length) out.push(`  Wrote ${p.written.length} file${p.written.length === 1 ? '' : 's'}.`);
      else if (p.proof.ok) out.push(`  Write it: ${o.command} --write`);
      else out.push(c.red('  The plan failed its own proof: it is not written.'));
    } else if (p.written.length) {
      out.push(`  Wrote ${p.written.length} file${p.written.length === 1 ? '' : 's'}.`);
      out.push(`  ${replacing(p, 'written')}`);
    } else if (p.proof.ok) {
      out.push(`  ${replacing(p, 'to write')}`);
      out.push(`  Write it: ${o.command} --write`);
    } else out.push(c.red('  The plan failed its own proof: it is not written.'));
  }
  return `${out.join('\n')}\n`;
}

/** What to do with the original, by what is known of whether it has run (Applied). */
function replacing(p: MigrationPlan, when: 'written' | 'to write'): string {
  const files = p.replaces.join(' and ');
  const them = p.replaces.length === 1 ? 'it' : 'them';
  const applied = p.placement.applied;
  if (applied?.state === 'unapplied')
    return when === 'written'
      ? `Delete ${files}: the plan takes its place (${applied.detail}).`
      : `Replaces ${files} (${applied.detail}): delete ${them} once the plan is written.`;
  const why =
    applied?.state === 'released' ? applied.detail : `twoway cannot tell whether it has run (${applied?.detail ?? 'nothing says'})`;
  return `Replaces ${files}, but ${why}: delete ${them} only if no database has run ${them} (--database-url <its database> reads its history table).`;
}
