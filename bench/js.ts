// Speed of the JS/TS adapters: ~2000 synthetic Knex and TypeORM migrations in a temp dir, checked end to end
// (discover → @babel/parser → IR, then replay → rules, timed apart). Run: node --import tsx bench/js.ts [count per framework]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeHistory } from '../src/analyze.js';
import { discover } from '../src/discover/index.js';
import { adapterFor } from '../src/frameworks/index.js';
import { loadSqlParsers } from '../src/sql/index.js';

const perFramework = Number(process.argv[2] ?? 1000);

function knexMigration(i: number): string {
  return `// migration ${i}
exports.up = async function up(knex) {
  await knex.schema.createTable('table_${i}', (table) => {
    table.increments('id');
    table.string('name', 100).notNullable().defaultTo('');
    table.integer('parent_id').references('id').inTable('table_${Math.max(0, i - 1)}').onDelete('CASCADE');
    table.decimal('amount', 12, 2).notNullable().defaultTo(0);
    table.jsonb('meta');
    table.timestamps(true, true);
    table.index(['parent_id', 'name']);
  });
  await knex.schema.alterTable('table_${Math.max(0, i - 1)}', (table) => {
    table.text('note_${i}');
    table.dropColumn('note_${i - 5}');
  });
  await knex.raw(\`
    UPDATE table_${i} SET amount = 0 WHERE amount IS NULL;
    CREATE INDEX CONCURRENTLY table_${i}_name_idx ON table_${i} (name);
  \`);
  await knex('table_${i}').where({ name: '' }).update({ name: 'unknown' });
};

exports.down = async function down(knex) {
  await knex.schema.alterTable('table_${Math.max(0, i - 1)}', (table) => {
    table.dropColumn('note_${i}');
  });
  await knex.schema.dropTable('table_${i}');
};
`;
}

function typeormMigration(i: number, ts: number): string {
  return `import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

export class Synthetic${i}${ts} implements MigrationInterface {
  name = 'Synthetic${i}${ts}';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE "entity_${i}" ("id" SERIAL NOT NULL, "title" character varying(200) NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_${i}" PRIMARY KEY ("id"))\`);
    await queryRunner.query(\`ALTER TABLE "entity_${i}" ADD "ownerId" integer\`);
    await queryRunner.query(\`CREATE INDEX "IDX_${i}_title" ON "entity_${i}" ("title") \`);
    await queryRunner.createTable(
      new Table({
        name: 'child_${i}',
        columns: [
          { name: 'id', type: 'int', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'label', type: 'varchar', length: '50', isNullable: true },
          { name: 'entityId', type: 'int' },
        ],
      }),
    );
    await queryRunner.addColumn('entity_${i}', new TableColumn({ name: 'flag', type: 'boolean', default: false }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('entity_${i}', 'flag');
    await queryRunner.dropTable('child_${i}');
    await queryRunner.query(\`DROP INDEX "public"."IDX_${i}_title"\`);
    await queryRunner.query(\`DROP TABLE "entity_${i}"\`);
  }
}
`;
}

const root = mkdtempSync(join(tmpdir(), 'twoway-bench-js-'));
try {
  mkdirSync(join(root, 'knex', 'migrations'), { recursive: true });
  mkdirSync(join(root, 'typeorm', 'migrations'), { recursive: true });
  for (let i = 0; i < perFramework; i++) {
    const stamp = 20200101000000 + i;
    writeFileSync(join(root, 'knex', 'migrations', `${stamp}_migration_${i}.js`), knexMigration(i));
    const ts = 1600000000000 + i;
    writeFileSync(join(root, 'typeorm', 'migrations', `${ts}-Synthetic${i}.ts`), typeormMigration(i, ts));
  }
  await loadSqlParsers();
  for (const framework of ['knex', 'typeorm']) {
    let t = performance.now();
    const found = discover([framework], { cwd: root });
    const discoverMs = performance.now() - t;
    t = performance.now();
    const parsed = found.sets.flatMap((set) => set.migrations.map((m) => adapterFor(m.framework).parse(m)));
    const parseMs = performance.now() - t;
    t = performance.now();
    const reports = analyzeHistory(parsed);
    const analyzeMs = performance.now() - t;
    const errors = [...found.errors, ...parsed.flatMap((p) => p.errors)];
    if (errors.length) console.error(errors.slice(0, 3));
    const ops = parsed.reduce((n, p) => n + p.up.length + (p.down?.length ?? 0), 0);
    const findings = reports.reduce((n, r) => n + r.findings.length, 0);
    const rate = (ms: number) => `${Math.round((parsed.length / ms) * 1000)} files/s`;
    console.log(
      `${framework.padEnd(8)} ${parsed.length} files, ${ops} operations, ${findings} findings | discover ${rate(discoverMs)}, parse to IR ${rate(parseMs)}, adapters overall ${rate(discoverMs + parseMs)}, replay + rules ${rate(analyzeMs)}, end to end ${rate(discoverMs + parseMs + analyzeMs)}`,
    );
  }
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`peak rss ${rss.toFixed(0)} MB`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
