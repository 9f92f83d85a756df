import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverTree, tree } from '../frameworks/testing.js';
import { loadSqlParsers } from '../sql/index.js';
import { dialectOfPath } from './dialect.js';
import { discover } from './index.js';

beforeAll(loadSqlParsers);

const DEFAULT = 'default: no config, file name, folder or SQL names a dialect';
const dialectOf = (files: Record<string, string>, options: Parameters<typeof discover>[1] = {}) => {
  const d = discover(['.'], { ...options, cwd: tree(files) });
  return d.sets.map((s) => ({
    root: s.root,
    dialect: s.dialect,
    reason: s.dialectReason,
    migrations: [...new Set(s.migrations.map((m) => m.dialect))],
  }));
};

describe('the dialect of a set, from its folder name', () => {
  it.each([
    ['db/mysql', 'mysql', 'folder mysql/'],
    ['db/mariadb', 'mysql', 'folder mariadb/'],
    ['db/sqlite', 'sqlite', 'folder sqlite/'],
    ['db/sqlite3', 'sqlite', 'folder sqlite3/'],
    ['db/postgres', 'postgresql', 'folder postgres/'],
    ['db/postgresql', 'postgresql', 'folder postgresql/'],
    ['db/pg', 'postgresql', 'folder pg/'],
    ['server/db/migrations-sqlite', 'sqlite', 'folder migrations-sqlite/'],
    ['schema/mysql/v8/temporal', 'mysql', 'folder mysql/'],
  ])('%s is read as %s', (folder, dialect, reason) => {
    expect(dialectOf({ [`${folder}/1_init.up.sql`]: 'CREATE TABLE t (id int);' })).toEqual([
      { root: folder, dialect, reason, migrations: [dialect] },
    ]);
  });

  it('a folder naming two dialects, or none, says nothing', () => {
    expect(dialectOfPath('scripts/mysql-to-postgres')).toBeNull();
    expect(dialectOfPath('db/migrations')).toBeNull();
    expect(dialectOfPath('.')).toBeNull();
  });

  it('one repository with one set per dialect folder reads each set in its own dialect', () => {
    const sets = dialectOf({
      'src/database/migrations/postgres/1_init.up.sql': 'CREATE TABLE t (id serial);',
      'src/database/migrations/mysql/1_init.up.sql': 'CREATE TABLE t (id int);',
      'src/database/migrations/mariadb/1_init.up.sql': 'CREATE TABLE t (id int);',
      'src/database/migrations/sqlite/1_init.up.sql': 'CREATE TABLE t (id integer);',
    });
    expect(sets.map((s) => [s.root, s.dialect])).toEqual([
      ['src/database/migrations/mariadb', 'mysql'],
      ['src/database/migrations/mysql', 'mysql'],
      ['src/database/migrations/postgres', 'postgresql'],
      ['src/database/migrations/sqlite', 'sqlite'],
    ]);
  });
});

describe('the dialect of a set, from the SQL itself', () => {
  it.each([
    ['backticks', 'CREATE TABLE `users` (id int);', 'mysql', 'SQL quotes names with backticks (db/1_init.up.sql:1)'],
    [
      'AUTO_INCREMENT',
      'CREATE TABLE users (\n  id int NOT NULL AUTO_INCREMENT\n);',
      'mysql',
      'SQL uses AUTO_INCREMENT (db/1_init.up.sql:2)',
    ],
    ['ENGINE=', 'CREATE TABLE users (id int) ENGINE=InnoDB;', 'mysql', 'SQL uses ENGINE= (db/1_init.up.sql:1)'],
    ['UNSIGNED', 'ALTER TABLE users ADD COLUMN n int UNSIGNED;', 'mysql', 'SQL uses UNSIGNED (db/1_init.up.sql:1)'],
    [
      'AUTOINCREMENT',
      'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT);',
      'sqlite',
      'SQL uses AUTOINCREMENT (db/1_init.up.sql:1)',
    ],
    ['PRAGMA', 'SELECT 1;\nPRAGMA foreign_keys = off;', 'sqlite', 'SQL uses PRAGMA (db/1_init.up.sql:2)'],
    [
      'backticks and AUTOINCREMENT',
      'CREATE TABLE `t` (id INTEGER PRIMARY KEY AUTOINCREMENT);',
      'sqlite',
      'SQL uses AUTOINCREMENT (db/1_init.up.sql:1)',
    ],
  ])('%s: %s', (_, sql, dialect, reason) => {
    expect(dialectOf({ 'db/1_init.up.sql': sql })).toEqual([{ root: 'db', dialect, reason, migrations: [dialect] }]);
  });

  it('words in strings, comments, quoted names or other statements are no markers', () => {
    const sql = [
      '-- PRAGMA, AUTO_INCREMENT and `backticks` in a comment',
      "COMMENT ON TABLE t IS 'ENGINE=InnoDB AUTOINCREMENT';",
      'ALTER TABLE t ADD COLUMN "auto_increment" int;',
      "UPDATE machines SET engine = 'v8';",
    ].join('\n');
    expect(dialectOf({ 'db/1_init.up.sql': sql })).toEqual([
      { root: 'db', dialect: 'postgresql', reason: DEFAULT, migrations: ['postgresql'] },
    ]);
  });

  it('a MySQL string escaping its quote with a backslash does not hide the markers of the next statements', () => {
    const sql = "INSERT INTO t VALUES ('it\\'s');\nCREATE TABLE u (id int AUTO_INCREMENT PRIMARY KEY);";
    expect(dialectOf({ 'db/1_init.up.sql': sql })[0]).toMatchObject({
      dialect: 'mysql',
      reason: 'SQL uses AUTO_INCREMENT (db/1_init.up.sql:2)',
    });
  });

  it('when both are used, the dialect more statements use wins, and the reason names the other', () => {
    const sets = dialectOf({
      'db/1_a.up.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);',
      'db/2_b.up.sql': 'PRAGMA foreign_keys = off;',
      'db/3_c.up.sql': 'CREATE TABLE c (id int AUTO_INCREMENT);',
    });
    expect(sets[0]).toMatchObject({
      dialect: 'sqlite',
      reason: 'SQL uses AUTOINCREMENT (db/1_a.up.sql:1); also AUTO_INCREMENT (db/3_c.up.sql:1), fewer statements',
    });
  });
});

