import { beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../ir.js';
import { Schema } from '../schema/schema.js';
import { emitPostgres } from '../sql/emit-postgresql.js';
import { loadSqlParsers } from '../sql/index.js';
import { parsePostgres } from '../sql/postgresql.js';
import { invertOperations } from './invert.js';

beforeAll(loadSqlParsers);

const ops = (sql: string): Operation[] => parsePostgres({ path: 'm.sql', text: sql, startLine: 1, language: 'sql' }).ops;
const schemaAfter = (sql: string): Schema => {
  const schema = new Schema();
  for (const op of ops(sql)) schema.apply(op, 'seed');
  return schema;
};
const SEED = `CREATE TABLE users (id int PRIMARY KEY, email varchar(50) NOT NULL DEFAULT 'x', bio text);`;

/** The derived down, as the SQL rehearsal would run. */
const derivedDown = (up: string): string[] | string => {
  const result = invertOperations(ops(up), schemaAfter(SEED));
  if (!result.ok) return result.reason;
  return result.ops.map((op) => {
    const emitted = emitPostgres(op);
    return emitted.ok ? (emitted.sql ?? '') : emitted.reason;
  });
};

describe('invertOperations', () => {
  it.each([
    ['CREATE TABLE posts (id int)', ['DROP TABLE "posts"']],
    ['ALTER TABLE users ADD COLUMN age int', ['ALTER TABLE "users" DROP COLUMN "age"']],
    ['ALTER TABLE users RENAME COLUMN bio TO about', ['ALTER TABLE "users" RENAME COLUMN "about" TO "bio"']],
    ['ALTER TABLE users RENAME TO members', ['ALTER TABLE "members" RENAME TO "users"']],
    ['CREATE INDEX users_bio ON users (bio)', ['DROP INDEX "users_bio"']],
    ["CREATE TYPE mood AS ENUM ('a')", ['DROP TYPE "mood"']],
    ['ALTER TABLE users ALTER COLUMN email TYPE text', ['ALTER TABLE "users" ALTER COLUMN "email" TYPE varchar(50)']],
    ["ALTER TABLE users ALTER COLUMN email SET DEFAULT 'y'", [`ALTER TABLE "users" ALTER COLUMN "email" SET DEFAULT 'x'`]],
    ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL', ['ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL']],
    [
      'ALTER TABLE users ADD COLUMN age int; ALTER TABLE users RENAME COLUMN age TO years',
      ['ALTER TABLE "users" RENAME COLUMN "years" TO "age"', 'ALTER TABLE "users" DROP COLUMN "age"'],
    ],
  ])('%s', (up, down) => {
    expect(derivedDown(up)).toEqual(down);
  });

  it.each([
    ['ALTER TABLE users DROP COLUMN bio', /^DropColumn removes what the IR does not fully describe/],
    ['DELETE FROM users', /^a data change \(delete\) cannot be undone/],
    ["ALTER TYPE mood ADD VALUE 'b'", /^PostgreSQL cannot remove the enum value 'b'/],
    ['CREATE INDEX ON users (bio)', /without a name/],
  ])('%s has no derivable down', (up, reason) => {
    expect(derivedDown(up)).toMatch(reason);
  });
});
