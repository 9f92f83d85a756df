import { beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../ir.js';
import { emitPostgres } from './emit-postgresql.js';
import { loadSqlParsers } from './index.js';
import { parsePostgres } from './postgresql.js';

beforeAll(loadSqlParsers);

const parse = (text: string): Operation[] => parsePostgres({ path: 'm.sql', text, startLine: 1, language: 'sql' }).ops;
/** IR without where it came from: what must survive SQL → IR → SQL → IR. */
const shape = (list: Operation[]) => list.map(({ span: _span, text: _text, ...rest }) => rest);

describe('emitPostgres', () => {
  it.each([
    `CREATE TABLE accounts (id bigserial PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, plan text DEFAULT 'free', owner_id int REFERENCES users (id), CONSTRAINT positive CHECK (id > 0))`,
    'ALTER TABLE accounts ADD COLUMN IF NOT EXISTS age int NOT NULL DEFAULT 0',
    'ALTER TABLE accounts DROP COLUMN age CASCADE',
    'ALTER TABLE accounts ALTER COLUMN email TYPE text USING email::text',
    'ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL',
    'ALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT',
    'CREATE UNIQUE INDEX CONCURRENTLY accounts_email ON accounts USING hash (email)',
    'DROP INDEX IF EXISTS accounts_email',
    'ALTER TABLE accounts ADD CONSTRAINT accounts_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID',
    'ALTER TABLE accounts RENAME CONSTRAINT accounts_owner_fk TO owner_fk',
    "CREATE TYPE mood AS ENUM ('sad', 'happy')",
    "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'",
    'ALTER TABLE app.accounts RENAME TO members',
  ])('%s survives a round trip through SQL', (sql) => {
    const ops = parse(sql);
    const emitted = ops.map(emitPostgres).map((e) => (e.ok ? e.sql : e.reason));
    expect(shape(parse(emitted.join(';\n')))).toEqual(shape(ops));
  });

  it('runs statements kept as text when they are PostgreSQL, and refuses DSL code', () => {
    const [update] = parse("UPDATE accounts SET plan = 'free' WHERE plan IS NULL");
    expect(update && emitPostgres(update)).toEqual({ ok: true, sql: "UPDATE accounts SET plan = 'free' WHERE plan IS NULL" });
    const raw: Operation = {
      kind: 'Raw',
      statement: 'execute',
      notAnalyzed: null,
      text: 'execute "UPDATE accounts SET plan = \'free\'"',
      span: { path: 'db/migrate/1_x.rb', line: 3, column: 5, endLine: 3, endColumn: 40 },
    };
    expect(emitPostgres(raw)).toEqual({ ok: false, reason: 'execute is not PostgreSQL text (db/migrate/1_x.rb:3): not run' });
  });
});
