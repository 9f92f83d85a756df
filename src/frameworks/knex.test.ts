import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { discover } from '../discover/index.js';
import { idAndName } from './js/discover.js';
import { corpusApp, describeOps, notesOf, parseSource } from './js/testing.js';
import { knex } from './knex.js';
import { checkTree } from './testing.js';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('knex: schema builder', () => {
  it('createTable: column builders, modifiers, inline foreign keys, indexes after the table', async () => {
    const p = await parseSource(
      knex,
      `exports.up = async function (knex) {
  await knex.schema.createTable('orders', (table) => {
    table.increments('id');
    table.string('code', 50).notNullable().defaultTo('x').unique();
    table.integer('user_id').references('id').inTable('users').onDelete('CASCADE');
    table.bigInteger('cents').notNullable().defaultTo(0);
    table.decimal('total', 10, 2);
    table.boolean('paid').defaultTo(false);
    table.text('note');
    table.jsonb('meta');
    table.uuid('token').defaultTo(knex.raw('gen_random_uuid()'));
    table.specificType('tags', 'text[]');
    table.timestamps(true, true);
    table.string('email').index();
  });
};
exports.down = (knex) => knex.schema.dropTable('orders');`,
    );
    expect(describeOps(p.up)).toEqual([
      "CreateTable orders (id serial NOT NULL DEFAULT nextval(<serial sequence>) PK, code varchar(50) NOT NULL DEFAULT 'x' UNIQUE, user_id integer REFERENCES users(id), cents bigint NOT NULL DEFAULT 0, total numeric(10,2), paid boolean DEFAULT false, note text, meta jsonb, token uuid DEFAULT gen_random_uuid(), tags text[], created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP, email varchar(255)) @2:9",
      'AddIndex orders_email_index on orders(email) @14:5',
    ]);
    const create = p.up[0];
    expect(create?.kind === 'CreateTable' && create.constraints.map((c) => `${c.type}(${c.columns})`)).toEqual([
      'primary-key(id)',
      'unique(code)',
      'foreign-key(user_id)',
    ]);
    expect(create?.kind === 'CreateTable' && create.columns.find((c) => c.name === 'token')?.default?.volatile).toBe(true);
    expect(create?.span).toMatchObject({ line: 2, column: 9, endLine: 15, endColumn: 5 });
    expect(describeOps(p.down)).toEqual(['DropTable orders @17:26']);
    expect(p.downStatus).toBe('written');
    expect(p.notes).toEqual([]);
  });

  it('alterTable: add, drop, rename, nullability, indexes and constraints with the names Knex gives them', async () => {
    const p = await parseSource(
      knex,
      `exports.up = (knex) =>
  knex.schema.alterTable('users', (t) => {
    t.string('nick', 30);
    t.dropColumn('legacy');
    t.dropColumns('a', 'b');
    t.renameColumn('name', 'full_name');
    t.setNullable('email');
    t.dropNullable('phone');
    t.index(['org_id', 'created_at']);
    t.unique(['email'], { indexName: 'users_email_key' });
    t.foreign('org_id').references('orgs.id');
    t.dropIndex(['org_id']);
    t.dropForeign('team_id');
    t.dropUnique(['nick']);
    t.string('email').unique();
  });`,
    );
    expect(describeOps(p.up)).toEqual([
      'AddColumn users.nick varchar(30) @3:5',
      'DropColumn users.legacy @4:5',
      'DropColumn users.a @5:5',
      'DropColumn users.b @5:5',
      'RenameColumn users.name -> full_name @6:5',
      'DropNotNull users.email @7:5',
      'SetNotNull users.phone @8:5',
      'AddIndex users_org_id_created_at_index on users(org_id,created_at) @9:5',
      'AddConstraint unique users_email_key on users(email) @10:5',
      'AddConstraint foreign-key users_org_id_foreign on users(org_id) -> orgs(id) @11:5',
      'DropIndex users_org_id_index @12:5',
      'DropConstraint users_team_id_foreign on users @13:5',
      'DropConstraint users_nick_unique on users @14:5',
      'AddColumn users.email varchar(255) @15:5',
      'AddConstraint unique users_email_unique on users(email) @15:5',
    ]);
    expect(p.downStatus).toBe('none');
    expect(p.down).toBeNull();
  });

  it('an index predicate given as knex.whereRaw is the partial index WHERE; one built otherwise is not analyzed', async () => {
    const p = await parseSource(
      knex,
      `exports.up = (knex) =>
  knex.schema.alterTable('heartbeat', (t) => {
    t.index(['monitor_id', 'time'], 'monitor_important_time_index', { predicate: knex.whereRaw('important = 1') });
    t.index(['important'], 'heartbeat_important_index', { predicate: knex.whereNotNull('important') });
  });`,
    );
    const partial = p.up.find((op) => op.kind === 'AddIndex');
    expect(partial && partial.kind === 'AddIndex' && partial.where).toBe('important = 1');
    expect(p.up.filter((op) => op.kind === 'AddIndex')).toHaveLength(1);
    expect(notesOf(p)).toEqual([expect.stringContaining('table.index with a predicate built at run time')]);
  });

  it('alter(): a type change, the default Knex drops or sets, and the nullability it states', async () => {
    const p = await parseSource(
      knex,
      `exports.up = (knex) => knex.schema.table('users', (t) => {
  t.text('bio').notNullable().alter();
  t.integer('age').defaultTo(0).alter({ alterNullable: false });
});`,
    );
    expect(describeOps(p.up)).toEqual([
      'AlterColumnType users.bio text @2:3',
      'SetDefault users.bio DROP @2:3',
      'SetNotNull users.bio @2:3',
      'AlterColumnType users.age integer @3:3',
      'SetDefault users.age 0 @3:3',
    ]);
  });

  it('renameTable, dropTableIfExists, withSchema and chained schema calls', async () => {
    const p = await parseSource(
      knex,
      `exports.up = async (knex) => {
  await knex.schema.withSchema('billing').renameTable('invoice', 'invoices').dropTableIfExists('tmp');
};`,
    );
    expect(describeOps(p.up)).toEqual(['RenameTable billing.invoice -> invoices @2:9', 'DropTable billing.tmp @2:78']);
  });

  it('native enums are created before the table; plain enums are text with a check', async () => {
    const p = await parseSource(
      knex,
      `exports.up = (knex) => knex.schema.createTable('t', (t) => {
  t.enu('state', ['a', 'b'], { useNative: true, enumName: 'state' });
  t.enum('kind', ['x', 'y']);
});`,
    );
    expect(describeOps(p.up)).toEqual(['CreateEnum state (a,b) @2:3', 'CreateTable t (state state, kind text) @1:24']);
    const table = p.up[1];
    expect(table?.kind === 'CreateTable' && table.constraints.map((c) => c.expression)).toEqual([`"kind" IN ('x', 'y')`]);
  });
});

