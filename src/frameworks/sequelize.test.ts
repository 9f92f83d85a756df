import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { discover } from '../discover/index.js';
import { corpusApp, describeOps, notesOf, parseSource } from './js/testing.js';
import { sequelize } from './sequelize.js';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('sequelize: queryInterface', () => {
  it('createTable with Sequelize data types, defaults, references; ENUM creates its type first', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('orders', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      code: { type: Sequelize.STRING(20), allowNull: false, unique: true },
      name: Sequelize.STRING,
      total: { type: Sequelize.DECIMAL(10, 2), defaultValue: 0 },
      state: { type: Sequelize.ENUM('new', 'paid'), defaultValue: 'new' },
      tags: { type: Sequelize.ARRAY(Sequelize.TEXT) },
      token: { type: Sequelize.UUID, defaultValue: Sequelize.UUIDV4 },
      user_id: { type: Sequelize.INTEGER, references: { model: 'users', key: 'id' } },
      created_at: { type: Sequelize.DATE, allowNull: false, defaultValue: Sequelize.literal('CURRENT_TIMESTAMP') },
    });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('orders');
  },
};`,
    );
    expect(describeOps(p.up)).toEqual([
      'CreateEnum enum_orders_state (new,paid) @3:11',
      "CreateTable orders (id serial NOT NULL DEFAULT nextval(<serial sequence>) PK, code varchar(20) NOT NULL UNIQUE, name varchar(255), total numeric(10,2) DEFAULT 0, state enum_orders_state DEFAULT 'new', tags text[], token uuid, user_id integer REFERENCES users(id), created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP) @3:11",
    ]);
    expect(describeOps(p.down)).toEqual(['DropTable orders @16:11']);
  });

  it('column, index and constraint calls map to IR with the names Sequelize gives them', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.addColumn('users', 'nick', { type: Sequelize.STRING(30) });
    await queryInterface.removeColumn('users', 'legacy');
    await queryInterface.renameColumn('users', 'name', 'full_name');
    await queryInterface.changeColumn('users', 'age', { type: Sequelize.BIGINT, allowNull: false, defaultValue: 0 });
    await queryInterface.addIndex('users', ['org_id', 'email'], { unique: true, concurrently: true });
    await queryInterface.addIndex('users', { fields: ['nick'], name: 'users_nick' });
    await queryInterface.removeIndex('users', 'users_old');
    await queryInterface.addConstraint('users', { fields: ['org_id'], type: 'foreign key', references: { table: 'orgs', field: 'id' } });
    await queryInterface.addConstraint('users', { fields: ['email'], type: 'unique', name: 'users_email_uk' });
    await queryInterface.removeConstraint('users', 'users_team_fk');
    await queryInterface.renameTable('users', 'people');
  },
};`,
    );
    expect(describeOps(p.up)).toEqual([
      'AddColumn users.nick varchar(30) @3:11',
      'DropColumn users.legacy @4:11',
      'RenameColumn users.name -> full_name @5:11',
      'SetNotNull users.age @6:11',
      'SetDefault users.age 0 @6:11',
      'AlterColumnType users.age bigint @6:11',
      'AddIndex users_org_id_email on users(org_id,email) unique concurrently @7:11',
      'AddIndex users_nick on users(nick) @8:11',
      'DropIndex users_old @9:11',
      'AddConstraint foreign-key users_org_id_orgs_fk on users(org_id) -> orgs(id) @10:11',
      'AddConstraint unique users_email_uk on users(email) @11:11',
      'DropConstraint users_team_fk on users @12:11',
      'RenameTable users -> people @13:11',
    ]);
    expect(p.downStatus).toBe('none');
  });

  it('changeColumn without allowNull: false or defaultValue drops NOT NULL and the default, as Sequelize does', async () => {
    const p = await parseSource(sequelize, `module.exports = { up: (qi, S) => qi.changeColumn('t', 'c', { type: S.TEXT }) };`);
    expect(describeOps(p.up)).toEqual(['DropNotNull t.c @1:35', 'SetDefault t.c DROP @1:35', 'AlterColumnType t.c text @1:35']);
  });

  it('changeColumn with references adds the foreign key (PostgreSQL names it) and changes neither type nor nullability', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = { up: (qi, S) => qi.changeColumn('notifications', 'userId', { type: S.UUID, onDelete: 'cascade', references: { model: 'users' } }) };`,
    );
    expect(describeOps(p.up)).toEqual(['AddConstraint foreign-key notifications_userId_fkey on notifications(userId) -> users(id) @1:35']);
  });

  it('sequelize.query SQL, bulk writes and transactions', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.transaction(async (t) => {
      await queryInterface.sequelize.query('ALTER TABLE users ADD COLUMN age int', { transaction: t });
      await queryInterface.bulkInsert('roles', [{ name: 'admin' }], { transaction: t });
      await queryInterface.bulkUpdate('users', { age: 0 }, { age: null }, { transaction: t });
      await queryInterface.bulkDelete('sessions', null, { transaction: t });
    });
  },
  async down() {
    throw new Error('irreversible');
  },
};`,
    );
    expect(describeOps(p.up)).toEqual([
      'Transaction @3:11',
      'AddColumn users.age int4 @4:45',
      'DataChange insert roles @5:13',
      'DataChange update users(age) where @6:13',
      'DataChange delete sessions @7:13',
      'Transaction @3:11',
    ]);
    expect(p.up.flatMap((o) => (o.kind === 'Transaction' ? [o.action] : []))).toEqual(['begin', 'commit']);
    expect(p.downStatus).toBe('irreversible');
  });

  it('types and tables known only at run time are not analyzed', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn(tableName(), 'c', Sequelize.TEXT);
    await queryInterface.addColumn('t', 'c', { type: customType });
  },
};`,
    );
    expect(notesOf(p).map((n) => n.slice(0, n.indexOf(';')))).toEqual([
      'not-analyzed @3:11 not analyzed: queryInterface.addColumn on a table known only at run time',
      'not-analyzed @4:11 not analyzed: the type of t.c',
    ]);
  });
});

describe('sequelize: dropAllTables in a down', () => {
  it('drops, with CASCADE, the tables the up made, last made first, but those in skip (outline 20160619080644-initial)', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.createTable('teams', { id: { type: Sequelize.UUID, primaryKey: true } });
    await queryInterface.createTable('users', { id: { type: Sequelize.UUID, primaryKey: true }, teamId: { type: Sequelize.UUID } });
    await queryInterface.createTable('notes', { id: { type: Sequelize.UUID, primaryKey: true } });
  },
  down: async (queryInterface) => {
    await queryInterface.dropAllTables({ skip: ['notes'] });
  },
};`,
    );
    expect(describeOps(p.down)).toEqual(['DropTable users @8:11', 'DropTable teams @8:11']);
    expect(p.down?.every((o) => o.kind === 'DropTable' && o.cascade)).toBe(true);
  });

  it('with nothing made by the up, what it drops is not known: not analyzed', async () => {
    const p = await parseSource(
      sequelize,
      'module.exports = { up: async () => {}, down: async (queryInterface) => { await queryInterface.dropAllTables(); } };',
    );
    expect(notesOf(p)).toHaveLength(1);
  });
});

