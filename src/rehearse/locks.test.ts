// check's lock predictions, proven on a real PostgreSQL: each statement of an up and a down is observed
// (locks held at its end, rewrite, scan) and compared with the profile check gives it. A difference fails.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Migration, ParsedMigration } from '../migration.js';
import { loadSqlParsers } from '../sql/index.js';
import { parsePostgres } from '../sql/postgresql.js';
import type { Engine } from './engine.js';
import { createPgliteEngine, createServerEngine, rehearseHistory } from './index.js';
import type { ObservedLock } from './locks.js';

const SERVER = process.env.TWOWAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A plain SQL migration (dbmate: BEGIN … COMMIT around each file unless `transactional` is false). */
function sqlMigration(id: string, up: string, down: string | null, transactional = true): ParsedMigration {
  const source = (text: string, path: string) => ({ path, text, startLine: 1, language: 'sql' as const });
  const m: Migration = {
    id,
    name: id,
    framework: 'dbmate',
    dialect: 'postgresql',
    path: `db/${id}.sql`,
    files: [`db/${id}.sql`],
    up: source(up, `db/${id}.sql`),
    down: down === null ? null : source(down, `db/${id}.down.sql`),
    transactional,
  };
  return {
    migration: m,
    up: parsePostgres(m.up).ops,
    down: m.down ? parsePostgres(m.down).ops : null,
    downStatus: down === null ? 'none' : 'written',
    directives: [],
    errors: [],
  };
}

const SETUP = `
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE t (id int PRIMARY KEY, parent_id int, n int, v varchar(100), s text, r tsrange);
CREATE INDEX t_n ON t (n);
ALTER TABLE t ADD CONSTRAINT t_parent FOREIGN KEY (parent_id) REFERENCES parent (id);
CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
CREATE TABLE nn (id int PRIMARY KEY, a int NOT NULL, b int);
ALTER TABLE nn ADD CONSTRAINT nn_b CHECK (b IS NOT NULL);
ALTER TABLE t ADD CONSTRAINT t_n_floor CHECK (n > -1000000) NOT VALID;
`;

interface Case {
  /** The rule whose lock claim the case proves. */
  rule: string;
  up: string;
  down?: string;
  transactional?: boolean;
  /** What PostgreSQL 15 does to the named relation at the up's last statement (absent: no lock to show there). */
  expect?: Partial<Omit<ObservedLock, 'statement' | 'index'>> & { relation: string };
  /** The up's outcome: `failed-with-rows` for one that applies to empty tables only (observed on those). */
  outcome?: 'ok' | 'failed-with-rows';
}

