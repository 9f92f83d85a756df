// The IR details the data-loss and breaking rules read from PostgreSQL statements.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../ir.js';
import { loadPostgresParser, parsePostgres } from './postgresql.js';

function ops(text: string): Operation[] {
  const parsed = parsePostgres({ path: 'm.sql', text, startLine: 1, language: 'sql' });
  expect(parsed.errors).toEqual([]);
  return parsed.ops;
}

describe('PostgreSQL details for the data-loss and breaking rules', () => {
  beforeAll(loadPostgresParser);

  it('a CHECK (col IS NOT NULL) names the column it proves non-null', () => {
    const [add, other] = ops(
      'ALTER TABLE t ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE t ADD CONSTRAINT d CHECK (email IS NOT NULL AND id > 0);',
    );
    expect(add?.kind === 'AddConstraint' && add.constraint).toMatchObject({ type: 'check', notNullColumn: 'email', notValid: true });
    expect(other?.kind === 'AddConstraint' && other.constraint.notNullColumn).toBeUndefined();
  });

  it("a foreign key's ON DELETE / ON UPDATE actions are kept (NO ACTION is the absence of one)", () => {
    const [a, b] = ops(
      'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (u_id) REFERENCES u (id) ON DELETE SET NULL ON UPDATE CASCADE;\nALTER TABLE t ADD CONSTRAINT g FOREIGN KEY (v_id) REFERENCES v;',
    );
    expect(a?.kind === 'AddConstraint' && a.constraint.references).toEqual({
      table: { name: 'u' },
      columns: ['id'],
      onDelete: 'set null',
      onUpdate: 'cascade',
    });
    expect(b?.kind === 'AddConstraint' && b.constraint.references).toEqual({ table: { name: 'v' }, columns: [] });
  });

  it('TRUNCATE … CASCADE and DROP TYPE … CASCADE are kept', () => {
    const [a, b, type] = ops('TRUNCATE a, b CASCADE;\nDROP TYPE status CASCADE;');
    expect(a).toMatchObject({ kind: 'DataChange', action: 'truncate', cascade: true });
    expect(b).toMatchObject({ kind: 'DataChange', action: 'truncate', table: { name: 'b' }, cascade: true });
    expect(type).toMatchObject({ kind: 'DropEnum', cascade: true });
    expect(ops('TRUNCATE a;')[0]).toMatchObject({ cascade: false });
  });

  it('an expression keeps its closing parentheses and quoted commas', () => {
    const [using, def] = ops(
      "ALTER TABLE d ALTER COLUMN f TYPE text[] USING string_to_array(f, ',');\nALTER TABLE t ALTER COLUMN a SET DEFAULT random_string(32);",
    );
    expect(using?.kind === 'AlterColumnType' && using.using).toBe("string_to_array(f, ',')");
    expect(def?.kind === 'SetDefault' && def.default?.text).toBe('random_string(32)');
  });
});

describe('expression text of bounded expressions', () => {
  const parse = (sql: string) => parsePostgres({ path: 'x.sql', text: sql, startLine: 1, language: 'sql' }).ops;
  it('keeps keywords that have no node of their own (IS NULL) in an index WHERE', () => {
    const [op] = parse('CREATE INDEX i ON t (a) WHERE deleted_at IS NULL;');
    expect(op?.kind === 'AddIndex' && op.where).toBe('deleted_at IS NULL');
  });
  it('reads a CHECK to its closing parenthesis and USING to the next action', () => {
    const ops = parse(
      'ALTER TABLE t ADD CONSTRAINT c CHECK (x IS NOT NULL AND y > 0) NOT VALID, ALTER COLUMN z TYPE int USING z::int, ADD COLUMN w text;',
    );
    const check = ops.find((o) => o.kind === 'AddConstraint');
    const type = ops.find((o) => o.kind === 'AlterColumnType');
    expect(check?.kind === 'AddConstraint' && check.constraint.expression).toBe('x IS NOT NULL AND y > 0');
    expect(type?.kind === 'AlterColumnType' && type.using).toBe('z::int');
  });
  it('reads an index expression whole', () => {
    const [op] = parse('CREATE INDEX i ON t (lower(email), (a + b));');
    expect(op?.kind === 'AddIndex' && op.columns).toEqual(['lower(email)', 'a + b']);
  });
});
