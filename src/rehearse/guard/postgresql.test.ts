import { beforeAll, describe, expect, it } from 'vitest';
import { loadPostgresParser } from '../../sql/postgresql.js';
import { findOutsideEffect } from './postgresql.js';

beforeAll(() => loadPostgresParser());

const refused = (sql: string) => findOutsideEffect(sql, { allowOutsideEffects: false, protectedDatabases: ['app'] });
const allowed = (sql: string) => findOutsideEffect(sql, { allowOutsideEffects: true, protectedDatabases: ['app'] });

describe('statements that act outside the scratch database are refused', () => {
  it.each([
    ["COPY (SELECT 1) TO PROGRAM 'id > /tmp/f'", 'COPY … TO PROGRAM', 'runs a shell command on the database server'],
    ["COPY users FROM PROGRAM 'curl http://example.com'", 'COPY … FROM PROGRAM', 'runs a shell command on the database server'],
    ["COPY users TO '/tmp/users.csv'", "COPY … TO '/tmp/users.csv'", 'writes the database server’s files'],
    ["COPY users FROM '/etc/passwd'", "COPY … FROM '/etc/passwd'", 'reads the database server’s files'],
    ["ALTER SYSTEM SET work_mem = '1GB'", 'ALTER SYSTEM', 'rewrites the server’s configuration (postgresql.auto.conf)'],
    ['CREATE DATABASE other', 'CREATE DATABASE', 'makes a database outside the scratch one'],
    ['DROP DATABASE other', 'DROP DATABASE', 'acts on a database other than the scratch one'],
    ["ALTER DATABASE other SET timezone = 'UTC'", 'ALTER DATABASE … SET', 'acts on a database other than the scratch one'],
    ['CREATE ROLE intruder SUPERUSER LOGIN', 'CREATE ROLE', 'changes the server’s roles, which every database shares'],
    ["CREATE USER app_user PASSWORD 'x'", 'CREATE ROLE', 'changes the server’s roles, which every database shares'],
    ['ALTER ROLE postgres NOSUPERUSER', 'ALTER ROLE', 'changes the server’s roles, which every database shares'],
    ['DROP ROLE postgres', 'DROP ROLE', 'changes the server’s roles, which every database shares'],
    ['GRANT pg_execute_server_program TO app', 'GRANT/REVOKE of a role', 'changes the server’s roles, which every database shares'],
    ['REASSIGN OWNED BY app TO postgres', 'REASSIGN OWNED', 'changes the owner of databases and tablespaces every database shares'],
    [
      "CREATE TABLESPACE fast LOCATION '/mnt/fast'",
      'CREATE TABLESPACE',
      'makes or changes a tablespace: a directory on the database server',
    ],
    [
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS $$ return 1 $$',
      'CREATE FUNCTION … LANGUAGE plpython3u',
      'runs untrusted code with the database server’s own access',
    ],
    [
      "CREATE FUNCTION f() RETURNS void LANGUAGE plperlu AS $$ system('id') $$",
      'CREATE FUNCTION … LANGUAGE plperlu',
      'runs untrusted code with the database server’s own access',
    ],
    [
      'CREATE FUNCTION f() RETURNS text LANGUAGE plsh AS $$#!/bin/sh\nid$$',
      'CREATE FUNCTION … LANGUAGE plsh',
      'runs untrusted code with the database server’s own access',
    ],
    [
      "CREATE FUNCTION f() RETURNS int AS '/tmp/evil.so', 'f' LANGUAGE c",
      'CREATE FUNCTION … LANGUAGE c',
      'runs code the database server loads from its own files',
    ],
    ['DO LANGUAGE plpython3u $$ import os $$', 'DO … LANGUAGE plpython3u', 'runs untrusted code with the database server’s own access'],
    ['CREATE EXTENSION plpython3u', 'CREATE EXTENSION plpython3u', 'runs untrusted code with the database server’s own access'],
    ['CREATE LANGUAGE plperlu', 'CREATE EXTENSION plperlu', 'runs untrusted code with the database server’s own access'],
    ["LOAD '/tmp/evil.so'", 'LOAD', 'loads a shared library into the database server'],
    ["SELECT pg_read_file('/etc/passwd')", 'pg_read_file()', 'reads the database server’s files'],
    ["SELECT * FROM pg_catalog.pg_ls_dir('/')", 'pg_ls_dir()', 'reads the database server’s files'],
    ["SELECT lo_import('/etc/passwd')", 'lo_import()', 'reads the database server’s files'],
    ["SELECT lo_export(1, '/tmp/x')", 'lo_export()', 'writes the database server’s files'],
    ["INSERT INTO t SELECT pg_stat_file('/etc/passwd')::text", 'pg_stat_file()', 'reads the database server’s files'],
    ['CREATE EXTENSION IF NOT EXISTS dblink', 'CREATE EXTENSION dblink', 'connects to another database or server'],
    ['CREATE EXTENSION postgres_fdw', 'CREATE EXTENSION postgres_fdw', 'connects to another database or server'],
    ['CREATE EXTENSION mysql_fdw', 'CREATE EXTENSION mysql_fdw', 'connects to another database or server'],
    ["SELECT dblink_exec('dbname=postgres', 'CREATE TABLE x (id int)')", 'dblink_exec()', 'connects to another database or server'],
    ["INSERT INTO t SELECT * FROM dblink('dbname=app', 'SELECT 1') AS r(id int)", 'dblink()', 'connects to another database or server'],
    [
      "CREATE SERVER other FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'app')",
      'CREATE SERVER',
      'connects to another database or server',
    ],
    ['CREATE USER MAPPING FOR CURRENT_USER SERVER other', 'CREATE USER MAPPING', 'connects to another database or server'],
    ['IMPORT FOREIGN SCHEMA public FROM SERVER other INTO public', 'IMPORT FOREIGN SCHEMA', 'connects to another database or server'],
    ["CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", 'CREATE SUBSCRIPTION', 'connects to another database or server'],
    ['SET ROLE postgres', 'SET ROLE', 'acts as another role'],
    ['SET LOCAL ROLE postgres', 'SET ROLE', 'acts as another role'],
    ['SET SESSION AUTHORIZATION postgres', 'SET SESSION AUTHORIZATION', 'acts as another role'],
    ["SELECT set_config('role', 'postgres', false)", "set_config('role')", 'may act as another role'],
    ["CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql SET role = 'postgres' AS $$ BEGIN END $$", 'SET ROLE', 'acts as another role'],
    ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'pg_terminate_backend()', 'acts on sessions other than the rehearsal’s'],
    ['SELECT pg_reload_conf()', 'pg_reload_conf()', 'reloads the server’s configuration'],
    ["COMMENT ON DATABASE other IS 'x'", 'COMMENT ON a database', 'changes a database outside the scratch database'],
    ['GRANT CONNECT ON DATABASE other TO PUBLIC', 'GRANT/REVOKE ON a database', 'changes a database outside the scratch database'],
    ['ALTER DATABASE other RENAME TO gone', 'ALTER … RENAME of a database', 'changes a database outside the scratch database'],
    [
      'CREATE OPERATOR ### (LEFTARG = text, RIGHTARG = bigint, FUNCTION = pg_read_file)',
      'a reference to pg_read_file()',
      'reads the database server’s files',
    ],
    // Bodies twoway can read.
    [
      "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT pg_read_file('/etc/passwd') $$",
      'pg_read_file() in the body of CREATE FUNCTION',
      'reads the database server’s files',
    ],
    [
      "CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT pg_read_file('/etc/passwd'); END",
      'pg_read_file()',
      'reads the database server’s files',
    ],
    [
      "DO $$ BEGIN PERFORM dblink_exec('dbname=app', 'DELETE FROM users'); END $$",
      'dblink_exec() in the body of DO',
      'connects to another database or server',
    ],
    [
      "DO $$ BEGIN COPY (SELECT 1) TO PROGRAM 'id'; END $$",
      'COPY … TO PROGRAM in the body of DO',
      'runs a shell command on the database server',
    ],
    [
      "DO $$ BEGIN EXECUTE 'ALTER SYSTEM SET work_mem = ''1GB'''; END $$",
      'ALTER SYSTEM in the body of DO',
      'rewrites the server’s configuration (postgresql.auto.conf)',
    ],
    [
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE ROLE x'; RETURN NEW; END $$",
      'CREATE ROLE in the body of CREATE FUNCTION',
      'changes the server’s roles, which every database shares',
    ],
  ])('%s', (sql, statement, reason) => {
    expect(refused(sql)).toMatchObject({ statement, reason });
  });
});

