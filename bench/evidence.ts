// Speed of reading a release as evidence: a synthetic git repository with Active Record, Django,
// SQLAlchemy and TypeORM models and Knex queries (count per kind), read from git objects and asked
// about every table. Run: node --import tsx bench/evidence.ts [count per kind]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readRelease, usageOf } from '../src/evidence/index.js';

const count = Number(process.argv[2] ?? 500);
const dir = mkdtempSync(join(tmpdir(), 'twoway-bench-evidence-'));
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};
write('Gemfile', "gem 'rails'\n");
for (let i = 0; i < count; i++) {
  write(
    `app/models/thing${i}.rb`,
    `class Thing${i} < ApplicationRecord\n  self.ignored_columns += %w[old_${i}]\n  belongs_to :owner\n  def label\n    "#{name} #{code_${i}}"\n  end\n  scope :recent, -> { where("created_at > ?", 1.day.ago) }\nend\n`,
  );
  write(
    `shop${i}/models.py`,
    `from django.db import models\nclass Item${i}(models.Model):\n    title = models.CharField(max_length=50, db_column="name")\n    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)\n    class Meta:\n        db_table = "item_${i}"\n`,
  );
  write(
    `svc/models_${i}.py`,
    `import sqlalchemy as sa\nclass Account${i}(Base):\n    __tablename__ = "accounts_${i}"\n    id = sa.Column(sa.BigInteger, primary_key=True)\n    email = sa.Column("email_address", sa.Text)\nREPORT = "SELECT a.nickname FROM accounts_${i} a WHERE a.id = 1"\n`,
  );
  write(
    `web/src/entity/Photo${i}.ts`,
    `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity('photo_${i}')\nexport class Photo${i} {\n  @PrimaryGeneratedColumn() id: number;\n  @Column({ name: 'title_text' }) title: string;\n}\nexport const byTitle = (knex: any, t: string) => knex('photo_${i}').where('title_text', t).select('id');\n`,
  );
}
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=b@x', '-c', 'user.name=b', ...args], { cwd: dir, encoding: 'utf8' });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'release');
const commit = git('rev-parse', 'HEAD').trim();
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const release = await readRelease({ repo: dir, ref: 'bench', commit, folders: [''], exclude: ['db/migrate'] });
const t1 = performance.now();
const usage = usageOf(release);
let answered = 0;
for (const m of release.facts.models) if (usage(m.table, 'name')?.uses !== null) answered++;
const t2 = performance.now();
console.log(
  `evidence: ${release.facts.filesRead} files read from git in ${Math.round(t1 - t0)} ms (${((t1 - t0) / release.facts.filesRead).toFixed(2)} ms/file), ` +
    `${release.facts.models.length} models, ${release.facts.queries.length} queries; ${answered} lookups in ${Math.round(t2 - t1)} ms; ` +
    `rss +${Math.round((process.memoryUsage().rss - rssBefore) / 1e6)} MB`,
);
rmSync(dir, { recursive: true, force: true });
