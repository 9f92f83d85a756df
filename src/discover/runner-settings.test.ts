import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { loadConfig } from '../config.js';
import { loadAdapters } from '../frameworks/index.js';
import { tree } from '../frameworks/testing.js';
import { toJsonReport } from '../report/json.js';

beforeAll(() => loadAdapters());

/** The timeout findings of a project, and what its JSON report says the runner sets. */
async function timeouts(files: Record<string, string>) {
  const cwd = tree(files);
  const result = await check(['.'], { cwd });
  const json = toJsonReport(result);
  return {
    findings: json.migrations.flatMap((m) =>
      m.findings.filter((f) => f.rule === 'require-lock-timeout' || f.rule === 'require-statement-timeout').map((f) => f.rule),
    ),
    runnerSettings: json.sets.map((s) => s.runnerSettings ?? null),
    errors: json.errors,
  };
}

const RAILS = {
  Gemfile: "gem 'rails'\ngem 'pg'\n",
  'db/migrate/20240101000000_create_users.rb':
    'class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users do |t|\n      t.string :email\n    end\n  end\nend\n',
  'db/migrate/20240102000000_add_index_to_users.rb':
    'class AddIndexToUsers < ActiveRecord::Migration[7.1]\n  def change\n    add_column :users, :nickname, :string\n    add_index :users, :email\n  end\nend\n',
};

describe('runner settings: Rails', () => {
  it('asks for lock_timeout when nothing sets it', async () => {
    const r = await timeouts({ ...RAILS, 'config/database.yml': 'production:\n  adapter: postgresql\n  database: app\n' });
    expect(r.findings).toContain('require-lock-timeout');
    expect(r.runnerSettings).toEqual([null]);
  });

  it("reads strong_migrations' initializer", async () => {
    const r = await timeouts({
      ...RAILS,
      'config/database.yml': 'production:\n  adapter: postgresql\n',
      'config/initializers/strong_migrations.rb': [
        '# Mark existing migrations as safe',
        'StrongMigrations.start_after = 20230101000000',
        '',
        '# Set timeouts for migrations',
        '# If you use PgBouncer in transaction mode, delete these lines and set timeouts on the database user',
        'StrongMigrations.lock_timeout = 10.seconds',
        'StrongMigrations.statement_timeout = 1.hour',
        '',
        '# StrongMigrations.auto_analyze = true',
        '',
      ].join('\n'),
    });
    expect(r.findings).toEqual([]);
    expect(r.runnerSettings).toEqual([
      {
        lockTimeout: { value: '10s', source: 'config/initializers/strong_migrations.rb:6' },
        statementTimeout: { value: '1h', source: 'config/initializers/strong_migrations.rb:7' },
      },
    ]);
  });

  it('does not count a commented-out initializer line', async () => {
    const r = await timeouts({
      ...RAILS,
      'config/database.yml': 'production:\n  adapter: postgresql\n',
      'config/initializers/strong_migrations.rb':
        '# StrongMigrations.lock_timeout = 10.seconds\nStrongMigrations.start_after = 20230101000000\n',
    });
    expect(r.findings).toContain('require-lock-timeout');
  });

  it('reads database.yml variables through ERB tags and anchors', async () => {
    const r = await timeouts({
      ...RAILS,
      'config/database.yml': [
        'default: &default',
        '  adapter: postgresql',
        '  encoding: unicode',
        '  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>',
        '  variables:',
        '    lock_timeout: 5s',
        '    statement_timeout: <%= ENV["STATEMENT_TIMEOUT"] %>',
        '',
        '<% if ENV["DATABASE_URL"] %>',
        'production:',
        '  <<: *default',
        '  url: <%= ENV["DATABASE_URL"] %>',
        '<% end %>',
        '',
      ].join('\n'),
    });
    // statement_timeout comes from the environment at run time: not known, so not counted.
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '5s', source: 'config/database.yml:6' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
  });

  it('takes no setting only development and test have', async () => {
    const r = await timeouts({
      ...RAILS,
      'config/database.yml':
        'development:\n  adapter: postgresql\n  variables:\n    lock_timeout: 5s\nproduction:\n  adapter: postgresql\n',
    });
    expect(r.runnerSettings).toEqual([null]);
    expect(r.findings).toContain('require-lock-timeout');
  });

  it('prefers production over development', async () => {
    const r = await timeouts({
      ...RAILS,
      'config/database.yml':
        'development:\n  adapter: postgresql\n  variables:\n    lock_timeout: 0\nproduction:\n  adapter: postgresql\n  variables:\n    lock_timeout: 3000\n',
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '3000', source: 'config/database.yml:8' } }]);
  });
});