describe('knex: SQL and data', () => {
  it('knex.raw goes through the SQL parser with positions in the JS file', async () => {
    const p = await parseSource(
      knex,
      `exports.up = async (knex) => {
  await knex.raw('ALTER TABLE users ADD COLUMN age int');
  await knex.raw(\`
    CREATE INDEX CONCURRENTLY users_age_idx ON users (age);
    ALTER TABLE users DROP COLUMN legacy;\`);
  await knex.schema.raw("UPDATE users SET age = 0");
};`,
    );
    expect(describeOps(p.up)).toEqual([
      'AddColumn users.age int4 @2:19',
      'AddIndex users_age_idx on users(age) concurrently @4:5',
      'DropColumn users.legacy @5:5',
      'DataChange update users(age) @6:26',
    ]);
    expect(p.errors).toEqual([]);
  });

  it('a SQL syntax error inside knex.raw is reported at its file position', async () => {
    const p = await parseSource(knex, `exports.up = (knex) => knex.raw('ALTER TABLE users ADD COLUMN');`);
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatchObject({ path: 'migrations/20240101000000_test.js', line: 1 });
    expect(p.errors[0]?.column).toBeGreaterThan(33);
  });

  it('query builder writes become data changes; reads are nothing', async () => {
    const p = await parseSource(
      knex,
      `exports.up = async (knex) => {
  const rows = await knex('users').select('id');
  await knex('users').where('active', false).update({ state: 'off', note: null });
  await knex('audit').insert({ id: 1 });
  await knex('sessions').del();
  await knex.table('tokens').whereNull('user_id').delete();
};`,
    );
    expect(describeOps(p.up)).toEqual([
      'DataChange update users(state,note) where @3:9',
      'DataChange insert audit @4:9',
      'DataChange delete sessions @5:9',
      'DataChange delete tokens where @6:9',
    ]);
  });

  it('names held in constants are followed', async () => {
    const p = await parseSource(
      knex,
      `const TABLE = 'users';
exports.up = async (knex) => {
  const column = 'email';
  await knex.schema.alterTable(TABLE, (t) => t.dropColumn(column));
};`,
    );
    expect(describeOps(p.up)).toEqual(['DropColumn users.email @4:46']);
  });
});

