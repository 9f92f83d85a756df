// How the JS/TS readers follow code paths, the same way in every adapter: constants and templates,
// loops over literal collections, helpers, try bodies, branches on the dialect, guards on the schema.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../check.js';
import type { Dialect } from '../../ir.js';
import type { FrameworkAdapter } from '../adapter.js';
import { knex } from '../knex.js';
import { nodePgMigrate } from '../node-pg-migrate.js';
import { sequelize } from '../sequelize.js';
import { typeorm } from '../typeorm.js';
import { describeOps, notesOf, parseSource } from './testing.js';

const knexUp = (body: string) => `exports.up = async (knex) => {\n${body}\n};`;
const typeormUp = (body: string) =>
  `import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
export class M1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
${body}
  }
  public async down(queryRunner: QueryRunner): Promise<void> {}
}`;
const sequelizeUp = (body: string) => `module.exports = {\n  async up(queryInterface, Sequelize) {\n${body}\n  },\n};`;
const pgmUp = (body: string) => `exports.up = (pgm) => {\n${body}\n};`;

interface Case {
  name: string;
  adapter: FrameworkAdapter;
  source: string;
  path?: string;
  dialect?: Dialect;
  ops: string[];
}

const TS = 'src/migrations/1700000000000-M.ts';

/** Every case: what the reader yields, with no not-analyzed note. */
const followed: Case[] = [
  {
    name: 'knex: a constant in a template string',
    adapter: knex,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template string, as source text
    source: knexUp("  const table = 'users';\n  await knex.raw(`ALTER TABLE ${table} ADD COLUMN nick text`);"),
    ops: ['AddColumn users.nick text'],
  },
  {
    name: 'knex: a constant in a concatenation',
    adapter: knex,
    source: knexUp("  const table = 'users';\n  await knex.raw('ALTER TABLE ' + table + ' DROP COLUMN nick');"),
    ops: ['DropColumn users.nick'],
  },
  {
    name: 'knex: for … of over a literal array is unrolled',
    adapter: knex,
    source: knexUp("  for (const c of ['a', 'b']) {\n    await knex.schema.alterTable('t', (table) => table.text(c));\n  }"),
    ops: ['AddColumn t.a text', 'AddColumn t.b text'],
  },
  {
    name: 'knex: .forEach over a literal array inside a table callback is unrolled',
    adapter: knex,
    source: knexUp("  await knex.schema.alterTable('t', (table) => {\n    ['a', 'b'].forEach((c) => table.integer(c));\n  });"),
    ops: ['AddColumn t.a integer', 'AddColumn t.b integer'],
  },
  {
    name: 'knex: Object.entries of a literal object, destructured',
    adapter: knex,
    source: knexUp(
      "  const columns = { a: 'text', b: 'jsonb' };\n  for (const [name, type] of Object.entries(columns)) {\n    await knex.schema.alterTable('t', (table) => table.specificType(name, type));\n  }",
    ),
    ops: ['AddColumn t.a text', 'AddColumn t.b jsonb'],
  },
  {
    name: 'knex: a helper function of the same file, with its arguments bound',
    adapter: knex,
    source: `async function addFlag(db, table, column) {\n  await db.schema.alterTable(table, (t) => t.boolean(column).notNullable().defaultTo(false));\n}\n${knexUp("  await addFlag(knex, 'users', 'active');")}`,
    ops: ['AddColumn users.active boolean NOT NULL DEFAULT false'],
  },
  {
    name: 'knex: a try body is read as if it runs',
    adapter: knex,
    source: knexUp("  try {\n    await knex.schema.dropTable('old');\n  } catch (e) {\n    console.log(e);\n  }"),
    ops: ['DropTable old'],
  },
  {
    name: 'sequelize: alternatives tried in a loop of try { …; return } run the first (outline attachment-no-cascade)',
    adapter: sequelize,
    source: sequelizeUp(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template string, as source text
      "    for (const name of ['attachments_documentId_fkey', 'attachments_foreign_idx']) {\n      try {\n        await queryInterface.sequelize.query(`alter table attachments drop constraint \"${name}\"`);\n        return;\n      } catch (err) {}\n    }\n    throw new Error('none');",
    ),
    ops: ['DropConstraint attachments_documentId_fkey on attachments'],
  },
  {
    name: 'knex: a loop over rows that only updates rows is judged as if it runs',
    adapter: knex,
    source: knexUp(
      "  const rows = await knex('users').select('id');\n  for (const r of rows) {\n    await knex('users').where('id', r.id).update({ nick: 'x' });\n  }",
    ),
    ops: ['DataChange update users(nick) where'],
  },
  {
    name: 'knex: a switch on the client takes the set dialect',
    adapter: knex,
    dialect: 'sqlite',
    source: knexUp(
      "  switch (knex.client.config.client) {\n    case 'pg':\n      await knex.raw('ALTER TABLE t ADD COLUMN j jsonb');\n      break;\n    case 'sqlite3':\n      await knex.raw('ALTER TABLE t ADD COLUMN j text');\n      break;\n  }",
    ),
    ops: ['AddColumn t.j TEXT'],
  },
  {
    name: 'typeorm: a dialect test bound to a local (isPostgres) takes the set dialect',
    adapter: typeorm,
    path: TS,
    source: typeormUp(
      "    const isPostgres = queryRunner.connection.options.type === 'postgres';\n    if (isPostgres) {\n      await queryRunner.query('ALTER TABLE t ADD COLUMN j jsonb');\n    } else {\n      await queryRunner.query('ALTER TABLE t ADD COLUMN j text');\n    }",
    ),
    ops: ['AddColumn t.j jsonb'],
  },
  {
    name: 'typeorm: the other side of the same branch on SQLite',
    adapter: typeorm,
    path: TS,
    dialect: 'sqlite',
    source: typeormUp(
      "    const isPostgres = queryRunner.connection.options.type === 'postgres';\n    if (isPostgres) {\n      await queryRunner.query('ALTER TABLE t ADD COLUMN j jsonb');\n    } else {\n      await queryRunner.query('ALTER TABLE t ADD COLUMN j text');\n    }",
    ),
    ops: ['AddColumn t.j TEXT'],
  },
  {
    name: 'typeorm: `sqlite ? 0 : false` in a column definition takes the set dialect',
    adapter: typeorm,
    path: TS,
    source: typeormUp(
      "    const sqlite = queryRunner.connection.driver.options.type === 'sqlite';\n    await queryRunner.addColumn('users', new TableColumn({ name: 'admin', type: 'boolean', default: sqlite ? 0 : false }));",
    ),
    ops: ['AddColumn users.admin boolean NOT NULL DEFAULT false'],
  },
  {
    name: 'typeorm: a method of the migration class (this.addColumns)',
    adapter: typeorm,
    path: TS,
    source: `import { MigrationInterface, QueryRunner } from 'typeorm';
export class M1700000000000 implements MigrationInterface {
  private table = 'chat_flow';
  private async addColumns(queryRunner: QueryRunner, column: string): Promise<void> {
    await queryRunner.query(\`ALTER TABLE "\${this.table}" ADD COLUMN "\${column}" text\`);
  }
  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.addColumns(queryRunner, 'category');
  }
  public async down(queryRunner: QueryRunner): Promise<void> {}
}`,
    ops: ['AddColumn chat_flow.category text'],
  },
  {
    name: 'typeorm: a SQL value known only at run time inside a string literal leaves the statement known',
    adapter: typeorm,
    path: TS,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template string, as source text
    source: `import { Status } from '../entities/status';\n${typeormUp("    await queryRunner.query(`ALTER TABLE t ADD COLUMN s varchar(20) DEFAULT '${Status.ACTIVE}'`);")}`,
    ops: ["AddColumn t.s varchar(20) DEFAULT 'unknown'"],
  },
  {
    name: 'sequelize: helpers of lodash and array methods compute values, they change nothing',
    adapter: sequelize,
    source: `const _ = require('lodash');\n${sequelizeUp("    const names = _.uniq(['a', 'a']).map((n) => n.toUpperCase());\n    console.log(names);\n    await queryInterface.removeColumn('users', 'legacy');")}`,
    ops: ['DropColumn users.legacy'],
  },
  {
    name: 'node-pg-migrate: a loop over a literal array is unrolled',
    adapter: nodePgMigrate,
    source: pgmUp("  for (const t of ['a', 'b']) pgm.addColumns(t, { flag: 'boolean' });"),
    ops: ['AddColumn a.flag boolean', 'AddColumn b.flag boolean'],
  },
];

