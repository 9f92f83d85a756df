// `twoway rollback --to`: git repositories built here with two releases of a Rails and an Alembic app,
// judged against the real PostgreSQL 15 and MariaDB of the dev/CI machine (scratch databases of their
// own, seeded with each framework's history table and rows); skipped with a message when absent.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import type { Framework, Migration } from '../migration.js';
import { openReadOnly } from '../stats/index.js';
import { releaseRepo, type TestRepo } from '../testing/git-repo.js';
import { repoRoot } from '../testing/projects.js';
import { appliedHistory, HISTORY_TABLES } from './history.js';

const PG = process.env.TWOWAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `twoway_rollback_${randomBytes(4).toString('hex')}`;
const pgUrl = PG.replace(/\/[^/]*$/, `/${name}`);
const repos: TestRepo[] = [];

async function pgAdmin(): Promise<pg.Client | null> {
  const c = new pg.Client({ connectionString: PG, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return c;
  } catch {
    return null;
  }
}
const probe = await pgAdmin();
await probe?.end();
const pgUp = probe !== null;
if (!pgUp) console.warn(`rollback tests: no PostgreSQL at ${PG}; the database parts are skipped`);

async function seed(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  // Ended even when the SQL fails: a connection left open would be cut by afterAll's DROP … WITH (FORCE).
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  if (!pgUp) return;
  const admin = (await pgAdmin()) as pg.Client;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
});
afterAll(async () => {
  for (const r of repos) rmSync(r.dir, { recursive: true, force: true });
  const admin = pgUp ? await pgAdmin() : null;
  await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.end();
});

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repoRoot, 'docs/rollback.schema.json'), 'utf8')));

/** Runs `twoway rollback`; a JSON plan must validate against docs/rollback.schema.json. */
async function rollback(repo: TestRepo, args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['rollback', ...args], { out: (s) => (out += s), err: (s) => (err += s), cwd: repo.dir });
  if (args.includes('json') && out) expect(validate(JSON.parse(out)), JSON.stringify(validate.errors)).toBe(true);
  return { code, out, err };
}

/** A Rails migration of class `cls` whose change method holds `body`. */
const migration = (cls: string, body: string) => `class ${cls} < ActiveRecord::Migration[7.1]\n  def change\n${body}\n  end\nend\n`;

/** An Alembic revision chained to `prev`. */
const revision = (id: string, prev: string | null, up: string, down: string) =>
  `"""${id}"""\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = "${id}"\ndown_revision = ${prev ? `"${prev}"` : 'None'}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    ${up}\n\n\ndef downgrade():\n    ${down}\n`;

// --- a Rails app whose release v1 already ignores the column v2 drops ---------------------------
function railsApp(): TestRepo {
  const repo = releaseRepo('twoway-rails-');
  repos.push(repo);
  repo.commit(
    {
      Gemfile: "gem 'rails', '~> 7.1'\n",
      'app/models/application_record.rb': 'class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n',
      'app/models/user.rb': 'class User < ApplicationRecord\n  self.ignored_columns += ["full_name"]\nend\n',
      'db/migrate/20240101000000_create_users.rb': migration(
        'CreateUsers',
        '    create_table :users do |t|\n      t.string :email, null: false\n      t.string :full_name\n    end',
      ),
    },
    'v1',
  );
  repo.commit({
    'app/models/user.rb': 'class User < ApplicationRecord\nend\n',
    'db/migrate/20240201000000_remove_full_name.rb': migration('RemoveFullName', '    remove_column :users, :full_name, :string'),
    'db/migrate/20240202000000_add_nickname.rb': migration('AddNickname', '    add_column :users, :nickname, :string'),
  });
  return repo;
}

// --- an Alembic app whose release v2 adds a NOT NULL column v1's model does not know ------------
function alembicApp(): TestRepo {
  const repo = releaseRepo('twoway-alembic-');
  repos.push(repo);
  repo.commit(
    {
      'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\n',
      'migrations/env.py': 'from alembic import context\n',
      'app/models.py':
        'import sqlalchemy as sa\nfrom app.db import Base\n\n\nclass Account(Base):\n    __tablename__ = "accounts"\n    id = sa.Column(sa.BigInteger, primary_key=True)\n    email = sa.Column(sa.Text, nullable=False)\n',
      'migrations/versions/a1_create_accounts.py': revision(
        'a1',
        null,
        'op.create_table("accounts", sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("email", sa.Text(), nullable=False))',
        'op.drop_table("accounts")',
      ),
    },
    'v1',
  );
  repo.commit({
    'app/models.py':
      'import sqlalchemy as sa\nfrom app.db import Base\n\n\nclass Account(Base):\n    __tablename__ = "accounts"\n    id = sa.Column(sa.BigInteger, primary_key=True)\n    email = sa.Column(sa.Text, nullable=False)\n    tenant_id = sa.Column(sa.BigInteger, nullable=False)\n    nickname = sa.Column(sa.Text)\n',
    'migrations/versions/b2_add_tenant.py': revision(
      'b2',
      'a1',
      'op.add_column("accounts", sa.Column("tenant_id", sa.BigInteger(), nullable=False))',
      'op.drop_column("accounts", "tenant_id")',
    ),
    'migrations/versions/c3_add_nickname.py': revision(
      'c3',
      'b2',
      'op.add_column("accounts", sa.Column("nickname", sa.Text(), nullable=True))',
      'op.drop_column("accounts", "nickname")',
    ),
  });
  return repo;
}

