// DO blocks read with libpg-query's PL/pgSQL parser: the SQL they run, when only SQL, catalog guards and
// do-nothing exception handlers are in them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../ir.js';
import { loadPostgresParser, parsePostgres } from './postgresql.js';

function kinds(text: string): string[] {
  const parsed = parsePostgres({ path: 'm.sql', text, startLine: 1, language: 'sql' });
  expect(parsed.errors).toEqual([]);
  return parsed.ops.map((op: Operation) => (op.kind === 'Raw' ? `Raw:${op.notAnalyzed ?? op.statement}` : op.kind));
}

const UNREAD = 'Raw:a DO block runs procedural code twoway does not follow';

describe('DO blocks', () => {
  beforeAll(loadPostgresParser);

  it('a catalog guard around ADD CONSTRAINT is judged as if the guarded change happens (saleor 0044)', () => {
    expect(
      kinds(`DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'uniq_value_page') THEN
    ALTER TABLE attribute_value ADD CONSTRAINT uniq_value_page UNIQUE USING INDEX uniq_value_page_idx;
  END IF;
END $$;`),
    ).toEqual(['AddConstraint']);
  });

  it('an exception handler that does nothing, a notice and a constant EXECUTE are read', () => {
    expect(
      kinds(`DO $$ BEGIN
  CREATE TYPE mood AS ENUM ('sad', 'ok');
  RAISE NOTICE 'created';
  EXECUTE 'CREATE INDEX mood_idx ON t (m)';
EXCEPTION WHEN duplicate_object THEN null;
END $$;`),
    ).toEqual(['CreateEnum', 'AddIndex']);
  });

  it('template placeholders in the body are masked as outside it (supabase/auth renames in a guarded DO)', () => {
    const parsed = parsePostgres({
      path: 'm.sql',
      text: `DO $$ BEGIN
  IF NOT EXISTS (SELECT * FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email_confirmed_at') THEN
    ALTER TABLE "tmpl_namespace__".users RENAME COLUMN confirmed_at TO email_confirmed_at;
    ALTER TABLE "{{ .Namespace }}".users RENAME COLUMN email_confirmed_at TO confirmed_at;
  END IF;
END $$;`,
      startLine: 1,
      language: 'sql',
    });
    const renames = parsed.ops.filter((op) => op.kind === 'RenameColumn');
    expect(renames.map((op) => op.kind === 'RenameColumn' && op.table.schema)).toEqual(['tmpl_namespace__', 'tmpl_namespace__']);
  });

  const batched = (loop: string, first = '') => `DO $$\nBEGIN\n${first}  LOOP\n${loop}\n  END LOOP;\nEND $$;`;
  const step = '    UPDATE t SET a = 1 WHERE id IN (SELECT id FROM t WHERE a IS NULL LIMIT 1000);';

  it('a batched backfill (LOOP of data statements, EXIT WHEN NOT FOUND, COMMIT) is read as its data changes, batched', () => {
    const text = batched(
      `${step}\n    DELETE FROM u WHERE id IN (SELECT id FROM u LIMIT 10);\n    EXIT WHEN NOT FOUND;\n    COMMIT;`,
      '  CREATE TABLE t_archive AS SELECT id, a FROM t;\n  COMMIT;\n',
    );
    const parsed = parsePostgres({ path: 'm.sql', text, startLine: 1, language: 'sql' });
    expect(
      parsed.ops.map((op) => (op.kind === 'DataChange' ? `${op.action}:${op.table.name}:${op.hasWhere}:${op.batched}` : op.kind)),
    ).toEqual([
      'CreateTable',
      // CREATE TABLE … AS SELECT fills the new table: before the first COMMIT, not in the loop.
      'insert:t_archive:true:undefined',
      'update:t:true:true',
      'delete:u:true:true',
    ]);
  });

  it('a loop without COMMIT is one transaction: read, not batched', () => {
    const parsed = parsePostgres({ path: 'm.sql', text: batched(`${step}\n    EXIT WHEN NOT FOUND;`), startLine: 1, language: 'sql' });
    expect(parsed.ops.map((op) => op.kind === 'DataChange' && Boolean(op.batched))).toEqual([false]);
  });

  it.each([
    ['DDL in a batched loop', batched('    ALTER TABLE t ADD COLUMN b int;\n    EXIT WHEN NOT FOUND;\n    COMMIT;')],
    ['a SELECT in a batched loop', batched('    PERFORM pg_sleep(1);\n    EXIT WHEN NOT FOUND;\n    COMMIT;')],
    ['a loop with no exit', batched(`${step}\n    COMMIT;`)],
    ['a loop with no data statement', batched('    EXIT WHEN NOT FOUND;\n    COMMIT;')],
    ['an exit on data', batched(`${step}\n    EXIT WHEN (SELECT count(*) FROM t) = 0;\n    COMMIT;`)],
    ['an unconditional exit', batched(`${step}\n    EXIT;`)],
    ['COMMIT AND CHAIN', batched(`${step}\n    EXIT WHEN NOT FOUND;\n    COMMIT AND CHAIN;`)],
    [
      'a COMMIT between schema changes, no batched loop',
      'DO $$ BEGIN ALTER TABLE t ADD COLUMN b int; COMMIT; ALTER TABLE t ADD COLUMN c int; END $$;',
    ],
    ['a WHILE loop', 'DO $$ BEGIN WHILE true LOOP UPDATE t SET a = 1; EXIT WHEN NOT FOUND; END LOOP; END $$;'],
  ])('%s stays unread', (_name, sql) => {
    expect(kinds(sql)).toEqual([UNREAD]);
  });

  it.each([
    ['a loop', 'DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM t LOOP UPDATE t SET a = 1 WHERE id = r.id; END LOOP; END $$;'],
    ['a condition on data', 'DO $$ BEGIN IF EXISTS (SELECT 1 FROM users WHERE admin) THEN DROP TABLE legacy; END IF; END $$;'],
    [
      'an ELSE branch',
      "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_class WHERE relname = 'x') THEN DROP TABLE x; ELSE CREATE TABLE y (id int); END IF; END $$;",
    ],
    ['SQL built at run time', "DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'x'; END $$;"],
    ['RAISE EXCEPTION', "DO $$ BEGIN RAISE EXCEPTION 'stop'; END $$;"],
    ['a handler that acts', 'DO $$ BEGIN CREATE TABLE t (id int); EXCEPTION WHEN duplicate_table THEN DROP TABLE t; END $$;'],
    ['another language', "DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE t') $$;"],
  ])('%s stays unread', (_name, sql) => {
    expect(kinds(sql)).toEqual([UNREAD]);
  });
});
