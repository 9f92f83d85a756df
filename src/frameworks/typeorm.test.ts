import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../check.js';
import { discover } from '../discover/index.js';
import { corpusApp, describeOps, notesOf, parseSource } from './js/testing.js';
import { checkTree } from './testing.js';
import { typeorm } from './typeorm.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const file = 'src/migrations/1700000000000-Test.ts';

const migration = (
  up: string,
  down = '',
) => `import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex, TableForeignKey } from 'typeorm';

export class Test1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`;

describe('typeorm: queryRunner.query', () => {
  it('SQL in queryRunner.query goes through the SQL parser at its position in the class', async () => {
    const p = await parseSource(
      typeorm,
      migration(
        `    await queryRunner.query(\`ALTER TABLE "users" ADD "age" integer NOT NULL DEFAULT 0\`);
    await queryRunner.query(
      \`CREATE INDEX "IDX_age" ON "users" ("age")\`,
    );`,
        `    await queryRunner.query(\`DROP INDEX "IDX_age"\`);
    await queryRunner.query(\`ALTER TABLE "users" DROP COLUMN "age"\`);`,
      ),
      { path: file },
    );
    expect(describeOps(p.up)).toEqual(['AddColumn users.age int4 NOT NULL DEFAULT 0 @5:30', 'AddIndex IDX_age on users(age) @7:8']);
    expect(describeOps(p.down)).toEqual(['DropIndex IDX_age @12:30', 'DropColumn users.age @13:30']);
    expect(p.downStatus).toBe('written');
  });

  it('an empty down is written but does nothing; SQL built at run time is not analyzed', async () => {
    const p = await parseSource(typeorm, migration(`    await queryRunner.query(\`DROP TABLE \${name}\`);`), { path: file });
    expect(p.down).toEqual([]);
    expect(notesOf(p)[0]).toContain('not-analyzed @5:11 not analyzed: SQL built at run time');
  });
});

