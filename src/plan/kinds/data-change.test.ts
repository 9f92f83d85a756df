// UPDATE / DELETE on a table with user triggers, run on PGlite: the planned up fires them as the original would
// (an updated_at moves, an audit row is written), and the planned down puts every row back as it was, with the
// triggers off (no updated_at moved again, no audit row for the restore).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteEngine, type Engine } from '../../rehearse/index.js';
import { stepsOf } from '../write-testing.js';

const TABLES = `
CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  updated_at timestamp NOT NULL DEFAULT now()
);
CREATE TABLE audit (n serial PRIMARY KEY, op text NOT NULL, user_id integer NOT NULL);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit (op, user_id) VALUES (TG_OP, COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION audit_row();
`;

const ROWS = `INSERT INTO users (id, email, name, updated_at) VALUES
  (1, 'Ada@Example.com', 'Ada', '2020-01-01 00:00:00'),
  (2, 'bob@example.com', 'Bob', '2020-01-02 00:00:00'),
  (3, 'CY@EXAMPLE.COM', 'Cy', '2020-01-03 00:00:00');
TRUNCATE audit;`;

let engine: Engine;
beforeAll(async () => {
  engine = await createPgliteEngine();
});
afterAll(() => engine?.close());

const users = () => engine.query('SELECT id, email, name, updated_at::text FROM users ORDER BY id');
const audit = () => engine.query<{ op: string; user_id: number }>('SELECT op, user_id FROM audit ORDER BY n');

/** Runs each statement on its own, as a non-transactional step's file runs: the batched DO block COMMITs. */
async function run(statements: readonly string[]) {
  for (const s of statements) await engine.exec(s);
}

describe('twoway plan, a data change on a table with user triggers', () => {
  it.each([
    ['UPDATE', 'UPDATE users SET email = lower(email) WHERE email <> lower(email);', ['UPDATE', 'UPDATE']],
    ['DELETE', "DELETE FROM users WHERE email LIKE '%EXAMPLE%';", ['DELETE']],
  ])('%s: the up fires the triggers, the down restores every row without firing them', async (_, sql, fired) => {
    await engine.reset();
    await engine.exec(TABLES);
    await engine.exec(ROWS);
    const before = await users();
    const [step, ...rest] = await stepsOf(sql, TABLES);
    expect(rest).toEqual([]);
    // The restore runs between the table's triggers off and on again, in one DO block (one transaction).
    expect(step?.down[0]).toMatch(
      /^DO \$\$\nBEGIN\n {2}ALTER TABLE users DISABLE TRIGGER USER;\n {2}(UPDATE|INSERT INTO) users .*\n {2}ALTER TABLE users ENABLE TRIGGER USER;\nEND \$\$;$/,
    );
    await run(step?.up ?? []);
    // The up does what the original does, triggers included.
    expect((await audit()).map((a) => a.op)).toEqual(fired);
    expect(await users()).not.toEqual(before);
    await engine.exec('TRUNCATE audit;');
    await run(step?.down ?? []);
    expect(await users()).toEqual(before);
    expect(await audit()).toEqual([]);
    // The triggers are on again afterwards.
    await engine.exec("UPDATE users SET name = 'Ada L.' WHERE id = 1;");
    expect(await audit()).toEqual([{ op: 'UPDATE', user_id: 1 }]);
    expect((await users())[0]?.updated_at).not.toBe('2020-01-01 00:00:00');
  });

  it('a restore that fails leaves the triggers on: one DO block, one transaction', async () => {
    await engine.reset();
    await engine.exec(TABLES);
    await engine.exec(ROWS);
    const [step] = await stepsOf('UPDATE users SET email = lower(email) WHERE email <> lower(email);', TABLES);
    await run(step?.up ?? []);
    // Written after the up: the old spellings no longer fit, so the restore fails.
    await engine.exec('ALTER TABLE users ADD CONSTRAINT users_email_lower CHECK (email = lower(email));');
    await expect(engine.exec(step?.down[0] ?? '')).rejects.toThrow(/users_email_lower/);
    const enabled = await engine.query<{ tgname: string; tgenabled: string }>(
      "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal ORDER BY tgname",
    );
    expect(enabled).toEqual([
      { tgname: 'users_audit', tgenabled: 'O' },
      { tgname: 'users_touch', tgenabled: 'O' },
    ]);
  });
});
