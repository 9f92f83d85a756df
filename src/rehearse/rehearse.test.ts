import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Migration, ParsedMigration } from '../migration.js';
import { loadSqlParsers } from '../sql/index.js';
import { parsePostgres } from '../sql/postgresql.js';
import type { Engine } from './engine.js';
import { createPgliteEngine, rehearsalFailed, rehearse, rehearseHistory } from './index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => `src/rehearse/fixtures/${name}`;

let engine: Engine;
beforeAll(async () => {
  await loadSqlParsers();
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());

const rehearseFolder = async (folder: string) => (await rehearse([folder], { engine, cwd: repoRoot })).migrations;

describe('rehearse on PGlite', () => {
  it('a reversible history: every down restores schema and data and every up applies again', async () => {
    const results = await rehearseFolder(fixture('reversible'));
    expect(results.map((r) => [r.id, r.up, r.down, r.reup, r.schemaRestored])).toEqual([
      ['1', 'ok', 'ok', 'ok', true],
      ['2', 'ok', 'ok', 'ok', true],
      ['3', 'ok', 'ok', 'ok', true],
      ['4', 'ok', 'ok', 'ok', true],
      ['5', 'ok', 'missing', 'skipped', null],
    ]);
    expect(results.flatMap((r) => r.lostData)).toEqual([]);
    expect(results.some(rehearsalFailed)).toBe(false);
    // Synthetic rows reached every table, the child through its foreign key included.
    expect(results.flatMap((r) => r.notes).filter((n) => n.startsWith('no synthetic row'))).toEqual([]);
  });

  it('a down that re-adds a dropped column loses its values and moves the column', async () => {
    const [, drop] = await rehearseFolder(fixture('lossy-down'));
    expect(drop?.down).toBe('ok');
    // Five synthetic rows, one of which had a NULL full_name: four values are gone.
    expect(drop?.lostData).toEqual([{ table: 'users', column: 'full_name', rows: 4 }]);
    // The column comes back last: PostgreSQL cannot put it where it was. A note, not a schema difference.
    expect(drop?.schemaDiff).toEqual([]);
    expect(drop?.schemaRestored).toBe(true);
    expect(drop?.notes).toContain('column order differs: users was id, email, full_name, created_at, is id, email, created_at, full_name');
    expect(drop && rehearsalFailed(drop)).toBe(true);
  });

  it('a down that fails is reported with the error, and the history goes on from the state after the up', async () => {
    const results = await rehearseFolder(fixture('failing-down'));
    expect(results[1]).toMatchObject({ down: 'failed', reup: 'skipped', schemaRestored: null });
    expect(results[1]?.error).toBe('down: column "nick_name" of relation "users" does not exist');
    expect(results[2]).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true, lostData: [] });
  });

  it('a down that leaves the schema different names the difference', async () => {
    const [, pending] = await rehearseFolder(fixture('schema-drift'));
    expect(pending).toMatchObject({ down: 'ok', reup: 'ok', schemaRestored: false, lostData: [] });
    expect(pending?.schemaDiff).toEqual([
      { object: 'column', name: 'orders.status', change: 'default', before: "'new'::text", after: null },
    ]);
  });

  it('downs that re-narrow meet the rows only the new schema allows', async () => {
    const results = await rehearseFolder(fixture('widen-narrow'));
    expect(results[1]).toMatchObject({ down: 'failed', error: 'down: value too long for type character varying(20)' });
    expect(results[2]).toMatchObject({ down: 'failed', error: 'down: column "phone" of relation "people" contains null values' });
    // least() ignores NULLs: the one NULL age that existed before the up comes back as 32767.
    expect(results[3]).toMatchObject({ down: 'ok', schemaRestored: true, lostData: [{ table: 'people', column: 'age', rows: 1 }] });
  });

  it('an up that cannot be applied again after its down', async () => {
    const [, trigger] = await rehearseFolder(fixture('not-reappliable'));
    expect(trigger).toMatchObject({ down: 'ok', reup: 'failed', schemaRestored: false });
    expect(trigger?.error).toBe('re-up: function "normalize_email" already exists with same argument types');
    expect(trigger?.schemaDiff.map((d) => [d.object, d.name, d.change])).toEqual([['function', 'normalize_email()', 'extra']]);
  });

  it('an up that fails on rows is a finding, applies to empty tables, and the history goes on', async () => {
    const results = await rehearseFolder(fixture('fails-with-rows'));
    expect(results.map((r) => [r.id, r.up, r.down, r.reup, r.schemaRestored])).toEqual([
      ['1', 'ok', 'ok', 'ok', true],
      ['2', 'failed-with-rows', 'ok', 'ok', true],
      ['3', 'ok', 'ok', 'ok', true],
      ['4', 'ok', 'ok', 'ok', true],
    ]);
    expect(results[1]?.error).toBe('up fails on a table with rows: column "name" of relation "users" contains null values');
    expect(results[1] && rehearsalFailed(results[1])).toBe(true);
    // visits + 1 overflows only on the largest integer twoway writes: the data's fault, rehearsed on ordinary rows.
    expect(results[2]?.error).toBeNull();
    expect(results[2]?.notes).toContain(
      "the up fails only on twoway's extreme synthetic rows (largest, smallest, NULL values): integer out of range; rehearsed on ordinary rows",
    );
    expect(results[2]?.lostData).toEqual([]);
    for (const r of results) expect(r.timings.up).toBeGreaterThan(0);
  });

  it('loads the contrib modules a history creates and names an extension PGlite does not have', async () => {
    const results = await rehearseFolder(fixture('extensions'));
    expect(results.map((r) => [r.id, r.up, r.down, r.reup])).toEqual([
      ['1', 'ok', 'ok', 'ok'],
      ['2', 'ok', 'ok', 'ok'],
      ['3', 'ok', 'ok', 'ok'],
      ['4', 'failed', 'skipped', 'skipped'],
      ['5', 'skipped', 'skipped', 'skipped'],
    ]);
    // citext and ltree columns hold synthetic rows.
    expect(results[2]?.notes).toEqual([]);
    expect(results[3]?.notes[0]).toMatch(/^extension postgis is not available on PGlite [\d.]+: rehearse on a server that has it/);
    expect(results[4]?.skipped).toBe('migration 4 before it does not apply, not even to empty tables');
  });

  it('--from and --only rehearse the selected migrations on the schema the older ones, replayed up only, leave', async () => {
    const from = await rehearse([fixture('reversible')], { engine, cwd: repoRoot, from: '3' });
    expect(from.migrations.map((r) => [r.id, r.up, r.down, r.reup, r.schemaRestored])).toEqual([
      ['3', 'ok', 'ok', 'ok', true],
      ['4', 'ok', 'ok', 'ok', true],
      ['5', 'ok', 'missing', 'skipped', null],
    ]);
    expect(from.replayed).toBe(2);
    // The replayed ups wrote no rows; the selected ones fill the tables themselves.
    expect(from.migrations[0]?.notes).toEqual([]);
    const only = await rehearse([fixture('fails-with-rows')], { engine, cwd: repoRoot, only: '2' });
    expect(only.migrations.map((r) => [r.id, r.up])).toEqual([['2', 'failed-with-rows']]);
    expect(only.replayed).toBe(1);
    await expect(rehearse([fixture('reversible')], { engine, cwd: repoRoot, only: '9' })).rejects.toThrow(
      'no migration 9 in src/rehearse/fixtures/reversible',
    );
  });

  it('leaves PGlite nothing a checkpoint would remove: the files of dropped tables and old WAL go between migrations', async () => {
    // PGlite keeps its data folder in memory and never checkpoints by itself.
    const files = async () => {
      const [row] = await engine.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_ls_dir('base/' || (SELECT oid FROM pg_database WHERE datname = current_database()))`,
      );
      return row?.n ?? 0;
    };
    await rehearseFolder(fixture('reversible'));
    const after = await files();
    await engine.exec('CHECKPOINT');
    expect(await files()).toBe(after);
  });

  it('the golang-migrate example: dropping full_name is caught by rehearsal as by check', async () => {
    const results = await rehearseFolder('examples/golang-migrate');
    expect(results[0]).toMatchObject({ down: 'ok', schemaRestored: true, lostData: [] });
    expect(results[1]?.lostData).toEqual([{ table: 'users', column: 'full_name', rows: 4 }]);
  });
});

describe('rehearse runs what the framework would', () => {
  const migration = (id: string, up: string, down: string | null, extra: Partial<Migration> = {}): ParsedMigration => {
    const path = `db/${id}.rb`;
    const source = (text: string, suffix: string) => ({ path: `${path}${suffix}`, text, startLine: 1, language: 'sql' as const });
    const m: Migration = {
      id,
      name: id,
      framework: 'rails',
      dialect: 'postgresql',
      path,
      files: [path],
      up: { ...source(up, ''), language: 'ruby' },
      down: down === null ? null : { ...source(down, ':down'), language: 'ruby' },
      transactional: true,
      ...extra,
    };
    // The IR a DSL adapter would produce, here from the equivalent SQL.
    const upOps = parsePostgres(source(up, '')).ops;
    const downOps = down === null ? null : parsePostgres(source(down, ':down')).ops;
    return { migration: m, up: upOps, down: downOps, downStatus: down === null ? 'none' : 'written', directives: [], errors: [] };
  };

  it('DSL migrations run as the SQL emitted for their IR, labelled emulated', async () => {
    await engine.reset();
    const results = await rehearseHistory(engine, [
      migration('1', 'CREATE TABLE posts (id bigserial PRIMARY KEY, title varchar(80) NOT NULL, body text)', 'DROP TABLE posts'),
      migration(
        '2',
        'ALTER TABLE posts ADD COLUMN slug text; CREATE UNIQUE INDEX posts_slug ON posts (slug)',
        'ALTER TABLE posts DROP COLUMN slug',
      ),
      migration('3', 'ALTER TABLE posts DROP COLUMN body', 'ALTER TABLE posts ADD COLUMN body text'),
    ]);
    expect(results.map((r) => [r.upSource, r.downSource, r.up, r.down, r.reup])).toEqual([
      ['emulated', 'emulated', 'ok', 'ok', 'ok'],
      ['emulated', 'emulated', 'ok', 'ok', 'ok'],
      ['emulated', 'emulated', 'ok', 'ok', 'ok'],
    ]);
    expect(results[2]?.lostData).toEqual([{ table: 'posts', column: 'body', rows: 4 }]);
  });

  it('a migration outside the framework transaction runs the transaction it opens itself (Sequelize sequelize.transaction())', async () => {
    await engine.reset();
    const results = await rehearseHistory(engine, [
      migration('1', 'CREATE TABLE t (a int)', 'DROP TABLE t'),
      migration('2', 'BEGIN; CREATE INDEX CONCURRENTLY t_a ON t (a); COMMIT', 'DROP INDEX t_a', { transactional: false }),
    ]);
    expect(results[1]?.up).toBe('failed');
    expect(results[1]?.error).toContain('cannot run inside a transaction block');
  });

  it('frameworks without downs get the down derived from the IR, or none when the up destroys data', async () => {
    await engine.reset();
    const prisma = { framework: 'prisma' as const, downsUnsupported: true };
    const sqlUp = (p: ParsedMigration): ParsedMigration => ({
      ...p,
      migration: { ...p.migration, up: { ...p.migration.up, language: 'sql' } },
    });
    const results = await rehearseHistory(engine, [
      sqlUp(migration('1', 'CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL)', null, prisma)),
      sqlUp(
        migration('2', "ALTER TABLE tags ADD COLUMN colour text DEFAULT 'red'; ALTER TABLE tags RENAME COLUMN name TO label", null, prisma),
      ),
      sqlUp(migration('3', 'ALTER TABLE tags DROP COLUMN colour', null, prisma)),
    ]);
    expect(results.map((r) => [r.upSource, r.down, r.downSource, r.schemaRestored])).toEqual([
      ['written', 'ok', 'derived', true],
      ['written', 'ok', 'derived', true],
      ['written', 'missing', null, null],
    ]);
    expect(results[2]?.notes[0]).toMatch(/^no down derivable: DropColumn/);
  });

  it('CREATE INDEX CONCURRENTLY beside other statements fails in one message, as golang-migrate runs it', async () => {
    await engine.reset();
    const gm = (p: ParsedMigration): ParsedMigration => ({
      ...p,
      migration: {
        ...p.migration,
        framework: 'golang-migrate',
        up: { ...p.migration.up, language: 'sql' },
        down: p.migration.down && { ...p.migration.down, language: 'sql' },
      },
    });
    const results = await rehearseHistory(engine, [
      gm(migration('1', 'CREATE TABLE t (id int PRIMARY KEY, v int)', 'DROP TABLE t')),
      gm(migration('2', 'ALTER TABLE t ADD COLUMN w int; CREATE INDEX CONCURRENTLY t_w ON t (w)', 'DROP INDEX t_w')),
      gm(migration('3', 'CREATE INDEX t_v ON t (v)', 'DROP INDEX t_v')),
    ]);
    expect(results[1]).toMatchObject({ up: 'failed', error: 'up: CREATE INDEX CONCURRENTLY cannot run inside a transaction block' });
    // The framework stops at a migration that does not apply: so does rehearsal.
    expect(results[2]).toMatchObject({
      up: 'skipped',
      error: null,
      skipped: 'migration 2 before it does not apply, not even to empty tables',
    });
  });

  it('outside a transaction, a down that fails half-way leaves a state rehearsal rebuilds before going on', async () => {
    await engine.reset();
    const noTx = (p: ParsedMigration): ParsedMigration => ({
      ...p,
      migration: {
        ...p.migration,
        framework: 'dbmate',
        transactional: false,
        up: { ...p.migration.up, language: 'sql' },
        down: p.migration.down && { ...p.migration.down, language: 'sql' },
      },
    });
    const results = await rehearseHistory(engine, [
      noTx(migration('1', 'CREATE TABLE t (id int PRIMARY KEY)', 'DROP TABLE t')),
      noTx(
        migration(
          '2',
          'ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int',
          'ALTER TABLE t DROP COLUMN b; ALTER TABLE t DROP COLUMN nope',
        ),
      ),
      noTx(migration('3', 'CREATE INDEX CONCURRENTLY t_a ON t (a)', 'DROP INDEX CONCURRENTLY t_a')),
    ]);
    expect(results[1]).toMatchObject({
      down: 'failed',
      error: 'down: column "nope" of relation "t" does not exist (statement 2: ALTER TABLE t DROP COLUMN nope)',
    });
    // Migration 3 ran on the rebuilt state after 2's up (column b is back), and CONCURRENTLY works outside a transaction.
    expect(results[2]).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true });
    const columns = await engine.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    expect(columns.map((c) => c.attname)).toEqual(['id', 'a', 'b']);
  });

  it('when twoway cannot write its synthetic rows it says so and moves on from the state after the up', async () => {
    await engine.reset();
    const gm = (p: ParsedMigration): ParsedMigration => ({
      ...p,
      migration: {
        ...p.migration,
        up: { ...p.migration.up, language: 'sql' },
        down: p.migration.down && { ...p.migration.down, language: 'sql' },
      },
    });
    const noTruncate = `CREATE TABLE t (id int PRIMARY KEY);
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no truncate here'; END $$;
CREATE TRIGGER t_refuse BEFORE TRUNCATE ON t EXECUTE FUNCTION refuse()`;
    const results = await rehearseHistory(engine, [
      gm(migration('1', noTruncate, 'DROP TABLE t; DROP FUNCTION refuse()')),
      gm(migration('2', 'ALTER TABLE t ADD COLUMN x int', 'ALTER TABLE t DROP COLUMN x')),
    ]);
    expect(results[1]).toMatchObject({ up: 'skipped', error: 'rehearsal: no truncate here' });
    const columns = await engine.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    expect(columns.map((c) => c.attname)).toEqual(['id', 'x']);
  });

  it('a database PGlite cannot empty is replaced by a fresh PGlite, and the history goes on', async () => {
    await engine.reset();
    const sql = (p: ParsedMigration): ParsedMigration => ({
      ...p,
      migration: {
        ...p.migration,
        up: { ...p.migration.up, language: 'sql' },
        down: p.migration.down && { ...p.migration.down, language: 'sql' },
      },
    });
    // The event trigger refuses the DROP SCHEMA that empties the database; the truncate trigger makes
    // twoway's own rows fail on migration 2, so the state after its up must be rebuilt from empty.
    const guarded = `CREATE TABLE t (id int PRIMARY KEY);
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no truncate here'; END $$;
CREATE TRIGGER t_refuse BEFORE TRUNCATE ON t EXECUTE FUNCTION refuse();
CREATE FUNCTION keep_schemas() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no dropping schemas'; END $$;
CREATE EVENT TRIGGER keep_schemas ON ddl_command_start WHEN TAG IN ('DROP SCHEMA') EXECUTE FUNCTION keep_schemas()`;
    const results = await rehearseHistory(engine, [
      sql(migration('1', guarded, 'DROP EVENT TRIGGER keep_schemas; DROP FUNCTION keep_schemas(); DROP TABLE t; DROP FUNCTION refuse()')),
      sql(migration('2', 'ALTER TABLE t ADD COLUMN x int', 'ALTER TABLE t DROP COLUMN x')),
      sql(migration('3', 'CREATE TABLE u (id int PRIMARY KEY)', 'DROP TABLE u')),
    ]);
    expect(results[1]).toMatchObject({ up: 'skipped', error: 'rehearsal: no truncate here', skipped: null });
    expect(results[2]).toMatchObject({ up: 'ok', down: 'ok', reup: 'ok', schemaRestored: true, error: null, skipped: null });
    const columns = await engine.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    expect(columns.map((c) => c.attname)).toEqual(['id', 'x']);
    await engine.reset();
    expect(await engine.query(`SELECT evtname FROM pg_event_trigger`)).toEqual([]);
  });
});

describe('rehearse runs each direction in the transaction mode its framework uses', () => {
  it('Flyway runs a CONCURRENTLY script outside a transaction; dbmate runs a transaction:false down outside one', async () => {
    const { tempProject } = await import('../testing/projects.js');
    const cwd = tempProject({
      'flyway/db/migration/V1__users.sql': 'CREATE TABLE users (id int, email text);',
      'flyway/db/migration/V2__index.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);',
      'flyway/db/migration/U2__index.sql': 'DROP INDEX CONCURRENTLY users_email;',
      'dbmate/db/migrations/20240101_users.sql':
        '-- migrate:up\nCREATE TABLE users (id int, email text);\nCREATE INDEX users_email ON users (email);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY users_email;\nDROP TABLE users;\n',
    });
    for (const folder of ['flyway', 'dbmate']) {
      const results = (await rehearse([folder], { engine, cwd })).migrations;
      expect(results.map((r) => [r.id, r.up, r.down, r.error])).toEqual(
        folder === 'flyway'
          ? [
              ['V1__users', 'ok', 'missing', null],
              ['V2__index', 'ok', 'ok', null],
            ]
          : [['20240101', 'ok', 'ok', null]],
      );
    }
  });
});
