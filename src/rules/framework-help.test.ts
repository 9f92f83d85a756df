import { describe, expect, it } from 'vitest';
import type { Framework } from '../migration.js';
import { analyzeCase } from './testing.js';

const users = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';

/** The fix a finding of `rule` gives in a migration of `framework`. */
async function fixOf(framework: Framework, rule: string, up: string): Promise<string> {
  const report = await analyzeCase({ name: framework, framework, history: [users], up });
  const finding = report.findings.find((f) => f.rule === rule);
  if (!finding) throw new Error(`no ${rule} finding in ${framework}`);
  return finding.fix;
}

describe('help in the framework’s own terms', () => {
  const cases: Array<[Framework, string]> = [
    ['rails', 'disable_ddl_transaction!'],
    ['django', 'atomic = False'],
    ['alembic', 'op.get_context().autocommit_block()'],
    ['knex', 'config = { transaction: false }'],
    ['typeorm', '`transaction = false` on the class'],
    ['node-pg-migrate', 'pgm.noTransaction()'],
    ['dbmate', '-- migrate:up transaction:false'],
    ['goose', '-- +goose NO TRANSACTION'],
    ['diesel', 'run_in_transaction = false'],
  ];
  for (const [framework, words] of cases) {
    it(`${framework}: says how to leave the transaction there, and nothing about other frameworks`, async () => {
      const fix = await fixOf(framework, 'concurrently-in-transaction', 'CREATE INDEX CONCURRENTLY users_email ON users (email);');
      expect(fix).toContain(words);
      for (const [other, otherWords] of cases) if (other !== framework) expect(fix).not.toContain(otherWords);
    });
  }

  it('an index build in a TypeORM migration gets no Rails hint', async () => {
    const fix = await fixOf('typeorm', 'require-concurrent-index-creation', 'CREATE INDEX users_email ON users (email);');
    expect(fix).toContain('transaction = false');
    expect(fix).not.toMatch(/Rails|Django|disable_ddl_transaction/);
  });

  it('a backfill in an Alembic migration gets autocommit_block, not atomic = False', async () => {
    const fix = await fixOf('alembic', 'backfill-in-transaction', 'ALTER TABLE users ADD COLUMN n int;\nUPDATE users SET n = 1;');
    expect(fix).toContain('autocommit_block');
    expect(fix).not.toMatch(/Rails|Django/);
  });
});

describe('every rule’s help names only the migration’s own framework', () => {
  const foreign = /Rails|ignored_columns|IrreversibleMigration|disable_ddl_transaction|atomic = False|change_column_null/;
  const frameworks: Framework[] = ['alembic', 'typeorm', 'golang-migrate', 'knex'];
  for (const framework of frameworks) {
    it(`${framework}: drop-column and validate-in-same-transaction carry no Rails or Django hint`, async () => {
      const drop = await fixOf(framework, 'drop-column', 'ALTER TABLE users DROP COLUMN email;');
      expect(drop).not.toMatch(foreign);
      const validate = await fixOf(
        framework,
        'validate-in-same-transaction',
        'ALTER TABLE users ADD CONSTRAINT email_set CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_set;',
      );
      expect(validate).not.toMatch(foreign);
    });
  }

  it('rails still gets its own hints', async () => {
    expect(await fixOf('rails', 'drop-column', 'ALTER TABLE users DROP COLUMN email;')).toContain('self.ignored_columns += ["email"]');
  });

  it('an Alembic down is told to write in downgrade(), not upgrade()', async () => {
    const report = await analyzeCase({
      name: 'alembic down',
      framework: 'alembic',
      history: [users],
      up: 'ALTER TABLE users ADD COLUMN n int;',
      down: 'ALTER TABLE users DROP COLUMN n;\nALTER TABLE users DROP COLUMN email;',
    });
    const down = report.findings.filter((f) => f.rule === 'require-lock-timeout' && f.direction === 'down');
    expect(down.length).toBe(1);
    expect(down[0]?.fix).toContain('first in downgrade()');
    expect(down[0]?.fix).not.toContain('upgrade()');
  });
});
