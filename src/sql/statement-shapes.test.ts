// Statements node-sql-parser's MySQL and SQLite grammars lack, read from their tokens, and statements the grammar
// reads once names and column types are spelt its way: each shape with the IR it must give.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../ir.js';
import type { SourceText } from '../migration.js';
import { parseMysqlFamily } from './mysql.js';
import { splitStatements } from './split.js';
import { tokenize } from './tokens.js';

const source = (text: string): SourceText => ({ path: 'm.sql', text, startLine: 1, language: 'sql' });
/** The ops without their span and text, and the errors. */
function read(sql: string, dialect: 'mysql' | 'sqlite') {
  const parsed = parseMysqlFamily(source(sql), dialect);
  return { ops: parsed.ops.map(({ span, text, ...op }) => op), errors: parsed.errors.map((e) => e.message) };
}
const one = (sql: string, dialect: 'mysql' | 'sqlite'): Operation => {
  const { ops, errors } = read(sql, dialect);
  expect(errors).toEqual([]);
  expect(ops).toHaveLength(1);
  return ops[0] as Operation;
};

describe('tokens', () => {
  it.each([
    [
      'sqlite',
      'SELECT [a b], "c""d", `e` -- x\nFROM t',
      ['word:SELECT', 'name:a b', 'punct:,', 'name:c"d', 'punct:,', 'name:e', 'word:FROM', 'word:T'],
    ],
    [
      'mysql',
      "SELECT 'it\\'s', \"s\", `n` # x\n, 1.5",
      ['word:SELECT', "string:it\\'s", 'punct:,', 'string:s', 'punct:,', 'name:n', 'punct:,', 'number:1.5'],
    ],
    ['mysql', 'a--b /* c */ <= d', ['word:A', 'punct:-', 'punct:-', 'word:B', 'punct:<=', 'word:D']],
  ] as const)('%s: %s', (dialect, sql, expected) => {
    expect(tokenize(sql, dialect).map((t) => `${t.kind}:${t.value}`)).toEqual(expected);
  });
});

describe('statement boundaries', () => {
  it('a SQLite trigger body holds semicolons up to its END', () => {
    const text = 'CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  DELETE FROM c;\nEND;\nSELECT 1;';
    const pieces = splitStatements(text, 'sqlite').statements.map((s) => text.slice(s.start, s.end));
    expect(pieces).toEqual(['CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\n  DELETE FROM c;\nEND', 'SELECT 1']);
  });

  it('outside a trigger, BEGIN is a statement of its own', () => {
    const text = 'BEGIN TRANSACTION;\nCREATE TABLE begin_end (x int);\nCOMMIT;';
    expect(splitStatements(text, 'sqlite').statements).toHaveLength(3);
  });
});

