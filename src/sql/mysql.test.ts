import { describe, expect, it } from 'vitest';
import type { SourceText } from '../migration.js';
import { analyzeCase } from '../rules/testing.js';
import { parseMysqlFamily } from './mysql.js';
import { splitStatements } from './split.js';

const source = (text: string): SourceText => ({ path: 'm.sql', text, startLine: 1, language: 'sql' });

describe('splitStatements', () => {
  it('splits on semicolons outside strings and comments', () => {
    const text = "INSERT INTO t VALUES ('a;b'); -- x; y\nSELECT 1 /* ; */;\n# z;\nSELECT 2";
    const { statements, comments } = splitStatements(text, 'mysql');
    expect(statements.map((s) => text.slice(s.start, s.end))).toEqual(["INSERT INTO t VALUES ('a;b')", 'SELECT 1 /* ; */', 'SELECT 2']);
    expect(comments.map((c) => text.slice(c.start, c.end))).toEqual(['-- x; y', '/* ; */', '# z;']);
  });

  it("follows the mysql client's DELIMITER command", () => {
    const text = 'DELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END$$\nDELIMITER ;\nSELECT 1;';
    const { statements } = splitStatements(text, 'mysql');
    expect(statements.map((s) => text.slice(s.start, s.end))).toEqual([
      'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END',
      'SELECT 1',
    ]);
  });
});

describe('parseMysqlFamily', () => {
  it('DROP INDEX … ON and ALTER TABLE … DROP INDEX are the same online drop; dropping PRIMARY is not', () => {
    const sql = 'DROP INDEX a ON t;\nALTER TABLE t DROP INDEX b;\nDROP INDEX `PRIMARY` ON t;';
    const { ops } = parseMysqlFamily(source(sql), 'mysql');
    expect(ops.map((o) => (o.kind === 'DropIndex' ? `${o.index.name}:${o.concurrently}` : o.kind))).toEqual([
      'a:true',
      'b:true',
      'PRIMARY:false',
    ]);
  });

  it('maps MySQL DDL to IR with statement lines', () => {
    const sql = [
      'CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL);',
      'ALTER TABLE users DROP COLUMN email, ADD COLUMN age INT NULL;',
      'ALTER TABLE users MODIFY COLUMN age BIGINT NOT NULL;',
      'RENAME TABLE users TO people;',
    ].join('\n');
    const { ops, errors } = parseMysqlFamily(source(sql), 'mysql');
    expect(errors).toEqual([]);
    expect(ops.map((o) => `${o.span.line}:${o.kind}`)).toEqual([
      '1:CreateTable',
      '2:DropColumn',
      '2:AddColumn',
      '3:AlterColumnType',
      '3:SetNotNull',
      '3:SetDefault',
      '4:RenameTable',
    ]);
    const create = ops[0];
    if (create?.kind !== 'CreateTable') throw new Error('expected CreateTable');
    expect(create.columns.map((c) => [c.name, c.type.name, c.type.args, c.nullable])).toEqual([
      ['id', 'int8', [], false],
      ['email', 'varchar', [255], false],
    ]);
  });

  it('keeps the members of an ENUM or SET, unquoted', () => {
    const { ops } = parseMysqlFamily(
      source("ALTER TABLE orders MODIFY status ENUM('new','it''s', 'a\\'b') NOT NULL;\nCREATE TABLE t (tags SET('x','y'), n INT);"),
      'mysql',
    );
    const types = ops.flatMap((op) =>
      op.kind === 'AlterColumnType' ? [op.type] : op.kind === 'CreateTable' ? op.columns.map((c) => c.type) : [],
    );
    expect(types.map((t) => [t.name, t.values])).toEqual([
      ['enum', ['new', "it's", "a'b"]],
      ['set', ['x', 'y']],
      ['int4', undefined],
    ]);
  });

  it('reports a statement that does not parse at its line and keeps the others', () => {
    const { ops, errors } = parseMysqlFamily(source('DROP TABLE a;\nALTER TABLE b ADD COLUMN;\nDROP TABLE c;'), 'mysql');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(ops.map((o) => o.kind)).toEqual(['DropTable', 'Raw', 'DropTable']);
  });

  it("keeps a foreign key's ON DELETE / ON UPDATE actions", () => {
    const parsed = parseMysqlFamily(
      source('ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (u_id) REFERENCES u (id) ON DELETE CASCADE;'),
      'mysql',
    );
    const [add] = parsed.ops;
    expect(add?.kind === 'AddConstraint' && add.constraint.references).toEqual({
      table: { name: 'u' },
      columns: ['id'],
      onDelete: 'cascade',
    });
  });

  it('parses SQLite', () => {
    const { ops, errors } = parseMysqlFamily(source('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\nDROP TABLE t;'), 'sqlite');
    expect(errors).toEqual([]);
    expect(ops.map((o) => o.kind)).toEqual(['CreateTable', 'DropTable']);
  });
});