describe('a DELETE or SELECT whose run-time parts are values is read: its table is known, only its rows are not', () => {
  // FlowiseAI/Flowise RefactorEnterpriseDatabase (every dialect): ids selected first, then deleted where they match.
  const flowise = typeormUp(`    const found = await queryRunner.query('select "id" from "workspace";');
    const ids = found.map((w: { id: string }) => \`'\${w.id}'\`).join(',');
    if (ids && ids.length > 0) {
      await queryRunner.query(\`
        delete from "workspace_user" where "workspaceId" in (\${ids});
      \`);
      const flows = await queryRunner.query(\`select "id" from "chat_flow" where "workspaceId" in (\${ids}) and "x" = \${ids};\`);
    }`);
  it.each(['postgresql', 'mysql', 'sqlite'] as const)('%s', async (dialect) => {
    const p = await parseSource(typeorm, flowise, { path: TS, dialect });
    expect(notesOf(p)).toEqual([]);
    const select = dialect === 'postgresql' ? 'Raw SelectStmt' : 'Raw select';
    expect(describeOps(p.up)?.map((d) => d.replace(/ @\d+:\d+$/, ''))).toEqual([select, 'DataChange delete workspace_user where', select]);
  });
});

describe('SQL picked by a condition (`query(cond ? a : b)`) is read like a branch', () => {
  const roles = (a: string, b: string) =>
    typeormUp(`    const found = await queryRunner.query('select * from "temp_role"');
    for (const role of found) {
      const withDescription = \`insert into "role" ("id", "description") values ('\${role.id}', '\${role.description}')\`;
      const without = \`${a}\`;
      const insertRoleQuery = ${b};
      await queryRunner.query(insertRoleQuery);
    }`);
  it('two statements that change rows only: both read, no note (Flowise RefactorEnterpriseDatabase)', async () => {
    const p = await parseSource(
      typeorm,
      roles(`insert into "role" ("id") values ('\${role.id}')`, 'role.description ? withDescription : without'),
      { path: TS },
    );
    expect(notesOf(p)).toEqual([]);
    expect(describeOps(p.up)?.map((d) => d.replace(/ @\d+:\d+$/, ''))).toEqual([
      'Raw SelectStmt',
      'DataChange insert role(id,description)',
      'DataChange insert role(id)',
    ]);
  });
  it('one of them changes the schema: not analyzed', async () => {
    const p = await parseSource(
      typeorm,
      roles('alter table "role" drop column "description"', 'role.description ? withDescription : without'),
      { path: TS },
    );
    expect(notesOf(p).map((n) => n.replace(/ @\d+:\d+/, ''))).toEqual([
      'not-analyzed not analyzed: SQL built at run time (not a literal string); its effect on the schema is not checked.',
    ]);
  });
  it('a condition the reader knows takes its side', async () => {
    const p = await parseSource(typeorm, roles('alter table "role" drop column "description"', "'x' === 'x' ? without : withDescription"), {
      path: TS,
    });
    // The statement is read (a schema change once per row stays a loop twoway cannot count).
    expect(notesOf(p).map((n) => n.replace(/ @\d+:\d+/, '').split(' (')[0])).toEqual([
      'not-analyzed not analyzed: a loop over values known only at run time',
    ]);
    expect(describeOps(p.up)?.map((d) => d.replace(/ @\d+:\d+$/, ''))).toEqual(['Raw SelectStmt', 'DropColumn role.description']);
  });
});

