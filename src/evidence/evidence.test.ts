// The previous release's code as evidence: real repositories built by the test, read from git objects
// (nothing checked out: the work tree holds the new release while the old one is read).

import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../testing/projects.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(repoRoot, 'docs/report.schema.json'), 'utf8')));

import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { releaseRepo } from '../testing/git-repo.js';
import { readRelease, usageOf } from './index.js';
import { repositoryHead } from './release.js';

const repos: string[] = [];
afterAll(() => {
  for (const d of repos) rmSync(d, { recursive: true, force: true });
});

async function usageAt(files: Record<string, string>) {
  const repo = releaseRepo();
  repos.push(repo.dir);
  const commit = repo.commit(files, 'v1');
  // The work tree moves on: evidence comes from the commit, not from the files on disk.
  repo.commit(Object.fromEntries(Object.keys(files).map((p) => [p, null])));
  return usageOf(await readRelease({ repo: repo.dir, ref: 'v1', commit, folders: [''], exclude: ['db/migrate'] }));
}

describe('Rails models', () => {
  it('a model loads every column it does not ignore; ignored_columns stops it; STI shares the table', async () => {
    const usage = await usageAt({
      'app/models/application_record.rb': 'class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n',
      'app/models/user.rb': 'class User < ApplicationRecord\n  self.ignored_columns += %w[legacy_flag]\nend\n',
      'app/models/admin.rb': 'class Admin < User\nend\n',
      'app/controllers/users_controller.rb':
        'class UsersController < ApplicationController\n  def show\n    render plain: User.find(params[:id]).full_name\n  end\nend\n',
      'app/models/billing/line_item.rb':
        'module Billing\n  class LineItem < ApplicationRecord\n    self.table_name = "invoice_lines"\n  end\nend\n',
      'db/migrate/20240101000000_create_users.rb':
        'class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users\n  end\nend\n',
    });
    const name = usage('users', 'full_name');
    expect(name?.uses).toBe(true);
    expect(name?.summary).toContain('app/models/admin.rb:1 maps users and has no ignored_columns entry for full_name');
    // The model decides; the lines that read the attribute come with it.
    expect(name?.evidence.map((e) => `${e.path}:${e.line}`)).toEqual([
      'app/models/admin.rb:1',
      'app/models/user.rb:1',
      'app/controllers/users_controller.rb:3',
    ]);
    expect(name?.summary).toContain('app/controllers/users_controller.rb:3 names it');
    const flag = usage('users', 'legacy_flag');
    expect(flag?.uses).toBe(false);
    expect(flag?.evidence[0]).toMatchObject({
      ref: 'v1',
      path: 'app/models/user.rb',
      line: 2,
      text: 'self.ignored_columns += %w[legacy_flag]',
    });
    expect(usage('invoice_lines', 'amount')?.uses).toBe(true);
    expect(usage('line_items', 'amount')?.uses).toBe(null);
    expect(usage('users')?.uses).toBe(true);
    // A table only the migrations name: the migration folder is not the application.
    expect(usage('orders')?.uses).toBe(false);
  });
});