describe('what stays inside the scratch database runs', () => {
  it.each([
    'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL)',
    'COPY users FROM STDIN',
    'COPY users TO STDOUT',
    "SELECT pg_catalog.set_config('search_path', '', false)",
    "SET statement_timeout = '5s'",
    'SET ROLE NONE',
    'RESET ROLE',
    'RESET SESSION AUTHORIZATION',
    'CREATE EXTENSION IF NOT EXISTS pgcrypto',
    'CREATE EXTENSION "uuid-ossp"',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
    'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$',
    // Dynamic SQL built at run time cannot be read: a server runs it as a role without the privileges it would need.
    "DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN x int', 'users'); END $$",
    'GRANT SELECT ON users TO PUBLIC',
    "COMMENT ON TABLE users IS 'people'",
    'ALTER TABLE users OWNER TO CURRENT_USER',
    'DROP TABLE users',
    'SELECT pg_sleep(1)',
  ])('%s', (sql) => {
    expect(refused(sql)).toBeNull();
  });
});

describe('the guard reads every statement', () => {
  it('points at the refused statement among others, past multi-byte text', () => {
    const sql = "INSERT INTO t VALUES ('héllo');\nCREATE TABLE t2 (id int);\nCOPY t TO PROGRAM 'id';\n";
    expect(refused(sql)?.offset).toBe(sql.indexOf('COPY'));
  });

  it('a statement that does not parse hides none of the others', () => {
    const sql = "CREATE TABEL nope (id int);\nALTER SYSTEM SET work_mem = '1GB';\n";
    expect(refused(sql)).toMatchObject({ statement: 'ALTER SYSTEM', offset: sql.indexOf('ALTER') });
  });
});

