// User triggers read from the real PostgreSQL 15 of the dev/CI machine, in a scratch database of its own, through
// the read-only session (so through the guard): user triggers and user constraint triggers are listed, the
// internal triggers of a foreign key are not, a missing table is null.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardStatement, openReadOnly, userTriggers } from './index.js';

const PG = process.env.TWOWAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `twoway_triggers_${randomBytes(4).toString('hex')}`;

async function pgAdmin(): Promise<pg.Client | null> {
  const c = new pg.Client({ connectionString: PG, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return c;
  } catch {
    return null;
  }
}
const probe = await pgAdmin();
await probe?.end();
if (!probe) console.warn(`user trigger tests: no PostgreSQL at ${PG}; skipped`);

describe.skipIf(!probe)('userTriggers on PostgreSQL', () => {
  const url = PG.replace(/\/[^/]*$/, `/${name}`);
  beforeAll(async () => {
    const admin = (await pgAdmin()) as pg.Client;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE SCHEMA app;
      CREATE TABLE app.accounts (id bigint PRIMARY KEY);
      CREATE TABLE app.users (id bigint PRIMARY KEY, account_id bigint REFERENCES app.accounts (id), updated_at timestamptz);
      CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;
      CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
      CREATE CONSTRAINT TRIGGER users_check AFTER UPDATE ON app.users DEFERRABLE FOR EACH ROW EXECUTE FUNCTION app.touch();
      CREATE TABLE plain (id bigint PRIMARY KEY);`);
    await c.end();
  });
  afterAll(async () => {
    const admin = await pgAdmin();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  it('lists user and constraint triggers, not the foreign key’s internal ones; [] without any, null for no table', async () => {
    const s = await openReadOnly(url);
    try {
      expect(await userTriggers(s, { schema: 'app', name: 'users' })).toEqual(['users_check', 'users_touch']);
      // The referenced side has only the foreign key's internal (RI) triggers.
      expect(await userTriggers(s, { schema: 'app', name: 'accounts' })).toEqual([]);
      expect(await userTriggers(s, { name: 'plain' })).toEqual([]);
      expect(await userTriggers(s, { name: 'users' })).toBe(null);
    } finally {
      await s.close();
    }
    // The internal triggers are there: the filter is what leaves them out.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const internal = await c.query("SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'app.accounts'::regclass AND tgisinternal");
    await c.end();
    expect(internal.rows[0].n).toBeGreaterThan(0);
  });

  it('its statement is one the guard lets through', () => {
    expect(() =>
      guardStatement(
        'postgresql',
        'SELECT t.tgname AS name FROM pg_catalog.pg_trigger t WHERE t.tgrelid = to_regclass($1) AND NOT t.tgisinternal ORDER BY t.tgname',
      ),
    ).not.toThrow();
  });
});
