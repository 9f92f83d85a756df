// Renames, type changes and SET NOT NULL judged against the previous release's code, for every ORM an
// evidence reader knows: a git repository built here holds release v1 (its models still read the old
// column name and type) and v2 (the migrations). `twoway check --since v1` must point at the line of v1
// that reads the column; the same history with a v1 that does not map those columns gets no such line.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { releaseRepo } from '../testing/git-repo.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Finding {
  rule: string;
  message: string;
  severity: string;
  line: number;
  /** The code-rollback answer the judge's reason behind the finding gives. */
  verdict?: string;
  evidence?: Array<{ ref: string; path: string; line: number; text: string }>;
}

/** Checks v2's migrations against release v1; the findings of the migrations v1 did not have, by rule. */
async function judgedAgainstV1(v1: Record<string, string>, v2: Record<string, string>): Promise<Map<string, Finding>> {
  const repo = releaseRepo();
  dirs.push(repo.dir);
  repo.commit(v1, 'v1');
  repo.commit(v2);
  let out = '';
  let err = '';
  await main(['check', '--since', 'v1', '--format', 'json'], { out: (s) => (out += s), err: (s) => (err += s), cwd: repo.dir });
  if (!out) throw new Error(err);
  const report = JSON.parse(out) as {
    migrations: Array<{ path: string; reasons: Array<{ rule: string; line: number; codeRollback?: string }>; findings: Finding[] }>;
  };
  const byRule = new Map<string, Finding>();
  for (const m of report.migrations.filter((x) => !Object.keys(v1).includes(x.path)))
    for (const f of m.findings) {
      const verdict = m.reasons.find((r) => r.rule === f.rule && r.line === f.line)?.codeRollback;
      if (!byRule.has(f.rule)) byRule.set(f.rule, { ...f, verdict });
    }
  return byRule;
}

const RULES = ['rename-column', 'change-column-type', 'set-not-null'] as const;

/** Where each finding's evidence points in v1 (path:line), or null without evidence. */
function pointers(findings: Map<string, Finding>): Record<string, string | null> {
  return Object.fromEntries(
    RULES.map((r) => {
      const f = findings.get(r);
      if (!f) return [r, 'no finding'];
      const e = f.evidence?.[0];
      return [r, e ? `${e.ref} ${e.path}:${e.line}` : null];
    }),
  );
}

interface Case {
  /** v1's application code that reads users.full_name (renamed), users.score (bigint → integer), users.email (NOT NULL). */
  reads: Record<string, string>;
  /** The same files, mapping none of the three columns. */
  blind: Record<string, string>;
  /** The migrations v1 ran (creating users) and the project files. */
  base: Record<string, string>;
  /** v2's migrations: the rename, the narrowing, SET NOT NULL. */
  changes: Record<string, string>;
  /** The lines of v1 the evidence must name, by rule. */
  expected: Record<(typeof RULES)[number], string>;
}

const railsMigration = (cls: string, body: string) => `class ${cls} < ActiveRecord::Migration[7.1]\n  def change\n${body}\n  end\nend\n`;
const railsBase = {
  Gemfile: "gem 'rails'\n",
  'app/models/application_record.rb': 'class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n',
  'db/migrate/20240101000000_create_users.rb': railsMigration(
    'CreateUsers',
    '    create_table :users do |t|\n      t.string :email\n      t.string :full_name\n      t.bigint :score\n    end',
  ),
};

const djangoModel = (fields: string) =>
  `from django.db import models\n\n\nclass User(models.Model):\n    handle = models.TextField()\n${fields}`;

const alembicRevision = (id: string, prev: string | null, up: string) =>
  `import sqlalchemy as sa\nfrom alembic import op\n\nrevision = "${id}"\ndown_revision = ${prev ? `"${prev}"` : 'None'}\n\n\ndef upgrade():\n    ${up}\n\n\ndef downgrade():\n    pass\n`;

const sqlChanges = [
  'ALTER TABLE users RENAME COLUMN full_name TO display_name;',
  'ALTER TABLE users ALTER COLUMN score TYPE integer;',
  'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
];
const createUsersSql = 'CREATE TABLE users (id bigserial PRIMARY KEY, handle text, email text, full_name text, score bigint);';