// --- a Rails app whose release v2 adds a NOT NULL column v1's model cannot insert without ---------
function railsTenantApp(): TestRepo {
  const repo = releaseRepo('twoway-rails-tenant-');
  repos.push(repo);
  repo.commit(
    {
      Gemfile: "gem 'rails', '~> 7.1'\n",
      'app/models/application_record.rb': 'class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n',
      'app/models/user.rb': 'class User < ApplicationRecord\nend\n',
      'db/migrate/20240101000000_create_users.rb': migration(
        'CreateUsers',
        '    create_table :users do |t|\n      t.string :email, null: false\n    end',
      ),
    },
    'v1',
  );
  repo.commit({
    'db/migrate/20240201000000_add_tenant.rb': migration('AddTenant', '    add_column :users, :tenant_id, :bigint, null: false'),
    'db/migrate/20240202000000_add_nickname.rb': migration('AddNickname', '    add_column :users, :nickname, :string'),
  });
  return repo;
}

// --- an Alembic app whose release v2 drops a column v1's model no longer maps and adds a nullable one ---
function alembicContractApp(): TestRepo {
  const repo = releaseRepo('twoway-alembic-contract-');
  repos.push(repo);
  const model =
    'import sqlalchemy as sa\nfrom app.db import Base\n\n\nclass Account(Base):\n    __tablename__ = "accounts"\n    id = sa.Column(sa.BigInteger, primary_key=True)\n    email = sa.Column(sa.Text, nullable=False)\n';
  repo.commit(
    {
      'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\n',
      'migrations/env.py': 'from alembic import context\n',
      'app/models.py': model,
      'migrations/versions/a1_create_accounts.py': revision(
        'a1',
        null,
        'op.create_table("accounts", sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("email", sa.Text(), nullable=False), sa.Column("legacy_code", sa.Text()))',
        'op.drop_table("accounts")',
      ),
    },
    'v1',
  );
  repo.commit({
    'app/models.py': `${model}    nickname = sa.Column(sa.Text)\n`,
    'migrations/versions/b2_drop_legacy.py': revision(
      'b2',
      'a1',
      'op.drop_column("accounts", "legacy_code")',
      'op.add_column("accounts", sa.Column("legacy_code", sa.Text(), nullable=True))',
    ),
    'migrations/versions/c3_add_nickname.py': revision(
      'c3',
      'b2',
      'op.add_column("accounts", sa.Column("nickname", sa.Text(), nullable=True))',
      'op.drop_column("accounts", "nickname")',
    ),
  });
  return repo;
}