describe('code paths a reader follows', () => {
  it.each(followed)('$name', async (c) => {
    const p = await parseSource(c.adapter, c.source, { path: c.path, dialect: c.dialect });
    expect(notesOf(p)).toEqual([]);
    expect(p.errors).toEqual([]);
    expect(describeOps(p.up)?.map((d) => d.replace(/ @\d+:\d+$/, ''))).toEqual(c.ops);
  });
});

describe('a guard on the current schema is judged as if the guarded change happens, in every adapter', () => {
  const guarded: Case[] = [
    {
      name: 'knex: if (!await knex.schema.hasColumn(...))',
      adapter: knex,
      source: knexUp(
        "  if (!(await knex.schema.hasColumn('users', 'nick'))) {\n    await knex.schema.alterTable('users', (t) => t.string('nick'));\n  }",
      ),
      ops: ['AddColumn users.nick varchar(255)'],
    },
    {
      name: 'knex: an early return when the column exists',
      adapter: knex,
      source: knexUp(
        "  const exists = await knex.schema.hasColumn('users', 'nick');\n  if (exists) return;\n  await knex.schema.alterTable('users', (t) => t.string('nick'));",
      ),
      ops: ['AddColumn users.nick varchar(255)'],
    },
    {
      name: 'typeorm: if (!(await queryRunner.hasColumn(...)))',
      adapter: typeorm,
      path: TS,
      source: typeormUp(
        "    if (!(await queryRunner.hasColumn('users', 'nick'))) {\n      await queryRunner.addColumn('users', new TableColumn({ name: 'nick', type: 'varchar', isNullable: true }));\n    }",
      ),
      ops: ['AddColumn users.nick varchar'],
    },
    {
      name: 'typeorm: a catalog query, then columns.some(...)',
      adapter: typeorm,
      path: TS,
      source: typeormUp(
        "    const columns = await queryRunner.query(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'users'`);\n    const columnExists = columns.some((col: any) => col.name === 'nick');\n    if (!columnExists) {\n      await queryRunner.query(`ALTER TABLE users ADD COLUMN nick varchar(20);`);\n    }",
      ),
      ops: ['Raw SelectStmt', 'AddColumn users.nick varchar(20)'],
    },
    {
      name: 'sequelize: describeTable, then if (!table.nick)',
      adapter: sequelize,
      source: sequelizeUp(
        "    const table = await queryInterface.describeTable('users');\n    if (!table.nick) {\n      await queryInterface.addColumn('users', 'nick', { type: Sequelize.STRING });\n    }",
      ),
      ops: ['AddColumn users.nick varchar(255)'],
    },
    {
      name: "knex: a row read first, then if (!has(row, 'isEnabled')) adding isEnabled (requarks/wiki 2.5.108)",
      adapter: knex,
      source: `const has = require('lodash/has')\n${knexUp(
        "  const local = await knex('authentication').where('key', 'local').first()\n  if (local && !has(local, 'isEnabled')) {\n    await knex.schema.alterTable('authentication', (t) => { t.boolean('isEnabled') })\n  }",
      )}`,
      ops: ['AddColumn authentication.isEnabled boolean'],
    },
  ];
  it.each(guarded)('$name', async (c) => {
    const p = await parseSource(c.adapter, c.source, { path: c.path, dialect: c.dialect });
    expect(notesOf(p)).toEqual([]);
    expect(describeOps(p.up)?.map((d) => d.replace(/ @\d+:\d+$/, ''))).toEqual(c.ops);
  });
});