const typeormMigration = (cls: string, sql: string) =>
  `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(\`${sql}\`);\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n`;

const sequelizeMigration = (up: string) =>
  `'use strict';\nmodule.exports = {\n  async up(queryInterface, Sequelize) {\n    ${up}\n  },\n  async down() {},\n};\n`;

const knexMigration = (up: string) => `exports.up = (knex) => ${up};\nexports.down = () => {};\n`;

const CASES: Record<string, Case> = {
  rails: {
    base: railsBase,
    // An Active Record model loads every column: the class line is the evidence, ignored_columns the way out.
    reads: { 'app/models/user.rb': 'class User < ApplicationRecord\n  validates :handle, presence: true\nend\n' },
    blind: {
      'app/models/user.rb':
        'class User < ApplicationRecord\n  self.ignored_columns += %w[full_name score email]\n  validates :handle, presence: true\nend\n',
    },
    changes: {
      'db/migrate/20240201000000_rename_full_name.rb': railsMigration(
        'RenameFullName',
        '    rename_column :users, :full_name, :display_name',
      ),
      'db/migrate/20240202000000_narrow_score.rb':
        'class NarrowScore < ActiveRecord::Migration[7.1]\n  def up\n    change_column :users, :score, :integer\n  end\n\n  def down\n    change_column :users, :score, :bigint\n  end\nend\n',
      'db/migrate/20240203000000_email_not_null.rb': railsMigration('EmailNotNull', '    change_column_null :users, :email, false'),
    },
    expected: {
      'rename-column': 'v1 app/models/user.rb:1',
      'change-column-type': 'v1 app/models/user.rb:1',
      'set-not-null': 'v1 app/models/user.rb:1',
    },
  },
  django: {
    base: {
      'manage.py': 'import django\n',
      'accounts/__init__.py': '',
      'accounts/migrations/__init__.py': '',
      'accounts/migrations/0001_initial.py': [
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    initial = True',
        '    dependencies = []',
        '    operations = [',
        '        migrations.CreateModel(',
        '            name="User",',
        '            fields=[',
        '                ("id", models.BigAutoField(primary_key=True)),',
        '                ("handle", models.TextField()),',
        '                ("email", models.TextField(null=True)),',
        '                ("full_name", models.TextField(null=True)),',
        '                ("score", models.BigIntegerField(null=True)),',
        '            ],',
        '            options={"db_table": "users"},',
        '        ),',
        '    ]',
        '',
      ].join('\n'),
    },
    reads: {
      'accounts/models.py': djangoModel(
        '    email = models.TextField(null=True)\n    full_name = models.TextField(null=True)\n    score = models.BigIntegerField(null=True)\n\n    class Meta:\n        db_table = "users"\n',
      ),
    },
    blind: { 'accounts/models.py': djangoModel('\n    class Meta:\n        db_table = "users"\n') },
    changes: {
      'accounts/migrations/0002_changes.py': [
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    dependencies = [("accounts", "0001_initial")]',
        '    operations = [',
        '        migrations.RenameField(model_name="user", old_name="full_name", new_name="display_name"),',
        '        migrations.AlterField(model_name="user", name="score", field=models.IntegerField(null=True)),',
        '        migrations.AlterField(model_name="user", name="email", field=models.TextField()),',
        '    ]',
        '',
      ].join('\n'),
    },
    expected: {
      'rename-column': 'v1 accounts/models.py:7',
      'change-column-type': 'v1 accounts/models.py:8',
      'set-not-null': 'v1 accounts/models.py:6',
    },
  },
  sqlalchemy: {
    base: {
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'migrations/env.py': 'from alembic import context\n',
      'migrations/versions/a1_create_users.py': alembicRevision(
        'a1',
        null,
        'op.create_table("users", sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("handle", sa.Text()), sa.Column("email", sa.Text()), sa.Column("full_name", sa.Text()), sa.Column("score", sa.BigInteger()))',
      ),
    },
    reads: {
      'app/models.py':
        'import sqlalchemy as sa\nfrom sqlalchemy.orm import Mapped, mapped_column\n\n\nclass User(Base):\n    __tablename__ = "users"\n    id = sa.Column(sa.BigInteger, primary_key=True)\n    email: Mapped[str | None]\n    full_name = sa.Column(sa.Text)\n    score: Mapped[int] = mapped_column(sa.BigInteger)\n',
    },
    blind: {
      'app/models.py':
        'import sqlalchemy as sa\n\n\nclass User(Base):\n    __tablename__ = "users"\n    id = sa.Column(sa.BigInteger, primary_key=True)\n    handle = sa.Column(sa.Text)\n',
    },
    changes: {
      'migrations/versions/b2_rename.py': alembicRevision(
        'b2',
        'a1',
        'op.alter_column("users", "full_name", new_column_name="display_name")',
      ),
      'migrations/versions/c3_narrow.py': alembicRevision(
        'c3',
        'b2',
        'op.alter_column("users", "score", type_=sa.Integer(), existing_type=sa.BigInteger())',
      ),
      'migrations/versions/d4_not_null.py': alembicRevision('d4', 'c3', 'op.alter_column("users", "email", nullable=False)'),
    },
    expected: {
      'rename-column': 'v1 app/models.py:9',
      'change-column-type': 'v1 app/models.py:10',
      'set-not-null': 'v1 app/models.py:8',
    },
  },
  prisma: {
    base: {
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240101000000_init/migration.sql': `${createUsersSql}\n`,
    },
    reads: {
      'prisma/schema.prisma':
        'model User {\n  id       BigInt  @id\n  handle   String?\n  email    String?\n  fullName String? @map("full_name")\n  score    BigInt?\n\n  @@map("users")\n}\n',
    },
    blind: { 'prisma/schema.prisma': 'model User {\n  id     BigInt  @id\n  handle String?\n\n  @@map("users")\n}\n' },
    changes: {
      'prisma/migrations/20240201000000_rename/migration.sql': `${sqlChanges[0]}\n`,
      'prisma/migrations/20240202000000_narrow/migration.sql': `${sqlChanges[1]}\n`,
      'prisma/migrations/20240203000000_not_null/migration.sql': `${sqlChanges[2]}\n`,
    },
    expected: {
      'rename-column': 'v1 prisma/schema.prisma:5',
      'change-column-type': 'v1 prisma/schema.prisma:6',
      'set-not-null': 'v1 prisma/schema.prisma:4',
    },
  },
  typeorm: {
    base: {
      'package.json': '{"dependencies": {"typeorm": "^0.3.20"}}\n',
      'src/migration/1704067200000-CreateUsers.ts': typeormMigration('CreateUsers1704067200000', createUsersSql),
    },
    reads: {
      'src/entity/User.ts':
        "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity('users')\nexport class User {\n  @PrimaryGeneratedColumn() id: number;\n  @Column({ nullable: true }) email: string;\n  @Column({ name: 'full_name', nullable: true }) fullName: string;\n  @Column('bigint', { nullable: true }) score: string;\n}\n",
    },
    blind: {
      'src/entity/User.ts':
        "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity('users')\nexport class User {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() handle: string;\n}\n",
    },
    changes: {
      'src/migration/1706745600000-Rename.ts': typeormMigration('Rename1706745600000', sqlChanges[0] as string),
      'src/migration/1706832000000-Narrow.ts': typeormMigration('Narrow1706832000000', sqlChanges[1] as string),
      'src/migration/1706918400000-NotNull.ts': typeormMigration('NotNull1706918400000', sqlChanges[2] as string),
    },
    expected: {
      'rename-column': 'v1 src/entity/User.ts:7',
      'change-column-type': 'v1 src/entity/User.ts:8',
      'set-not-null': 'v1 src/entity/User.ts:6',
    },
  },
  sequelize: {
    base: {
      'package.json': '{"dependencies": {"sequelize": "^6.37.0", "sequelize-cli": "^6.6.0"}}\n',
      'migrations/20240101000000-create-users.js': sequelizeMigration(
        "await queryInterface.createTable('users', { id: { type: Sequelize.BIGINT, primaryKey: true, autoIncrement: true }, handle: { type: Sequelize.TEXT }, email: { type: Sequelize.TEXT }, full_name: { type: Sequelize.TEXT }, score: { type: Sequelize.BIGINT } });",
      ),
    },
    reads: {
      'models/user.js':
        "const { DataTypes } = require('sequelize');\nmodule.exports = (sequelize) =>\n  sequelize.define('User', {\n    email: DataTypes.TEXT,\n    fullName: { type: DataTypes.TEXT, field: 'full_name' },\n    score: DataTypes.BIGINT,\n  }, { tableName: 'users' });\n",
    },
    blind: {
      'models/user.js':
        "const { DataTypes } = require('sequelize');\nmodule.exports = (sequelize) =>\n  sequelize.define('User', {\n    handle: DataTypes.TEXT,\n  }, { tableName: 'users' });\n",
    },
    changes: {
      'migrations/20240201000000-rename.js': sequelizeMigration("await queryInterface.renameColumn('users', 'full_name', 'display_name');"),
      'migrations/20240202000000-narrow.js': sequelizeMigration(
        "await queryInterface.changeColumn('users', 'score', { type: Sequelize.INTEGER, allowNull: true });",
      ),
      'migrations/20240203000000-not-null.js': sequelizeMigration(
        "await queryInterface.changeColumn('users', 'email', { type: Sequelize.TEXT, allowNull: false });",
      ),
    },
    expected: {
      'rename-column': 'v1 models/user.js:5',
      'change-column-type': 'v1 models/user.js:6',
      'set-not-null': 'v1 models/user.js:4',
    },
  },
  knex: {
    base: {
      'package.json': '{"dependencies": {"knex": "^3.1.0", "pg": "^8.11.0"}}\n',
      'knexfile.js': "module.exports = { client: 'pg' };\n",
      'migrations/20240101000000_create_users.js': knexMigration(
        "knex.schema.createTable('users', (t) => { t.bigIncrements('id'); t.text('handle'); t.text('email'); t.text('full_name'); t.bigInteger('score'); })",
      ),
    },
    // No model: the queries of the source name the columns, a Knex chain and raw SQL.
    reads: {
      'src/users.js': [
        "exports.find = (knex, id) => knex('users').select('full_name', 'email').where('id', id).first();",
        "exports.top = (knex) => knex.raw('SELECT score FROM users ORDER BY score DESC LIMIT 10');",
        "exports.add = (knex, handle) => knex('users').insert({ handle, email: null });",
        '',
      ].join('\n'),
    },
    blind: { 'src/users.js': "exports.find = (knex, id) => knex('users').select('handle').where('id', id).first();\n" },
    changes: {
      'migrations/20240201000000_rename.js': knexMigration(
        "knex.schema.alterTable('users', (t) => { t.renameColumn('full_name', 'display_name'); })",
      ),
      'migrations/20240202000000_narrow.js': knexMigration("knex.schema.alterTable('users', (t) => { t.integer('score').alter(); })"),
      'migrations/20240203000000_not_null.js': knexMigration(
        "knex.schema.alterTable('users', (t) => { t.text('email').notNullable().alter(); })",
      ),
    },
    expected: { 'rename-column': 'v1 src/users.js:1', 'change-column-type': 'v1 src/users.js:2', 'set-not-null': 'v1 src/users.js:1' },
  },
};

