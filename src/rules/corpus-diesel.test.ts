// The data-loss and breaking rules on real migration histories (diesel layout: <id>/up.sql + down.sql),
// replayed in full so every rule sees the schema the project really had.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHistory, type MigrationReport } from '../analyze.js';
import { parseSqlMigration } from '../frameworks/sql-files.js';
import type { Migration } from '../migration.js';
import { loadSqlParsers } from '../sql/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = [path.resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));

function dieselHistory(project: string): MigrationReport[] {
  const root = path.join(corpus as string, 'pg', project, 'migrations');
  const ids = readdirSync(root)
    .filter((d) => existsSync(path.join(root, d, 'up.sql')))
    .sort();
  const parsed = ids.map((id) => {
    const read = (f: string) => (existsSync(path.join(root, id, f)) ? readFileSync(path.join(root, id, f), 'utf8') : null);
    const down = read('down.sql');
    const migration: Migration = {
      id,
      name: id,
      framework: 'sql',
      dialect: 'postgresql',
      path: `${id}/up.sql`,
      files: [`${id}/up.sql`],
      up: { path: `${id}/up.sql`, text: read('up.sql') as string, startLine: 1, language: 'sql' },
      down: down === null ? null : { path: `${id}/down.sql`, text: down, startLine: 1, language: 'sql' },
      transactional: true,
    };
    return parseSqlMigration(migration);
  });
  return analyzeHistory(parsed);
}

describe.skipIf(!corpus)('data-loss and breaking rules on real histories', () => {
  if (!corpus) console.warn('corpus not found at ../shared/corpus or /work/shared/corpus: skipping');
  let crates: MigrationReport[] = [];
  let lemmy: MigrationReport[] = [];
  const find = (reports: MigrationReport[], id: string) => reports.find((r) => r.parsed.migration.id === id) as MigrationReport;
  beforeAll(async () => {
    await loadSqlParsers();
    crates = dieselHistory('rust-lang__crates.io');
    lemmy = dieselHistory('LemmyNet__lemmy');
  });

  it('crates.io: timestamp → date on crate_downloads cuts the time of day: breaking and irreversible', () => {
    const r = find(crates, '20170318181441_downloads_need_no_id');
    expect(r.findings.find((f) => f.rule === 'change-column-type')?.message).toContain('from timestamp to date');
    expect([r.phase, r.codeRollback, r.dbRollback]).toEqual(['breaking', 'breaking', 'irreversible']);
  });

  it('crates.io: a stored generated column rewrites versions', () => {
    const r = find(crates, '2023-08-13-175221_faster_reverse_dependencies_query');
    expect(r.findings.map((f) => f.rule)).toContain('add-column-rewrite');
  });

  it('Lemmy: timestamp → timestamptz after SET timezone = UTC skips the rewrite (PostgreSQL 12+)', () => {
    const r = find(lemmy, '2023-08-02-174444_fix-timezones');
    expect(r.findings.filter((f) => f.rule === 'change-column-type')).toEqual([]);
  });

  it('Lemmy: views dropped and re-created in the same migration are redefinitions', () => {
    const r = find(lemmy, '2019-05-02-051656_community_view_hot_rank');
    expect(r.findings.filter((f) => f.rule === 'drop-view')).toEqual([]);
  });

  it('Lemmy: renaming user_ columns to person_ is breaking', () => {
    const r = find(lemmy, '2021-03-09-171136_split_user_table_2');
    expect(r.findings.filter((f) => f.rule === 'rename-column').length).toBeGreaterThan(5);
    expect(r.codeRollback).toBe('breaking');
  });
});
