// Rehearsal speed: per-migration cost over the examples, and a generated 500-migration history end to end.
// Run: node --import tsx bench/rehearse.ts [migrations]   (the history size defaults to 500)
// Wall time depends on what else the machine runs; CPU time (this process, PGlite included) less so.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyPath, rehearseCorpus, serverReachable } from '../scripts/rehearse-corpus.js';
import { createPgliteEngine, rehearsalFailed, rehearse } from '../src/rehearse/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const historySize = Number.parseInt(process.argv[2] ?? '500', 10);

/** A history with the shape of a real one: tables referencing each other, columns, indexes, renames, constraints, each with its down. */
export function writeHistory(folder: string, size: number): void {
  mkdirSync(folder, { recursive: true });
  const file = (i: number, name: string, up: string, down: string) => {
    const stem = `${String(i + 1).padStart(6, '0')}_${name}`;
    writeFileSync(join(folder, `${stem}.up.sql`), `${up}\n`);
    writeFileSync(join(folder, `${stem}.down.sql`), `${down}\n`);
  };
  for (let i = 0; i < size; i++) {
    const t = `t${Math.floor(i / 5)}`;
    const parent = Math.floor(i / 5) > 0 ? `t${Math.floor(i / 5) - 1}` : null;
    switch (i % 5) {
      case 0:
        file(
          i,
          `create_${t}`,
          `CREATE TABLE ${t} (\n  id bigserial PRIMARY KEY,\n  name varchar(50) NOT NULL,\n  ${parent ? `parent_id bigint REFERENCES ${parent} (id),\n  ` : ''}amount numeric(10, 2),\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
          `DROP TABLE ${t};`,
        );
        break;
      case 1:
        file(i, `add_note_to_${t}`, `ALTER TABLE ${t} ADD COLUMN note text;`, `ALTER TABLE ${t} DROP COLUMN note;`);
        break;
      case 2:
        file(i, `index_${t}_name`, `CREATE INDEX ${t}_name_idx ON ${t} (name);`, `DROP INDEX ${t}_name_idx;`);
        break;
      case 3:
        file(i, `rename_${t}_note`, `ALTER TABLE ${t} RENAME COLUMN note TO remark;`, `ALTER TABLE ${t} RENAME COLUMN remark TO note;`);
        break;
      default:
        file(
          i,
          `check_${t}_name`,
          `ALTER TABLE ${t} ADD CONSTRAINT ${t}_name_present CHECK (length(name) > 0) NOT VALID;`,
          `ALTER TABLE ${t} DROP CONSTRAINT ${t}_name_present;`,
        );
    }
  }
}

interface Timing {
  migrations: number;
  wallMs: number;
  cpuMs: number;
  failed: number;
}

async function timeRehearsal(paths: string[], options: Parameters<typeof rehearse>[1]): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await rehearse(paths, options);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    migrations: result.migrations.length,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    failed: result.migrations.filter(rehearsalFailed).length,
  };
}

const perMigration = (t: Timing) =>
  `${(t.wallMs / t.migrations).toFixed(1)} ms wall, ${(t.cpuMs / t.migrations).toFixed(1)} ms CPU per migration`;

const startCpu = process.cpuUsage();
const startWall = performance.now();
const engine = await createPgliteEngine();
const startup = { wall: performance.now() - startWall, cpu: process.cpuUsage(startCpu) };
console.log(
  `PGlite start (once per run): ${startup.wall.toFixed(0)} ms wall, ${((startup.cpu.user + startup.cpu.system) / 1000).toFixed(0)} ms CPU (target: under 2 s; the first start on a machine also runs initdb and caches it)`,
);

// Warm-up: the first rehearsal also loads the SQL parser.
await rehearse(['examples'], { engine, cwd: repoRoot });
const examples = await timeRehearsal(['examples'], { engine, cwd: repoRoot });
console.log(`examples: ${examples.migrations} migrations, ${perMigration(examples)} (target: under 150 ms)`);
await engine.close();

const folder = mkdtempSync(join(tmpdir(), 'twoway-bench-'));
try {
  writeHistory(folder, historySize);
  const history = await timeRehearsal([folder], {});
  console.log(
    `generated history: ${history.migrations} migrations in ${(history.wallMs / 1000).toFixed(1)} s wall, ${(history.cpuMs / 1000).toFixed(1)} s CPU, PGlite start included (target: 500 in under 90 s); ${perMigration(history)}; ${history.failed} failed`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}

// Real histories from shared/corpus, end to end: every migration rehearsed or explained.
const server = await serverReachable();
for (const name of ['rust-lang__crates.io', 'LemmyNet__lemmy']) {
  if (!historyPath(name)) {
    console.log(`${name}: skipped, not in shared/corpus`);
    continue;
  }
  for (const engineKind of server ? (['pglite', 'postgresql'] as const) : (['pglite'] as const)) {
    const run = await rehearseCorpus(name, engineKind);
    const target = engineKind === 'pglite' ? 'under 300 ms median, peak under 500 MB' : 'under 100 ms median';
    console.log(
      `${name} on ${engineKind}: ${run.rehearsed}/${run.migrations} rehearsed, the rest explained; ${(run.wallMs / 1000).toFixed(1)} s wall, ` +
        `median ${run.medianMs.toFixed(0)} ms per migration, peak RSS ${run.peakRssMb} MB${run.startMs === null ? '' : `, start ${run.startMs.toFixed(0)} ms`} (target: ${target})`,
    );
  }
}
if (!server) console.log('server runs skipped: no PostgreSQL at TWOWAY_TEST_PG_URL / 127.0.0.1:5432');
