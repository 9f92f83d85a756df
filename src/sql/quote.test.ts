// Names in fix SQL: quoted where the database needs it, and the fixes of findings on a mixed-case table with a
// reserved-word column run as written on a real PostgreSQL (PGlite) and MariaDB (127.0.0.1:3306, skipped without one).
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { type Connection, createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCase } from '../rules/testing.js';
import { loadSqlParsers } from './index.js';
import { sqlIdent, sqlIndexColumn, sqlQName, sqlString } from './quote.js';

beforeAll(() => loadSqlParsers());

describe('sqlIdent', () => {
  it('leaves a PostgreSQL name bare only where quote_ident would', async () => {
    const db = new PGlite();
    try {
      for (const name of [
        'users',
        'email_2',
        '_x',
        'name',
        'type',
        'value',
        'Users',
        'order',
        'user',
        'select',
        'position',
        'left',
        'first name',
        'a"b',
        '2fa',
        'caf\u00e9',
        'a$b',
      ]) {
        const { rows } = await db.query<{ q: string }>('SELECT quote_ident($1) AS q', [name]);
        expect(sqlIdent(name, 'postgresql'), name).toBe(rows[0]?.q);
      }
    } finally {
      await db.close();
    }
  });

  it('backticks every MySQL name, a backtick inside doubled', () => {
    expect(sqlIdent('users', 'mysql')).toBe('`users`');
    expect(sqlIdent('a`b', 'mysql')).toBe('`a``b`');
    expect(sqlQName({ schema: 'shop', name: 'Order Items' }, 'mysql')).toBe('`shop`.`Order Items`');
  });

  it('quotes a SQLite keyword or a name with a space, not a mixed-case one (SQLite ignores the case)', () => {
    expect(sqlIdent('Users', 'sqlite')).toBe('Users');
    expect(sqlIdent('order', 'sqlite')).toBe('"order"');
    expect(sqlIdent('first name', 'sqlite')).toBe('"first name"');
  });

  it('keeps an index expression as written and quotes a plain column', () => {
    expect(sqlIndexColumn('lower(email)', 'postgresql')).toBe('lower(email)');
    expect(sqlIndexColumn('Email', 'postgresql')).toBe('"Email"');
    expect(sqlQName({ schema: 'Sales', name: 'orders' }, 'postgresql')).toBe('"Sales".orders');
    expect(sqlString("it's")).toBe("'it''s'");
  });
});

describe('fix SQL on a mixed-case table with a reserved-word column', () => {
  const history = ['CREATE TABLE "Users" (id bigint PRIMARY KEY, "order" int, "Email" text, "group" text);'];
  const cases = [
    { rule: 'set-not-null', up: 'ALTER TABLE "Users" ALTER COLUMN "order" SET NOT NULL;' },
    { rule: 'require-concurrent-index-creation', up: 'CREATE INDEX "Users_Email_idx" ON "Users" ("Email", "order");' },
    { rule: 'rename-column', up: 'ALTER TABLE "Users" RENAME COLUMN "group" TO "Team";' },
    { rule: 'unique-constraint-builds-index', up: 'ALTER TABLE "Users" ADD CONSTRAINT "Users_order_key" UNIQUE ("order");' },
    { rule: 'constraint-missing-not-valid', up: 'ALTER TABLE "Users" ADD CONSTRAINT "Order_positive" CHECK ("order" > 0);' },
    { rule: 'update-rows', up: 'UPDATE "Users" SET "order" = 0;' },
    { rule: 'drop-column', up: 'ALTER TABLE "Users" DROP COLUMN "group";' },
  ];
  let db: PGlite;
  beforeAll(() => {
    db = new PGlite();
  });
  afterAll(() => db.close());

  for (const c of cases) {
    it(`${c.rule}: its SQL names "Users" and "order" quoted and runs`, async () => {
      const report = await analyzeCase({ name: c.rule, history, up: c.up });
      const finding = report.findings.find((f) => f.rule === c.rule);
      expect(finding, `${c.rule} reports`).toBeDefined();
      const fix = finding?.fix ?? '';
      expect(fix).toContain('"Users"');
      expect(fix).not.toMatch(/\b(TABLE|ON|FROM) Users\b/);
      const statements = runnable(fix);
      expect(statements.length).toBeGreaterThan(0);
      await db.exec('DROP TABLE IF EXISTS "Users"');
      await db.exec(history.join('\n'));
      for (const sql of statements) await db.exec(sql);
    });
  }
});