describe('statement shapes the grammars lack', () => {
  it.each([
    [
      'sqlite',
      'DROP INDEX IF EXISTS "users_email"',
      { kind: 'DropIndex', index: { name: 'users_email' }, ifExists: true, concurrently: false },
    ],
    [
      'sqlite',
      'DROP INDEX main.users_email',
      { kind: 'DropIndex', index: { schema: 'main', name: 'users_email' }, ifExists: false, concurrently: false },
    ],
    ['sqlite', 'BEGIN TRANSACTION', { kind: 'Transaction', action: 'begin' }],
    ['sqlite', 'BEGIN IMMEDIATE', { kind: 'Transaction', action: 'begin' }],
    ['sqlite', 'COMMIT', { kind: 'Transaction', action: 'commit' }],
    ['sqlite', 'END TRANSACTION', { kind: 'Transaction', action: 'commit' }],
    ['sqlite', 'ROLLBACK', { kind: 'Transaction', action: 'rollback' }],
    ['sqlite', 'PRAGMA foreign_keys = OFF', { kind: 'SetSetting', name: 'foreign_keys', value: 'OFF', local: false }],
    ['sqlite', 'PRAGMA main.cache_size = -2000', { kind: 'SetSetting', name: 'cache_size', value: '-2000', local: false }],
    ['sqlite', 'PRAGMA table_info("chat_flow")', { kind: 'Raw', statement: 'pragma:table_info', notAnalyzed: null }],
    [
      'sqlite',
      'PRAGMA writable_schema = TRUE',
      { kind: 'Raw', statement: 'pragma', notAnalyzed: 'PRAGMA writable_schema lets the statements after it edit the schema directly' },
    ],
    [
      'sqlite',
      'CREATE TRIGGER IF NOT EXISTS t_ai AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.id); END',
      {
        kind: 'Raw',
        statement: 'create trigger',
        notAnalyzed: null,
        target: { name: 't' },
        object: { type: 'trigger', name: 't_ai', action: 'create' },
      },
    ],
    [
      'sqlite',
      'DROP TRIGGER IF EXISTS t_ai',
      { kind: 'Raw', statement: 'drop trigger', notAnalyzed: null, object: { type: 'trigger', name: 't_ai', action: 'drop' } },
    ],
    [
      'sqlite',
      "CREATE VIRTUAL TABLE docs_fts USING fts5 (title, body, content='docs')",
      { kind: 'CreateTable', table: { name: 'docs_fts' }, columns: [], constraints: [], derived: true, ifNotExists: false },
    ],
    [
      'mysql',
      'ALTER TABLE t ALTER COLUMN n SET DEFAULT 0',
      { kind: 'SetDefault', table: { name: 't' }, column: 'n', default: { text: '0', volatile: false } },
    ],
    ['mysql', 'ALTER TABLE `t` ALTER `n` DROP DEFAULT', { kind: 'SetDefault', table: { name: 't' }, column: 'n', default: null }],
    ['mysql', 'ALTER TABLE t RENAME INDEX a TO b', { kind: 'RenameIndex', index: { name: 'a' }, newName: 'b' }],
  ] as const)('%s: %s', (dialect, sql, expected) => {
    expect(one(sql, dialect)).toEqual(expected);
  });

  it.each([
    ['sqlite', 'DROP INDEX IF EXISTS a b'],
    ['sqlite', 'PRAGMA foreign_keys = OFF, ON'],
    ['sqlite', 'BEGIN TRANSACTION now'],
    ['mysql', 'ALTER TABLE t ALTER COLUMN n SET DEFAULT (1 + 1)'],
    ['mysql', 'END'],
  ] as const)('a statement a reader does not take to its end stays unread: %s: %s', (dialect, sql) => {
    const { ops, errors } = read(sql, dialect);
    expect(errors).toHaveLength(1);
    expect(ops).toEqual([expect.objectContaining({ kind: 'Raw', statement: 'unparsed', notAnalyzed: expect.any(String) })]);
  });
});