describe('typeorm: queryRunner helpers', () => {
  it('createTable(new Table(...)) with columns, foreign keys and indices; enum columns create their type', async () => {
    const p = await parseSource(
      typeorm,
      migration(`    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          { name: 'id', type: 'uuid', isPrimary: true, isGenerated: true, generationStrategy: 'uuid' },
          { name: 'code', type: 'varchar', length: '20', isUnique: true },
          { name: 'total', type: 'decimal', precision: 10, scale: 2, default: 0 },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'state', type: 'enum', enum: ['new', 'paid'], default: "'new'" },
          { name: 'created_at', type: 'timestamp', default: 'now()' },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
        indices: [{ name: 'IDX_code', columnNames: ['code'], isUnique: true }],
      }),
      true,
    );`),
      { path: file },
    );
    expect(describeOps(p.up)).toEqual([
      'CreateEnum orders_state_enum (new,paid) @5:11',
      "CreateTable orders (id uuid NOT NULL DEFAULT uuid_generate_v4() PK, code varchar(20) NOT NULL UNIQUE, total decimal(10,2) NOT NULL DEFAULT 0, note text, state orders_state_enum NOT NULL DEFAULT 'new', created_at timestamp NOT NULL DEFAULT now()) @5:11",
      'AddIndex IDX_code on orders(code) unique @5:11',
    ]);
    const t = p.up[1];
    expect(t?.kind === 'CreateTable' && t.ifNotExists).toBe(true);
    expect(t?.kind === 'CreateTable' && t.constraints.map((c) => `${c.type}(${c.columns})`)).toEqual([
      'primary-key(id)',
      'unique(code)',
      'foreign-key(user_id)',
    ]);
  });

  it('column, index and constraint helpers map to IR', async () => {
    const p = await parseSource(
      typeorm,
      migration(`    const column = new TableColumn({ name: 'nick', type: 'varchar', length: '30', isNullable: true });
    await queryRunner.addColumn('users', column);
    await queryRunner.dropColumn('users', 'legacy');
    await queryRunner.renameColumn('users', 'name', 'full_name');
    await queryRunner.changeColumn('users', 'age', new TableColumn({ name: 'age', type: 'bigint', isNullable: false }));
    await queryRunner.createIndex('users', new TableIndex({ name: 'IDX_nick', columnNames: ['nick'] }));
    await queryRunner.dropIndex('users', 'IDX_old');
    await queryRunner.createForeignKey('users', new TableForeignKey({ name: 'FK_org', columnNames: ['org_id'], referencedTableName: 'orgs', referencedColumnNames: ['id'] }));
    await queryRunner.dropForeignKey('users', 'FK_team');
    await queryRunner.renameTable('users', 'people');
    await queryRunner.dropTable('tmp', true);`),
      { path: file },
    );
    expect(describeOps(p.up)).toEqual([
      'AddColumn users.nick varchar(30) @6:11',
      'DropColumn users.legacy @7:11',
      'RenameColumn users.name -> full_name @8:11',
      'AlterColumnType users.age bigint @9:11',
      'SetNotNull users.age @9:11',
      'AddIndex IDX_nick on users(nick) @10:11',
      'DropIndex IDX_old @11:11',
      'AddConstraint foreign-key FK_org on users(org_id) -> orgs(id) @12:11',
      'DropConstraint FK_team on users @13:11',
      'RenameTable users -> people @14:11',
      'DropTable tmp @15:11',
    ]);
  });

  it('a new TableColumn without isNullable is NOT NULL, and a generated integer is a serial, as TypeORM creates them', async () => {
    const p = await parseSource(
      typeorm,
      migration(`    await queryRunner.addColumn('users', new TableColumn({ name: 'age', type: 'int' }));
    await queryRunner.addColumn('users', new TableColumn({ name: 'seq', type: 'bigint', isGenerated: true }));`),
      { path: file },
    );
    expect(describeOps(p.up)).toEqual([
      'AddColumn users.age int NOT NULL @5:11',
      'AddColumn users.seq bigserial NOT NULL DEFAULT nextval(<serial sequence>) @6:11',
    ]);
  });

  it('commitTransaction / startTransaction inside a migration end and restart its transaction', async () => {
    const p = await parseSource(
      typeorm,
      migration(`    await queryRunner.commitTransaction();
    await queryRunner.query('CREATE INDEX CONCURRENTLY "IDX_a" ON "t" ("a")');
    await queryRunner.startTransaction();`),
      { path: file },
    );
    expect(p.up.map((o) => (o.kind === 'Transaction' ? o.action : o.kind))).toEqual(['commit', 'AddIndex', 'begin']);
  });

  it('a class field `transaction = false` runs the migration outside a transaction', async () => {
    const p = await parseSource(
      typeorm,
      `export class A1700000000000 {\n  transaction = false;\n  async up(queryRunner) { await queryRunner.query('SELECT 1'); }\n  async down() {}\n}`,
      { path: 'src/migrations/1700000000000-A.js' },
    );
    expect(p.migration.transactional).toBe(false);
  });
});