describe('knex: module shapes, downs and transactions', () => {
  it('ES module TypeScript with typed knex, a down that throws is a declared one-way door', async () => {
    const p = await parseSource(
      knex,
      `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('legacy');
}
export async function down(): Promise<void> {
  throw new Error('irreversible');
}`,
      { path: 'migrations/20240101000000_drop.ts' },
    );
    expect(describeOps(p.up)).toEqual(['DropTable legacy @3:9']);
    expect(p.downStatus).toBe('irreversible');
  });

  it('module.exports = { up, down } with function declarations; an empty down is written but does nothing', async () => {
    const p = await parseSource(
      knex,
      `async function up(knex) { await knex.schema.createTable('a', (t) => { t.increments(); }); }
async function down() {}
module.exports = { up, down };`,
    );
    expect(describeOps(p.up)).toEqual(['CreateTable a (id serial NOT NULL DEFAULT nextval(<serial sequence>) PK) @1:33']);
    expect(p.notes).toEqual([]);
    expect(p.down).toEqual([]);
    expect(p.downStatus).toBe('written');
  });

  it('export default { up, down } in an .mjs file', async () => {
    const p = await parseSource(
      knex,
      `const up = (knex) => knex.schema.renameTable('a', 'b');\nconst down = (knex) => knex.schema.renameTable('b', 'a');\nexport default { up, down };`,
      { path: 'migrations/20240101000000_rename.mjs' },
    );
    expect(describeOps(p.up)).toEqual(['RenameTable a -> b @1:22']);
    expect(describeOps(p.down)).toEqual(['RenameTable b -> a @2:24']);
  });

  it('exports.config = { transaction: false } runs the migration outside a transaction', async () => {
    const p = await parseSource(
      knex,
      `exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY i ON t (a)');`,
    );
    expect(p.migration.transactional).toBe(false);
    const inTx = await parseSource(knex, `exports.up = (knex) => knex.raw('SELECT 1');`);
    expect(inTx.migration.transactional).toBe(true);
  });

  it('knex.transaction callbacks and promise chains are followed', async () => {
    const p = await parseSource(
      knex,
      `exports.up = (knex) =>
  knex.transaction(async (trx) => {
    await trx.schema.dropTable('a');
  }).then(() => knex.schema.dropTable('b'));`,
    );
    expect(describeOps(p.up)).toEqual(['DropTable a @3:11', 'DropTable b @4:17']);
  });

  it('ignore comments in the JS file suppress findings with a reason', async () => {
    const p = await parseSource(
      knex,
      `exports.up = (knex) => knex.schema.alterTable('users', (t) => {
  // twoway-ignore drop-column: archived in the previous migration
  t.dropColumn('legacy');
});`,
    );
    expect(p.directives).toMatchObject([{ type: 'ignore', rule: 'drop-column', reason: 'archived in the previous migration', line: 2 }]);
  });

  it('a file that does not parse is an error at its position, not a crash', async () => {
    const p = await parseSource(knex, 'exports.up = (knex) => {\n  knex.schema.createTable(\n};');
    expect(p.up).toEqual([]);
    expect(p.errors).toMatchObject([{ line: 3, column: 1 }]);
    expect(p.errors[0]?.message).toContain('syntax');
  });
});