const DJANGO = {
  'manage.py': 'import os\nimport sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'shop/__init__.py': '',
  'shop/migrations/__init__.py': '',
  'shop/migrations/0001_initial.py': [
    'from django.db import migrations, models',
    '',
    'class Migration(migrations.Migration):',
    '    initial = True',
    '    dependencies = []',
    '    operations = [',
    '        migrations.CreateModel(',
    '            name="Product",',
    '            fields=[("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=100))],',
    '        ),',
    '    ]',
    '',
  ].join('\n'),
  'shop/migrations/0002_product_sku.py': [
    'from django.db import migrations, models',
    '',
    'class Migration(migrations.Migration):',
    '    dependencies = [("shop", "0001_initial")]',
    '    operations = [',
    '        migrations.AddField(model_name="product", name="sku", field=models.CharField(max_length=20, null=True)),',
    '    ]',
    '',
  ].join('\n'),
};

describe('runner settings: Django', () => {
  it('reads OPTIONS.options in the DATABASES dict', async () => {
    const r = await timeouts({
      ...DJANGO,
      'mysite/__init__.py': '',
      'mysite/settings.py': [
        'DATABASES = {',
        '    "default": {',
        '        "ENGINE": "django.db.backends.postgresql",',
        '        "NAME": "shop",',
        '        "OPTIONS": {',
        '            "options": "-c lock_timeout=5000 -c search_path=public",',
        '        },',
        '    }',
        '}',
        '',
      ].join('\n'),
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '5000', source: 'mysite/settings.py:6' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
  });

  it('reads a subscript assignment in a settings package', async () => {
    const r = await timeouts({
      ...DJANGO,
      'mysite/settings/__init__.py': '',
      'mysite/settings/production.py':
        'from .base import *\n\nDATABASES["default"]["OPTIONS"]["options"] = "-c statement_timeout=15min -c lock_timeout=2s"\n',
    });
    expect(r.runnerSettings).toEqual([
      {
        lockTimeout: { value: '2s', source: 'mysite/settings/production.py:3' },
        statementTimeout: { value: '15min', source: 'mysite/settings/production.py:3' },
      },
    ]);
  });

  it("does not take the test settings' database", async () => {
    const r = await timeouts({
      ...DJANGO,
      'mysite/settings/__init__.py': '',
      'mysite/settings/test.py': 'DATABASES = {"default": {"OPTIONS": {"options": "-c lock_timeout=1s"}}}\n',
    });
    expect(r.runnerSettings).toEqual([null]);
  });

  it('does not take an OPTIONS key of something else, or a lock_timeout of 0', async () => {
    const r = await timeouts({
      ...DJANGO,
      'mysite/settings.py':
        'CACHES = {"default": {"options": "-c lock_timeout=5s"}}\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c lock_timeout=0"}}}\n',
    });
    expect(r.runnerSettings).toEqual([null]);
    expect(r.findings).toContain('require-lock-timeout');
  });
});

const ALEMBIC = {
  'alembic.ini': '[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://localhost/app\n',
  'alembic/script.py.mako': '',
  'alembic/versions/1a_create.py': [
    'from alembic import op',
    'import sqlalchemy as sa',
    'revision = "1a"',
    'down_revision = None',
    'def upgrade():',
    '    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
    'def downgrade():',
    '    op.drop_table("users")',
    '',
  ].join('\n'),
  'alembic/versions/2b_add.py': [
    'from alembic import op',
    'import sqlalchemy as sa',
    'revision = "2b"',
    'down_revision = "1a"',
    'def upgrade():',
    '    op.add_column("users", sa.Column("name", sa.String(50), nullable=True))',
    'def downgrade():',
    '    op.drop_column("users", "name")',
    '',
  ].join('\n'),
};

describe('runner settings: Alembic', () => {
  it('reads the SET that env.py executes before running the migrations', async () => {
    const r = await timeouts({
      ...ALEMBIC,
      'alembic/env.py': [
        'from alembic import context',
        'from sqlalchemy import engine_from_config, pool, text',
        '',
        'def run_migrations_online():',
        '    connectable = engine_from_config(config.get_section(config.config_ini_section), poolclass=pool.NullPool)',
        '    with connectable.connect() as connection:',
        '        connection.execute(text("SET lock_timeout = \'4s\'"))',
        '        context.configure(connection=connection, target_metadata=None)',
        '        with context.begin_transaction():',
        '            context.run_migrations()',
        '',
      ].join('\n'),
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '4s', source: 'alembic/env.py:7' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
  });

  it("reads the options an env.py's create_engine passes in connect_args", async () => {
    const r = await timeouts({
      ...ALEMBIC,
      'alembic/env.py': [
        'import os',
        'from alembic import context',
        'from sqlalchemy import create_engine',
        '',
        'def run_migrations_online():',
        '    connectable = create_engine(',
        '        os.environ["DATABASE_URL"],',
        '        connect_args={"options": "-c lock_timeout=3s -c statement_timeout=10min"},',
        '    )',
        '    with connectable.connect() as connection:',
        '        context.configure(connection=connection, target_metadata=None)',
        '        with context.begin_transaction():',
        '            context.run_migrations()',
        '',
      ].join('\n'),
    });
    expect(r.runnerSettings).toEqual([
      { lockTimeout: { value: '3s', source: 'alembic/env.py:8' }, statementTimeout: { value: '10min', source: 'alembic/env.py:8' } },
    ]);
    expect(r.findings).toEqual([]);
  });

  it("reads libpq options in alembic.ini's sqlalchemy.url, not a parameter libpq does not take", async () => {
    const env =
      'from alembic import context\n\ndef run_migrations_online():\n    with context.begin_transaction():\n        context.run_migrations()\n';
    const withOptions = await timeouts({
      ...ALEMBIC,
      'alembic.ini':
        '[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql+psycopg2://app@localhost/app?options=-c%20lock_timeout%3D5s\n',
      'alembic/env.py': env,
    });
    expect(withOptions.runnerSettings).toEqual([{ lockTimeout: { value: '5s', source: 'alembic.ini:3' } }]);
    expect(withOptions.findings).not.toContain('require-lock-timeout');
    const bare = await timeouts({
      ...ALEMBIC,
      'alembic.ini': '[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://app@localhost/app?lock_timeout=5s\n',
      'alembic/env.py': env,
    });
    expect(bare.runnerSettings).toEqual([null]);
    expect(bare.findings).toContain('require-lock-timeout');
  });

  it('asks for it with a plain env.py', async () => {
    const r = await timeouts({
      ...ALEMBIC,
      'alembic/env.py':
        'from alembic import context\n\ndef run_migrations_online():\n    with context.begin_transaction():\n        context.run_migrations()\n',
    });
    expect(r.runnerSettings).toEqual([null]);
    expect(r.findings).toContain('require-lock-timeout');
  });
});

const SQL_MIGRATIONS = {
  create: 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n',
  alter: 'ALTER TABLE accounts ADD COLUMN nickname text;\n',
};

describe('runner settings: Flyway', () => {
  const files = {
    'sql/V1__create.sql': SQL_MIGRATIONS.create,
    'sql/V2__alter.sql': SQL_MIGRATIONS.alter,
  };

  it('reads flyway.initSql in flyway.conf', async () => {
    const r = await timeouts({
      ...files,
      'flyway.conf':
        "flyway.url=jdbc:postgresql://localhost:5432/app\nflyway.locations=filesystem:sql\nflyway.initSql=SET lock_timeout = '5s'\n",
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '5s', source: 'flyway.conf:3' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
  });

  it('reads initSql in flyway.toml', async () => {
    const r = await timeouts({
      ...files,
      'flyway.toml': [
        '[environments.default]',
        'url = "jdbc:postgresql://localhost:5432/app"',
        "initSql = \"SET lock_timeout TO '3s'; SET statement_timeout = '10min'\"",
        '',
        '[flyway]',
        'locations = ["filesystem:sql"]',
        '',
      ].join('\n'),
    });
    expect(r.runnerSettings).toEqual([
      { lockTimeout: { value: '3s', source: 'flyway.toml:3' }, statementTimeout: { value: '10min', source: 'flyway.toml:3' } },
    ]);
  });

  it('asks for it with a flyway.conf that sets nothing', async () => {
    const r = await timeouts({
      ...files,
      'flyway.conf': 'flyway.url=jdbc:postgresql://localhost:5432/app\nflyway.locations=filesystem:sql\n',
    });
    expect(r.runnerSettings).toEqual([null]);
    expect(r.findings).toContain('require-lock-timeout');
  });

  it("reads pgJDBC's options parameter in flyway.url, not a parameter pgJDBC ignores", async () => {
    const r = await timeouts({
      ...files,
      'flyway.conf':
        'flyway.url=jdbc:postgresql://localhost:5432/app?options=-c%20lock_timeout=4s\nflyway.user=app\nflyway.locations=filesystem:sql\n',
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '4s', source: 'flyway.conf:1' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
    const ignored = await timeouts({
      ...files,
      'flyway.toml':
        '[environments.default]\nurl = "jdbc:postgresql://localhost:5432/app?lock_timeout=4s"\n\n[flyway]\nlocations = ["filesystem:sql"]\n',
    });
    expect(ignored.runnerSettings).toEqual([null]);
  });

  it('reads a beforeEachMigrate.sql callback', async () => {
    const r = await timeouts({
      ...files,
      'flyway.conf': 'flyway.url=jdbc:postgresql://localhost:5432/app\nflyway.locations=filesystem:sql\n',
      'sql/beforeEachMigrate__timeouts.sql': "SET lock_timeout TO '2s';\nSET statement_timeout TO '5min';\n",
    });
    expect(r.runnerSettings).toEqual([
      {
        lockTimeout: { value: '2s', source: 'sql/beforeEachMigrate__timeouts.sql:1' },
        statementTimeout: { value: '5min', source: 'sql/beforeEachMigrate__timeouts.sql:2' },
      },
    ]);
    expect(r.findings).toEqual([]);
  });

  it('reads a beforeMigrate.sql callback beside the migrations', async () => {
    const r = await timeouts({
      ...files,
      'flyway.conf': 'flyway.url=jdbc:postgresql://localhost:5432/app\nflyway.locations=filesystem:sql\n',
      'sql/beforeMigrate.sql': "-- every migrate\nSET lock_timeout = '5s';\n",
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '5s', source: 'sql/beforeMigrate.sql:2' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
  });
});

describe('runner settings: database URLs', () => {
  it("reads golang-migrate's URL options in a Makefile", async () => {
    const r = await timeouts({
      'migrations/000001_create.up.sql': SQL_MIGRATIONS.create,
      'migrations/000001_create.down.sql': 'DROP TABLE accounts;\n',
      'migrations/000002_alter.up.sql': SQL_MIGRATIONS.alter,
      'migrations/000002_alter.down.sql': 'ALTER TABLE accounts DROP COLUMN nickname;\n',
      Makefile:
        'DB_URL ?= postgres://app:app@localhost:5432/app?sslmode=disable&options=-c%20lock_timeout%3D5s&x-statement-timeout=60000\n\nmigrate:\n\tmigrate -path migrations -database "$(DB_URL)" up\n',
    });
    expect(r.runnerSettings).toEqual([
      { lockTimeout: { value: '5s', source: 'Makefile:1' }, statementTimeout: { value: '60000', source: 'Makefile:1' } },
    ]);
    expect(r.findings).toEqual([]);
  });

  it("reads dbmate's DATABASE_URL in .env", async () => {
    const r = await timeouts({
      'db/migrations/20240101000000_create.sql': `-- migrate:up\n${SQL_MIGRATIONS.create}\n-- migrate:down\nDROP TABLE accounts;\n`,
      'db/migrations/20240102000000_alter.sql': `-- migrate:up\n${SQL_MIGRATIONS.alter}\n-- migrate:down\nALTER TABLE accounts DROP COLUMN nickname;\n`,
      '.env': '# dbmate\nDATABASE_URL="postgres://app@127.0.0.1:5432/app?sslmode=disable&options=-c+lock_timeout%3D2s"\n',
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '2s', source: '.env:2' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
  });

  it("reads a server setting Go's drivers take straight from the URL (golang-migrate in docker-compose.yml)", async () => {
    const r = await timeouts({
      ...SQL_MIGRATIONS_SET,
      'docker-compose.yml': [
        'services:',
        '  migrate:',
        '    image: migrate/migrate',
        '    volumes: ["./migrations:/migrations"]',
        '    command: ["-path", "/migrations", "-database", "postgres://app:app@db:5432/app?sslmode=disable&lock_timeout=5000", "up"]',
        '',
      ].join('\n'),
    });
    expect(r.runnerSettings).toEqual([{ lockTimeout: { value: '5000', source: 'docker-compose.yml:5' } }]);
    expect(r.findings).not.toContain('require-lock-timeout');
  });

  it("reads goose's GOOSE_DBSTRING with both settings as URL parameters", async () => {
    const r = await timeouts({
      'migrations/20240101000000_create.sql': `-- +goose Up\n${SQL_MIGRATIONS.create}\n-- +goose Down\nDROP TABLE accounts;\n`,
      'migrations/20240102000000_alter.sql': `-- +goose Up\n${SQL_MIGRATIONS.alter}\n-- +goose Down\nALTER TABLE accounts DROP COLUMN nickname;\n`,
      '.env':
        'GOOSE_DRIVER=postgres\nGOOSE_DBSTRING=postgres://app@localhost:5432/app?sslmode=disable&lock_timeout=5s&statement_timeout=15min\n',
    });
    expect(r.runnerSettings).toEqual([
      { lockTimeout: { value: '5s', source: '.env:2' }, statementTimeout: { value: '15min', source: '.env:2' } },
    ]);
    expect(r.findings).toEqual([]);
  });

  it('takes no setting from a URL without one', async () => {
    const r = await timeouts({
      'migrations/000001_create.up.sql': SQL_MIGRATIONS.create,
      'migrations/000002_alter.up.sql': SQL_MIGRATIONS.alter,
      '.env': 'DATABASE_URL=postgres://app@localhost/app?sslmode=disable\n',
    });
    expect(r.runnerSettings).toEqual([null]);
    expect(r.findings).toContain('require-lock-timeout');
  });
});

describe('runner settings: the config', () => {
  it('wins over a detected value and names the config', async () => {
    const cwd = tree({ ...SQL_MIGRATIONS_SET, '.env': 'DATABASE_URL=postgres://h/app?options=-c%20lock_timeout%3D9s\n' });
    const result = await check(['.'], { cwd, runnerSettings: { lock_timeout: '5s' }, runnerSettingsSource: 'twoway.config.json' });
    expect(toJsonReport(result).sets[0]?.runnerSettings).toEqual({ lockTimeout: { value: '5s', source: 'twoway.config.json' } });
  });

  it('lockTimeout or statementTimeout in twoway.config.json leaves no timeout finding (issue 10: with one of these, none)', async () => {
    // A statement that asks for both: a rewrite of an existing table (ACCESS EXCLUSIVE for its whole length).
    const files = {
      ...SQL_MIGRATIONS_SET,
      'migrations/000003_retype.up.sql': 'ALTER TABLE accounts ALTER COLUMN email TYPE varchar(100);\n',
    };
    const timeoutRules = (result: Awaited<ReturnType<typeof check>>) =>
      toJsonReport(result).migrations.flatMap((m) => m.findings.map((f) => f.rule).filter((r) => r.endsWith('-timeout')));
    const bare = tree(files);
    expect(timeoutRules(await check(['.'], { cwd: bare }))).toEqual(
      expect.arrayContaining(['require-lock-timeout', 'require-statement-timeout']),
    );
    for (const [config, left] of [
      [{ lockTimeout: '5s', statementTimeout: '15min' }, []],
      [{ lockTimeout: '5s' }, []],
      [{ statementTimeout: '15min' }, []],
    ] as const) {
      const cwd = tree({ ...files, 'twoway.config.json': JSON.stringify(config) });
      const loaded = loadConfig(cwd);
      const result = await check(['.'], { cwd, runnerSettings: loaded?.runnerSettings, runnerSettingsSource: loaded?.file });
      expect([...new Set(timeoutRules(result))]).toEqual(left);
    }
  });

  it('is not read with detectRunnerSettings: false', async () => {
    const cwd = tree({ ...SQL_MIGRATIONS_SET, '.env': 'DATABASE_URL=postgres://h/app?options=-c%20lock_timeout%3D9s\n' });
    const result = await check(['.'], { cwd, detectRunnerSettings: false });
    expect(toJsonReport(result).sets[0]?.runnerSettings).toBeUndefined();
  });
});

const SQL_MIGRATIONS_SET = {
  'migrations/000001_create.up.sql': SQL_MIGRATIONS.create,
  'migrations/000002_alter.up.sql': SQL_MIGRATIONS.alter,
};
