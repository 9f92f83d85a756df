// The guard of the read-only session, on its own (no server): what twoway sends passes, and each way a
// superuser's session could write, read server files, run programs or reach another server is refused,
// read from the real grammars' trees. stats.test.ts proves the same on the real servers.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPostgresParser } from '../sql/postgresql.js';
import { guardStatement, RefusedStatementError } from './guard.js';

beforeAll(() => loadPostgresParser());

const refused = (dialect: 'postgresql' | 'mysql', sql: string) => {
  try {
    guardStatement(dialect, sql);
  } catch (e) {
    expect(e).toBeInstanceOf(RefusedStatementError);
    return (e as RefusedStatementError).reason;
  }
  throw new Error(`the guard let through: ${sql}`);
};

describe('PostgreSQL', () => {
  it('lets through the catalog reads and counts twoway sends', () => {
    for (const sql of [
      `SELECT n.nspname AS schema, c.relname AS name, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
      `SELECT c.oid::int AS oid FROM pg_catalog.pg_class c
        WHERE c.oid = to_regclass(CASE WHEN $1::text IS NULL THEN format('%I', $2::text) ELSE format('%I.%I', $1::text, $2::text) END)`,
      'SELECT avg(pg_column_size("c")) AS width, count("c") AS seen, count(*) AS "all" FROM (SELECT "c" FROM "app"."t" LIMIT 1000) sample',
      'SELECT count(*) AS n FROM "t" WHERE "c"::text = ANY ($1)',
      'SELECT count(*) AS n FROM "t" WHERE abs("c") >= 1000 OR "c" <> round("c", 2)',
      'SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = $1 AND schemaname = ANY (current_schemas(false))',
      `SELECT c.relname AS tbl, (SELECT array_agg(e.enumlabel::text) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
         FROM pg_type t JOIN pg_attribute a ON a.atttypid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
         JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r' WHERE t.typname = $1 AND t.typtype = 'e'`,
    ])
      expect(() => guardStatement('postgresql', sql)).not.toThrow();
  });

  it('refuses every statement that is not one SELECT', () => {
    expect(refused('postgresql', 'INSERT INTO t VALUES (1)')).toMatch(/InsertStmt/);
    expect(refused('postgresql', 'CREATE TABLE t2 (id int)')).toMatch(/CreateStmt/);
    expect(refused('postgresql', "COPY t TO PROGRAM 'id'")).toMatch(/CopyStmt/);
    expect(refused('postgresql', "COPY (SELECT 1) TO '/tmp/x'")).toMatch(/CopyStmt/);
    expect(refused('postgresql', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE')).toMatch(/VariableSetStmt/);
    expect(refused('postgresql', 'SET default_transaction_read_only = off')).toMatch(/VariableSetStmt/);
    expect(refused('postgresql', 'BEGIN READ WRITE')).toMatch(/TransactionStmt/);
    expect(refused('postgresql', 'EXPLAIN ANALYZE SELECT 1')).toMatch(/ExplainStmt/);
    expect(refused('postgresql', 'SHOW statement_timeout')).toMatch(/VariableShowStmt/);
    expect(refused('postgresql', 'SELECT 1; SELECT 2')).toMatch(/2 statements/);
    expect(refused('postgresql', 'SELECT 1; COMMIT; INSERT INTO t VALUES (1)')).toMatch(/3 statements/);
    expect(refused('postgresql', 'SELEC 1')).toMatch(/does not parse/);
  });

  it('refuses the functions that escape a read-only transaction, whatever their spelling', () => {
    for (const sql of [
      "SELECT pg_read_file('/etc/passwd')",
      "SELECT pg_catalog.pg_read_binary_file('/etc/passwd')",
      "SELECT lo_import('/etc/passwd')",
      "SELECT lo_export(1, '/tmp/x')",
      "SELECT set_config('default_transaction_read_only', 'off', false)",
      "SELECT count(*) FROM pg_class WHERE relname = (SELECT dblink_exec('dbname=x', 'DROP TABLE t'))",
      'SELECT pg_sleep(60)',
      'SELECT pg_terminate_backend(1)',
      'SELECT nextval($1)',
      'SELECT public.count(x) FROM t',
    ])
      expect(refused('postgresql', sql)).toMatch(/not on twoway's list of read-only functions/);
    expect(refused('postgresql', "SELECT * FROM dblink('dbname=x', 'SELECT 1') AS t(a int)")).toMatch(/RangeFunction/);
    expect(refused('postgresql', 'SELECT * FROM pg_ls_dir($1)')).toMatch(/RangeFunction/);
  });

  it('refuses writes and locks hidden in a SELECT', () => {
    expect(refused('postgresql', 'WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone')).toMatch(/DeleteStmt/);
    expect(refused('postgresql', 'WITH x AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT 1')).toMatch(/InsertStmt/);
    expect(refused('postgresql', 'SELECT * INTO copy FROM t')).toMatch(/INTO/);
    expect(refused('postgresql', 'SELECT * FROM t FOR UPDATE')).toMatch(/FOR UPDATE/);
    expect(refused('postgresql', 'SELECT 1 OPERATOR(public.=) 1')).toMatch(/operator/);
    expect(refused('postgresql', 'SELECT x::public.evil FROM t')).toMatch(/cast/);
    expect(refused('postgresql', 'SELECT count(*) FROM other.public.t')).toMatch(/another database/);
  });
});

describe('MySQL / MariaDB', () => {
  it('lets through the catalog reads and counts twoway sends', () => {
    for (const sql of [
      "SELECT TABLE_NAME AS name, TABLE_ROWS AS `rows`, DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
      'SELECT CASE WHEN COUNT(`c`) > 0 THEN AVG(LENGTH(`c`)) END AS width, COUNT(`c`) AS seen, COUNT(*) AS `all` FROM (SELECT `c` FROM `db`.`t` LIMIT 1000) sample',
      "SELECT count(*) AS n FROM `t` WHERE `c` IS NOT NULL AND `c` NOT IN ('a', 'it\\'s')",
      "SELECT count(*) AS n FROM `t` WHERE `c` <> '' AND CHAR_LENGTH(`c`) - CHAR_LENGTH(REPLACE(`c`, ',', '')) + 1 > 0 + (FIND_IN_SET('a', `c`) > 0)",
      'SELECT `version` AS v FROM `schema_migrations` WHERE NOT dirty ORDER BY id',
      'SELECT VERSION() AS v',
    ])
      expect(() => guardStatement('mysql', sql)).not.toThrow();
  });

  it('refuses writes, files, session changes and executable comments', () => {
    expect(refused('mysql', 'INSERT INTO t VALUES (1)')).toMatch(/INSERT/);
    expect(refused('mysql', 'CREATE TABLE x (id int)')).toMatch(/CREATE/);
    expect(refused('mysql', "SELECT * FROM t INTO OUTFILE '/tmp/x'")).toMatch(/INTO/);
    expect(refused('mysql', "SELECT * INTO DUMPFILE '/tmp/x' FROM t")).toMatch(/INTO/);
    expect(refused('mysql', 'SELECT c INTO @v FROM t')).toMatch(/INTO/);
    expect(refused('mysql', "SELECT LOAD_FILE('/etc/passwd')")).toMatch(/LOAD_FILE/);
    expect(refused('mysql', "SELECT 1 FROM t WHERE c IN (SELECT LOAD_FILE('/etc/passwd'))")).toMatch(/LOAD_FILE/);
    expect(refused('mysql', 'SET SESSION TRANSACTION READ WRITE')).toBeTruthy();
    expect(refused('mysql', 'SET SESSION max_statement_time = 0')).toBeTruthy();
    expect(refused('mysql', 'START TRANSACTION READ WRITE')).toBeTruthy();
    expect(refused('mysql', "SELECT 1 /*!, LOAD_FILE('/etc/passwd') */")).toMatch(/comments/);
    expect(refused('mysql', 'SELECT 1 /*M!100000 INTO OUTFILE "/tmp/x" */')).toMatch(/comments/);
    expect(refused('mysql', 'SELECT 1; DELETE FROM t')).toMatch(/2 statements/);
    expect(refused('mysql', 'SELECT * FROM t FOR UPDATE')).toMatch(/locks rows/);
    expect(refused('mysql', 'SELECT SLEEP(60)')).toMatch(/SLEEP/);
    expect(refused('mysql', 'SELECT @@secure_file_priv')).toBeTruthy();
    expect(refused('mysql', 'SELECT evil.LENGTH(x)')).toMatch(/schema or quotes/);
    expect(refused('mysql', 'SELECT `LENGTH`(x)')).toMatch(/schema or quotes/);
  });
});