describe('renames, type changes and SET NOT NULL against the previous release', () => {
  for (const [orm, c] of Object.entries(CASES)) {
    it(`${orm}: the line of v1 that still reads the column backs each finding; a v1 that does not read it gives none`, async () => {
      const reading = await judgedAgainstV1({ ...c.base, ...c.reads }, c.changes);
      expect(pointers(reading)).toEqual(c.expected);
      for (const r of RULES) expect(reading.get(r)?.message).toContain('Release v1 still uses users.');
      const blind = await judgedAgainstV1({ ...c.base, ...c.blind }, c.changes);
      expect(pointers(blind)).toMatchObject({ 'set-not-null': null });
      // A rename the previous release's code is shown not to see does not break it; queries alone prove no absence.
      for (const r of ['rename-column', 'change-column-type']) {
        if (orm === 'knex') expect(blind.get(r)).toMatchObject({ verdict: 'breaking', severity: 'error' });
        else expect(blind.get(r)).toMatchObject({ verdict: 'compatible', severity: 'info' });
      }
      // Its inserts leave the column out: a NOT NULL without a default breaks it all the same.
      expect(blind.get('set-not-null')).toMatchObject({ verdict: 'breaking' });
      expect(reading.get('rename-column')).toMatchObject({ verdict: 'breaking', severity: 'error' });
    });
  }
});