describe('MySQL column types', () => {
  const type = (sql: string) => {
    const op = parseMysqlFamily(source(sql), 'mysql').ops[0];
    return op?.kind === 'AlterColumnType' ? op.type : op?.kind === 'AddColumn' ? op.column.type : null;
  };

  it.each([
    ['TINYTEXT', 'varchar', 255],
    ['TEXT', 'varchar', 65_535],
    ['MEDIUMTEXT', 'varchar', 16_777_215],
    ['LONGTEXT', 'varchar', 4_294_967_295],
    ['BLOB', 'varbinary', 65_535],
    ['MEDIUMBLOB', 'varbinary', 16_777_215],
  ])('%s is a string of at most so many bytes', (written, name, limit) => {
    expect(type(`ALTER TABLE t MODIFY COLUMN c ${written}`)).toEqual({ name, args: [limit], arrayDims: 0, text: written });
  });

  it('SQLite’s TEXT has no limit', () => {
    const op = parseMysqlFamily(source('ALTER TABLE t ADD COLUMN c TEXT'), 'sqlite').ops[0];
    expect(op?.kind === 'AddColumn' && op.column.type).toEqual({ name: 'text', args: [], arrayDims: 0, text: 'TEXT' });
  });

  it('VARCHAR without a length is refused by MySQL: the statement is invalid and not analyzed', () => {
    const { ops, errors } = parseMysqlFamily(source('ALTER TABLE t MODIFY COLUMN c VARCHAR NOT NULL;\nDROP TABLE u;'), 'mysql');
    expect(errors.map((e) => [e.line, e.message])).toEqual([[1, 'MySQL syntax: VARCHAR needs a length in MySQL']]);
    expect(ops.map((o) => (o.kind === 'Raw' ? [o.kind, o.statement, o.notAnalyzed] : [o.kind]))).toEqual([
      ['Raw', 'invalid', 'MySQL refuses the statement: VARCHAR needs a length in MySQL'],
      ['DropTable'],
    ]);
  });
});

describe('MySQL type changes, judged', () => {
  const history = ['CREATE TABLE t (id int PRIMARY KEY, body TEXT, data BLOB);'];
  it.each([
    ['TEXT → LONGTEXT widens: old code keeps working', 'ALTER TABLE t MODIFY COLUMN body LONGTEXT;', 'compatible'],
    ['BLOB → MEDIUMBLOB widens', 'ALTER TABLE t MODIFY COLUMN data MEDIUMBLOB;', 'compatible'],
    ['TEXT → VARCHAR(100) narrows', 'ALTER TABLE t MODIFY COLUMN body VARCHAR(100);', 'breaking'],
  ])('%s', async (name, up, codeRollback) => {
    const report = await analyzeCase({ name, dialect: 'mysql', history, up });
    expect(report.codeRollback).toBe(codeRollback);
  });
});
