import { describe, expect, it } from 'vitest';
import type { SourceText } from '../migration.js';
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

  it('reports a statement that does not parse at its line and keeps the others', () => {
    const { ops, errors } = parseMysqlFamily(source('DROP TABLE a;\nALTER TABLE b ADD COLUMN;\nDROP TABLE c;'), 'mysql');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(ops.map((o) => o.kind)).toEqual(['DropTable', 'Raw', 'DropTable']);
  });

  it('parses SQLite', () => {
    const { ops, errors } = parseMysqlFamily(source('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\nDROP TABLE t;'), 'sqlite');
    expect(errors).toEqual([]);
    expect(ops.map((o) => o.kind)).toEqual(['CreateTable', 'DropTable']);
  });
});
