// Rehearsal of SQLite sets on the embedded SQLite (sql.js): the same report as on PostgreSQL, from
// SQLite's own catalog and data, and whole histories from shared/corpus.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempProject } from '../testing/projects.js';
import { createSqliteEngine, rehearse } from './index.js';

const CORPUS =
  [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p): p is string =>
    Boolean(p && existsSync(resolve(p, 'sqlite'))),
  ) ?? '';

/** A pop folder of SQLite migrations: [version_name, up, down] each. */
const project = (...migrations: Array<[string, string, string]>) =>
  tempProject(
    Object.fromEntries(
      migrations.flatMap(([name, up, down]) => [
        [`migrations/${name}.sqlite3.up.sql`, up],
        [`migrations/${name}.sqlite3.down.sql`, down],
      ]),
    ),
  );

describe('rehearse SQLite sets on an embedded SQLite', () => {
  it('fills columns a CHECK restricts with the values it lists, and a singleton table with its one row', async () => {
    const dir = project(
      [
        '20240101000000_posts',
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, \"status\" VARCHAR(10) NOT NULL CHECK (\"status\" IN ('draft', 'sent')), kind TEXT, note TEXT, CHECK (kind = 'a' OR kind = 'b'));",
        'DROP TABLE posts;',
      ],
      [
        '20240102000000_singleton',
        'CREATE TABLE settings (id INT NOT NULL DEFAULT 0 PRIMARY KEY CHECK (id = 0), name TEXT);',
        'DROP TABLE settings;',
      ],
      ['20240103000000_drop_note', 'ALTER TABLE posts DROP COLUMN note;', 'ALTER TABLE posts ADD COLUMN note TEXT;'],
      ['20240104000000_drop_name', 'ALTER TABLE settings DROP COLUMN name;', 'ALTER TABLE settings ADD COLUMN name TEXT;'],
    );
    const result = await rehearse([dir]);
    for (const m of result.migrations.slice(2)) expect(m.notes.filter((n) => n.startsWith('no synthetic row fits'))).toEqual([]);
    // Every synthetic row went in (the CHECKs' values taken), and so its note is lost; the singleton holds one.
    expect(result.migrations[2]?.lostData).toEqual([{ table: 'posts', column: 'note', rows: 4 }]);
    expect(result.migrations[3]?.lostData).toEqual([{ table: 'settings', column: 'name', rows: 1 }]);
  });

  it("a table an earlier version of the same pop group made holds no rows: the group's copy into it is not blamed", async () => {
    // kratos's rebuild split over the versions of one legacy version (20191100000010): make the new table, copy.
    const history = (copyVersion: string) =>
      project(
        ['20191100000001000000_errors', 'CREATE TABLE errors (id TEXT PRIMARY KEY, body TEXT NOT NULL);', 'DROP TABLE errors;'],
        // Its down is kratos's, one version behind (what undoes the swap): it fails here and leaves the table.
        [
          '20191100000010000000_errors',
          'CREATE TABLE _errors_tmp (id TEXT PRIMARY KEY, body TEXT NOT NULL);',
          'ALTER TABLE _errors_tmp RENAME TO errors;',
        ],
        [`${copyVersion}_errors`, 'INSERT INTO _errors_tmp (id, body) SELECT id, body FROM errors;', 'DELETE FROM _errors_tmp;'],
      );
    // pop runs the group in one go: nothing writes _errors_tmp between its versions.
    const grouped = await rehearse([history('20191100000010000001')]);
    expect(grouped.migrations[2]).toMatchObject({ up: 'ok', error: null });
    // In a version of its own, another release could have written rows there; twoway's share the copied ids.
    const apart = await rehearse([history('20191100000011000000')]);
    expect(apart.migrations[2]?.up).toBe('failed-with-rows');
    expect(apart.migrations[2]?.error).toBe('up fails on a table with rows: UNIQUE constraint failed: _errors_tmp.id');
  });

  it('proves a reversible migration, finds a lossy down, a schema that drifts and foreign keys kept', async () => {
    const dir = project(
      [
        '20240101000000_users',
        'CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, full_name TEXT);',
        'DROP TABLE users;',
      ],
      [
        '20240102000000_posts',
        'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, body TEXT);',
        'DROP TABLE posts;',
      ],
      ['20240103000000_drop_name', 'ALTER TABLE users DROP COLUMN full_name;', 'ALTER TABLE users ADD COLUMN full_name TEXT;'],
      ['20240104000000_index', 'CREATE INDEX users_email ON users (email);', 'SELECT 1;'],
      [
        '20240105000000_flag',
        'ALTER TABLE posts ADD COLUMN published BOOLEAN NOT NULL DEFAULT 0;',
        'ALTER TABLE posts DROP COLUMN published;',
      ],
    );
    const result = await rehearse([dir]);
    expect(result.engine).toBe('sqlite');
    expect(result.serverVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(result.migrations.map((m) => [m.id, m.up, m.down, m.reup, m.schemaRestored])).toEqual([
      ['20240101000000', 'ok', 'ok', 'ok', true],
      ['20240102000000', 'ok', 'ok', 'ok', true],
      ['20240103000000', 'ok', 'ok', 'ok', true],
      // The down leaves the index behind: the up cannot run again.
      ['20240104000000', 'ok', 'ok', 'failed', false],
      ['20240105000000', 'ok', 'ok', 'ok', true],
    ]);
    // Every synthetic row had a name; the column comes back empty.
    expect(result.migrations[2]?.lostData).toEqual([{ table: 'users', column: 'full_name', rows: 4 }]);
    expect(result.migrations[3]?.schemaDiff).toEqual([
      {
        object: 'index',
        name: 'users_email',
        change: 'extra',
        before: null,
        after: 'ON users (email)',
      },
    ]);
    // Rows of posts reference users: the child was filled after its parent, with the parent's real ids.
    expect(result.migrations[1]?.notes).toEqual([]);
    expect(result.migrations[4]?.lostData).toEqual([]);
  });

  it('a statement past its time limit ends the engine; the next set starts on a fresh one', async () => {
    const engine = await createSqliteEngine({ statementTimeoutSeconds: 1 });
    try {
      const forever = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n;';
      const hang = project(['20240101000000_hang', forever, 'SELECT 1;']);
      const after = project(['20240101000000_after', 'CREATE TABLE t (id INTEGER);', 'DROP TABLE t;']);
      const result = await rehearse([hang, after], { engine });
      expect(result.migrations.map((m) => [m.up, m.error])).toEqual([
        ['failed', 'up: timed out after 1 s'],
        ['ok', null],
      ]);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it('a checkpoint restores its tables, rows and enforced foreign keys; a reset empties the database in place', async () => {
    const engine = await createSqliteEngine();
    try {
      await engine.exec(
        'CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (a_id INTEGER REFERENCES a (id)); INSERT INTO a VALUES (1);',
      );
      const checkpoint = await engine.checkpoint?.();
      expect(checkpoint?.bytes.length).toBeGreaterThan(0);
      await engine.exec('DROP TABLE b; INSERT INTO a VALUES (2);');
      await engine.restore?.(checkpoint as NonNullable<typeof checkpoint>);
      const tables = await engine.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
      expect(tables.map((t) => t.name)).toEqual(['a', 'b']);
      expect(await engine.query('SELECT id FROM a')).toEqual([{ id: 1 }]);
      await expect(engine.exec('INSERT INTO b VALUES (9);')).rejects.toThrow(/FOREIGN KEY constraint failed/);
      await engine.reset();
      expect(await engine.query("SELECT name FROM sqlite_master WHERE type = 'table'")).toEqual([]);
      expect(await engine.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    } finally {
      await engine.close();
    }
  });

  it('refuses ATTACH, which opens another database file', async () => {
    const dir = project(['20240101000000_attach', "ATTACH DATABASE '/tmp/other.db' AS other;", 'DETACH DATABASE other;']);
    const [m] = (await rehearse([dir])).migrations;
    expect(m?.up).toBe('skipped');
    expect(m?.skipped).toMatch(/^up: ATTACH DATABASE opens or creates another database file \(.*20240101000000_attach.sqlite3.up.sql:1\)/);
  });

  describe.skipIf(!CORPUS)('shared/corpus SQLite histories, end to end', () => {
    it('openfga: both migrations proven', async () => {
      const result = await rehearse([resolve(CORPUS, 'sqlite/openfga__openfga')]);
      expect(result.migrations.map((m) => [m.id, m.up, m.down, m.reup, m.schemaRestored, m.lostData])).toEqual([
        ['005', 'ok', 'ok', 'ok', true, []],
        ['006', 'ok', 'ok', 'ok', true, []],
      ]);
    });

    it('kratos: the whole history runs past ups that fail on rows; only the corpus copy stops it near the end', async () => {
      const result = await rehearse([resolve(CORPUS, 'sqlite/ory__kratos')]);
      expect(result.migrations.length).toBeGreaterThan(600);
      for (const m of result.migrations)
        expect(m.up === 'ok' || m.up === 'failed' || m.up === 'failed-with-rows' || m.skipped !== null).toBe(true);
      expect(result.migrations.find((m) => m.id === '20191100000001000002')?.error).toBe('down: no such table: identity_credentials');
      // Ups that fail on rows apply to empty tables and the history goes on (it stopped at the first before).
      const onRows = result.migrations.filter((m) => m.up === 'failed-with-rows');
      expect(onRows.length).toBeGreaterThan(0);
      // A rebuild split over the versions of one pop group copies into the `_…_tmp` table an earlier version made:
      // pop runs the group in one go, so that table holds no rows but the copied ones (36 of these failed on
      // twoway's rows in it before).
      expect(onRows.filter((m) => m.error?.includes('_tmp'))).toEqual([]);
      expect(result.migrations.find((m) => m.id === '20191100000010000001')?.up).toBe('ok');
      // The one up failing on empty tables too needs the index of 20220512102703000000_missing_indices.up.sql, a
      // file for every dialect that the corpus copy (only .sqlite3. files) left out: what follows is not rehearsed.
      const stop = result.migrations.find((m) => m.up === 'failed');
      expect([stop?.id, stop?.error]).toEqual(['20220825134336000001', 'up: no such index: identity_verification_tokens_id_nid_idx']);
      const notRun = result.migrations.filter(
        (m) => m.skipped === 'migration 20220825134336000001 before it does not apply, not even to empty tables',
      );
      expect(notRun.length).toBe(result.migrations.length - result.migrations.indexOf(stop as (typeof result.migrations)[number]) - 1);
      expect(notRun.length).toBeLessThan(20);
    }, 600_000);
  });
});