describe('the dialect of a set, from config', () => {
  it('pop reads the dialect from its file names, one set per dialect', () => {
    const sets = dialectOf({
      'migrations/20200101000000_init.mysql.up.sql': 'CREATE TABLE t (id int);',
      'migrations/20200101000000_init.sqlite3.up.sql': 'CREATE TABLE t (id int);',
    });
    expect(sets.map((s) => [s.dialect, s.reason])).toEqual([
      ['mysql', 'file names *.mysql.up.sql'],
      ['sqlite', 'file names *.sqlite3.up.sql'],
    ]);
  });

  const rails = { 'db/migrate/20240101000000_create_users.rb': 'class CreateUsers < ActiveRecord::Migration[7.1]\nend\n' };
  it('Rails: config/database.yml, or else the sample the project ships in its place', () => {
    expect(dialectOf({ ...rails, 'config/database.yml.sample': 'development:\n  primary:\n    adapter: sqlite3\n' })[0]).toMatchObject({
      dialect: 'sqlite',
      reason: 'config/database.yml.sample adapter: sqlite3',
    });
    expect(dialectOf({ ...rails, 'config/database.yml.example': 'production:\n  adapter: mysql2\n' })[0]).toMatchObject({
      dialect: 'mysql',
      reason: 'config/database.yml.example adapter: mysql2',
    });
    expect(
      dialectOf({
        ...rails,
        'config/database.yml': 'development:\n  adapter: postgresql\n',
        'config/database.yml.sample': 'development:\n  adapter: sqlite3\n',
      })[0],
    ).toMatchObject({ dialect: 'postgresql', reason: 'config/database.yml adapter: postgresql' });
  });

  it('a sample config gives way to the configured default (it is only an example)', () => {
    expect(
      dialectOf(
        { ...rails, 'config/database.yml.sample': 'development:\n  adapter: sqlite3\n' },
        { dialect: 'mysql', dialectSource: '--dialect' },
      )[0],
    ).toMatchObject({ dialect: 'mysql', reason: '--dialect' });
  });

  const knexMigration = 'exports.up = (knex) => knex.schema.createTable("t", (t) => { t.increments(); });\nexports.down = () => {};\n';
  it('Knex: the knexfile’s client, read as a literal', () => {
    expect(
      dialectOf({ 'knexfile.js': "module.exports = { client: 'better-sqlite3' };", 'migrations/20240101_init.js': knexMigration })[0],
    ).toMatchObject({
      dialect: 'sqlite',
      reason: 'knexfile.js client: better-sqlite3',
    });
  });

  const typeormMigration =
    'export class Init1700000000000 { async up(queryRunner) { await queryRunner.query("CREATE TABLE t (id int)"); } async down(queryRunner) {} }\n';
  it.each([
    ['ormconfig.json', '{ "type": "mariadb" }', 'mysql', 'ormconfig.json type: mariadb'],
    [
      'data-source.ts',
      "export const AppDataSource = new DataSource({ type: 'sqlite', database: 'x.db' });",
      'sqlite',
      'data-source.ts type: sqlite',
    ],
  ])('TypeORM: %s', (file, text, dialect, reason) => {
    expect(dialectOf({ [file]: text, 'src/migrations/1700000000000-Init.ts': typeormMigration })[0]).toMatchObject({ dialect, reason });
  });

  it('the framework’s own config wins over the folder name; the folder name over the configured default', () => {
    const knexfile = { 'knexfile.js': "module.exports = { client: 'pg' };" };
    expect(dialectOf({ ...knexfile, 'mysql/migrations/20240101_init.js': knexMigration })[0]).toMatchObject({
      dialect: 'postgresql',
      reason: 'knexfile.js client: pg',
    });
    expect(dialectOf({ 'mysql/1_init.up.sql': 'SELECT 1;' }, { dialect: 'sqlite' })[0]).toMatchObject({ dialect: 'mysql' });
  });

  it('the configured default wins over what the SQL suggests', () => {
    expect(
      dialectOf(
        { 'db/1_init.up.sql': 'CREATE TABLE `t` (id int);' },
        { dialect: 'sqlite', dialectSource: 'twoway.config.yaml dialect' },
      )[0],
    ).toMatchObject({
      dialect: 'sqlite',
      reason: 'twoway.config.yaml dialect',
    });
  });

  it('a `dialects` entry of the config wins over everything, for the sets in its folder and below', () => {
    const sets = dialectOf(
      {
        'knexfile.js': "module.exports = { client: 'pg' };",
        'app/migrations/20240101_init.js': knexMigration,
        'legacy/mysql/1_init.up.sql': 'SELECT 1;',
        'other/1_init.up.sql': 'SELECT 1;',
      },
      {
        dialects: [
          { folder: 'app', dialect: 'sqlite', source: 'twoway.config.yaml dialects' },
          { folder: 'legacy', dialect: 'postgresql', source: 'x.yaml dialects' },
        ],
      },
    );
    expect(sets.map((s) => [s.root, s.dialect, s.reason, s.migrations])).toEqual([
      ['app/migrations', 'sqlite', 'twoway.config.yaml dialects: app', ['sqlite']],
      ['legacy/mysql', 'postgresql', 'x.yaml dialects: legacy', ['postgresql']],
      ['other', 'postgresql', DEFAULT, ['postgresql']],
    ]);
  });

  it('nothing naming a dialect is PostgreSQL, and the reason says it is the default', () => {
    expect(discoverTree({ 'db/1_init.up.sql': 'CREATE TABLE t (id int);' }).sets[0]).toMatchObject({
      dialect: 'postgresql',
      dialectReason: DEFAULT,
    });
  });
});

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = [resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((p) => existsSync(p));

describe.skipIf(!corpus)(`the real corpus${corpus ? '' : ' (skipped: no ../shared/corpus)'}`, () => {
  const setsOf = (project: string) => {
    const cwd = join(corpus as string, project);
    if (!existsSync(cwd)) return null;
    return discover(['.'], { cwd }).sets.map((s) => [s.root, s.dialect, s.dialectReason]);
  };

  it.each([
    [
      'apps/FlowiseAI__Flowise',
      [
        ['packages/server/src/database/migrations/mariadb', 'mysql', 'folder mariadb/'],
        ['packages/server/src/database/migrations/mysql', 'mysql', 'folder mysql/'],
        ['packages/server/src/database/migrations/postgres', 'postgresql', 'folder postgres/'],
        // Each dialect's index.ts imports the enterprise migrations of that dialect: one list, as TypeORM runs it.
        ['packages/server/src/database/migrations/sqlite', 'sqlite', 'folder sqlite/'],
      ],
    ],
    [
      'apps/requarks__wiki',
      [
        ['server/db/beta/migrations', 'postgresql', DEFAULT],
        ['server/db/beta/migrations-sqlite', 'sqlite', 'folder migrations-sqlite/'],
        ['server/db/migrations', 'postgresql', DEFAULT],
        ['server/db/migrations-sqlite', 'sqlite', 'folder migrations-sqlite/'],
      ],
    ],
    ['apps/lobsters__lobsters', [['db', 'sqlite', 'config/database.yml.sample adapter: sqlite3']]],
    ['mysql/openfga__openfga', [['assets/migrations/mysql', 'mysql', 'folder mysql/']]],
    ['sqlite/openfga__openfga', [['assets/migrations/sqlite', 'sqlite', 'folder sqlite/']]],
    ['mysql/ory__kratos', [['persistence/sql/migrations/sql', 'mysql', 'file names *.mysql.up.sql']]],
  ])('%s', (project, expected) => {
    const sets = setsOf(project);
    if (sets) expect(sets).toEqual(expected);
  });

  it('uptime-kuma: the old patch files are SQLite by their SQL, and the knex migrations beside them take it', () => {
    const sets = setsOf('apps/louislam__uptime-kuma');
    if (!sets) return;
    expect(sets).toEqual([
      ['db/knex_migrations', 'sqlite', expect.stringMatching(/^sibling set db\/old_migrations is sqlite \(SQL uses/)],
      [
        'db/old_migrations',
        'sqlite',
        expect.stringMatching(/^SQL uses (AUTOINCREMENT|PRAGMA) \(db\/old_migrations\/patch[^:]*\.sql:\d+\)$/),
      ],
    ]);
  });

  it('temporal: every versioned set under schema/mysql, schema/sqlite, schema/postgresql is read by its folder', () => {
    for (const [kind, dialect] of [
      ['mysql', 'mysql'],
      ['sqlite', 'sqlite'],
      ['pg', 'postgresql'],
    ] as const) {
      const sets = setsOf(`${kind}/temporalio__temporal`);
      if (!sets) continue;
      expect(sets.length).toBeGreaterThan(1);
      for (const [root, d, reason] of sets)
        expect([root, d, reason]).toEqual([root, dialect, expect.stringMatching(/^folder (mysql|sqlite|postgresql)\/$/)]);
    }
  });
});
