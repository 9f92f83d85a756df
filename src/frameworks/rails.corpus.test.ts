// The Rails adapter on real histories in ../shared/corpus (read in place, never copied): lobsters
// (a squashed history: db/schema.rb is its end, db/old_migrations no longer runs) and maybe.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../analyze.js';
import { type CheckResult, check } from '../check.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = [process.env.TWOWAY_CORPUS, path.resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p): p is string =>
  Boolean(p && existsSync(path.join(p, 'apps'))),
);

describe.skipIf(!corpus)('Rails on real histories', () => {
  if (!corpus) console.warn('corpus not found at ../shared/corpus or /work/shared/corpus: skipping');
  const results = new Map<string, CheckResult>();
  beforeAll(async () => {
    for (const project of ['lobsters__lobsters', 'maybe-finance__maybe']) {
      results.set(project, await check(['.'], { cwd: path.join(corpus as string, 'apps', project) }));
    }
  });
  const report = (project: string, file: string): MigrationReport => {
    const found = results
      .get(project)
      ?.sets.flatMap((s) => s.reports)
      .find((r) => r.parsed.migration.path === `db/migrate/${file}`);
    if (!found) throw new Error(`no ${file} in ${project}`);
    return found;
  };
  const answers = (r: MigrationReport) => ({ phase: r.phase, codeRollback: r.codeRollback, dbRollback: r.dbRollback });
  const unread = (r: MigrationReport) => (r as unknown as { unread: unknown[] }).unread;

  it('reads both histories without errors', () => {
    expect(results.get('lobsters__lobsters')?.errors).toEqual([]);
    expect(results.get('maybe-finance__maybe')?.errors).toEqual([]);
  });

  it.each([
    // schema.rb already has NOT NULL: the squashed history's change_column_null is still a SET NOT NULL.
    [
      '20251214043426_messages_short_id_non_nullable_and_default_value.rb',
      { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' },
    ],
    ['20251216222804_add_null_constraint_to_keystores_id.rb', { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'reversible' }],
    // schema.rb already has the column and the index: they are what these migrations add.
    ['20260613002038_add_quorum_to_tags.rb', { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' }],
    ['20260613004304_add_created_at_to_suggested_tagging.rb', { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' }],
    [
      '20260602222249_add_index_to_stories_merged_story_id_and_hotness.rb',
      { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' },
    ],
    // Rails 8's SQLite create_virtual_table, reverted by drop_virtual_table.
    ['20250818182728_add_fts_tables.rb', { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' }],
    // Guards on the schema read as if the guarded change happens; a loop over a constant unrolled.
    ['20251217042744_remove_mod_activities_on_item_index.rb', { phase: 'contract', codeRollback: 'compatible', dbRollback: 'reversible' }],
  ])('lobsters %s', (file, expected) => {
    const r = report('lobsters__lobsters', file);
    expect(answers(r)).toEqual(expected);
    expect(unread(r)).toEqual([]);
  });

  it('lobsters: a loop over a constant array of [table, columns, options] adds each unique index', () => {
    const r = report('lobsters__lobsters', '20251214222742_add_unique_indexes_to_links.rb');
    expect(unread(r)).toEqual([]);
    expect(r.parsed.up.filter((o) => o.kind === 'AddIndex').map((o) => (o.kind === 'AddIndex' ? o.name : ''))).toEqual([
      'index_links_on_url_and_from_story_id_and_from_comment_id',
      'idx_links_on_to_comment_id_and_from_story_id_and_from_comment_id',
      'index_links_on_to_story_id_and_from_story_id_and_from_comment_id',
    ]);
  });

  it.each([
    // extension_enabled? guard; index_name_exists? guards; index_exists? guard.
    ['20240201183314_enable_uuid.rb', { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' }],
    ['20240709113715_create_good_job_process_lock_indexes.rb', { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' }],
    // A heredoc whose only interpolations are #{' '}: its DELETEs are read.
    ['20250206204404_add_constraints_to_account_holdings.rb', { phase: 'breaking', codeRollback: 'breaking', dbRollback: 'irreversible' }],
    // Active Storage: supports_datetime_with_precision? branches inside create_table.
    [
      '20240426162500_create_active_storage_tables.active_storage.rb',
      { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' },
    ],
    // Doorkeeper: the SQL Server branch is not the PostgreSQL one.
    ['20250612150749_create_doorkeeper_tables.rb', { phase: 'expand', codeRollback: 'compatible', dbRollback: 'reversible' }],
  ])('maybe %s', (file, expected) => {
    const r = report('maybe-finance__maybe', file);
    expect(answers(r)).toEqual(expected);
    expect(unread(r)).toEqual([]);
  });

  it('maybe: a constant map unrolled into heredoc UPDATEs (interpolating the loop items)', () => {
    const r = report('maybe-finance__maybe', '20250623162207_update_outdated_timezones.rb');
    expect(unread(r)).toEqual([]);
    expect(r.parsed.up.filter((o) => o.kind === 'DataChange')).toHaveLength(7);
    expect(r.dbRollback).toBe('irreversible');
  });
});
