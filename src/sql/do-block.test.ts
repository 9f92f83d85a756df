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

  it('a handler that only raises notices is judged as if the body runs to its end (supabase/auth alter_phone_type)', () => {
    expect(
      kinds(`do $$
begin
  alter table {{ index .Options "Namespace" }}.users
    alter column phone type text,
    alter column phone_change type text;
exception
  when SQLSTATE '0A000' then
    raise notice 'Unable to change data type of phone, phone_change columns due to use by a view or rule';
  when SQLSTATE '2BP01' then
    raise notice 'Unable to change data type of phone, phone_change columns due to dependent objects';
end $$;`),
    ).toEqual(['AlterColumnType', 'AlterColumnType']);
    // Re-raising as an error is not quiet.
    expect(kinds("DO $$ BEGIN CREATE TABLE t (id int); EXCEPTION WHEN duplicate_table THEN RAISE EXCEPTION 'again'; END $$;")).toEqual([
      UNREAD,
    ]);
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
    ['COMMIT AND CHAIN', batched(`${step}\n    EXIT WHEN NOT FOUND;\n    COMMIT AND CHAIN;`)],
    [
      'a COMMIT between schema changes, no batched loop',
      'DO $$ BEGIN ALTER TABLE t ADD COLUMN b int; COMMIT; ALTER TABLE t ADD COLUMN c int; END $$;',
    ],
  ])('%s stays unread', (_name, sql) => {
    expect(kinds(sql)).toEqual([UNREAD]);
  });

  it.each([
    ['a condition on data', 'DO $$ BEGIN IF EXISTS (SELECT 1 FROM users WHERE admin) THEN DROP TABLE legacy; END IF; END $$;'],
    [
      'an ELSE branch',
      "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_class WHERE relname = 'x') THEN DROP TABLE x; ELSE CREATE TABLE y (id int); END IF; END $$;",
    ],
    ['SQL built at run time', "DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'x'; END $$;"],
    ['RAISE EXCEPTION', "DO $$ BEGIN RAISE EXCEPTION 'stop'; END $$;"],
    ['a handler that acts', 'DO $$ BEGIN CREATE TABLE t (id int); EXCEPTION WHEN duplicate_table THEN DROP TABLE t; END $$;'],
    ['another language', "DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE t') $$;"],
    ['DDL in a loop over rows', 'DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM t LOOP DROP TABLE u; END LOOP; END $$;'],
    ['PERFORM among row changes', 'DO $$ DECLARE n int; BEGIN UPDATE t SET a = 1; PERFORM my_function(); END $$;'],
    [
      'EXECUTE of built text among row changes',
      "DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM t LOOP EXECUTE 'DELETE FROM ' || r.id; END LOOP; END $$;",
    ],
    ['RAISE EXCEPTION on data', "DO $$ BEGIN IF EXISTS (SELECT 1 FROM t) THEN RAISE EXCEPTION 'rows left'; END IF; DELETE FROM t; END $$;"],
    ['COMMIT among row changes outside a batched loop', 'DO $$ DECLARE n int; BEGIN UPDATE t SET a = 1; COMMIT; DELETE FROM t; END $$;'],
    ['a loop that only reads', "DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM t LOOP RAISE NOTICE '%', r.id; END LOOP; END $$;"],
  ])('%s stays unread', (_name, sql) => {
    expect(kinds(sql)).toEqual([UNREAD]);
  });

  const changes = (text: string) =>
    parsePostgres({ path: 'm.sql', text, startLine: 1, language: 'sql' }).ops.map((op) =>
      op.kind === 'DataChange' ? `${op.action} ${op.table.name}` : op.kind === 'Raw' ? `Raw:${op.notAnalyzed ?? op.statement}` : op.kind,
    );

  it.each([
    [
      'goharbor 0082: FOR over a query with DECLAREd variables, an IF on them, UPDATEs',
      `DO $$
DECLARE
    exec RECORD;
    status_group RECORD;
    status_count int;
    final_status varchar(32);
BEGIN
    FOR exec IN SELECT * FROM execution WHERE status='Running'
    LOOP
        status_count = 0;
        final_status = '';
        FOR status_group IN SELECT status FROM task WHERE execution_id=exec.id GROUP BY status
        LOOP
            status_count = status_count + 1;
            final_status = status_group.status;
        END LOOP;
        IF status_count=1 AND final_status='Success' THEN
            UPDATE execution SET status='Success', revision=revision+1 WHERE id=exec.id;
            UPDATE execution SET end_time=(SELECT MAX(end_time) FROM task WHERE execution_id=exec.id) WHERE id=exec.id;
        END IF;
    END LOOP;
END $$;`,
      ['Raw:SelectStmt', 'Raw:SelectStmt', 'update execution', 'update execution'],
    ],
    [
      'goharbor 0171: an early RETURN and an IF on data around an INSERT',
      `DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM properties WHERE k = 'skip_audit_log_database') THEN
        RETURN;
    END IF;
    IF (SELECT last_value FROM audit_log_id_seq) > 1 THEN
        INSERT INTO properties (k, v) VALUES ('skip_audit_log_database', 'false');
    ELSIF (SELECT last_value FROM audit_log_ext_id_seq) > 1 THEN
        DELETE FROM properties WHERE k = 'x';
    END IF;
END $$;`,
      ['insert properties', 'delete properties'],
    ],
    [
      'a WHILE loop on data',
      'DO $$ BEGIN WHILE EXISTS (SELECT 1 FROM t WHERE a IS NULL) LOOP UPDATE t SET a = 1; END LOOP; END $$;',
      ['update t'],
    ],
    ['a LOOP that exits at once', batched(`${step}\n    EXIT;`), ['update t']],
  ])('a block that only changes rows is read as its data changes, judged as if it runs: %s', (_name, sql, ops) => {
    expect(changes(sql)).toEqual(ops);
  });
});