describe('typeorm: as TypeORM runs it', () => {
  const grist = corpusApp('gristlabs__grist-core');

  it('clone() + isNullable = false + changeColumn is a SET NOT NULL of a column as it is', async () => {
    const p = await parseSource(
      typeorm,
      migration(
        `    const logins = (await queryRunner.getTable('logins'))!;
    const displayEmail = logins.findColumnByName('display_email')!;
    const displayEmailNonNull = displayEmail.clone();
    displayEmailNonNull.isNullable = false;
    await queryRunner.changeColumn('logins', displayEmail, displayEmailNonNull);`,
        `    const logins = (await queryRunner.getTable('logins'))!;
    const col = logins.findColumnByName('display_email')!;
    const nullable = col.clone();
    nullable.isNullable = true;
    await queryRunner.changeColumn('logins', col, nullable);`,
      ),
      { path: file },
    );
    expect(notesOf(p)).toEqual([]);
    expect(describeOps(p.up)).toEqual(['SetNotNull logins.display_email @9:11']);
    expect(describeOps(p.down)).toEqual(['DropNotNull logins.display_email @17:11']);
  });

  it('a clone of a column the migration defined changes only what differs (no type change)', async () => {
    const p = await parseSource(
      typeorm,
      migration(`    const column = new TableColumn({ name: 'type', type: 'varchar', isNullable: true });
    await queryRunner.addColumn('groups', column);
    const nonNull = column.clone();
    nonNull.isNullable = false;
    await queryRunner.changeColumn('groups', column, nonNull);`),
      { path: file },
    );
    expect(describeOps(p.up)).toEqual(['AddColumn groups.type varchar @6:11', 'SetNotNull groups.type @9:11']);
  });

  it.skipIf(!grist)('grist GroupTypes (real file): add, backfill, SET NOT NULL is breaking', async () => {
    const result = await check(['app/gen-server/migration'], { cwd: grist as string });
    const r = result.sets[0]?.reports.find((x) => x.parsed.migration.path.endsWith('1753088213255-GroupTypes.ts'));
    expect(r?.parsed.notes).toEqual([]);
    expect(r?.parsed.up.map((o) => o.kind)).toEqual(['AddColumn', 'DataChange', 'SetNotNull', 'AddIndex']);
    expect([r?.phase, r?.codeRollback, r?.dbRollback]).toEqual(['breaking', 'breaking', 'reversible']);
  });

  it('names unnamed indexes and constraints as DefaultNamingStrategy does', async () => {
    const p = await parseSource(
      typeorm,
      migration(`    await queryRunner.createTable(new Table({
      name: 'post',
      columns: [
        { name: 'id', type: 'int', isPrimary: true },
        { name: 'slug', type: 'varchar', isUnique: true },
        { name: 'state', type: 'enum', enum: ['draft', 'live'] },
      ],
    }));
    await queryRunner.createIndex('post', new TableIndex({ columnNames: ['slug', 'id'] }));
    await queryRunner.createForeignKey('post', new TableForeignKey({ columnNames: ['id'], referencedTableName: 'user', referencedColumnNames: ['id'] }));`),
      { path: file },
    );
    const create = p.up.find((o) => o.kind === 'CreateTable');
    expect(create?.kind === 'CreateTable' && create.constraints.map((c) => `${c.type} ${c.name}`)).toEqual([
      // "PK_" + sha1("post_id").substr(0, 27), "UQ_" + sha1("post_slug").substr(0, 27), as TypeORM computes them
      'primary-key PK_be5fda3aac270b134ff9c21cdee',
      'unique UQ_cd1bddce36edc3e766798eab376',
    ]);
    expect(p.up[0]?.kind === 'CreateEnum' && p.up[0].name.name).toBe('post_state_enum');
    expect(p.up.flatMap((o) => (o.kind === 'AddIndex' ? [o.name] : o.kind === 'AddConstraint' ? [o.constraint.name] : []))).toEqual([
      'IDX_58ce4ec13091ee4c205961e0e3',
      'FK_be5fda3aac270b134ff9c21cdee',
    ]);
  });

  it('startTransaction / commitTransaction inside the migration are savepoints; a commit first ends its transaction', async () => {
    const nested = await parseSource(
      typeorm,
      migration(`    await queryRunner.startTransaction();
    await queryRunner.query('ALTER TABLE t ADD COLUMN a int');
    await queryRunner.commitTransaction();`),
      { path: file },
    );
    expect(nested.up.map((o) => o.kind)).toEqual(['AddColumn']);
    const outside = await parseSource(
      typeorm,
      `export class A1700000000000 {
  transaction = false;
  async up(queryRunner) {
    await queryRunner.startTransaction();
    await queryRunner.query('ALTER TABLE t ADD COLUMN a int');
    await queryRunner.commitTransaction();
  }
}`,
      { path: 'src/migrations/1700000000000-A.js' },
    );
    expect(outside.up.map((o) => (o.kind === 'Transaction' ? o.action : o.kind))).toEqual(['begin', 'AddColumn', 'commit']);
  });
});