describe('rollback --to, from git alone', () => {
  it('Rails: every migration since v1 suits v1’s code (it ignores the dropped column): roll back the code only', async () => {
    const { code, out } = await rollback(railsApp(), ['--to', 'v1', '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.plan).toBe('code-only');
    expect(plan.safe).toBe(true);
    expect(code).toBe(0);
    expect(plan.migrations.map((m: { id: string }) => m.id)).toEqual(['20240202000000', '20240201000000']);
    expect(plan.downs).toEqual([]);
  });

  it('Alembic: v1’s model cannot insert without tenant_id: both downs, newest first, unsafe without counts', async () => {
    const { code, out } = await rollback(alembicApp(), ['--to', 'v1', '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.plan).toBe('downs');
    expect(plan.downs.map((d: { id: string }) => d.id)).toEqual(['c3', 'b2']);
    expect(plan.commands).toEqual(['alembic downgrade a1']);
    expect(plan.safe).toBe(false);
    expect(code).toBe(1);
    expect(plan.migrations.find((m: { id: string }) => m.id === 'b2').codeRollback).toBe('breaking');
  });

  it('Alembic: v1’s model no longer maps the column v2 drops, and ignores the one v2 adds: roll back the code only', async () => {
    const { code, out } = await rollback(alembicContractApp(), ['--to', 'v1', '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.plan).toBe('code-only');
    expect(plan.migrations.map((m: { id: string; codeRollback: string }) => [m.id, m.codeRollback])).toEqual([
      ['c3', 'compatible'],
      ['b2', 'compatible'],
    ]);
    expect(plan.downs).toEqual([]);
    expect(plan.safe).toBe(true);
    expect(code).toBe(0);
  });

  it('a migration v1 cannot run on and that has no down: rolling back is impossible as planned', async () => {
    const repo = railsApp();
    repo.commit({
      'db/migrate/20240301000000_add_tenant.rb':
        'class AddTenant < ActiveRecord::Migration[7.1]\n  def up\n    add_column :users, :tenant_id, :bigint, null: false\n  end\nend\n',
    });
    const { code, out } = await rollback(repo, ['--to', 'v1', '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.downs.map((d: { id: string; hasDown: boolean }) => [d.id, d.hasDown])).toEqual([['20240301000000', false]]);
    expect(plan.problems).toContain('20240301000000 has no down: write one first.');
    expect(code).toBe(1);
  });

  it('an unknown ref is a usage error', async () => {
    const { code, err } = await rollback(railsApp(), ['--to', 'no-such-tag']);
    expect(code).toBe(2);
    expect(err).toContain('--to no-such-tag');
  });
});

describe.skipIf(!pgUp)('rollback --to with the live database', () => {
  it('Alembic: the rows each down destroys, counted; the history table says what is applied', async () => {
    await seed(`
      DROP TABLE IF EXISTS accounts, alembic_version, schema_migrations;
      CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, tenant_id bigint NOT NULL, nickname text);
      INSERT INTO accounts VALUES (1, 'a@x', 7, 'ann'), (2, 'b@x', 7, NULL), (3, 'c@x', 8, 'cat');
      CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
      INSERT INTO alembic_version VALUES ('c3');`);
    const { code, out } = await rollback(alembicApp(), ['--to', 'v1', '--database-url', pgUrl, '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.database).toMatchObject({ dialect: 'postgresql', database: name });
    expect(plan.migrations.map((m: { applied: boolean }) => m.applied)).toEqual([true, true]);
    const lost = Object.fromEntries(
      plan.downs.map((d: { id: string; lost: Array<{ rows: number }> }) => [d.id, d.lost.map((l) => l.rows)]),
    );
    expect(lost).toEqual({ c3: [2], b2: [3] });
    // The tables the downs change, sized from the catalog (never analyzed here: rows unknown).
    expect(plan.downs[0].tables).toMatchObject([{ table: 'accounts', rows: null }]);
    expect(plan.downs[0].tables[0].bytes).toBeGreaterThan(0);
    expect(plan.safe).toBe(false);
    expect(code).toBe(1);
    const human = await rollback(repos.at(-1) as TestRepo, ['--to', 'v1', '--database-url', pgUrl]);
    expect(human.out).toContain('3 lost: non-null values of a column the down drops (accounts.tenant_id)');
    expect(human.out).toContain('alembic downgrade a1');
  });

  it('Rails: v1’s model cannot insert without tenant_id: both downs newest first, with the rows each one loses', async () => {
    await seed(`
      DROP TABLE IF EXISTS accounts, alembic_version, schema_migrations, users;
      CREATE TABLE users (id bigint PRIMARY KEY, email varchar NOT NULL, tenant_id bigint NOT NULL, nickname varchar);
      INSERT INTO users VALUES (1, 'a@x', 7, 'ann'), (2, 'b@x', 7, NULL), (3, 'c@x', 8, NULL), (4, 'd@x', 9, 'dan');
      CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
      INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240201000000'), ('20240202000000');`);
    const repo = railsTenantApp();
    const { code, out } = await rollback(repo, ['--to', 'v1', '--database-url', pgUrl, '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.plan).toBe('downs');
    expect(plan.migrations.find((m: { id: string }) => m.id === '20240201000000').codeRollback).toBe('breaking');
    const lost = plan.downs.map((d: { id: string; lost: Array<{ table: string; rows: number }> }) => [
      d.id,
      d.lost.map((l) => [l.table, l.rows]),
    ]);
    expect(lost).toEqual([
      ['20240202000000', [['users', 2]]],
      ['20240201000000', [['users', 4]]],
    ]);
    expect(plan.commands).toEqual(['bin/rails db:migrate:down VERSION=20240202000000', 'bin/rails db:migrate:down VERSION=20240201000000']);
    expect(plan.safe).toBe(false);
    expect(code).toBe(1);
    const human = await rollback(repo, ['--to', 'v1', '--database-url', pgUrl]);
    expect(human.out).toContain('4 lost: non-null values of a column the down drops (users.tenant_id)');
  });

  it('a migration not applied on this database needs no down; an applied one missing from the code is reported', async () => {
    await seed(`
      DROP TABLE IF EXISTS accounts, alembic_version, schema_migrations, users;
      CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
      CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
      INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240201000000'), ('20240301000000');`);
    const { code, out } = await rollback(railsApp(), ['--to', 'v1', '--database-url', pgUrl, '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.migrations.map((m: { id: string; applied: boolean }) => [m.id, m.applied])).toEqual([
      ['20240202000000', false],
      ['20240201000000', true],
    ]);
    expect(plan.plan).toBe('code-only');
    expect(plan.appliedMissing).toEqual([{ framework: 'rails', table: 'schema_migrations', entry: '20240301000000' }]);
    expect(code).toBe(1);
  });
});

describe.skipIf(!pgUp)('rollback --to with the live database: what a down destroys beyond drops', () => {
  it('values a re-narrowed numeric cannot hold are counted; a DELETE in a down is reported uncounted, never as nothing lost', async () => {
    const repo = releaseRepo('twoway-pg-numeric-');
    repos.push(repo);
    repo.commit(
      {
        'db/000001_prices.up.sql': 'CREATE TABLE prices (id bigint PRIMARY KEY, label text, amount numeric(6,1));\n',
        'db/000001_prices.down.sql': 'DROP TABLE prices;\n',
      },
      'v1',
    );
    const narrow = 'ALTER TABLE prices ALTER COLUMN amount TYPE numeric(6,1);\n';
    repo.commit({
      'db/000002_tenant.up.sql': 'ALTER TABLE prices ADD COLUMN tenant_id bigint NOT NULL;\n',
      'db/000002_tenant.down.sql': 'ALTER TABLE prices DROP COLUMN tenant_id;\n',
      'db/000003_precise.up.sql': 'ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12,4);\n',
      'db/000003_precise.down.sql': narrow,
      // A down that deletes more than its up wrote: rows no count here measures.
      'db/000004_labels.up.sql': 'CREATE INDEX prices_label ON prices (label);\n',
      'db/000004_labels.down.sql': "DROP INDEX prices_label;\nDELETE FROM prices WHERE label = 'sample';\n",
    });
    await seed(`
      DROP TABLE IF EXISTS prices, schema_migrations;
      CREATE TABLE prices (id bigint PRIMARY KEY, label text, amount numeric(12,4), tenant_id bigint NOT NULL);
      INSERT INTO prices VALUES (0, 'sample', 0, 0), (1, 'a', 12.3, 1), (2, 'b', 12345.6, 1), (3, 'c', 123456.7, 1), (4, 'd', 1.25, 1), (5, 'e', NULL, 1);
      CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
      INSERT INTO schema_migrations VALUES (4, false);`);
    const { code, out } = await rollback(repo, ['--to', 'v1', '--database-url', pgUrl, '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.downs.map((d: { id: string }) => d.id)).toEqual(['000004', '000003', '000002']);
    const lost = Object.fromEntries(
      plan.downs.map((d: { id: string; lost: Array<{ rows: number | null; table: string }> }) => [
        d.id,
        d.lost.map((l) => [l.table, l.rows]),
      ]),
    );
    expect(lost).toEqual({ '000004': [['prices', null]], '000003': [['prices', 2]], '000002': [['prices', 6]] });
    expect(plan.problems).toContain('000004: some of what its down destroys could not be counted.');
    expect(code).toBe(1);
    // The server agrees the narrowing down cannot keep 123456.7 (and 1.25 would be rounded).
    await expect(seed(narrow)).rejects.toThrow(/overflow/);
  });
});

describe.skipIf(!pgUp)('rollback --to with the live database: an enum label a down takes away', () => {
  it('counts the rows holding a label the re-created type leaves out; the ALTER that moves the column onto it is covered by that count', async () => {
    const repo = releaseRepo('twoway-pg-enum-');
    repos.push(repo);
    repo.commit(
      {
        'db/000001_orders.up.sql':
          "CREATE TYPE order_status AS ENUM ('new', 'paid');\nCREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);\n",
        'db/000001_orders.down.sql': 'DROP TABLE orders;\nDROP TYPE order_status;\n',
      },
      'v1',
    );
    repo.commit({
      'db/000002_tenant.up.sql': 'ALTER TABLE orders ADD COLUMN tenant_id bigint NOT NULL;\n',
      'db/000002_tenant.down.sql': 'ALTER TABLE orders DROP COLUMN tenant_id;\n',
      'db/000003_refunded.up.sql': "ALTER TYPE order_status ADD VALUE 'refunded';\n",
      'db/000003_refunded.down.sql':
        "ALTER TYPE order_status RENAME TO order_status_old;\nCREATE TYPE order_status AS ENUM ('new', 'paid');\nALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::text::order_status;\nDROP TYPE order_status_old;\n",
    });
    await seed(`
      DROP TABLE IF EXISTS orders, schema_migrations; DROP TYPE IF EXISTS order_status;
      CREATE TYPE order_status AS ENUM ('new', 'paid', 'refunded');
      CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL, tenant_id bigint NOT NULL);
      INSERT INTO orders VALUES (1, 'new', 1), (2, 'refunded', 1), (3, 'paid', 2), (4, 'refunded', 2), (5, 'refunded', 3);
      CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
      INSERT INTO schema_migrations VALUES (3, false);`);
    const { code, out } = await rollback(repo, ['--to', 'v1', '--database-url', pgUrl, '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.downs.map((d: { id: string }) => d.id)).toEqual(['000003', '000002']);
    expect(plan.downs[0].lost.map((l: { what: string; rows: number | null }) => [l.what, l.rows])).toEqual([
      ["rows holding 'refunded', which the down's order_status no longer has", 3],
    ]);
    expect(code).toBe(1);
  });
});

// --- each framework's history table, seeded as the framework writes it -------------------------
const migrations = (framework: Framework, files: Array<[string, string, string]>): Migration[] =>
  files.map(([id, n, path]) => ({
    id,
    name: n,
    framework,
    dialect: 'postgresql',
    path,
    files: [path],
    up: { path, text: '', startLine: 1, language: 'sql' },
    down: null,
    transactional: true,
  }));

const HISTORIES: Array<{ framework: Framework; pg: string; my?: string; set: Migration[]; applied: string[]; missing: string[] }> = [
  {
    framework: 'rails',
    pg: "CREATE TABLE schema_migrations (version varchar PRIMARY KEY); INSERT INTO schema_migrations VALUES ('1'), ('9');",
    my: "CREATE TABLE schema_migrations (version varchar(255) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('1'), ('9');",
    set: migrations('rails', [
      ['1', 'a', 'db/migrate/1_a.rb'],
      ['2', 'b', 'db/migrate/2_b.rb'],
    ]),
    applied: ['1'],
    missing: ['9'],
  },
  {
    framework: 'flyway',
    pg: `CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), script varchar(1000) NOT NULL, success boolean NOT NULL);
         INSERT INTO flyway_schema_history VALUES (1, '1', 'V1__a.sql', true), (2, '2', 'V2__b.sql', false), (3, NULL, 'R__views.sql', true);`,
    my: `CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), script varchar(1000) NOT NULL, success tinyint(1) NOT NULL);
         INSERT INTO flyway_schema_history VALUES (1, '1', 'V1__a.sql', 1), (2, '2', 'V2__b.sql', 0), (3, NULL, 'R__views.sql', 1);`,
    set: migrations('flyway', [
      ['V1__a', 'a', 'sql/V1__a.sql'],
      ['V2__b', 'b', 'sql/V2__b.sql'],
    ]),
    applied: ['V1__a'],
    missing: [],
  },
  {
    framework: 'alembic',
    pg: "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('b2');",
    my: "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('b2');",
    set: migrations('alembic', [
      ['a1', 'a', 'v/a1_a.py'],
      ['b2', 'b', 'v/b2_b.py'],
      ['c3', 'c', 'v/c3_c.py'],
    ]),
    applied: ['a1', 'b2'],
    missing: [],
  },
  {
    framework: 'django',
    pg: "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255), name varchar(255), applied timestamptz); INSERT INTO django_migrations (app, name) VALUES ('shop', '0001_initial'), ('auth', '0001_initial');",
    my: "CREATE TABLE django_migrations (id bigint AUTO_INCREMENT PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)); INSERT INTO django_migrations (app, name) VALUES ('shop', '0001_initial'), ('auth', '0001_initial');",
    set: migrations('django', [
      ['shop.0001_initial', '0001_initial', 'shop/migrations/0001_initial.py'],
      ['shop.0002_x', '0002_x', 'shop/migrations/0002_x.py'],
    ]),
    applied: ['shop.0001_initial'],
    missing: ['auth.0001_initial'],
  },
  {
    framework: 'knex',
    pg: "CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch int, migration_time timestamptz); INSERT INTO knex_migrations (name, batch) VALUES ('20240101_a.js', 1);",
    my: "CREATE TABLE knex_migrations (id int AUTO_INCREMENT PRIMARY KEY, name varchar(255), batch int); INSERT INTO knex_migrations (name, batch) VALUES ('20240101_a.js', 1);",
    set: migrations('knex', [
      ['20240101', 'a', 'migrations/20240101_a.js'],
      ['20240102', 'b', 'migrations/20240102_b.js'],
    ]),
    applied: ['20240101'],
    missing: [],
  },
  {
    framework: 'typeorm',
    pg: "CREATE TABLE migrations (id serial PRIMARY KEY, timestamp bigint NOT NULL, name varchar NOT NULL); INSERT INTO migrations (timestamp, name) VALUES (1704445200000, 'CreateUsers1704445200000');",
    my: "CREATE TABLE migrations (id int AUTO_INCREMENT PRIMARY KEY, timestamp bigint NOT NULL, name varchar(255) NOT NULL); INSERT INTO migrations (timestamp, name) VALUES (1704445200000, 'CreateUsers1704445200000');",
    set: migrations('typeorm', [['1704445200000', 'CreateUsers', 'src/migrations/1704445200000-CreateUsers.ts']]),
    applied: ['1704445200000'],
    missing: [],
  },
  {
    framework: 'sequelize',
    pg: `CREATE TABLE "SequelizeMeta" (name varchar(255) PRIMARY KEY); INSERT INTO "SequelizeMeta" VALUES ('20240105-create-users.js');`,
    my: "CREATE TABLE `SequelizeMeta` (name varchar(255) PRIMARY KEY); INSERT INTO `SequelizeMeta` VALUES ('20240105-create-users.js');",
    set: migrations('sequelize', [['20240105', 'create-users', 'migrations/20240105-create-users.js']]),
    applied: ['20240105'],
    missing: [],
  },
  {
    framework: 'goose',
    pg: `CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now());
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (2, false);`,
    my: `CREATE TABLE goose_db_version (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NULL DEFAULT now());
         INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (2, false);`,
    set: migrations('goose', [
      ['00001', 'a', 'm/00001_a.sql'],
      ['00002', 'b', 'm/00002_b.sql'],
    ]),
    applied: ['00001'],
    missing: [],
  },
  {
    framework: 'golang-migrate',
    pg: 'CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, false);',
    my: 'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, false);',
    set: migrations('golang-migrate', [
      ['000001', 'a', 'm/000001_a.up.sql'],
      ['000002', 'b', 'm/000002_b.up.sql'],
      ['000003', 'c', 'm/000003_c.up.sql'],
    ]),
    applied: ['000001', '000002'],
    missing: [],
  },
  {
    framework: 'dbmate',
    pg: "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240110090000');",
    my: "CREATE TABLE schema_migrations (version varchar(128) NOT NULL PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240110090000');",
    set: migrations('dbmate', [
      ['20240110090000', 'a', 'db/migrations/20240110090000_a.sql'],
      ['20240111090000', 'b', 'db/migrations/20240111090000_b.sql'],
    ]),
    applied: ['20240110090000'],
    missing: [],
  },
  {
    framework: 'diesel',
    pg: "CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY, run_on timestamp DEFAULT now()); INSERT INTO __diesel_schema_migrations (version) VALUES ('20240301000000');",
    my: "CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP); INSERT INTO __diesel_schema_migrations (version) VALUES ('20240301000000');",
    set: migrations('diesel', [['20240301000000', 'create_users', 'migrations/2024-03-01-000000_create_users/up.sql']]),
    applied: ['20240301000000'],
    missing: [],
  },
  {
    framework: 'prisma',
    pg: `CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, migration_name varchar(255) NOT NULL, started_at timestamptz DEFAULT now(), finished_at timestamptz, rolled_back_at timestamptz);
         INSERT INTO _prisma_migrations VALUES ('1', '20240201000000_init', now(), now(), NULL), ('2', '20240202000000_x', now(), NULL, NULL);`,
    my: `CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, migration_name varchar(255) NOT NULL, started_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), finished_at datetime(3) NULL, rolled_back_at datetime(3) NULL);
         INSERT INTO _prisma_migrations VALUES ('1', '20240201000000_init', now(3), now(3), NULL), ('2', '20240202000000_x', now(3), NULL, NULL);`,
    set: migrations('prisma', [
      ['20240201000000_init', 'init', 'prisma/migrations/20240201000000_init/migration.sql'],
      ['20240202000000_x', 'x', 'prisma/migrations/20240202000000_x/migration.sql'],
    ]),
    applied: ['20240201000000_init'],
    missing: [],
  },
  {
    framework: 'node-pg-migrate',
    pg: "CREATE TABLE pgmigrations (id serial PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL DEFAULT now()); INSERT INTO pgmigrations (name) VALUES ('1704445200000_create-users');",
    set: migrations('node-pg-migrate', [['1704445200000', 'create-users', 'migrations/1704445200000_create-users.js']]),
    applied: ['1704445200000'],
    missing: [],
  },
];

describe.skipIf(!pgUp)('history tables on PostgreSQL', () => {
  it('covers every framework twoway knows a history table of', () => {
    expect(new Set(HISTORIES.map((h) => h.framework))).toEqual(new Set(Object.keys(HISTORY_TABLES)));
  });
  for (const h of HISTORIES) {
    it(`${h.framework}: ${HISTORY_TABLES[h.framework]?.table}`, async () => {
      const table = HISTORY_TABLES[h.framework]?.table as string;
      await seed(`DROP TABLE IF EXISTS "${table}"; ${h.pg}`);
      const s = await openReadOnly(pgUrl);
      const history = await appliedHistory(s, h.framework, h.set);
      await s.close();
      expect([...(history?.applied ?? [])].sort()).toEqual(h.applied);
      expect(history?.missing).toEqual(h.missing);
    });
  }
});

const MY = process.env.TWOWAY_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
async function myAdmin() {
  try {
    return await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 2000, multipleStatements: true });
  } catch {
    return null;
  }
}
const myProbe = await myAdmin();
await myProbe?.end();
if (!myProbe) console.warn(`rollback tests: no MariaDB/MySQL at ${MY}; skipped`);

describe.skipIf(!myProbe)('history tables on MariaDB', () => {
  const db = `${name}_my`;
  const url = MY.replace(/\/[^/]*$/, `/${db}`);
  beforeAll(async () => {
    const c = await myAdmin();
    await c?.query(`CREATE DATABASE ${db}`);
    await c?.end();
  });
  afterAll(async () => {
    const c = await myAdmin();
    await c?.query(`DROP DATABASE IF EXISTS ${db}`);
    await c?.end();
  });
  it('covers every framework that runs on MySQL/MariaDB (node-pg-migrate is PostgreSQL only)', () => {
    expect(HISTORIES.filter((x) => !x.my).map((x) => x.framework)).toEqual(['node-pg-migrate']);
  });
  for (const h of HISTORIES.filter((x) => x.my)) {
    it(`${h.framework}: ${HISTORY_TABLES[h.framework]?.table}`, async () => {
      const c = await myAdmin();
      await c?.query(`USE ${db}; DROP TABLE IF EXISTS \`${HISTORY_TABLES[h.framework]?.table}\`; ${h.my}`);
      await c?.end();
      const s = await openReadOnly(url);
      const history = await appliedHistory(s, h.framework, h.set);
      await s.close();
      expect([...(history?.applied ?? [])].sort()).toEqual(h.applied);
      expect(history?.missing).toEqual(h.missing);
    });
  }
});

describe.skipIf(!myProbe)('rollback --to with a live MariaDB', () => {
  const db = `${name}_app`;
  const url = MY.replace(/\/[^/]*$/, `/${db}`);
  afterAll(async () => {
    const c = await myAdmin();
    await c?.query(`DROP DATABASE IF EXISTS ${db}`);
    await c?.end();
  });

  it('golang-migrate on MySQL: downs newest first, values a re-narrowed varchar cannot hold and dropped values counted', async () => {
    const repo = releaseRepo('twoway-mysql-');
    repos.push(repo);
    repo.commit(
      {
        'db/000001_orders.up.sql': 'CREATE TABLE `orders` (`id` BIGINT PRIMARY KEY, `code` VARCHAR(10) NOT NULL) ENGINE=InnoDB;\n',
        'db/000001_orders.down.sql': 'DROP TABLE `orders`;\n',
      },
      'v1',
    );
    repo.commit({
      'db/000002_tenant.up.sql': 'ALTER TABLE `orders` ADD COLUMN `tenant_id` BIGINT NOT NULL;\n',
      'db/000002_tenant.down.sql': 'ALTER TABLE `orders` DROP COLUMN `tenant_id`;\n',
      'db/000003_longer_code.up.sql': 'ALTER TABLE `orders` MODIFY `code` VARCHAR(50) NOT NULL;\n',
      'db/000003_longer_code.down.sql': 'ALTER TABLE `orders` MODIFY `code` VARCHAR(10) NOT NULL;\n',
    });
    const c = await myAdmin();
    await c?.query(
      `CREATE DATABASE ${db}; USE ${db};
       CREATE TABLE orders (id BIGINT PRIMARY KEY, code VARCHAR(50) NOT NULL, tenant_id BIGINT NOT NULL) ENGINE=InnoDB;
       INSERT INTO orders VALUES (1, 'short', 1), (2, 'much-longer-code', 1), (3, 'also-too-long', 2), (4, 'ok', 2);
       CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, dirty BOOLEAN NOT NULL);
       INSERT INTO schema_migrations VALUES (3, false);`,
    );
    await c?.end();
    const { code, out } = await rollback(repo, ['--to', 'v1', '--database-url', url, '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.database).toMatchObject({ dialect: 'mysql', database: db });
    expect(plan.downs.map((d: { id: string }) => d.id)).toEqual(['000003', '000002']);
    expect(plan.downs.map((d: { lost: Array<{ rows: number; what: string }> }) => d.lost.map((l) => [l.what, l.rows]))).toEqual([
      [['values longer than 10 characters (VARCHAR(10))', 2]],
      [['non-null values of a column the down drops', 4]],
    ]);
    expect(plan.commands).toEqual(['migrate -path db -database "$DATABASE_URL" down 2']);
    expect(code).toBe(1);
  });
});

describe.skipIf(!myProbe)('rollback --to with a live MariaDB: ENUM and SET members a down takes away', () => {
  const db = `${name}_enum`;
  const url = MY.replace(/\/[^/]*$/, `/${db}`);
  afterAll(async () => {
    const c = await myAdmin();
    await c?.query(`DROP DATABASE IF EXISTS ${db}`);
    await c?.end();
  });

  it('counts the rows holding a value the down leaves out, as many as the server itself changes running that down', async () => {
    const repo = releaseRepo('twoway-mysql-enum-');
    repos.push(repo);
    repo.commit(
      {
        'db/000001_orders.up.sql':
          "CREATE TABLE `orders` (`id` BIGINT PRIMARY KEY, `status` ENUM('new','paid') NOT NULL, `tags` SET('gift','rush')) ENGINE=InnoDB;\n",
        'db/000001_orders.down.sql': 'DROP TABLE `orders`;\n',
      },
      'v1',
    );
    const downs = {
      '000003': "ALTER TABLE `orders` MODIFY `status` ENUM('new','paid') NOT NULL;\n",
      '000004': "ALTER TABLE `orders` MODIFY `tags` SET('gift','rush');\n",
    };
    repo.commit({
      'db/000002_tenant.up.sql': 'ALTER TABLE `orders` ADD COLUMN `tenant_id` BIGINT NOT NULL;\n',
      'db/000002_tenant.down.sql': 'ALTER TABLE `orders` DROP COLUMN `tenant_id`;\n',
      'db/000003_refunded.up.sql': "ALTER TABLE `orders` MODIFY `status` ENUM('new','paid','it''s refunded') NOT NULL;\n",
      'db/000003_refunded.down.sql': downs['000003'],
      'db/000004_fragile.up.sql': "ALTER TABLE `orders` MODIFY `tags` SET('gift','rush','fragile');\n",
      'db/000004_fragile.down.sql': downs['000004'],
    });
    const c = (await myAdmin()) as NonNullable<Awaited<ReturnType<typeof myAdmin>>>;
    await c.query(
      `CREATE DATABASE ${db}; USE ${db};
       CREATE TABLE orders (id BIGINT PRIMARY KEY, status ENUM('new','paid','it''s refunded') NOT NULL, tags SET('gift','rush','fragile'), tenant_id BIGINT NOT NULL) ENGINE=InnoDB;
       INSERT INTO orders VALUES (1, 'new', 'gift', 1), (2, 'it''s refunded', 'gift,fragile', 1), (3, 'it''s refunded', '', 2),
         (4, 'paid', NULL, 2), (5, 'paid', 'rush,gift', 2), (6, 'new', 'fragile', 3), (7, 'it''s refunded', 'rush', 3);
       CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, dirty BOOLEAN NOT NULL);
       INSERT INTO schema_migrations VALUES (4, false);`,
    );
    const { code, out } = await rollback(repo, ['--to', 'v1', '--database-url', url, '--format', 'json']);
    const plan = JSON.parse(out);
    expect(plan.downs.map((d: { id: string }) => d.id)).toEqual(['000004', '000003', '000002']);
    const lost = Object.fromEntries(
      plan.downs.map((d: { id: string; lost: Array<{ what: string; rows: number }> }) => [d.id, d.lost.map((l) => [l.what, l.rows])]),
    );
    expect(lost['000004']).toEqual([["rows holding a member the down's SET('gift', 'rush') leaves out", 2]]);
    expect(lost['000003']).toEqual([["rows holding a value the down's ENUM('new', 'paid') leaves out", 3]]);
    expect(code).toBe(1);

    // The server agrees: strict mode refuses the ENUM down, and without it the downs change exactly the rows counted.
    await expect(c.query(`USE ${db}; SET SESSION sql_mode = 'STRICT_ALL_TABLES'; ${downs['000003']}`)).rejects.toThrow(/truncated/i);
    const snapshot = async () =>
      ((await c.query(`SELECT id, status, tags FROM ${db}.orders ORDER BY id`)) as unknown as [Array<Record<string, unknown>>])[0];
    const before = await snapshot();
    await c.query(`USE ${db}; SET SESSION sql_mode = ''; ${downs['000004']} ${downs['000003']}`);
    const after = await snapshot();
    const changed = (col: string) => before.filter((r, i) => r[col] !== after[i]?.[col]).length;
    expect([changed('tags'), changed('status')]).toEqual([2, 3]);
    await c.end();
  });
});
