import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../testing/projects.js';
import { findMysqlOutsideEffect } from './mysql.js';
import { findSqliteOutsideEffect } from './sqlite.js';

const refused = (sql: string) => findMysqlOutsideEffect(sql, { allowOutsideEffects: false, protectedDatabases: ['app'] });
const allowed = (sql: string) => findMysqlOutsideEffect(sql, { allowOutsideEffects: true, protectedDatabases: ['app'] });

describe('MySQL statements that act outside the scratch database are refused', () => {
  it.each([
    ["SELECT * FROM users INTO OUTFILE '/tmp/u.csv'", 'SELECT … INTO OUTFILE', 'writes the database server’s files'],
    ["SELECT body INTO DUMPFILE '/var/lib/mysql/x.so' FROM t", 'SELECT … INTO DUMPFILE', 'writes the database server’s files'],
    ["LOAD DATA INFILE '/etc/passwd' INTO TABLE t", 'LOAD DATA', 'reads the database server’s files'],
    ["LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t", 'LOAD DATA', 'reads the database server’s files'],
    ["INSERT INTO t (body) VALUES (LOAD_FILE('/etc/passwd'))", 'LOAD_FILE()', 'reads the database server’s files'],
    ['CREATE DATABASE other', 'CREATE DATABASE', 'makes a database outside the scratch one'],
    ['CREATE SCHEMA IF NOT EXISTS other', 'CREATE SCHEMA', 'makes a database outside the scratch one'],
    ['DROP DATABASE other', 'DROP DATABASE', 'acts on a database other than the scratch one'],
    ['USE other', 'USE', 'switches to another database'],
    ["CREATE USER 'x'@'%' IDENTIFIED BY 'y'", 'CREATE USER', 'changes the server’s users and privileges, which every database shares'],
    ["DROP USER 'root'@'localhost'", 'DROP USER', 'changes the server’s users and privileges, which every database shares'],
    ["GRANT ALL ON *.* TO 'x'@'%'", 'GRANT', 'changes the server’s users and privileges, which every database shares'],
    ['SET GLOBAL max_connections = 1', 'SET GLOBAL', 'changes the server’s settings for every database'],
    ['SET PERSIST sql_mode = ""', 'SET PERSIST', 'changes the server’s settings for every database'],
    ['SET @@global.read_only = 1', 'SET GLOBAL', 'changes the server’s settings for every database'],
    ["INSTALL PLUGIN federated SONAME 'ha_federated.so'", 'INSTALL PLUGIN', 'loads a shared library into the database server'],
    [
      "CREATE FUNCTION sys_exec RETURNS INT SONAME 'lib_mysqludf_sys.so'",
      'CREATE FUNCTION … SONAME',
      'loads a shared library into the database server',
    ],
    ["CREATE TABLE f (id int) ENGINE=FEDERATED CONNECTION='mysql://u@h/db/t'", 'ENGINE=FEDERATED', 'connects to another server'],
    ["CREATE TABLE d (id int) DATA DIRECTORY = '/tmp'", 'DATA DIRECTORY', 'puts the table’s files in a directory of the database server'],
    [
      'INSERT INTO other.users SELECT * FROM users',
      'other.users',
      'names a table in the database other, a database other than the scratch one',
    ],
    [
      'UPDATE users u JOIN other.accounts a ON a.id = u.id SET u.x = a.x',
      'other.accounts',
      'names a table in the database other, a database other than the scratch one',
    ],
    ['SELECT other.users.id FROM users', 'other.users', 'names a table in the database other, a database other than the scratch one'],
    ['KILL 42', 'KILL', 'ends sessions other than the rehearsal’s'],
    // Inside a stored program's body, and in a statement PREPAREd from a literal.
    ['CREATE PROCEDURE p() BEGIN SELECT 1; DROP DATABASE other; END', 'DROP DATABASE', 'acts on a database other than the scratch one'],
    ["PREPARE s FROM 'CREATE DATABASE other'", 'CREATE DATABASE', 'makes a database outside the scratch one'],
  ])('%s', (sql, statement, reason) => {
    expect(refused(sql)).toMatchObject({ statement, reason });
    expect(allowed(sql)).toBeNull();
  });

  it('says where the statement starts', () => {
    expect(refused('CREATE TABLE a (id int);\n\nCREATE DATABASE b;')?.offset).toBe(26);
  });

  it('the database the URL names is refused even with outside effects allowed', () => {
    for (const sql of ['DROP DATABASE app', 'DELETE FROM app.users', 'INSERT INTO `app`.`users` VALUES (1)', 'USE app']) {
      expect(allowed(sql)).toMatchObject({ always: true, reason: 'acts on the database the URL names, which rehearsal never touches' });
    }
  });

  it.each([
    'CREATE TABLE users (id int PRIMARY KEY, `database` varchar(10), `user` varchar(10))',
    'ALTER TABLE users DROP COLUMN user',
    "UPDATE users SET note = 'GRANT ALL; DROP DATABASE x; INTO OUTFILE'",
    '-- CREATE DATABASE x\nSELECT 1',
    'SELECT u.id FROM users u JOIN posts p ON p.user_id = u.id',
    'SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
    'SET FOREIGN_KEY_CHECKS = 0',
    'SET SESSION sql_mode = ""',
    "SET @sql = 'x'",
    'INSERT INTO t (a) SELECT t2.a FROM t2',
    'CREATE TABLE t (id int) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    'ALTER TABLE t ADD INDEX idx (a), ALGORITHM=INPLACE, LOCK=NONE',
  ])('leaves alone: %s', (sql) => {
    expect(refused(sql)).toBeNull();
  });

  const corpus = [process.env.TWOWAY_CORPUS, resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p): p is string =>
    Boolean(p && existsSync(join(p, 'mysql'))),
  );
  it.skipIf(!corpus)('refuses in the real MySQL histories of shared/corpus only what creates a database', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.sql') ? [join(dir, e.name)] : [],
      );
    const all = files(join(corpus as string, 'mysql'));
    expect(all.length).toBeGreaterThan(600);
    const refusals = all
      .map((f) => [f.slice((corpus as string).length + 1), refused(readFileSync(f, 'utf8'))?.statement])
      .filter(([, r]) => r);
    // Temporal's set-up scripts, not migrations: `CREATE DATABASE temporal CHARACTER SET utf8mb4`.
    expect(refusals).toEqual([
      ['mysql/temporalio__temporal/schema/mysql/v8/temporal/database.sql', 'CREATE DATABASE'],
      ['mysql/temporalio__temporal/schema/mysql/v8/visibility/database.sql', 'CREATE DATABASE'],
    ]);
  });
});

describe('SQLite statements that reach another database file are refused', () => {
  const guard = (sql: string) => findSqliteOutsideEffect(sql, { allowOutsideEffects: false, protectedDatabases: [] });
  it.each([
    ["ATTACH DATABASE '/tmp/x.db' AS x", 'ATTACH DATABASE'],
    ["VACUUM INTO '/tmp/copy.db'", 'VACUUM INTO'],
    ["SELECT load_extension('/tmp/evil.so')", 'load_extension()'],
    ['INSERT INTO other.users SELECT * FROM users', 'other.users'],
  ])('%s', (sql, statement) => {
    expect(guard(sql)?.statement).toBe(statement);
    expect(findSqliteOutsideEffect(sql, { allowOutsideEffects: true, protectedDatabases: [] })).toBeNull();
  });
  it.each(['CREATE TABLE main.users (id INTEGER)', 'SELECT u.id FROM users u', 'CREATE INDEX i ON users (email)', 'VACUUM'])(
    'leaves alone: %s',
    (sql) => expect(guard(sql)).toBeNull(),
  );
});