describe('what cannot be followed is not-analyzed at its line', () => {
  it('a branch on a run-time value that changes the schema', async () => {
    const p = await parseSource(knex, knexUp("  if (process.env.LEGACY) {\n    await knex.schema.dropTable('legacy');\n  }"));
    expect(notesOf(p).map((n) => n.slice(0, n.indexOf(' (')))).toEqual([
      'not-analyzed @2:3 not analyzed: a branch on a value known only at run time',
    ]);
  });

  it('a loop over rows that changes the schema per row', async () => {
    const p = await parseSource(
      knex,
      knexUp("  const rows = await knex('tables').select('name');\n  for (const r of rows) {\n    await knex.schema.dropTable('x');\n  }"),
    );
    expect(notesOf(p).map((n) => n.slice(0, n.indexOf(' (')))).toEqual([
      'not-analyzed @3:3 not analyzed: a loop over values known only at run time',
    ]);
  });

  it('a program started through child_process is application code, awaited or not (outline migrate-emoji-in-document-title)', async () => {
    // process.cwd() only reads the process: no note of its own.
    const outline = `const { execSync } = require("child_process");
const path = require("path");
module.exports = {
  async up() {
    if (process.env.NODE_ENV === "test") {
      return;
    }
    const scriptName = path.basename(__filename);
    const scriptPath = path.join(process.cwd(), "build", \`server/scripts/\${scriptName}\`);
    execSync(\`node \${scriptPath}\`, { stdio: "inherit" });
  },
  async down() {},
};`;
    const p = await parseSource(sequelize, outline);
    expect(notesOf(p)).toEqual([
      'not-analyzed @10:5 not analyzed: application code (`execSync` of child_process) runs at migration time: another program twoway never executes; its effect on the schema is not checked.',
    ]);
    const forms = [
      "  const cp = require('node:child_process');\n  cp.spawnSync('node', ['x.js']).toString();",
      "  require('child_process').exec('node x.js');",
      "  await require('child_process').execFileSync('node', ['x.js']);",
    ];
    for (const body of forms) {
      const q = await parseSource(knex, knexUp(body));
      expect(notesOf(q).map((n) => n.replace(/^.*application code \(`(\w+)`.*$/, '$1'))).toEqual([
        body.includes('spawnSync') ? 'spawnSync' : body.includes('execFileSync') ? 'execFileSync' : 'exec',
      ]);
    }
  });

  it.each([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template, as source text
    ['a table name', 'delete from "${table}" where "id" = 1'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template, as source text
    ['a name joined to it', 'delete from t_${suffix} where "id" = 1'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template, as source text
    ['an UPDATE value', 'update "t" set "a" = ${value}'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template, as source text
    ['a list of columns', 'select ${columns} from "t"'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template, as source text
    ['a default in a schema change', 'alter table "t" add column "x" int default (${value})'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the migration's own template, as source text
    ['a clause', 'delete from "t" ${where}'],
  ])('SQL built at run time with %s unknown', async (_, sql) => {
    const p = await parseSource(
      typeorm,
      typeormUp(`    const rows = await queryRunner.query('select 1');\n    await queryRunner.query(\`${sql}\`);`),
      { path: TS },
    );
    expect(notesOf(p).map((n) => n.replace(/ @\d+:\d+/, ''))).toEqual([
      'not-analyzed not analyzed: SQL built at run time (not a literal string); its effect on the schema is not checked.',
    ]);
  });

  it('an awaited helper imported from elsewhere', async () => {
    const p = await parseSource(knex, `const { migrateAll } = require('../lib');\n${knexUp('  await migrateAll();')}`);
    expect(notesOf(p)[0]).toContain('a call to migrateAll() that twoway does not follow');
  });
});

describe('sides of a migration', () => {
  it('a note in the down is about the down: the up keeps its answers, dbRollback is unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-js-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(
        join(dir, 'migrations', '20240101000000_add.js'),
        `exports.up = (knex) => knex.schema.alterTable('users', (t) => t.string('nick'));
exports.down = async (knex) => { await knex.raw(process.env.DOWN_SQL); };
`,
      );
      const result = await check(['.'], { cwd: dir });
      const r = result.sets[0]?.reports[0];
      expect(r?.parsed.notes?.map((n) => n.direction)).toEqual(['down']);
      expect([r?.phase, r?.codeRollback, r?.dbRollback]).toEqual(['expand', 'compatible', 'unknown']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a down that exists but is not a function twoway can read is unreadable, not missing', async () => {
    const p = await parseSource(knex, `exports.up = (knex) => knex.schema.dropTable('a');\nexports.down = require('./shared').down;`);
    expect(p.downStatus).toBe('unreadable');
    expect(p.notes?.map((n) => [n.rule, n.direction])).toEqual([['not-analyzed', 'down']]);
  });

  it('a function another migration exports is read where a migration imports it (Flowise linkWorkspaceId)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-js-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(
        join(dir, 'migrations', '1700000000000-LinkWorkspaceId.ts'),
        `import { MigrationInterface, QueryRunner } from 'typeorm';
export async function linkWorkspaceId(queryRunner: QueryRunner, include = true) {
  await queryRunner.query('ALTER TABLE chat_flow ADD COLUMN workspace_id text');
}
export class LinkWorkspaceId1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await linkWorkspaceId(queryRunner);
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE chat_flow DROP COLUMN workspace_id');
  }
}
`,
      );
      writeFileSync(
        join(dir, 'migrations', '1700000000001-Refactor.ts'),
        `import { MigrationInterface, QueryRunner } from 'typeorm';
import { linkWorkspaceId } from './1700000000000-LinkWorkspaceId';
export class Refactor1700000000001 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE chat_flow DROP COLUMN workspace_id');
    await linkWorkspaceId(queryRunner, false);
  }
  public async down(): Promise<void> {}
}
`,
      );
      const result = await check(['.'], { cwd: dir });
      const reports = result.sets[0]?.reports ?? [];
      expect(reports.map((r) => r.parsed.migration.path.split('/').at(-1))).toEqual([
        '1700000000000-LinkWorkspaceId.ts',
        '1700000000001-Refactor.ts',
      ]);
      expect(describeOps(reports[1]?.parsed.up ?? [])?.map((d) => d.replace(/ @\d+:\d+$/, ''))).toEqual([
        'DropColumn chat_flow.workspace_id',
        'AddColumn chat_flow.workspace_id text',
      ]);
      expect(reports[1]?.parsed.notes).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a helper file beside the migrations is read where the migration imports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twoway-js-'));
    try {
      mkdirSync(join(dir, 'migrations'));
      writeFileSync(
        join(dir, 'migrations', 'helpers.ts'),
        `import { QueryRunner } from 'typeorm';
export const ensureColumnExists = async (queryRunner: QueryRunner, tableName: string, columnName: string, columnType: string) => {
  const columns = await queryRunner.query(\`SELECT column_name AS name FROM information_schema.columns WHERE table_name = '\${tableName}'\`);
  const columnExists = columns.some((col: any) => col.name === columnName);
  if (!columnExists) await queryRunner.query(\`ALTER TABLE \${tableName} ADD COLUMN \${columnName} \${columnType};\`);
};
`,
      );
      writeFileSync(
        join(dir, 'migrations', '1700000000000-AddSso.ts'),
        `import { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureColumnExists } from './helpers';
export class AddSso1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await ensureColumnExists(queryRunner, 'organization', 'sso_config', 'text');
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE organization DROP COLUMN sso_config');
  }
}
`,
      );
      const result = await check(['.'], { cwd: dir });
      const r = result.sets[0]?.reports[0];
      expect(describeOps(r?.parsed.up ?? [])?.map((d) => d.replace(/ @\d+:\d+$/, ''))).toEqual([
        'Raw SelectStmt',
        'AddColumn organization.sso_config text',
      ]);
      expect(r?.parsed.notes).toEqual([]);
      expect(result.sets[0]?.reports).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
