import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../discover/index.js';
import { describeOps, notesOf, parseSource } from './js/testing.js';
import { nodePgMigrate } from './node-pg-migrate.js';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('node-pg-migrate: operations', () => {
  it('createTable with the id shorthand, type strings, defaults, references and table constraints', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `exports.up = (pgm) => {
  pgm.createTable('orders', {
    id: 'id',
    code: { type: 'varchar(20)', notNull: true, unique: true },
    user_id: { type: 'integer', references: 'users(id)', onDelete: 'CASCADE' },
    total: { type: 'numeric(10,2)', notNull: true, default: 0 },
    placed_at: { type: 'timestamptz', default: pgm.func('now()') },
    note: 'text',
    flag: { type: 'bool', default: false },
  }, { constraints: { unique: [['user_id', 'code']] } });
};`,
    );
    expect(describeOps(p.up)).toEqual([
      'CreateTable orders (id serial NOT NULL DEFAULT nextval(<serial sequence>) PK, code varchar(20) NOT NULL UNIQUE, user_id integer REFERENCES users(id), total numeric(10,2) NOT NULL DEFAULT 0, placed_at timestamptz DEFAULT now(), note text, flag boolean DEFAULT false) @2:3',
    ]);
    const t = p.up[0];
    expect(t?.kind === 'CreateTable' && t.constraints.map((c) => `${c.type}(${c.columns})`)).toEqual([
      'primary-key(id)',
      'unique(code)',
      'foreign-key(user_id)',
      'unique(user_id,code)',
    ]);
  });

  it('columns, indexes, constraints, types and SQL map to IR at their call', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `export const up = (pgm) => {
  pgm.addColumns('users', { nick: { type: 'text' }, age: { type: 'int', notNull: true, default: 0 } });
  pgm.renameColumn('users', 'name', 'full_name');
  pgm.alterColumn('users', 'email', { type: 'citext', notNull: true });
  pgm.alterColumn('users', 'bio', { default: null, allowNull: true });
  pgm.createIndex('users', ['org_id', 'email'], { unique: true, concurrently: true });
  pgm.addIndex('users', 'age', { name: 'users_age' });
  pgm.dropIndex('users', 'age', { name: 'users_age' });
  pgm.addConstraint('users', 'users_age_check', 'CHECK (age >= 0)');
  pgm.addConstraint('users', 'users_org_fk', { foreignKeys: { columns: 'org_id', references: 'orgs(id)' } });
  pgm.dropConstraint('users', 'old_check');
  pgm.createType('mood', ['sad', 'ok']);
  pgm.addTypeValue('mood', 'happy', { after: 'ok' });
  pgm.renameTable('users', 'people');
  pgm.sql('UPDATE people SET age = 0 WHERE age IS NULL');
  pgm.dropColumns('people', ['legacy']);
  pgm.dropTable('tmp', { ifExists: true });
  pgm.createExtension('citext', { ifNotExists: true });
};`,
    );
    expect(describeOps(p.up)).toEqual([
      'AddColumn users.nick text @2:3',
      'AddColumn users.age integer NOT NULL DEFAULT 0 @2:3',
      'RenameColumn users.name -> full_name @3:3',
      'AlterColumnType users.email citext @4:3',
      'SetNotNull users.email @4:3',
      'SetDefault users.bio DROP @5:3',
      'DropNotNull users.bio @5:3',
      'AddIndex users_org_id_email_unique_index on users(org_id,email) unique concurrently @6:3',
      'AddIndex users_age on users(age) @7:3',
      'DropIndex users_age @8:3',
      'AddConstraint check users_age_check on users(age) age >= 0 @9:3',
      'AddConstraint foreign-key users_org_fk on users(org_id) -> orgs(id) @10:3',
      'DropConstraint old_check on users @11:3',
      'CreateEnum mood (sad,ok) @12:3',
      'AlterEnum mood add happy @13:3',
      'RenameTable users -> people @14:3',
      'DataChange update people(age) where @15:12',
      'DropColumn people.legacy @16:3',
      'DropTable tmp @17:3',
      'Raw pgm.createExtension @18:3',
    ]);
  });

  it('pgm.noTransaction() runs the migration outside a transaction', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `exports.up = (pgm) => { pgm.noTransaction(); pgm.addIndex('t', 'a', { concurrently: true }); };`,
    );
    expect(p.migration.transactional).toBe(false);
  });
});

