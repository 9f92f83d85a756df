// Synthetic rows fit the schema's own rules on a real engine (PGlite): CHECK lists and enum labels,
// singleton tables, foreign keys in order, dates an application would store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParsers } from '../sql/index.js';
import { tempProject } from '../testing/projects.js';
import { type SchemaSnapshot, snapshotSchema } from './catalog.js';
import { checkAllowedValues } from './check-values.js';
import { fillTables, snapshotData } from './data.js';
import type { Engine } from './engine.js';
import { createPgliteEngine, rehearse } from './index.js';

let engine: Engine;
beforeAll(async () => {
  await loadSqlParsers();
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());

/** Creates the tables, fills them and gives back each table's rows as `column → values`. */
async function filled(sql: string): Promise<{ schema: SchemaSnapshot; rows: Map<string, Record<string, Array<string | null>>> }> {
  await engine.reset();
  await engine.exec(sql);
  const schema = await snapshotSchema(engine);
  await fillTables(engine, schema.tables);
  const rows = new Map<string, Record<string, Array<string | null>>>();
  for (const [table, data] of await snapshotData(engine, schema)) {
    rows.set(table, Object.fromEntries(data.columns.map((c, i) => [c, data.rows.map((r) => r[i] ?? null)])));
  }
  return { schema, rows };
}

describe('the values a CHECK lists', () => {
  it('reads IN lists, = ANY (ARRAY[…]), ORs of equalities and a single constant, as pg_get_constraintdef writes them', async () => {
    await loadSqlParsers();
    expect(checkAllowedValues("CHECK ((status = ANY (ARRAY['draft'::text, 'sent'::text])))", 'status')).toEqual(['draft', 'sent']);
    expect(
      checkAllowedValues("CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))", 'kind'),
    ).toEqual(['a', 'b']);
    expect(checkAllowedValues("CHECK (((s = 'x'::text) OR (s = 'y'::text)))", 's')).toEqual(['x', 'y']);
    expect(checkAllowedValues('CHECK ((id = 1))', 'id')).toEqual(['1']);
    expect(checkAllowedValues('CHECK ((priority = ANY (ARRAY[0, 1, 2])))', 'priority')).toEqual(['0', '1', '2']);
  });

  it('says nothing of a range, a length, a pattern, another column or a list mixed with anything else', async () => {
    await loadSqlParsers();
    expect(checkAllowedValues('CHECK ((amount > 0))', 'amount')).toBeNull();
    expect(checkAllowedValues('CHECK ((char_length(name) <= 10))', 'name')).toBeNull();
    expect(checkAllowedValues("CHECK ((status = ANY (ARRAY['a'::text])))", 'other')).toBeNull();
    expect(checkAllowedValues("CHECK (((s = 'x'::text) OR (length(s) > 3)))", 's')).toBeNull();
    expect(checkAllowedValues("CHECK ((s <> 'x'::text))", 's')).toBeNull();
  });
});

describe('synthetic rows fit the schema', () => {
  it('a column whose CHECK lists its values holds only those, in every row twoway writes', async () => {
    const { schema, rows } = await filled(`
      CREATE TABLE jobs (
        id serial PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'done')),
        kind varchar(20) CHECK (kind = 'batch' OR kind = 'stream'),
        priority int NOT NULL CHECK (priority IN (1, 2, 3))
      )`);
    const columns = schema.tables[0]?.columns ?? [];
    expect(columns.map((c) => [c.name, c.gen.labels])).toEqual([
      ['id', null],
      ['status', ['queued', 'running', 'done']],
      ['kind', ['batch', 'stream']],
      ['priority', ['1', '2', '3']],
    ]);
    // Every variant fits: the two ordinary rows, the NULLs, the largest and the smallest.
    const jobs = rows.get('public.jobs');
    expect(jobs?.status).toHaveLength(5);
    for (const v of jobs?.status ?? []) expect(['queued', 'running', 'done']).toContain(v);
    for (const v of jobs?.kind ?? []) expect([null, 'batch', 'stream']).toContain(v);
  });

  it('enum columns and arrays of enums hold their labels', async () => {
    const { rows } = await filled(`
      CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
      CREATE TABLE people (id int PRIMARY KEY, mood mood NOT NULL, moods mood[] NOT NULL)`);
    const people = rows.get('public.people');
    expect(people?.mood).toEqual(['sad', 'ok', 'happy', 'happy', 'sad']);
    expect(people?.moods).toContain('{happy}');
  });

  it('a singleton table holds one row, and the tables referencing it reference that row', async () => {
    const { rows } = await filled(`
      CREATE TABLE site (id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), name text NOT NULL);
      CREATE TABLE site_stats (hits int NOT NULL);
      CREATE UNIQUE INDEX site_stats_one_row ON site_stats ((true));
      CREATE TABLE admins (id serial PRIMARY KEY, site_id int NOT NULL REFERENCES site (id))`);
    expect(rows.get('public.site')?.id).toEqual(['1']);
    expect(rows.get('public.site_stats')?.hits).toHaveLength(1);
    // Each of the five rows of admins finds the one row of site.
    expect(rows.get('public.admins')?.site_id).toEqual(['1', '1', '1', '1', '1']);
  });

  it('children are filled after their parents whatever the order of the names, with the parents’ own keys', async () => {
    const { rows } = await filled(`
      CREATE TABLE z_accounts (code text PRIMARY KEY);
      CREATE TABLE m_users (id bigint PRIMARY KEY, account text NOT NULL REFERENCES z_accounts (code));
      CREATE TABLE a_posts (id int PRIMARY KEY, author bigint NOT NULL REFERENCES m_users (id))`);
    const accounts = rows.get('public.z_accounts')?.code ?? [];
    const users = rows.get('public.m_users');
    expect(users?.id).toHaveLength(5);
    for (const a of users?.account ?? []) expect(accounts).toContain(a);
    expect(rows.get('public.a_posts')?.author).toHaveLength(5);
    for (const a of rows.get('public.a_posts')?.author ?? []) expect(users?.id).toContain(a);
  });

  it('dates stay where an application keeps them: epoch seconds in an integer and date arithmetic work on every row', async () => {
    const { rows } = await filled(
      'CREATE TABLE events (id int PRIMARY KEY, at timestamptz NOT NULL, day date NOT NULL, local timestamp NOT NULL, span interval NOT NULL)',
    );
    const events = rows.get('public.events');
    for (const v of [...(events?.at ?? []), ...(events?.day ?? []), ...(events?.local ?? [])]) {
      const year = Number(v?.slice(0, 4));
      expect(year).toBeGreaterThanOrEqual(1970);
      expect(year).toBeLessThan(2038);
    }
    await engine.exec(
      "ALTER TABLE events ADD COLUMN epoch int; UPDATE events SET epoch = extract(epoch FROM at)::int, day = day + span + interval '1 year'",
    );
  });

  it('an up that fails only on the extreme rows is retried on ordinary rows before the migration is blamed', async () => {
    const dir = tempProject({
      'db/1_t.up.sql': "CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL CHECK (label IN ('a', 'b')), n int NOT NULL);",
      'db/1_t.down.sql': 'DROP TABLE t;',
      // n + 1 overflows on the largest integer twoway writes, not on any value an application keeps.
      'db/2_next.up.sql': 'ALTER TABLE t ADD COLUMN next int; UPDATE t SET next = n + 1;',
      'db/2_next.down.sql': 'ALTER TABLE t DROP COLUMN next;',
    });
    const results = (await rehearse([dir], { engine })).migrations;
    expect(results.map((r) => [r.id, r.up, r.down, r.reup, r.schemaRestored, r.error])).toEqual([
      ['1', 'ok', 'ok', 'ok', true, null],
      ['2', 'ok', 'ok', 'ok', true, null],
    ]);
    // The CHECK's labels fit every synthetic row: no note that rows were refused.
    expect(results[0]?.notes).toEqual([]);
    expect(results[1]?.notes).toContain(
      "the up fails only on twoway's extreme synthetic rows (largest, smallest, NULL values): integer out of range; rehearsed on ordinary rows",
    );
  });

  it('an up that parses a text column as another type meets rows holding that type’s text: the data’s fault, not the migration’s', async () => {
    const dir = tempProject({
      'db/1_versions.up.sql': 'CREATE TABLE versions (id serial PRIMARY KEY, num text NOT NULL, features text NOT NULL, label text);',
      'db/1_versions.down.sql': 'DROP TABLE versions;',
      'db/2_major.up.sql': "CREATE INDEX versions_major ON versions ((split_part(num, '.', 1)::int));",
      'db/2_major.down.sql': 'DROP INDEX versions_major;',
      'db/3_json.up.sql': 'ALTER TABLE versions ALTER COLUMN features TYPE json USING features::json;',
      'db/3_json.down.sql': 'ALTER TABLE versions ALTER COLUMN features TYPE text;',
      // A value no row holds: the migration's own failure, on any table with rows.
      'db/4_bad.up.sql': "ALTER TABLE versions ALTER COLUMN label TYPE int USING (label || '!')::int;",
      'db/4_bad.down.sql': 'ALTER TABLE versions ALTER COLUMN label TYPE text;',
    });
    const results = (await rehearse([dir], { engine })).migrations;
    expect(results.map((r) => [r.id, r.up, r.down, r.reup, r.schemaRestored])).toEqual([
      ['1', 'ok', 'ok', 'ok', true],
      ['2', 'ok', 'ok', 'ok', true],
      ['3', 'ok', 'ok', 'ok', true],
      ['4', 'failed-with-rows', 'ok', 'ok', true],
    ]);
    expect(results[1]?.notes).toContain(
      "the up reads versions.num as integer, and twoway's generated text there was not integer: the data's fault, not the migration's; rehearsed with integer text in that column",
    );
    expect(results[2]?.notes.some((n) => n.startsWith('the up reads versions.features as json'))).toBe(true);
    expect(results[2]?.lostData).toEqual([]);
    expect(results[3]?.error).toBe('up fails on a table with rows: invalid input syntax for type integer: "label 0!"');
  });

  it('an up that cuts a text column into pieces before the cast meets rows of that many pieces (crates.io to_semver_no_prerelease)', async () => {
    const dir = tempProject({
      'db/1_versions.up.sql': 'CREATE TABLE versions (id serial PRIMARY KEY, num text NOT NULL);',
      'db/1_versions.down.sql': 'DROP TABLE versions;',
      'db/2_semver.up.sql': `CREATE FUNCTION semver(text) RETURNS int[] IMMUTABLE AS $$
  SELECT ARRAY[split_part($1, '.', 1)::int4, split_part($1, '.', 2)::int4, split_part(split_part($1, '+', 1), '.', 3)::int4]
  WHERE strpos($1, '-') = 0
$$ LANGUAGE SQL;
CREATE INDEX versions_semver ON versions (semver(num));`,
      'db/2_semver.down.sql': 'DROP INDEX versions_semver; DROP FUNCTION semver(text);',
      // Written after: its rows must be cut as the index of 2 cuts them.
      'db/3_more.up.sql': 'ALTER TABLE versions ADD COLUMN yanked boolean;',
      'db/3_more.down.sql': 'ALTER TABLE versions DROP COLUMN yanked;',
    });
    const results = (await rehearse([dir], { engine })).migrations;
    expect(results.map((r) => [r.id, r.up, r.down, r.reup, r.schemaRestored, r.error])).toEqual([
      ['1', 'ok', 'ok', 'ok', true, null],
      ['2', 'ok', 'ok', 'ok', true, null],
      ['3', 'ok', 'ok', 'ok', true, null],
    ]);
    expect(results[1]?.notes).toContain(
      'the up cuts versions.num into pieces before reading them: rehearsed with text of that column in as many pieces',
    );
    expect(results[2]?.lostData).toEqual([]);
  });
});