describe('knex: what cannot be followed is reported, never passed silently', () => {
  it('literal loops are unrolled and schema guards read; run-time names, interpolated SQL and unknown helpers are "not analyzed"', async () => {
    const p = await parseSource(
      knex,
      `const { addAudit } = require('../lib/audit');
exports.up = async (knex) => {
  for (const t of ['a', 'b']) await knex.schema.alterTable(t, (x) => x.string('c'));
  if (await knex.schema.hasColumn('users', 'x')) await knex.schema.alterTable('users', (t) => t.dropColumn('x'));
  await knex.schema.dropTable(process.env.TABLE);
  await knex.raw(\`DROP TABLE \${process.env.T}\`);
  await addAudit(knex, 'users');
  await knex.schema.alterTable('users', (t) => { t.string(columnName()); });
};`,
    );
    expect(notesOf(p).map((n) => n.slice(0, n.indexOf(';')))).toEqual([
      'not-analyzed @5:9 not analyzed: knex.schema.dropTable on a table named at run time',
      'not-analyzed @6:9 not analyzed: SQL built at run time (not a literal string)',
      'not-analyzed @7:9 not analyzed: a call to addAudit() that twoway does not follow',
      'not-analyzed @8:50 not analyzed: a string column named at run time',
    ]);
    expect(describeOps(p.up)).toEqual(['AddColumn a.c varchar(255) @3:70', 'AddColumn b.c varchar(255) @3:70', 'DropColumn users.x @4:95']);
  });

  it('a column modifier twoway does not model is reported, not dropped silently', async () => {
    const p = await parseSource(
      knex,
      `exports.up = (knex) => knex.schema.alterTable('t', (t) => {\n  t.integer('qty').unsigned().checkPositive();\n});`,
    );
    expect(describeOps(p.up)).toEqual(['AddColumn t.qty integer @2:3']);
    expect(notesOf(p)[0]).toContain('not-analyzed @2:3 not analyzed: the column modifier .checkPositive()');
  });

  it('notes become not-analyzed findings in the report, warnings because the door is unverified', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-knex-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(
        join(dir, 'migrations', '20240101000000_loop.js'),
        `exports.up = async (knex) => {\n  for (const t of await knex('tables').pluck('name')) await knex.schema.dropTable(t);\n};\n`,
      );
      const result = await check(['.'], { cwd: dir });
      const findings = result.sets[0]?.reports[0]?.findings ?? [];
      const notAnalyzed = findings.filter((f) => f.rule === 'not-analyzed');
      expect(notAnalyzed.map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([['not-analyzed', 'warning', 2, 61]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('knex: discovery', () => {
  it('finds the example migrations in file-name order, with the dialect of knexfile.js', () => {
    const found = discover(['examples/knex'], { cwd: repoRoot });
    expect(found.errors).toEqual([]);
    expect(found.sets.map((s) => [s.framework, s.dialect, s.root])).toEqual([['knex', 'postgresql', 'examples/knex/migrations']]);
    expect(found.sets[0]?.migrations.map((m) => `${m.id} ${m.name}`)).toEqual([
      '20240105090000 create_users_and_orders',
      '20240112103000 add_orders_shipped_at',
      '20240120140000 widen_full_name',
      '20240201110000 rename_order_status',
      '20240210080000 backfill_order_state',
      '20240301090000 drop_users_full_name',
    ]);
  });

  it('reads the client of knexfile.js as a literal (mysql2 → mysql) and reports unparsable files with the set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-knex-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'knexfile.js'), `module.exports = { client: 'mysql2', connection: {} };\n`);
      writeFileSync(join(dir, 'migrations', '20240101_a.js'), `exports.up = (knex) => knex.schema.dropTable('a');\n`);
      writeFileSync(join(dir, 'migrations', '20240102_b.js'), `exports.up = (knex) => {\n`);
      const found = discover(['.'], { cwd: dir });
      // The unreadable file stays a migration of the set: its parse error is reported with it and its answers are unknown.
      expect(found.sets.map((s) => [s.framework, s.dialect, s.migrations.length])).toEqual([['knex', 'mysql', 2]]);
      expect(found.errors).toEqual([]);
      const result = await check(['.'], { cwd: dir });
      expect(result.errors).toMatchObject([{ path: 'migrations/20240102_b.js', line: 2 }]);
      expect(result.errors[0]?.message).toContain('syntax');
      const broken = result.sets[0]?.reports.find((r) => r.parsed.migration.path === 'migrations/20240102_b.js');
      expect([broken?.phase, broken?.codeRollback, broken?.dbRollback]).toEqual(['unknown', 'unknown', 'unknown']);
      expect(broken?.parsed.downStatus).toBe('unreadable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('knex: migration ids and order', () => {
  const wiki = corpusApp('requarks__wiki');
  const uptime = corpusApp('louislam__uptime-kuma');

  it.each([
    ['20240101120000_create_users.js', '20240101120000', 'create_users'],
    ['2025-10-11-1915-push-token.js', '2025-10-11-1915', 'push-token'],
    ['2024-10-1315-rabbitmq-monitor.js', '2024-10-1315', 'rabbitmq-monitor'],
    ['2.0.0-beta.127.js', '2.0.0-beta.127', '2.0.0-beta.127'],
    ['2.5.12.js', '2.5.12', '2.5.12'],
    ['001_init.ts', '001', 'init'],
  ])('%s is id %s, name %s', (file, id, name) => {
    expect(idAndName(file)).toEqual({ id, name });
  });

  it('version-named files run in version order (2.5.1, 2.5.12, 2.5.108), each with its own id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-knex-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      for (const v of ['2.5.108', '2.5.12', '2.5.1', '2.0.0-rc.2', '2.0.0-beta.99'])
        writeFileSync(
          join(dir, 'migrations', `${v}.js`),
          `exports.up = (knex) => knex.schema.dropTableIfExists('t${v.replaceAll('.', '')}');\n`,
        );
      const found = discover(['.'], { cwd: dir });
      expect(found.sets[0]?.migrations.map((m) => m.id)).toEqual(['2.0.0-beta.99', '2.0.0-rc.2', '2.5.1', '2.5.12', '2.5.108']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!wiki)('wiki.js (real files): every migration of a set has its own id', () => {
    const found = discover(['server/db'], { cwd: wiki as string });
    expect(found.sets.length).toBeGreaterThan(0);
    for (const set of found.sets) {
      const ids = set.migrations.map((m) => m.id);
      expect(new Set(ids).size, set.root).toBe(ids.length);
    }
    const beta = found.sets.find((s) => s.root.endsWith('beta/migrations'));
    expect(beta?.migrations.map((m) => m.id)).toContain('2.0.0-beta.127');
  });

  it.skipIf(!uptime)('uptime-kuma (real files): date-named migrations keep their whole date as id', () => {
    const found = discover(['db/knex_migrations'], { cwd: uptime as string });
    const ids = found.sets[0]?.migrations.map((m) => m.id) ?? [];
    expect(ids).toContain('2023-10-11-1915');
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('knex: transactions as the migrator runs them', () => {
  it('each migration runs in a transaction; config.transaction = false turns it off for that migration', async () => {
    const on = await parseSource(knex, `exports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY i ON t (a)');`);
    expect(on.migration.transactional).toBe(true);
    const off = await parseSource(
      knex,
      `exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY i ON t (a)');`,
    );
    expect(off.migration.transactional).toBe(false);
  });

  it('knex.transaction() outside the migration transaction opens one; inside it is a savepoint', async () => {
    const body = `exports.up = (knex) => knex.transaction(async (trx) => {\n  await trx.schema.dropTable('a');\n});`;
    const inside = await parseSource(knex, body);
    expect(inside.up.map((o) => o.kind)).toEqual(['DropTable']);
    const outside = await parseSource(knex, `exports.config = { transaction: false };\n${body}`);
    expect(outside.up.map((o) => (o.kind === 'Transaction' ? o.action : o.kind))).toEqual(['begin', 'DropTable', 'commit']);
  });
});

describe('knex: the knexfile transaction switch', () => {
  it('disableTransactions: true in knexfile.js runs migrations outside a transaction; config.transaction: true wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-knex-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'knexfile.js'), `module.exports = { client: 'pg', migrations: { disableTransactions: true } };\n`);
      writeFileSync(join(dir, 'migrations', '20240101_a.js'), `exports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY i ON t (a)');\n`);
      writeFileSync(
        join(dir, 'migrations', '20240102_b.js'),
        `exports.config = { transaction: true };\nexports.up = (knex) => knex.schema.dropTable('a');\n`,
      );
      const result = await check(['.'], { cwd: dir });
      expect(result.sets[0]?.reports.map((r) => r.parsed.migration.transactional)).toEqual([false, true]);
      expect(result.sets[0]?.reports[0]?.findings.map((f) => f.rule)).not.toContain('concurrently-in-transaction');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('knex on SQLite: types of one affinity', () => {
  it('a down altering integer back to smallint cuts nothing: SQLite enforces no range (uptime-kuma fix-stat-daily-overflow)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-knex-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'knexfile.js'), "module.exports = { client: 'sqlite3' };\n");
      writeFileSync(
        join(dir, 'migrations', '20240101000000_create.js'),
        "exports.up = (knex) => knex.schema.createTable('stat_daily', (t) => { t.increments('id'); t.smallint('up').notNullable(); });\nexports.down = (knex) => knex.schema.dropTable('stat_daily');\n",
      );
      writeFileSync(
        join(dir, 'migrations', '20240201000000_widen.js'),
        "exports.up = (knex) => knex.schema.alterTable('stat_daily', (t) => { t.integer('up').notNullable().alter(); });\nexports.down = (knex) => knex.schema.alterTable('stat_daily', (t) => { t.smallint('up').notNullable().alter(); });\n",
      );
      const result = await check(['.'], { cwd: dir });
      const r = result.sets[0]?.reports[1];
      expect(result.sets[0]?.set.dialect).toBe('sqlite');
      expect(r?.dbRollback).toBe('reversible');
      expect(r?.findings.map((f) => f.rule)).not.toContain('down-renarrows-type');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('knex on SQLite: an altered type keeps every value (SQLite stores values as they are)', () => {
  const tree = (up: string, down: string) => ({
    'knexfile.js': "module.exports = { client: 'sqlite3' };\n",
    'migrations/20240101000000_create.js':
      "exports.up = (knex) => knex.schema.createTable('monitor', (t) => { t.increments('id'); t.string('status'); t.float('ping').notNullable(); t.text('kind'); });\nexports.down = (knex) => knex.schema.dropTable('monitor');\n",
    'migrations/20240201000000_alter.js': `exports.up = (knex) => knex.schema.alterTable('monitor', (t) => { ${up} });\nexports.down = (knex) => knex.schema.alterTable('monitor', (t) => { ${down} });\n`,
  });

  it('float to integer and text to varchar(255) narrow nothing on SQLite (uptime-kuma stat-table-fix, analytics-type-to-string)', async () => {
    const { reports, sets } = await checkTree(
      tree(
        "t.integer('ping').notNullable().alter(); t.string('kind').alter();",
        "t.float('ping').notNullable().alter(); t.text('kind').alter();",
      ),
    );
    expect(sets[0]?.set.dialect).toBe('sqlite');
    const r = reports[1];
    expect([r?.phase, r?.codeRollback, r?.dbRollback]).toEqual(['expand', 'compatible', 'reversible']);
  });

  it('varchar to smallint is another kind of value for old code, but loses none (uptime-kuma manual-monitor-fix)', async () => {
    const { reports } = await checkTree(tree("t.smallint('status').alter();", "t.string('status').alter();"));
    const r = reports[1];
    expect([r?.phase, r?.codeRollback, r?.dbRollback]).toEqual(['breaking', 'breaking', 'reversible']);
    expect(r?.findings.map((f) => f.rule)).not.toContain('down-renarrows-type');
  });
});

describe('knex on SQLite: an INTEGER primary key is the rowid', () => {
  const tree = (db: string) => ({
    'knexfile.js': `module.exports = { client: '${db}' };\n`,
    'migrations/20240101000000_create.js':
      "exports.up = (knex) => knex.schema.createTable('tree', (t) => { t.increments('id').primary(); t.string('path').notNullable(); });\nexports.down = (knex) => knex.schema.dropTable('tree');\n",
    'migrations/20240201000000_recreate.js':
      "exports.up = (knex) => knex.schema.dropTable('tree').createTable('tree', (t) => { t.integer('id').primary(); t.string('path').notNullable(); });\nexports.down = (knex) => knex.schema.dropTable('tree').createTable('tree', (t) => { t.increments('id').primary(); t.string('path').notNullable(); });\n",
  });

  it('re-created as integer().primary(), ids are still given to INSERTs that leave them out (wiki 2.0.0-rc.2)', async () => {
    const { reports } = await checkTree(tree('sqlite3'));
    expect([reports[1]?.phase, reports[1]?.codeRollback]).toEqual(['contract', 'compatible']);
    expect(reports[1]?.reasons.map((x) => x.rule)).not.toContain('drop-default');
  });

  it('on PostgreSQL the same integer key has no default left: the previous release breaks', async () => {
    const { reports } = await checkTree(tree('pg'));
    expect([reports[1]?.phase, reports[1]?.codeRollback]).toEqual(['breaking', 'breaking']);
    expect(reports[1]?.reasons.map((x) => x.rule)).toContain('drop-default');
  });
});

describe('knex: a base script beside the migrations folder is the schema they start from', () => {
  const files = (base: string) => ({
    'db/knexfile.js': "module.exports = { client: 'pg' };\n",
    'db/init_db.js': base,
    'db/migrations/20240101000000_widen.js':
      "exports.up = (knex) => knex.schema.alterTable('monitor', (t) => { t.string('push_token', 32).alter(); });\nexports.down = (knex) => knex.schema.alterTable('monitor', (t) => { t.string('push_token', 20).alter(); });\n",
  });
  const base = `const { R } = require('redbean-node');
async function createTables() {
  const knex = R.knex;
  await knex.schema.createTable('monitor', (table) => {
    table.increments('id');
    table.string('push_token', 20).defaultTo(null);
  });
}
module.exports = { createTables };
`;

  it('a column its base script made varchar(20) widens to varchar(32): no narrowing to fear (uptime-kuma knex_init_db.js)', async () => {
    const { reports, sets } = await checkTree(files(base));
    expect(sets[0]?.set.seed?.path).toBe('db/init_db.js');
    const r = reports[0];
    expect([r?.phase, r?.codeRollback]).toEqual(['expand', 'compatible']);
    expect(r?.findings.map((f) => f.rule)).toContain('down-renarrows-type');
  });

  it('without the base script the type before is unknown, and the change may narrow it', async () => {
    const { reports } = await checkTree({ ...files(base), 'db/init_db.js': '// nothing here\n' });
    expect(reports[0]?.reasons.map((x) => x.message)).toContain(
      'The type of monitor.push_token changes to varchar(32); its type before is unknown, so the change may narrow it.',
    );
  });
});

describe('knex: a column added behind a check that it is absent is new, as the guard assumes', () => {
  it('the down dropping it loses nothing, and no drift is reported, even where the history already had it', async () => {
    const { reports } = await checkTree({
      'knexfile.js': "module.exports = { client: 'pg' };\n",
      'migrations/20240101000000_create.js':
        "exports.up = (knex) => knex.schema.createTable('assistant', (t) => { t.increments('id'); t.text('type'); });\nexports.down = (knex) => knex.schema.dropTable('assistant');\n",
      'migrations/20240201000000_fix.js': `exports.up = async (knex) => {
  if (!(await knex.schema.hasColumn('assistant', 'type'))) {
    await knex.schema.alterTable('assistant', (t) => { t.text('type'); });
    await knex('assistant').update({ type: 'OPENAI' });
  }
};
exports.down = (knex) => knex.schema.alterTable('assistant', (t) => { t.dropColumn('type'); });
`,
    });
    const r = reports[1];
    expect(r?.dbRollback).toBe('reversible');
    expect(r?.findings.map((f) => f.rule)).not.toContain('down-does-not-undo');
  });
});
