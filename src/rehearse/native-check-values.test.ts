import { describe, expect, it } from 'vitest';
import { mysqlCheckAllowedValues, sqliteCheckAllowedValues } from './native-check-values.js';

describe('the values a MySQL/MariaDB or SQLite CHECK lists for a column', () => {
  it('reads MariaDB CHECK_CLAUSE text: =, IN, OR of those, constants on either side', () => {
    expect(mysqlCheckAllowedValues('`id` = 0', 'id')).toEqual(['0']);
    expect(mysqlCheckAllowedValues("`status` in ('draft','sent')", 'status')).toEqual(['draft', 'sent']);
    expect(mysqlCheckAllowedValues("`k` = 'x' or `k` = 'y'", 'k')).toEqual(['x', 'y']);
    expect(mysqlCheckAllowedValues('-1 = `k`', 'k')).toEqual(['-1']);
  });

  it('says nothing of a range, a function, another column or a list mixed with another condition', () => {
    expect(mysqlCheckAllowedValues('`amount` > 0', 'amount')).toBeNull();
    expect(mysqlCheckAllowedValues('json_valid(`data`)', 'data')).toBeNull();
    expect(mysqlCheckAllowedValues("`k` = 'x'", 'other')).toBeNull();
    expect(mysqlCheckAllowedValues("`k` = 'x' or `j` = 'y'", 'k')).toBeNull();
  });

  it('reads SQLite CREATE TABLE text: column and table CHECKs, quoted names, every list intersected', () => {
    const sql = `CREATE TABLE "x" (id INT NOT NULL DEFAULT 0 CHECK (id = 0), "s" TEXT CHECK ("s" IN ('a', 'b')), k TEXT, n INT CHECK (n > 0),
      CHECK (k = 'x' OR k = 'y'), CHECK (k IN ('x', 'q')))`;
    expect(sqliteCheckAllowedValues(sql)).toEqual(
      new Map([
        ['id', ['0']],
        ['s', ['a', 'b']],
        ['k', ['x']],
      ]),
    );
    expect(sqliteCheckAllowedValues('CREATE TABLE t (a TEXT)')).toEqual(new Map());
  });
});