describe('node-pg-migrate: downs', () => {
  it('without a down, node-pg-migrate derives it: reversed calls in reverse order', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `exports.up = (pgm) => {
  pgm.createTable('a', { id: 'id' });
  pgm.addColumns('b', { c: 'text' });
  pgm.renameColumn('b', 'x', 'y');
  pgm.createIndex('b', 'c');
  pgm.dropColumns('b', { legacy: { type: 'text' } });
};`,
    );
    expect(p.downStatus).toBe('derived');
    expect(describeOps(p.down)).toEqual([
      'AddColumn b.legacy text @6:3',
      'DropIndex b_c_index @5:3',
      'RenameColumn b.y -> x @4:3',
      'DropColumn b.c @3:3',
      'DropTable a @2:3',
    ]);
    expect(p.notes).toEqual([]);
  });

  it('without a down, an operation node-pg-migrate cannot reverse leaves no down and a warning at that call', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `exports.up = (pgm) => {
  pgm.addColumns('b', { c: 'text' });
  pgm.sql('UPDATE b SET c = 1');
  pgm.dropColumns('b', 'legacy');
};`,
    );
    expect(p.downStatus).toBe('none');
    expect(p.down).toBeNull();
    expect(notesOf(p).map((n) => n.slice(0, n.indexOf(' has no')))).toEqual([
      'framework-cannot-reverse @3:3 node-pg-migrate cannot derive the down of this migration: pgm.sql',
      "framework-cannot-reverse @4:3 node-pg-migrate cannot derive the down of this migration: pgm.dropColumns without the columns' definitions",
    ]);
  });

  it('exports.down = false declares the migration irreversible; a written down is read', async () => {
    const declared = await parseSource(nodePgMigrate, `exports.up = (pgm) => { pgm.sql('DELETE FROM t'); };\nexports.down = false;`);
    expect(declared.downStatus).toBe('irreversible');
    expect(declared.down).toBeNull();
    expect(declared.notes).toEqual([]);
    const written = await parseSource(
      nodePgMigrate,
      `import { MigrationBuilder } from 'node-pg-migrate';
export async function up(pgm: MigrationBuilder): Promise<void> { pgm.addColumn('t', { c: 'text' }); }
export async function down(pgm: MigrationBuilder): Promise<void> { pgm.dropColumn('t', 'c'); }`,
      { path: 'migrations/1700000000000_x.ts' },
    );
    expect(written.downStatus).toBe('written');
    expect(describeOps(written.down)).toEqual(['DropColumn t.c @3:68']);
  });

  it('column definitions built at run time are not analyzed', async () => {
    const p = await parseSource(nodePgMigrate, `const cols = makeColumns();\nexports.up = (pgm) => { pgm.addColumns('t', cols); };`);
    expect(notesOf(p)[0]).toContain('not-analyzed @2:25 not analyzed: column definitions built at run time');
  });
});

describe('node-pg-migrate: SQL migrations and discovery', () => {
  it('finds JS, TS and SQL migrations in the example folder, in order, as PostgreSQL', () => {
    const found = discover(['examples/node-pg-migrate'], { cwd: repoRoot });
    expect(found.errors).toEqual([]);
    expect(found.sets.map((s) => [s.framework, s.dialect])).toEqual([['node-pg-migrate', 'postgresql']]);
    const migrations = found.sets[0]?.migrations ?? [];
    expect(migrations.map((m) => `${m.id} ${m.up.language}`)).toEqual([
      '1704445200000 javascript',
      '1705055400000 sql',
      '1705755000000 typescript',
      '1706785200000 javascript',
      '1707552000000 javascript',
      '1709283600000 javascript',
    ]);
  });

  it('splits a SQL file at its -- Up Migration / -- Down Migration markers, keeping file lines', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `-- Up Migration
ALTER TABLE t ADD COLUMN c text;

-- Down Migration
ALTER TABLE t DROP COLUMN c;
`,
      { path: 'migrations/1700000000000_c.sql' },
    );
    // parseSource hands the whole file as the up: the adapter's detect splits sections, see the example set.
    expect(p.up.map((o) => o.kind)).toEqual(['AddColumn', 'DropColumn']);
    const found = discover(['examples/node-pg-migrate/migrations/1705055400000_add-orders-shipped-at.sql'], { cwd: repoRoot });
    const m = found.sets[0]?.migrations[0];
    expect(m?.up.startLine).toBe(1);
    expect(m?.down).toBeNull();
  });
});

describe('node-pg-migrate: transactions per direction', () => {
  it('pgm.noTransaction() in the down only: the up runs in a transaction, the down outside it', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `exports.up = (pgm) => { pgm.addIndex('t', 'a'); };
exports.down = (pgm) => { pgm.noTransaction(); pgm.dropIndex('t', 'a', { concurrently: true }); };`,
    );
    expect(p.migration.transactional).toBe(true);
    expect(p.down?.map((o) => (o.kind === 'Transaction' ? o.action : o.kind))).toEqual(['commit', 'DropIndex', 'begin']);
  });

  it('pgm.noTransaction() in the up only: the down is wrapped in its own transaction', async () => {
    const p = await parseSource(
      nodePgMigrate,
      `exports.up = (pgm) => { pgm.noTransaction(); pgm.addIndex('t', 'a', { concurrently: true }); };
exports.down = (pgm) => { pgm.dropIndex('t', 'a'); };`,
    );
    expect(p.migration.transactional).toBe(false);
    expect(p.down?.map((o) => (o.kind === 'Transaction' ? o.action : o.kind))).toEqual(['begin', 'DropIndex', 'commit']);
  });
});
