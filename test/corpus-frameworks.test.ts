// The SQL-file frameworks as they really run, on the real histories of ../shared/corpus (read in place):
// a migration folder given alone, plain SQL version folders in natural order, pop's rollback groups.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = [resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(join(p, 'pg')));
const project = (path: string) => join(corpus as string, path);

describe.skipIf(!corpus)(`SQL-file frameworks on the corpus${corpus ? '' : ' (skipped: no corpus at ../shared/corpus)'}`, () => {
  it('lemmy: one Diesel migration folder is read as Diesel with its whole history', async () => {
    const result = await check(['migrations/2019-02-27-170003_create_community'], { cwd: project('pg/LemmyNet__lemmy') });
    expect(result.errors).toEqual([]);
    expect(result.sets.map((s) => [s.set.framework, s.set.migrations.length > 300])).toEqual([['diesel', true]]);
    expect(result.sets[0]?.reports.map((r) => r.parsed.migration.files)).toEqual([
      ['migrations/2019-02-27-170003_create_community/up.sql', 'migrations/2019-02-27-170003_create_community/down.sql'],
    ]);
  }, 120_000);

  it('umami: one Prisma migration folder is read as Prisma', async () => {
    const result = await check(['prisma/migrations/02_report_schema_session_data'], { cwd: project('pg/umami-software__umami') });
    expect(result.sets.map((s) => s.set.framework)).toEqual(['prisma']);
    expect(result.sets[0]?.reports.map((r) => r.parsed.migration.path)).toEqual([
      'prisma/migrations/02_report_schema_session_data/migration.sql',
    ]);
  });

  it('temporal: the versioned folders are one plain SQL history, v1.2 before v1.10', async () => {
    const result = await check(['schema/postgresql/v12/temporal'], { cwd: project('pg/temporalio__temporal') });
    const versioned = result.sets.find((s) => s.set.root.endsWith('temporal/versioned'));
    const folders = (versioned?.set.migrations ?? []).map((m) => m.id.split('/')[0]);
    expect(folders.slice(0, 4)).toEqual(['v1.0', 'v1.1', 'v1.2', 'v1.3']);
    expect(folders.indexOf('v1.10')).toBeGreaterThan(folders.indexOf('v1.9'));
    // With the history, v1.5's varchar(15) → varchar(128) is the widening it is.
    const widening = versioned?.reports.find((r) => r.parsed.migration.path.endsWith('v1.5/cluster_membership.sql'));
    expect([widening?.phase, widening?.codeRollback]).toEqual(['expand', 'compatible']);
  });

  it('kratos: a rollback group is judged whole: no down-does-not-undo per version, at most one set per group, at its newest', async () => {
    const result = await check(['.'], { cwd: project('pg/ory__kratos') });
    const reports = result.sets.flatMap((s) => s.reports);
    const members = reports.filter((r) => r.parsed.migration.rollbackGroup);
    expect(members.length).toBeGreaterThan(200);
    const newest = new Map(members.map((r) => [r.parsed.migration.rollbackGroup, r.parsed.migration.id]));
    const drift = members.flatMap((r) =>
      r.findings.filter((f) => f.rule === 'down-does-not-undo' && f.message.startsWith('After')).map((f) => ({ r, f })),
    );
    expect(drift.filter(({ f }) => f.message.startsWith('After up and down'))).toEqual([]);
    expect(drift.filter(({ r }) => newest.get(r.parsed.migration.rollbackGroup) !== r.parsed.migration.id)).toEqual([]);
    // 20200607165100: 000000 adds state, 000001 drops update_successful, each down undoing the other's up: the
    // group's rollback only re-adds update_successful with a default it did not have.
    expect(drift.filter(({ r }) => r.parsed.migration.rollbackGroup === '20200607165100').map(({ f }) => f.message)).toEqual([
      "After the ups of versions 20200607165100000000 to 20200607165100000001 and their downs, run newest first as a rollback of the group does, column selfservice_settings_requests.update_successful has DEFAULT 'false', had none.",
    ]);
  }, 120_000);
});