describe('sequelize: as sequelize-cli runs it', () => {
  const outline = corpusApp('outline__outline');

  it('a migration runs outside a transaction: CREATE INDEX CONCURRENTLY is allowed there', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex('revisions', ['createdAt'], { concurrently: true });
  },
};`,
    );
    expect(p.migration.transactional).toBe(false);
    expect(describeOps(p.up)).toEqual(['AddIndex revisions_created_at on revisions(createdAt) concurrently @3:11']);
  });

  it('inside sequelize.transaction(), a call that does not pass the transaction runs outside it', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.addColumn('teams', 'slug', { type: Sequelize.STRING }, { transaction });
      await queryInterface.addIndex('teams', ['slug'], { concurrently: true });
    });
  },
};`,
    );
    expect(p.up.map((o) => (o.kind === 'Transaction' ? o.action : o.kind))).toEqual([
      'begin',
      'AddColumn',
      'commit',
      'AddIndex',
      'begin',
      'commit',
    ]);
  });

  it('an unmanaged transaction (transaction(); … commit()) begins and ends where the migration says', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = {
  async up(queryInterface) {
    const transaction = await queryInterface.sequelize.transaction();
    try {
      await queryInterface.removeColumn('users', 'legacy', { transaction });
      await transaction.commit();
    } catch (err) {
      await transaction.rollback();
      throw err;
    }
  },
};`,
    );
    expect(p.up.map((o) => (o.kind === 'Transaction' ? o.action : o.kind))).toEqual(['begin', 'DropColumn', 'commit']);
    expect(notesOf(p)).toEqual([]);
  });

  it.each([
    ["addIndex('teams', ['googleId'])", 'teams_google_id'],
    ["addIndex('user_permissions', ['sourceId', 'userId'])", 'user_permissions_source_id_user_id'],
    ["addIndex('documents', { fields: ['collectionId'] })", 'documents_collection_id'],
  ])('Sequelize names %s %s (Utils.nameIndex underscores it)', async (call, name) => {
    const p = await parseSource(sequelize, `module.exports = { async up(q) { await q.${call}; } };`);
    expect(p.up[0]?.kind === 'AddIndex' && p.up[0].name).toBe(name);
  });

  it('removeIndex by fields drops the index addIndex named', async () => {
    const p = await parseSource(
      sequelize,
      `module.exports = { async up(q) { await q.addIndex('teams', ['googleId']); }, async down(q) { await q.removeIndex('teams', ['googleId']); } };`,
    );
    expect(describeOps(p.down)).toEqual(['DropIndex teams_google_id @1:100']);
    // Sequelize 6 writes DROP INDEX IF EXISTS on PostgreSQL: a removeIndex after the table's dropTable does not fail.
    expect(p.down?.[0]?.kind === 'DropIndex' && p.down[0].ifExists).toBe(true);
  });

  it.skipIf(!outline)('outline: a down removing constraints under names Sequelize 6 never gives them fails (real files)', async () => {
    const result = await check(['server/migrations'], { cwd: outline as string });
    const of = (file: string) => result.sets[0]?.reports.find((r) => r.parsed.migration.path.endsWith(file));
    // changeColumn unique: true is ADD UNIQUE, named users_slackId_key by PostgreSQL; references are ADD FOREIGN KEY, _fkey.
    for (const file of ['20170712072234-uniq-slack-id.js', '20170827182423-improve-references.js']) {
      expect(of(file)?.dbRollback).toBe('lossy');
      expect(of(file)?.findings.map((f) => f.rule)).toContain('down-references-missing');
    }
  });

  it.skipIf(!outline)('outline: the concurrent index migration runs outside a transaction (real file)', async () => {
    const result = await check(['server/migrations'], { cwd: outline as string });
    const report = result.sets[0]?.reports.find((r) => r.parsed.migration.path.endsWith('20250907220205-add-missing-indexes.js'));
    expect(report?.findings.map((f) => f.rule)).not.toContain('concurrently-in-transaction');
    expect(report?.parsed.up.map((o) => (o.kind === 'AddIndex' ? o.name : o.kind))).toEqual([
      'revisions_created_at',
      'user_permissions_source_id',
    ]);
  });
});

describe('sequelize: discovery', () => {
  it('finds the example set in file-name order with the dialect of config/config.json', () => {
    const found = discover(['examples/sequelize'], { cwd: repoRoot });
    expect(found.errors).toEqual([]);
    expect(found.sets.map((s) => [s.framework, s.dialect, s.root])).toEqual([['sequelize', 'postgresql', 'examples/sequelize/migrations']]);
    expect(found.sets[0]?.migrations.map((m) => m.id)).toEqual([
      '20240105090000',
      '20240112103000',
      '20240120140000',
      '20240201110000',
      '20240210080000',
      '20240301090000',
    ]);
  });

  it('tells frameworks apart by the API a migration calls, not by the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-js-'));
    try {
      mkdirSync(join(dir, 'config'));
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'config', 'config.json'), JSON.stringify({ development: { dialect: 'sqlite' } }));
      const files: Record<string, string> = {
        '20240101-a.js': `module.exports = { up: (db) => db.removeColumn('t', 'c') };`,
        '20240102-b.js': `exports.up = (db) => db.schema.dropTable('t');`,
        '20240103-c.js': `exports.up = (db) => { db.sql('SELECT 1'); };`,
        '20240104-d.js': `module.exports = class D1700000000000 { async up(q) { await q.query('SELECT 1'); } async down() {} };`,
        '20240105-helper.js': `module.exports = { slugify: (s) => s };`,
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'migrations', name), text);
      const found = discover(['.'], { cwd: dir });
      expect(found.sets.map((s) => [s.framework, s.dialect, s.migrations.map((m) => m.path)])).toEqual([
        ['knex', 'postgresql', ['migrations/20240102-b.js']],
        ['node-pg-migrate', 'postgresql', ['migrations/20240103-c.js']],
        ['typeorm', 'postgresql', ['migrations/20240104-d.js']],
        ['sequelize', 'sqlite', ['migrations/20240101-a.js']],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JS migration folders: files no framework can claim', () => {
  it('an up that calls nothing telling joins its neighbours; alone, it is reported instead of skipped silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-js-'));
    try {
      mkdirSync(join(dir, 'a', 'migrations'), { recursive: true });
      mkdirSync(join(dir, 'b', 'migrations'), { recursive: true });
      writeFileSync(
        join(dir, 'a', 'migrations', '20240101-create.js'),
        `exports.up = (db) => db.schema.createTable('t', (t) => t.increments());`,
      );
      writeFileSync(join(dir, 'a', 'migrations', '20240102-seed.js'), `exports.up = (db) => db('t').insert({ id: 1 });`);
      writeFileSync(join(dir, 'b', 'migrations', '20240101-seed.js'), `exports.up = (db) => db('t').insert({ id: 1 });`);
      const found = discover(['.'], { cwd: dir });
      expect(found.sets.map((s) => [s.framework, s.migrations.map((m) => m.path)])).toEqual([
        ['knex', ['a/migrations/20240101-create.js', 'a/migrations/20240102-seed.js']],
      ]);
      expect(found.errors).toMatchObject([{ path: 'b/migrations/20240101-seed.js', line: 1 }]);
      expect(found.errors[0]?.message).toContain('calls no API twoway recognises');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