describe('Python models', () => {
  it('Django: declared fields (db_column, ForeignKey _id), db_table or <app>_<model>, abstract bases', async () => {
    const usage = await usageAt({
      'shop/models.py': [
        'from django.db import models',
        'class Stamped(models.Model):',
        '    created = models.DateTimeField()',
        '    class Meta:',
        '        abstract = True',
        'class Product(Stamped):',
        '    title = models.CharField(max_length=50, db_column="name")',
        '    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)',
        'class Legacy(models.Model):',
        '    code = models.TextField()',
        '    class Meta:',
        '        db_table = "legacy_codes"',
        '',
      ].join('\n'),
    });
    expect(usage('shop_product', 'name')).toMatchObject({ uses: true, evidence: [{ path: 'shop/models.py', line: 7 }] });
    expect(usage('shop_product', 'owner_id')?.uses).toBe(true);
    expect(usage('shop_product', 'created')?.uses).toBe(true);
    expect(usage('shop_product', 'title')).toMatchObject({ uses: false, evidence: [{ line: 6 }] });
    expect(usage('legacy_codes', 'code')?.uses).toBe(true);
    expect(usage('shop_stamped')?.uses).toBe(false);
  });

  it('SQLAlchemy: __tablename__ with Column / mapped_column / Mapped[...], Table(...), and raw SQL in strings', async () => {
    const usage = await usageAt({
      'app/models.py': [
        'import sqlalchemy as sa',
        'from sqlalchemy.orm import Mapped, mapped_column',
        'class Account(Base):',
        '    __tablename__ = "accounts"',
        '    id = sa.Column(sa.BigInteger, primary_key=True)',
        '    email: Mapped[str] = mapped_column("email_address")',
        '    plan: Mapped[str]',
        'audit = sa.Table("audit", metadata, sa.Column("actor", sa.Text))',
        'REPORT = "SELECT a.nickname FROM accounts a WHERE a.id = 1"',
        '',
      ].join('\n'),
    });
    expect(usage('accounts', 'email_address')?.uses).toBe(true);
    expect(usage('accounts', 'email')?.uses).toBe(false);
    expect(usage('accounts', 'plan')?.uses).toBe(true);
    expect(usage('audit', 'actor')?.uses).toBe(true);
    // The model does not declare nickname, but a query of the release reads it.
    expect(usage('accounts', 'nickname')).toMatchObject({ uses: true, evidence: [{ line: 9 }] });
  });
});

describe('JS and Prisma models', () => {
  it('Prisma @map/@@map, TypeORM entities, Sequelize models, Knex chains', async () => {
    const usage = await usageAt({
      'prisma/schema.prisma': [
        'model User {',
        '  id       Int    @id',
        '  fullName String @map("full_name")',
        '  posts    Post[]',
        '  @@map("users")',
        '}',
        'model Post {',
        '  id       Int  @id',
        '  authorId Int',
        '  author   User @relation(fields: [authorId], references: [id])',
        '}',
        '',
      ].join('\n'),
      'src/entity/Photo.ts': [
        "import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';",
        '@Entity()',
        'export class PhotoAlbum {',
        '  @PrimaryGeneratedColumn() id: number;',
        "  @Column({ name: 'title_text' }) title: string;",
        '  @Column() views: number;',
        '}',
        '',
      ].join('\n'),
      'src/models/task.js': [
        "const { DataTypes } = require('sequelize');",
        "module.exports = (sequelize) => sequelize.define('Task', {",
        "  dueAt: { type: DataTypes.DATE, field: 'due_at' },",
        '  title: DataTypes.STRING,',
        '});',
        '',
      ].join('\n'),
      'src/repo.js': "exports.rename = (knex, id, n) => knex('projects').where('id', id).update({ label: n });\n",
    });
    expect(usage('users', 'full_name')?.uses).toBe(true);
    expect(usage('users', 'fullName')?.uses).toBe(false);
    expect(usage('Post', 'authorId')?.uses).toBe(true);
    expect(usage('photo_album', 'title_text')?.uses).toBe(true);
    expect(usage('photo_album', 'title')?.uses).toBe(false);
    expect(usage('Tasks', 'due_at')?.uses).toBe(true);
    expect(usage('Tasks', 'dueAt')?.uses).toBe(false);
    expect(usage('projects', 'label')).toMatchObject({ uses: true, evidence: [{ path: 'src/repo.js', line: 1 }] });
    expect(usage('projects', 'owner')?.uses).toBe(null);
  });
});