describe('typeorm: discovery', () => {
  it('orders by the timestamp of the class name and reads the dialect from data-source.ts', () => {
    const found = discover(['examples/typeorm'], { cwd: repoRoot });
    expect(found.errors).toEqual([]);
    expect(found.sets.map((s) => [s.framework, s.dialect, s.root])).toEqual([['typeorm', 'postgresql', 'examples/typeorm/src/migrations']]);
    expect(found.sets[0]?.migrations.map((m) => `${m.id} ${m.name}`)).toEqual([
      '1704445200000 CreateUsersAndOrders',
      '1705055400000 AddOrdersShippedAt',
      '1705755000000 WidenFullName',
      '1706785200000 RenameOrderTotal',
      '1707552000000 BackfillOrderStatus',
      '1709283600000 DropUsersFullName',
    ]);
  });

  it('orders numerically even when file names sort differently, and maps type: mysql', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-typeorm-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'ormconfig.json'), JSON.stringify({ type: 'mysql' }));
      const cls = (name: string) => `export class ${name} { async up(queryRunner) {} async down(queryRunner) {} }\n`;
      writeFileSync(join(dir, 'migrations', 'b-late.ts'), cls('Late1700000000000'));
      writeFileSync(join(dir, 'migrations', 'a-early.ts'), cls('Early999999999999'));
      const found = discover(['.'], { cwd: dir });
      expect(found.sets.map((s) => [s.framework, s.dialect])).toEqual([['typeorm', 'mysql']]);
      expect(found.sets[0]?.migrations.map((m) => m.name)).toEqual(['Early', 'Late']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('typeorm: the data source transaction mode', () => {
  it('migrationsTransactionMode "none" in data-source.ts runs migrations outside a transaction unless the class asks for one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-typeorm-'));
    try {
      mkdirSync(join(dir, 'src', 'migrations'), { recursive: true });
      writeFileSync(
        join(dir, 'src', 'data-source.ts'),
        `export default new DataSource({ type: 'postgres', migrationsTransactionMode: 'none' });\n`,
      );
      writeFileSync(
        join(dir, 'src', 'migrations', '1700000000000-A.ts'),
        `export class A1700000000000 { async up(queryRunner) { await queryRunner.query('CREATE INDEX CONCURRENTLY i ON t (a)'); } }\n`,
      );
      const found = discover(['.'], { cwd: dir });
      expect(found.sets[0]?.migrations.map((m) => m.transactional)).toEqual([false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('typeorm: plural helpers', () => {
  it('createUniqueConstraints and createCheckConstraints add each constraint, named as TypeORM names them', async () => {
    const p = await parseSource(
      typeorm,
      migration(`    await queryRunner.createUniqueConstraints('shares', [new TableUnique({ columnNames: ['doc_id', 'link_id'] })]);
    await queryRunner.createCheckConstraints('shares', [new TableCheck({ name: 'positive', expression: 'n > 0' })]);`),
      { path: file },
    );
    expect(notesOf(p)).toEqual([]);
    expect(p.up.map((o) => (o.kind === 'AddConstraint' ? `${o.constraint.type} ${o.constraint.name}` : o.kind))).toEqual([
      'unique UQ_2697ed3c3d072ee7d91f3c8b509',
      'check positive',
    ]);
  });
});

describe('typeorm: SQL the database refuses', () => {
  it('a down statement MySQL refuses makes the down fail (lossy); the up is still judged, never unknown because of the down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-typeorm-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(join(dir, 'ormconfig.json'), JSON.stringify({ type: 'mysql' }));
      writeFileSync(
        join(dir, 'migrations', '1600000000000-Init.ts'),
        `export class Init1600000000000 {
  async up(queryRunner) { await queryRunner.query('CREATE TABLE \`chat_flow\` (\`id\` varchar(36) PRIMARY KEY, \`chatbotConfig\` varchar(255) NULL)'); }
  async down(queryRunner) { await queryRunner.query('DROP TABLE \`chat_flow\`'); }
}
`,
      );
      writeFileSync(
        join(dir, 'migrations', '1700000000000-Widen.ts'),
        `export class Widen1700000000000 {
  async up(queryRunner) { await queryRunner.query('ALTER TABLE \`chat_flow\` MODIFY \`chatbotConfig\` TEXT;'); }
  async down(queryRunner) { await queryRunner.query('ALTER TABLE \`chat_flow\` MODIFY \`chatbotConfig\` VARCHAR;'); }
}
`,
      );
      const result = await check(['.'], { cwd: dir });
      const r = result.sets[0]?.reports[1];
      expect([r?.phase, r?.codeRollback, r?.dbRollback]).toEqual(['expand', 'compatible', 'lossy']);
      expect(r?.findings.map((f) => [f.rule, f.line])).toContainEqual(['down-fails', 3]);
      expect(r?.findings.map((f) => f.rule)).not.toContain('not-analyzed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('typeorm: migrations an index.ts imports from another folder', () => {
  it('run in the importing set, in timestamp order (Flowise pulls enterprise migrations into each dialect list)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-typeorm-'));
    try {
      mkdirSync(join(dir, 'database', 'migrations'), { recursive: true });
      mkdirSync(join(dir, 'enterprise', 'migrations'), { recursive: true });
      const cls = (name: string) => `export class ${name} { async up(queryRunner) {} async down(queryRunner) {} }\n`;
      writeFileSync(join(dir, 'database', 'migrations', '1700000000000-Init.ts'), cls('Init1700000000000'));
      writeFileSync(join(dir, 'database', 'migrations', '1900000000000-Later.ts'), cls('Later1900000000000'));
      writeFileSync(join(dir, 'enterprise', 'migrations', '1800000000000-AddWorkspace.ts'), cls('AddWorkspace1800000000000'));
      writeFileSync(
        join(dir, 'database', 'migrations', 'index.ts'),
        `import { Init1700000000000 } from './1700000000000-Init'
import { Later1900000000000 } from './1900000000000-Later'
import { AddWorkspace1800000000000 } from '../../enterprise/migrations/1800000000000-AddWorkspace'
export const migrations = [Init1700000000000, AddWorkspace1800000000000, Later1900000000000]
`,
      );
      const found = discover(['.'], { cwd: dir });
      expect(found.sets.map((s) => [s.framework, s.root])).toEqual([['typeorm', join('database', 'migrations')]]);
      expect(found.sets[0]?.migrations.map((m) => m.name)).toEqual(['Init', 'AddWorkspace', 'Later']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('typeorm: a migration overriding the transaction mode under "all"', () => {
  const files = (dataSource: string) => ({
    'src/data-source.ts': dataSource,
    'src/migrations/1700000000000-Concurrent.ts': `import { MigrationInterface, QueryRunner } from 'typeorm';
export class Concurrent1700000000000 implements MigrationInterface {
  transaction = false;
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX CONCURRENTLY users_email ON users (email)');
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY users_email');
  }
}
`,
  });

  it('is refused by TypeORM when the data source leaves the mode at its default: an error at the property', async () => {
    const { reports } = await checkTree(
      files("export default new DataSource({ type: 'postgres', migrations: ['src/migrations/*.ts'] });\n"),
    );
    const refusal = reports[0]?.findings.filter((f) => f.rule === 'mixed-transaction-statements');
    expect(refusal?.map((f) => [f.severity, f.span.line])).toEqual([['error', 3]]);
    expect(refusal?.[0]?.message).toContain('migrationsTransactionMode "all"');
    expect(reports[0]?.findings.map((f) => f.rule)).not.toContain('concurrently-in-transaction');
  });

  it('runs outside a transaction with migrationsTransactionMode "each": no finding', async () => {
    const { reports } = await checkTree(
      files("export default new DataSource({ type: 'postgres', migrationsTransactionMode: 'each', migrations: [] });\n"),
    );
    expect(reports[0]?.findings.map((f) => f.rule)).not.toContain('mixed-transaction-statements');
    expect(reports[0]?.parsed.migration.transactional).toBe(false);
  });
});
