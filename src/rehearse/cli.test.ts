import { describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { dropColumnHistory, tempProject } from '../testing/projects.js';

const run = async (argv: string[]) => {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
};

// Each run starts its own PGlite, as the CLI does.
describe('twoway rehearse', { timeout: 120_000 }, () => {
  it('prints the JSON report and exits 1 when a down loses data', async () => {
    const { code, out } = await run(['rehearse', 'src/rehearse/fixtures/lossy-down', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ version: 2, engine: 'pglite', statementTimeout: 5, allowOutsideEffects: false });
    expect(report.serverVersion).toMatch(/^\d+\.\d+/);
    expect(Object.keys(report.migrations[1])).toEqual([
      'id',
      'path',
      'files',
      'up',
      'down',
      'downSource',
      'reup',
      'schemaRestored',
      'schemaDiff',
      'lostData',
      'lostNewData',
      'error',
      'skipped',
      'notes',
      'timings',
      'locks',
      'lockMismatches',
    ]);
    // PGlite exposes pg_locks: the DROP COLUMN held ACCESS EXCLUSIVE on users, without rewriting or scanning it, as check predicts.
    expect(report.migrations[1].locks.up).toContainEqual(
      expect.objectContaining({ relation: 'users', kind: 'table', mode: 'ACCESS EXCLUSIVE', rewrite: false, scan: false }),
    );
    expect(report.migrations[1].lockMismatches).toEqual([]);
    expect(report.migrations[1]).toMatchObject({
      id: '2',
      up: 'ok',
      down: 'ok',
      downSource: 'written',
      reup: 'ok',
      schemaRestored: true,
      lostData: [{ table: 'users', column: 'full_name', rows: 4 }],
      lostNewData: [],
      error: null,
      skipped: null,
    });
  });

  it('prints one line per migration and exits 0 when every rollback holds', async () => {
    const { code, out } = await run(['rehearse', 'src/rehearse/fixtures/reversible']);
    expect(code).toBe(0);
    expect(out).toContain(
      'src/rehearse/fixtures/reversible/3_rename_issued_on.up.sql  up ok · down ok · re-up ok · schema restored · data kept',
    );
    expect(out).toContain('src/rehearse/fixtures/reversible/5_add_amount_index.up.sql  up ok · down missing · re-up skipped');
    expect(out).toContain('5 migration(s) rehearsed: none failed, 1 without a down');
  });

  it('refuses a database URL it cannot create a scratch database on, with exit 2', async () => {
    const { code, err } = await run(['rehearse', 'examples/golang-migrate', '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(code).toBe(2);
    expect(err).toMatch(/^twoway: cannot connect to postgres:\/\/nobody@127\.0\.0\.1:1\/none: /);
  });

  it('an empty --database-url (an unset $DATABASE_URL) is a usage error, not a rehearsal on PGlite', async () => {
    const { code, out, err } = await run(['rehearse', 'examples/golang-migrate', '--database-url', '']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('twoway: --database-url is empty (is $DATABASE_URL set?); leave the flag out to rehearse on the embedded PGlite\n');
  });

  it.each([['0'], ['soon'], ['-3']])('--statement-timeout %s is a usage error', async (value) => {
    const { code, err } = await run(['rehearse', 'examples/golang-migrate', '--statement-timeout', value]);
    expect(code).toBe(2);
    expect(err).toBe(`twoway: --statement-timeout must be a number of seconds such as 5, not "${value}"\n`);
  });

  it('a database URL that is no PostgreSQL URL is refused before anything connects', async () => {
    const { code, err } = await run(['rehearse', 'examples/golang-migrate', '--database-url', 'http://127.0.0.1/test']);
    expect(code).toBe(2);
    expect(err).toBe('twoway: http://127.0.0.1/test is not a PostgreSQL URL (postgres://user@host:5432/database)\n');
  });

  it('a mysql:// URL for a PostgreSQL set is refused before anything connects', async () => {
    const { code, err } = await run(['rehearse', 'examples/golang-migrate', '--database-url', 'mysql://root@127.0.0.1/test']);
    expect(code).toBe(2);
    expect(err).toBe(
      'twoway: examples/golang-migrate: golang-migrate set not rehearsed: its migrations are PostgreSQL and mysql://root@127.0.0.1/test ' +
        'is a MySQL server: pass a postgres:// URL, or leave --database-url out to rehearse on the embedded PGlite\n' +
        'twoway: no migrations to rehearse in examples/golang-migrate\n',
    );
  });

  it('a refused migration is reported not rehearsed, and the run exits 1', async () => {
    const { code, out } = await run(['rehearse', 'src/rehearse/fixtures/outside-effects']);
    expect(code).toBe(1);
    expect(out).toContain(
      'src/rehearse/fixtures/outside-effects/05_create_role.up.sql  up skipped · down skipped · re-up skipped\n' +
        '  not rehearsed: up: CREATE ROLE changes the server’s roles, which every database shares ' +
        '(src/rehearse/fixtures/outside-effects/05_create_role.up.sql:1); --allow-outside-effects runs it\n',
    );
    expect(out).toContain('14 migration(s) rehearsed: none failed, 11 not rehearsed');
  });

  it('-h says that rehearse executes the SQL, and names the flags that bound it', async () => {
    const { out } = await run(['rehearse', '-h']);
    expect(out).toMatch(/--statement-timeout <seconds>/);
    expect(out).toMatch(/--allow-outside-effects/);
    expect(out).toMatch(/rehearse executes the migrations’ SQL/);
    expect(out).toMatch(/`twoway check` never executes anything/);
  });

  it('reads the project’s config as check does, found from the path: its ignore applies from any directory (issue 10)', async () => {
    const project = tempProject({ ...dropColumnHistory(), 'twoway.config.yaml': 'ignore: ["db/000002_*"]\n' });
    let out = '';
    const code = await main(['rehearse', `${project}/db`, '--format', 'json'], {
      out: (s) => (out += s),
      err: () => {},
      cwd: tempProject(),
    });
    const report = JSON.parse(out) as { migrations: Array<{ id: string }> };
    expect({ code, ids: report.migrations.map((m) => m.id) }).toEqual({ code: 0, ids: ['000001'] });
  });
});