/** The statements of a fix that hold no placeholder (<value>, …): they run as they stand. */
function runnable(fix: string): string[] {
  return fix
    .split('\n')
    .map((line) => line.replace(/\s+--.*$/, '').trim())
    .filter((line) => /^(ALTER|CREATE|UPDATE|SELECT|DROP)\b/.test(line) && !/[<…]/.test(line));
}

const MY = process.env.TWOWAY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
const myName = `twoway_quote_${randomBytes(4).toString('hex')}`;
async function mariadb(database?: string): Promise<Connection | null> {
  const u = new URL(MY);
  try {
    return await createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: u.username,
      password: u.password,
      connectTimeout: 2000,
      ...(database ? { database } : {}),
    });
  } catch {
    return null;
  }
}
const probe = await mariadb();
await probe?.end();
if (!probe) console.warn(`quote tests: no MariaDB/MySQL at ${MY}; skipped`);

describe('fix SQL on a table whose name holds a newline', () => {
  it('names it in the U& form on one line, and that SQL runs on the table (PGlite)', async () => {
    const history = ['CREATE TABLE "evil\n# Heading\\" (id bigint PRIMARY KEY, v text);'];
    const report = await analyzeCase({ name: 'drop-column', history, up: 'ALTER TABLE "evil\n# Heading\\" DROP COLUMN v;' });
    const fix = report.findings.find((f) => f.rule === 'drop-column')?.fix ?? '';
    expect(fix).toContain('FROM U&"evil\\000a# Heading\\\\";');
    const db = new PGlite();
    try {
      await db.exec(history.join('\n'));
      for (const sql of runnable(fix)) await db.exec(sql);
      const made = await db.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname LIKE 'evil%archive'");
      expect(made.rows.map((r) => r.relname)).toEqual(['evil\n# Heading\\_v_archive']);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!probe)('MySQL fix SQL on a mixed-case table with a reserved-word column', () => {
  const table = 'CREATE TABLE `Users` (id BIGINT PRIMARY KEY, `order` INT, `group` VARCHAR(20))';
  let db: Connection;
  beforeAll(async () => {
    const admin = (await mariadb()) as Connection;
    await admin.query(`CREATE DATABASE ${myName}`);
    await admin.end();
    db = (await mariadb(myName)) as Connection;
  });
  afterAll(async () => {
    await db?.query(`DROP DATABASE IF EXISTS ${myName}`);
    await db?.end();
  });

  for (const c of [
    { rule: 'drop-column', up: 'ALTER TABLE `Users` DROP COLUMN `group`;' },
    { rule: 'drop-table', up: 'DROP TABLE `Users`;' },
    { rule: 'update-rows', up: 'UPDATE `Users` SET `order` = 0;' },
  ]) {
    it(`${c.rule}: its SQL names \`Users\` and \`order\` in backticks and runs on MariaDB`, async () => {
      const report = await analyzeCase({ name: c.rule, dialect: 'mysql', history: [`${table};`], up: c.up });
      const fix = report.findings.find((f) => f.rule === c.rule)?.fix ?? '';
      expect(fix).toContain('`Users`');
      const statements = runnable(fix);
      expect(statements.length).toBeGreaterThan(0);
      for (const name of ['Users', 'Users_group_archive', 'Users_retired']) await db.query(`DROP TABLE IF EXISTS \`${name}\``);
      await db.query(table);
      for (const sql of statements) await db.query(sql);
    });
  }
});