const CASES: Case[] = [
  {
    rule: 'add-column-rewrite',
    up: 'ALTER TABLE t ADD COLUMN w float8 DEFAULT random();',
    down: 'ALTER TABLE t DROP COLUMN w;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  {
    rule: 'add-column-not-null',
    up: 'ALTER TABLE t ADD COLUMN k int NOT NULL DEFAULT 0;',
    down: 'ALTER TABLE t DROP COLUMN k;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: false, scan: false },
  },
  {
    rule: 'change-column-type (int to bigint rewrites)',
    up: 'ALTER TABLE t ALTER COLUMN n TYPE bigint;',
    down: 'ALTER TABLE t ALTER COLUMN n TYPE int;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  {
    rule: 'change-column-type (varchar widening is catalog only)',
    up: 'ALTER TABLE t ALTER COLUMN v TYPE varchar(200);',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: false, scan: false },
  },
  {
    rule: 'change-column-type (USING v::varchar(200) too)',
    up: 'ALTER TABLE t ALTER COLUMN v TYPE varchar(200) USING v::varchar(200);',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: false, scan: false },
  },
  {
    rule: 'change-column-type (varchar to text)',
    up: 'ALTER TABLE t ALTER COLUMN v TYPE text;',
    down: 'ALTER TABLE t ALTER COLUMN v TYPE varchar(100);',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: false, scan: false },
  },
  {
    rule: 'set-not-null-scan',
    up: 'ALTER TABLE t ALTER COLUMN n SET NOT NULL;',
    down: 'ALTER TABLE t ALTER COLUMN n DROP NOT NULL;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: true },
  },
  {
    rule: 'set-not-null-scan (a NOT NULL column is not scanned)',
    up: 'ALTER TABLE nn ALTER COLUMN a SET NOT NULL;',
    expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE', scan: false },
  },
  {
    rule: 'set-not-null-scan (a valid CHECK spares the scan)',
    up: 'ALTER TABLE nn ALTER COLUMN b SET NOT NULL;',
    down: 'ALTER TABLE nn ALTER COLUMN b DROP NOT NULL;',
    expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE', scan: false },
  },
  {
    rule: 'constraint-missing-not-valid (CHECK)',
    up: 'ALTER TABLE t ADD CONSTRAINT t_n_pos CHECK (n > -1000000);',
    down: 'ALTER TABLE t DROP CONSTRAINT t_n_pos;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: true },
  },
  {
    rule: 'constraint-missing-not-valid (NOT VALID)',
    up: 'ALTER TABLE t ADD CONSTRAINT t_n_pos CHECK (n > -1000000) NOT VALID;',
    down: 'ALTER TABLE t DROP CONSTRAINT t_n_pos;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: false },
  },
  {
    rule: 'constraint-missing-not-valid (FOREIGN KEY)',
    up: 'ALTER TABLE mv_src ADD CONSTRAINT mv_src_parent FOREIGN KEY (parent_id) REFERENCES parent (id);',
    down: 'ALTER TABLE mv_src DROP CONSTRAINT mv_src_parent;',
    expect: { relation: 'parent', mode: 'SHARE ROW EXCLUSIVE' },
  },
  {
    rule: 'validate-in-same-transaction (VALIDATE takes SHARE UPDATE EXCLUSIVE)',
    up: 'ALTER TABLE t VALIDATE CONSTRAINT t_n_floor;',
    expect: { relation: 't', mode: 'SHARE UPDATE EXCLUSIVE', scan: true },
  },
  {
    rule: 'drop-constraint (a foreign key locks the referenced table too)',
    up: 'ALTER TABLE t DROP CONSTRAINT t_parent;',
    down: 'ALTER TABLE t ADD CONSTRAINT t_parent FOREIGN KEY (parent_id) REFERENCES parent (id);',
    expect: { relation: 'parent', mode: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'require-concurrent-index-creation',
    up: 'CREATE INDEX t_s ON t (s);',
    down: 'DROP INDEX t_s;',
    expect: { relation: 't', mode: 'SHARE', scan: true },
  },
  {
    rule: 'unique-constraint-builds-index',
    up: 'ALTER TABLE t ADD CONSTRAINT t_s_key UNIQUE (s);',
    down: 'ALTER TABLE t DROP CONSTRAINT t_s_key;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: true },
  },
  {
    rule: 'exclusion-constraint-builds-index',
    up: 'ALTER TABLE t ADD CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&);',
    down: 'ALTER TABLE t DROP CONSTRAINT t_r_excl;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: true },
  },
  {
    rule: 'require-concurrent-index-deletion',
    up: 'DROP INDEX t_n;',
    down: 'CREATE INDEX t_n ON t (n);',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: false },
  },
  { rule: 'require-concurrent-reindex', up: 'REINDEX TABLE t;', expect: { relation: 't', mode: 'SHARE', scan: true } },
  { rule: 'require-concurrent-reindex (an index)', up: 'REINDEX INDEX t_n;', expect: { relation: 't', mode: 'SHARE', scan: true } },
  {
    rule: 'require-concurrent-refresh',
    up: 'REFRESH MATERIALIZED VIEW mv;',
    expect: { relation: 'mv', mode: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  { rule: 'cluster-rewrites-table', up: 'CLUSTER t USING t_pkey;', expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: true } },
  {
    rule: 'set-logged-rewrites-table',
    up: 'ALTER TABLE t SET UNLOGGED;',
    down: 'ALTER TABLE t SET LOGGED;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  {
    rule: 'drop-column',
    up: 'ALTER TABLE t DROP COLUMN s;',
    down: 'ALTER TABLE t ADD COLUMN s text;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', rewrite: false, scan: false },
  },
  {
    rule: 'rename-column',
    up: 'ALTER TABLE t RENAME COLUMN s TO s2;',
    down: 'ALTER TABLE t RENAME COLUMN s2 TO s;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: false },
  },
  {
    rule: 'rename-table',
    up: 'ALTER TABLE nn RENAME TO nn2;',
    down: 'ALTER TABLE nn2 RENAME TO nn;',
    expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'drop-not-null',
    up: 'ALTER TABLE nn ALTER COLUMN a DROP NOT NULL;',
    expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE', scan: false },
  },
  {
    rule: 'drop-default',
    up: 'ALTER TABLE t ALTER COLUMN n SET DEFAULT 1;',
    down: 'ALTER TABLE t ALTER COLUMN n DROP DEFAULT;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE', scan: false },
  },
  { rule: 'truncate-table', up: 'TRUNCATE nn;', expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE', rewrite: true } },
  { rule: 'drop-table', up: 'DROP TABLE nn;', expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE' } },
  {
    rule: 'require-lock-timeout (CREATE TABLE with a foreign key locks the referenced table)',
    up: 'CREATE TABLE child (id int, parent_id int REFERENCES parent (id));',
    down: 'DROP TABLE child;',
    expect: { relation: 'parent', mode: 'SHARE ROW EXCLUSIVE' },
  },
  {
    rule: 'require-lock-timeout (ADD COLUMN … REFERENCES)',
    up: 'ALTER TABLE nn ADD COLUMN parent_id int REFERENCES parent (id);',
    down: 'ALTER TABLE nn DROP COLUMN parent_id;',
    expect: { relation: 'parent', mode: 'SHARE ROW EXCLUSIVE' },
  },
  {
    rule: 'require-statement-timeout (ADD COLUMN NOT NULL without a default scans)',
    up: 'ALTER TABLE nn ADD COLUMN c int NOT NULL;',
    down: 'ALTER TABLE nn DROP COLUMN c;',
    outcome: 'failed-with-rows',
    expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE', scan: true },
  },
  {
    rule: 'require-statement-timeout (ADD COLUMN IF NOT EXISTS of a column that is there)',
    up: 'ALTER TABLE t ADD COLUMN IF NOT EXISTS w2 int GENERATED ALWAYS AS (n * 2) STORED;\nALTER TABLE t ADD COLUMN IF NOT EXISTS w2 int GENERATED ALWAYS AS (n * 2) STORED;',
  },
  {
    rule: 'require-statement-timeout (CREATE INDEX IF NOT EXISTS of an index that is there)',
    up: 'CREATE INDEX IF NOT EXISTS t_n ON t (n);',
    expect: { relation: 't', mode: 'SHARE', scan: false },
  },
  {
    rule: 'change-column-type (the referencing table of a key is locked too)',
    up: 'ALTER TABLE parent ALTER COLUMN id TYPE bigint;',
    expect: { relation: 't', mode: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'require-lock-timeout (DROP TRIGGER)',
    up: 'CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\nCREATE TRIGGER t_g BEFORE INSERT ON nn FOR EACH ROW EXECUTE FUNCTION g();\nDROP TRIGGER t_g ON nn;',
    expect: { relation: 'nn', mode: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'drop-view (a materialized view)',
    up: 'DROP MATERIALIZED VIEW mv;',
    down: 'CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;',
    expect: { relation: 'mv', mode: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'change-column-type (a CHECK on a widened column is validated again: a scan)',
    up: 'ALTER TABLE t VALIDATE CONSTRAINT t_n_floor;\nALTER TABLE t ADD CONSTRAINT t_v_len CHECK (length(v) < 90);\nALTER TABLE t ALTER COLUMN v TYPE text;',
    expect: { relation: 't', scan: true },
  },
  {
    rule: 'constraint-missing-not-valid (a foreign key of a new table validates nothing)',
    up: 'CREATE TABLE child2 (id int, parent_id int);\nALTER TABLE child2 ADD CONSTRAINT child2_parent FOREIGN KEY (parent_id) REFERENCES parent (id);',
    down: 'DROP TABLE child2;',
    expect: { relation: 'parent', mode: 'SHARE ROW EXCLUSIVE', scan: false },
  },
  {
    rule: 'require-lock-timeout (ENABLE TRIGGER)',
    up: 'ALTER TABLE t DISABLE TRIGGER USER;',
    down: 'ALTER TABLE t ENABLE TRIGGER USER;',
    expect: { relation: 't', mode: 'SHARE ROW EXCLUSIVE' },
  },
  {
    rule: 'require-lock-timeout (SET STATISTICS blocks nothing)',
    up: 'ALTER TABLE t ALTER COLUMN n SET STATISTICS 500;',
    expect: { relation: 't', mode: 'SHARE UPDATE EXCLUSIVE' },
  },
  {
    rule: 'require-lock-timeout (CREATE TRIGGER)',
    up: 'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\nCREATE TRIGGER t_f BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
    down: 'DROP TRIGGER t_f ON t;\nDROP FUNCTION f();',
    expect: { relation: 't', mode: 'SHARE ROW EXCLUSIVE' },
  },
];

function suite(name: string, makeEngine: () => Promise<Engine>, enabled: boolean) {
  describe.skipIf(!enabled)(name, () => {
    let engine: Engine;
    beforeAll(async () => {
      await loadSqlParsers();
      engine = await makeEngine();
    }, 30_000);
    afterAll(() => engine?.close());

    it('a statement that refuses a transaction block is left out of the observation, with a note; the others are observed', async () => {
      await engine.reset();
      const [, rehearsal] = await rehearseHistory(engine, [
        sqlMigration('1', SETUP, null),
        sqlMigration('2', 'CREATE INDEX CONCURRENTLY t_s ON t (s);\nALTER TABLE t ALTER COLUMN n SET NOT NULL;', 'DROP INDEX t_s;', false),
      ]);
      expect(rehearsal?.up).toBe('ok');
      expect(rehearsal?.notes).toContain('up: locks not observed at line 1: it cannot run inside a transaction block');
      expect(rehearsal?.locks?.up).toEqual([expect.objectContaining({ line: 2, relation: 't', mode: 'ACCESS EXCLUSIVE', scan: true })]);
      expect(rehearsal?.lockMismatches).toEqual([]);
    });

    for (const c of CASES) {
      it(`${c.rule}: ${c.up.split('\n').at(-1)}`, async () => {
        await engine.reset();
        const setup = c.rule.includes('FOREIGN KEY') ? `${SETUP}\nCREATE TABLE mv_src (id int, parent_id int);` : SETUP;
        const [, rehearsal] = await rehearseHistory(engine, [
          sqlMigration('1', setup, null),
          sqlMigration('2', c.up, c.down ?? null, c.transactional),
        ]);
        expect(rehearsal?.up).toBe(c.outcome ?? 'ok');
        const lastLine = c.up.split('\n').length;
        const observed = rehearsal?.locks?.up.find((l) => l.relation === c.expect?.relation && l.line === lastLine);
        if (c.expect) expect(observed).toMatchObject(c.expect);
        // Every statement was observed: none failed or was left out.
        expect(rehearsal?.notes.filter((n) => n.includes('locks'))).toEqual([]);
        expect(rehearsal?.lockMismatches).toEqual([]);
      });
    }
  });
}

const available = await reachable();
if (!available) console.warn(`lock observation on a server skipped: no PostgreSQL at ${SERVER} (set TWOWAY_TEST_PG_URL)`);
suite('observed locks on a PostgreSQL server match check', () => createServerEngine(SERVER), available);
// PGlite exposes pg_locks and pg_stat_xact_user_tables too: the same statements, observed embedded.
suite('observed locks on PGlite match check', () => createPgliteEngine(), true);