describe('names and column types spelt as the grammar does not', () => {
  const columns = (sql: string, dialect: 'mysql' | 'sqlite') => {
    const op = one(sql, dialect);
    const cols = op.kind === 'CreateTable' ? op.columns : op.kind === 'AddColumn' ? [op.column] : [];
    return cols.map((c) => [c.name, c.type.name, c.type.args, c.nullable, c.default?.text ?? null]);
  };

  it('SQLite takes any words as a column type: the IR keeps what was written', () => {
    expect(
      columns(
        'CREATE TABLE "t" ("id" UUID PRIMARY KEY NOT NULL, "ok" bool NOT NULL DEFAULT \'false\', "h" BINARY(16), "b" MEDIUMBLOB, "j" JSONB, "n" INT UNSIGNED NOT NULL)',
        'sqlite',
      ),
    ).toEqual([
      ['id', 'uuid', [], false, null],
      ['ok', 'bool', [], false, "'false'"],
      ['h', 'binary', [16], true, null],
      ['b', 'mediumblob', [], true, null],
      ['j', 'jsonb', [], true, null],
      ['n', 'int4', [], false, null],
    ]);
    expect(columns('ALTER TABLE courier_messages ADD COLUMN request_headers JSONB', 'sqlite')).toEqual([
      ['request_headers', 'jsonb', [], true, null],
    ]);
  });

  it('SQLite [bracket] names, `REFERENCES parent` without columns, keywords split over lines', () => {
    const op = one(
      'CREATE TABLE [m] (\n  [id] INTEGER PRIMARY KEY AUTOINCREMENT,\n  user_id INTEGER references user on delete\n\tset\n\t\tnull\n)',
      'sqlite',
    );
    if (op.kind !== 'CreateTable') throw new Error(`expected CreateTable, got ${op.kind}`);
    expect(op.table).toEqual({ name: 'm' });
    expect(op.columns.map((c) => [c.name, c.type.name, c.references])).toEqual([
      ['id', 'int4', null],
      ['user_id', 'int4', { table: { name: 'user' }, columns: [], onDelete: 'set null' }],
    ]);
  });

  it('MySQL: BOOL, the BINARY attribute and a quoted constraint name', () => {
    expect(columns('CREATE TABLE `t` (`id` char(36) NOT NULL, PRIMARY KEY(`id`), `forced` bool NOT NULL DEFAULT false)', 'mysql')).toEqual([
      ['id', 'bpchar', [36], false, null],
      ['forced', 'bool', [], false, 'false'],
    ]);
    expect(read('ALTER TABLE t MODIFY COLUMN code VARCHAR(32) BINARY', 'mysql').ops.map((o) => o.kind)).toEqual(
      ['AlterColumnType', 'SetNotNull', 'SetDefault'].map((k, i) => (i === 1 ? 'DropNotNull' : k)),
    );
    expect(read('ALTER TABLE d DROP CONSTRAINT `d_fk`, MODIFY identity_id char(36) NULL', 'mysql').ops[0]).toMatchObject({
      kind: 'DropConstraint',
      name: 'd_fk',
    });
  });

  it('SQLite reads "x" in a SELECT as the column x: a rebuild’s copy keeps where each value came from', () => {
    const op = one('INSERT INTO "t_new" ("id", "name") SELECT "id", "name" FROM "t"', 'sqlite');
    expect(op).toMatchObject({
      kind: 'DataChange',
      action: 'insert',
      columns: ['id', 'name'],
      sources: [
        { table: { name: 't' }, column: 'id', exact: true },
        { table: { name: 't' }, column: 'name', exact: true },
      ],
    });
  });

  it('SQLite CREATE [UNIQUE] INDEX IF NOT EXISTS names the index', () => {
    expect(one('CREATE UNIQUE INDEX IF NOT EXISTS "t_a" ON "t" ("a")', 'sqlite')).toMatchObject({
      kind: 'AddIndex',
      name: 't_a',
      table: { name: 't' },
      columns: ['a'],
      unique: true,
      ifNotExists: true,
    });
  });

  it('invalid SQL stays unread (a trailing comma, MySQL double-quoted names)', () => {
    expect(read('CREATE TABLE "t" ("id" varchar PRIMARY KEY NOT NULL, )', 'sqlite').errors).toHaveLength(1);
    expect(read('ALTER TABLE "t" DROP COLUMN "c"', 'mysql').errors).toHaveLength(1);
  });
});

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = [resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));

describe.skipIf(!corpus)(`real SQLite files of the corpus${corpus ? '' : ' (skipped: no ../shared/corpus)'}`, () => {
  const file = (path: string) => {
    const abs = join(corpus as string, path);
    return existsSync(abs) ? parseMysqlFamily({ path, text: readFileSync(abs, 'utf8'), startLine: 1, language: 'sql' }, 'sqlite') : null;
  };

  it.each([
    ['sqlite/ory__kratos/persistence/sql/migrations/sql/20200605111551000013_messages.sqlite3.down.sql', ['DropIndex']],
    ['apps/louislam__uptime-kuma/db/old_migrations/patch-api-key-table.sql', ['Transaction', 'CreateTable', 'Transaction']],
    [
      'apps/louislam__uptime-kuma/db/old_migrations/patch-monitor-tls-info-add-fk.sql',
      ['Transaction', 'Raw', 'DataChange', 'Raw', 'Transaction'],
    ],
  ])('%s reads every statement', (path, kinds) => {
    const parsed = file(path);
    if (!parsed) return;
    expect(parsed.errors).toEqual([]);
    expect(parsed.ops.map((o) => o.kind)).toEqual(kinds);
  });

  it('uptime-kuma’s writable_schema patch edits the schema behind the parser’s back: not analyzed', () => {
    const parsed = file('apps/louislam__uptime-kuma/db/old_migrations/patch-monitor-tls-info-add-fk.sql');
    if (!parsed) return;
    expect(parsed.ops.filter((o) => o.kind === 'Raw' && o.notAnalyzed).map((o) => o.span.line)).toEqual([3, 16]);
  });
});