describe('twoway check with the previous release', () => {
  const model = (ignored: boolean) => `class User < ApplicationRecord\n${ignored ? '  self.ignored_columns += ["full_name"]\n' : ''}end\n`;
  const create =
    'class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users do |t|\n      t.string :email\n      t.string :full_name\n    end\n  end\nend\n';
  const drop =
    'class DropFullName < ActiveRecord::Migration[7.1]\n  def change\n    remove_column :users, :full_name, :string\n  end\nend\n';

  async function run(ignoredInBase: boolean, args: string[] = []) {
    const repo = releaseRepo();
    repos.push(repo.dir);
    repo.commit(
      { Gemfile: "gem 'rails'\n", 'app/models/user.rb': model(ignoredInBase), 'db/migrate/20240101000000_create_users.rb': create },
      'v1',
    );
    repo.commit({ 'app/models/user.rb': 'class User < ApplicationRecord\nend\n', 'db/migrate/20240201000000_drop_full_name.rb': drop });
    let out = '';
    const code = await main(['check', '--since', 'v1', '--format', 'json', ...args], {
      out: (s) => (out += s),
      err: () => {},
      cwd: repo.dir,
    });
    return { code, report: JSON.parse(out) };
  }

  it('a drop the release running today still reads is breaking, with the line that shows it', async () => {
    const { report } = await run(false);
    const m = report.migrations[0];
    expect([m.phase, m.codeRollback]).toEqual(['breaking', 'breaking']);
    const f = m.findings.find((x: { rule: string }) => x.rule === 'remove-column' || x.rule === 'drop-column');
    expect(f.message).toContain('Release v1 still uses users.full_name');
    expect(f.evidence).toEqual([{ ref: 'v1', path: 'app/models/user.rb', line: 1, text: 'class User < ApplicationRecord' }]);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a drop the release running today ignores is the contract step', async () => {
    const { report } = await run(true);
    const m = report.migrations[0];
    expect([m.phase, m.codeRollback]).toEqual(['contract', 'compatible']);
    expect(m.findings.flatMap((f: { evidence?: unknown[] }) => f.evidence ?? [])[0]).toMatchObject({ path: 'app/models/user.rb', line: 2 });
  });

  it('without --since, the release is where the branch left main', async () => {
    const repo = releaseRepo();
    repos.push(repo.dir);
    const dropEmail = drop.replace('DropFullName', 'DropEmail').replace(':full_name', ':email');
    repo.commit({
      Gemfile: "gem 'rails'\n",
      'app/models/user.rb': model(false),
      'db/migrate/20240101000000_create_users.rb': create,
      'db/migrate/20240102000000_drop_email.rb': dropEmail,
    });
    repo.git('checkout', '-q', '-b', 'drop-full-name');
    repo.commit({ 'db/migrate/20240201000000_drop_full_name.rb': drop });
    let out = '';
    await main(['check', '--format', 'json'], { out: (s) => (out += s), err: () => {}, cwd: repo.dir });
    const m = JSON.parse(out).migrations.find((x: { id: string }) => x.id === '20240201000000');
    expect(m.codeRollback).toBe('breaking');
    expect(m.findings.flatMap((f: { evidence?: Array<{ ref: string }> }) => f.evidence ?? [])[0].ref).toBe('merge-base(main)');
    // A migration the release already had, it already ran: its drop is not judged against that release's model.
    const old = JSON.parse(out).migrations.find((x: { id: string }) => x.id === '20240102000000');
    expect([old.phase, old.codeRollback]).toEqual(['contract', 'compatible']);
    // On main itself there is no release before this one to read: the core answer.
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--ff-only', 'drop-full-name');
    out = '';
    await main(['check', '--format', 'json'], { out: (s) => (out += s), err: () => {}, cwd: repo.dir });
    expect(JSON.parse(out).migrations.find((x: { id: string }) => x.id === '20240201000000').codeRollback).toBe('compatible');
  });

  it('--no-evidence leaves the core answer', async () => {
    const { report } = await run(false, ['--no-evidence']);
    expect(report.migrations[0].phase).toBe('contract');
    expect(JSON.stringify(report)).not.toContain('"evidence"');
  });
});

describe('repositoryHead', () => {
  it('gives the top folder and HEAD in one git call: no HEAD before the first commit, null outside a work tree', () => {
    const repo = releaseRepo();
    expect(repositoryHead(join(repo.dir))).toEqual({ root: repo.dir, head: null });
    const commit = repo.commit({ 'a.txt': 'a\n' });
    mkdirSync(join(repo.dir, 'sub'));
    expect(repositoryHead(join(repo.dir, 'sub'))).toEqual({ root: repo.dir, head: commit });
    expect(repositoryHead(realpathSync(mkdtempSync(join(tmpdir(), 'twoway-nogit-'))))).toBeNull();
  });
});