describe('--allow-outside-effects', () => {
  it.each(["COPY (SELECT 1) TO PROGRAM 'id'", 'CREATE ROLE x', "SELECT dblink_exec('dbname=postgres', 'SELECT 1')", 'DROP DATABASE other'])(
    'lets %s run',
    (sql) => {
      expect(allowed(sql)).toBeNull();
    },
  );

  it.each([
    'DROP DATABASE app WITH (FORCE)',
    'ALTER DATABASE app RENAME TO gone',
    "ALTER DATABASE app SET work_mem = '1GB'",
    "COMMENT ON DATABASE app IS 'x'",
  ])('still refuses %s, which names the database the URL names', (sql) => {
    expect(allowed(sql)).toMatchObject({ reason: 'names app, the database the URL names, which rehearsal never touches', always: true });
  });
});

describe('an engine that cannot run programs', () => {
  it('refuses COPY … PROGRAM even when outside effects are allowed', () => {
    expect(
      findOutsideEffect("COPY (SELECT 1) TO PROGRAM 'id'", {
        allowOutsideEffects: true,
        protectedDatabases: [],
        cannotRunPrograms: 'PGlite',
      }),
    ).toMatchObject({
      statement: 'COPY … TO PROGRAM',
      reason: 'cannot run on PGlite, which has no programs to run: rehearse it on a server',
      always: true,
    });
  });
});
